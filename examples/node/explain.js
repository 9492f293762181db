// Why did the fake answer as it did? Read the explanation of a request over HTTP (no SDK needed: Node 18+ fetch).
// Run: TALON_URL=http://127.0.0.1:PORT TALON_KEY=fake-talon-api-key node examples/node/explain.js
// (start the fake with `talon-fake serve --campaigns examples/campaigns.yaml`).
const base = process.env.TALON_URL;
const headers = { Authorization: `ApiKey-v1 ${process.env.TALON_KEY}`, "Content-Type": "application/json" };

async function main() {
  const session = {
    customerSession: { profileId: "alice", cartItems: [{ sku: "SHIRT-1", quantity: 1, price: 45 }] },
  };
  const put = await fetch(`${base}/v2/customer_sessions/order-1`, { method: "PUT", headers, body: JSON.stringify(session) });
  if (put.status !== 200) throw new Error(`session update answered ${put.status}`);
  // Each entry of the request log links to its explanation: follow the link with the same key.
  const log = await (await fetch(`${base}/_fake/requests`, { headers })).json();
  const last = log[log.length - 1];
  const explanation = await (await fetch(`${base}${last.links.explain}`, { headers })).json();
  const missing = await fetch(`${base}/_fake/requests/99/explain`, { headers });
  const notFired = explanation.campaigns.filter((c) => c.outcome !== "fired");
  console.log(JSON.stringify({
    link: last.links.explain,
    evaluated: explanation.evaluated,
    notFired: notFired.map((c) => ({ name: c.name, rules: c.rules.map((r) => r.detail) })),
    missing: missing.status,
    firstLine: explanation.text.split("\n")[0],
  }));
}

main().catch((error) => { console.error(error); process.exit(1); });
