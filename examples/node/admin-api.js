// A test suite in JavaScript driving `talon-fake serve` with the official SDK (npm `talon_one`) and its admin API.
// Run: TALON_URL=http://127.0.0.1:8080 TALON_KEY=fake-talon-api-key node admin-api.js
const assert = require("node:assert/strict");
const TalonOne = require("talon_one");

const baseUrl = process.env.TALON_URL;
const headers = { Authorization: `ApiKey-v1 ${process.env.TALON_KEY}` };

// The admin API: plain HTTP under /_fake/, with the same Authorization header as the Integration API.
async function admin(method, path, body, contentType = "application/json") {
  const init = { method, headers: { ...headers, "Content-Type": contentType } };
  if (body !== undefined) init.body = typeof body === "string" ? body : JSON.stringify(body);
  const response = await fetch(`${baseUrl}/_fake/${path}`, init);
  return { status: response.status, json: response.status === 204 ? null : await response.json() };
}

const client = TalonOne.ApiClient.instance;
client.basePath = baseUrl;
client.authentications.api_key_v1.apiKey = process.env.TALON_KEY;
client.authentications.api_key_v1.apiKeyPrefix = "ApiKey-v1";
const integration = new TalonOne.IntegrationApi();

function updateSession(id) {
  const session = TalonOne.NewCustomerSessionV2.constructFromObject({
    profileId: "alice",
    cartItems: [{ name: "Shoe", sku: "SH-1", quantity: 1, price: 80 }],
  });
  return integration.updateCustomerSessionV2(id, new TalonOne.IntegrationRequest(session));
}

async function main() {
  // Isolate the test: back to the state the server started with, then load this test's campaigns (YAML or JSON).
  assert.equal((await admin("POST", "reset")).status, 204);
  const campaigns = `
campaigns:
  - name: Ten percent over 50
    rules:
      - title: 10% off carts of 50 or more
        conditions: [{cartSubtotal: {op: ">=", value: 50}}]
        effects:
          - setDiscount: {name: "10% off", percent: 10}
          - triggerWebhook: {webhookId: 1, webhookName: order-sync}
`;
  const loaded = await admin("POST", "campaigns", campaigns, "application/yaml");
  assert.deepEqual(loaded, { status: 201, json: { campaigns: [{ id: 1, name: "Ten percent over 50" }] } });

  // The code under test talks to the fake through the official SDK.
  const state = await updateSession("order-1");
  const discount = state.effects.find((e) => e.effectType === "setDiscount");
  assert.equal(discount.props.value, 8);

  // Retry code can be tested: the next call answers 429 with Retry-After, in the API's error shape.
  await admin("POST", "faults", { operationId: "updateCustomerSessionV2", status: 429, retryAfter: 2 });
  const refused = await updateSession("order-1").then(
    () => assert.fail("expected a 429"),
    (error) => error,
  );
  assert.equal(refused.status, 429);
  assert.equal(refused.response.headers["retry-after"], "2");
  assert.equal(refused.response.body.StatusCode, 429);
  await updateSession("order-1"); // the fault was used up

  // Time moves only when told to.
  const moved = await admin("POST", "clock/advance", { days: 30 });
  assert.equal(moved.json.now, "2026-01-31T00:00:00Z");

  // What the fake saw and did: the request log and the webhooks rules triggered.
  const log = (await admin("GET", "requests")).json;
  assert.deepEqual(
    log.map((r) => [r.operationId, r.status]),
    [["updateCustomerSessionV2", 200], ["updateCustomerSessionV2", 429], ["updateCustomerSessionV2", 200]],
  );
  const webhooks = (await admin("GET", "webhooks")).json;
  assert.deepEqual(webhooks.map((w) => [w.webhookName, w.sessionId, w.campaignId]), [
    ["order-sync", "order-1", 1],
    ["order-sync", "order-1", 1],
  ]);

  // Seed once, snapshot, and restore the snapshot per test.
  const snapshot = (await admin("GET", "state")).json;
  await updateSession("scratch");
  assert.equal((await admin("PUT", "state", snapshot)).status, 204);
  const restored = (await admin("GET", "requests")).json;
  assert.equal(restored.length, log.length); // the "scratch" update is gone with everything it changed

  console.log(JSON.stringify({ ok: true, requests: log.length, webhooks: webhooks.length }));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
