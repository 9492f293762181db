// Two parallel workers (node:worker_threads), each on an Application of its own, as Jest or node:test workers would
// be: they never see each other's sessions, request log or faults. Uses the official SDK (npm `talon_one`).
// Run: TALON_URL=http://127.0.0.1:8080 TALON_KEY=fake-talon-api-key node parallel-workers.js
const assert = require("node:assert/strict");
const { Worker, isMainThread, parentPort, workerData } = require("node:worker_threads");

const CAMPAIGNS = `
campaigns:
  - name: Ten percent over 50
    rules:
      - title: 10% off carts of 50 or more
        conditions: [{cartSubtotal: {op: ">=", value: 50}}]
        effects: [{setDiscount: {name: "10% off", percent: 10}}]
`;

async function call(method, path, key, body, contentType = "application/json") {
  const init = { method, headers: { Authorization: `ApiKey-v1 ${key}`, "Content-Type": contentType } };
  if (body !== undefined) init.body = typeof body === "string" ? body : JSON.stringify(body);
  const response = await fetch(`${process.env.TALON_URL}${path}`, init);
  return { status: response.status, json: response.status === 204 ? null : await response.json() };
}

async function worker({ name, key }) {
  const TalonOne = require("talon_one");
  const client = TalonOne.ApiClient.instance; // one per worker thread: each has its own module instances
  client.basePath = process.env.TALON_URL;
  client.authentications.api_key_v1.apiKey = key;
  client.authentications.api_key_v1.apiKeyPrefix = "ApiKey-v1";
  const integration = new TalonOne.IntegrationApi();
  const update = (id) =>
    integration.updateCustomerSessionV2(
      id,
      new TalonOne.IntegrationRequest(
        TalonOne.NewCustomerSessionV2.constructFromObject({
          profileId: name,
          cartItems: [{ name: "Shoe", sku: "SH-1", quantity: 1, price: 80 }],
        }),
      ),
    );

  // A fault queued on this worker's Application: only this worker's next request gets it.
  await call("POST", "/_fake/faults", key, { status: 429, retryAfter: 1 });
  const refused = await update(`${name}-0`).then(() => null, (error) => error);
  assert.equal(refused && refused.status, 429, `${name}: its own queued fault`);

  // A fault scoped to one request by a header: that request and no other.
  client.defaultHeaders["X-Talon-Fake-Fault"] = "503; retry-after=2";
  const faulted = await update(`${name}-0`).then(() => null, (error) => error);
  delete client.defaultHeaders["X-Talon-Fake-Fault"];
  assert.equal(faulted && faulted.status, 503, `${name}: the header fault`);
  assert.equal(faulted.response.headers["retry-after"], "2");

  for (let i = 0; i < 10; i += 1) {
    const state = await update(`${name}-${i}`);
    assert.equal(state.effects.find((e) => e.effectType === "setDiscount").props.value, 8);
  }
  const log = (await call("GET", "/_fake/requests", key)).json;
  assert.deepEqual(
    log.map((r) => r.status),
    [429, 503, ...Array(10).fill(200)],
  );
  assert.ok(log.every((r) => r.path.startsWith(`/v2/customer_sessions/${name}-`)), `${name} saw another's request`);
  const sessions = Object.keys((await call("GET", "/_fake/state", key)).json.application.sessions).sort();
  assert.deepEqual(sessions, [...Array(10).keys()].map((i) => `${name}-${i}`).sort());
  return { name, requests: log.length, sessions: sessions.length };
}

async function main() {
  const root = process.env.TALON_KEY;
  const apps = [];
  for (const name of ["left", "right"]) {
    const created = await call("POST", "/_fake/applications", root, CAMPAIGNS, "application/yaml");
    assert.equal(created.status, 201);
    apps.push({ name, ...created.json });
  }
  const results = await Promise.all(
    apps.map(
      (app) =>
        new Promise((resolve, reject) => {
          const thread = new Worker(__filename, { workerData: { name: app.name, key: app.apiKey } });
          thread.once("message", resolve);
          thread.once("error", reject);
          thread.once("exit", (code) => reject(new Error(`worker ${app.name} exited with ${code}`)));
        }),
    ),
  );
  for (const app of apps) {
    assert.equal((await call("DELETE", `/_fake/applications/${app.applicationId}`, root)).status, 204);
  }
  const rootLog = (await call("GET", "/_fake/requests", root)).json;
  console.log(JSON.stringify({ ok: true, workers: results, rootRequests: rootLog.length }));
}

if (isMainThread) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
} else {
  worker(workerData).then((result) => parentPort.postMessage(result)); // a failure is the worker's "error" event
}
