// A node:test suite recording and replaying its Talon.One traffic through `talon-fake proxy`, with the official SDK.
// Record (forwarded to the sandbox, one cassette per test):
//   talon-fake proxy --upstream https://yourbase.talon.one --record cassettes
// Replay (no network):
//   talon-fake proxy --replay cassettes
// Verify (answers from the sandbox, the same requests run on the fake, every difference reported by JSON path):
//   talon-fake proxy --upstream https://yourbase.talon.one --verify cassettes --campaigns campaigns.yaml
// Run: TALON_URL=http://127.0.0.1:8081 TALON_KEY=... TALON_PROXY_MODE=record|replay|verify node --test proxy.test.js
const assert = require("node:assert/strict");
const { test } = require("node:test");
const TalonOne = require("talon_one");

const client = TalonOne.ApiClient.instance;
client.basePath = process.env.TALON_URL; // the proxy, not the sandbox
client.authentications.api_key_v1.apiKey = process.env.TALON_KEY;
client.authentications.api_key_v1.apiKeyPrefix = "ApiKey-v1";
const integration = new TalonOne.IntegrationApi();

// Each test's requests go to its own cassette: cassettes/node/<test name>.yaml, the plugin's layout.
function useCassette(t) {
  client.defaultHeaders["X-Talon-Cassette"] = `node/${t.name.replaceAll(" ", "_")}`;
}

function updateSession(id, price) {
  const session = TalonOne.NewCustomerSessionV2.constructFromObject({
    profileId: "alice",
    cartItems: [{ name: "Shoe", sku: "SH-1", quantity: 1, price }],
  });
  return integration.updateCustomerSessionV2(id, new TalonOne.IntegrationRequest(session));
}

test("ten percent off a cart of 80", async (t) => {
  useCassette(t);
  const state = await updateSession("order-1", 80);
  const discount = state.effects.find((e) => e.effectType === "setDiscount");
  assert.equal(discount.props.value, 8);
});

test("no discount under 50", async (t) => {
  useCassette(t);
  const state = await updateSession("order-2", 20);
  assert.deepEqual(state.effects, []);
  const inventory = await integration.getCustomerInventory("alice", { profile: true });
  assert.equal(inventory.profile.integrationId, "alice");
});

test("a request never recorded fails with 599", { skip: process.env.TALON_PROXY_MODE !== "replay" }, async (t) => {
  client.defaultHeaders["X-Talon-Cassette"] = "node/ten_percent_off_a_cart_of_80";
  const error = await updateSession("order-1", 81).then(
    () => assert.fail("expected a replay miss"),
    (e) => e,
  );
  assert.equal(error.status, 599); // the proxy's replay miss: a status Talon.One never answers
  assert.match(error.response.body.message, /Closest recorded request/);
});

test("verify reports where the fake differs from the sandbox", { skip: process.env.TALON_PROXY_MODE !== "verify" }, async () => {
  // The tests above passed on the sandbox's answers; the proxy ran the same requests on its fake and compared.
  const report = await (await fetch(`${process.env.TALON_URL}/_fake/verify`)).json();
  const differences = report.verify.differences.filter((d) => d.test === "node/ten_percent_off_a_cart_of_80");
  assert.deepEqual(differences.map((d) => [d.operation, d.path, d.recorded]), [
    ["updateCustomerSessionV2", "effects[0].props.value", 8], // recorded: the sandbox's value, the one the SDK saw
  ]);
  assert.notEqual(differences[0].fake, 8); // the fake's campaigns disagree: fix them, or the code under test
});
