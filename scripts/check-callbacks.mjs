// `npm run test:callbacks`: checks the callbacks receiver without the hub. Starts
// scripts/receive-callbacks.mjs on a free port, sends it notifications as the hub's delivery will
// (signed with the recipient's demo secret), and checks its answers and what it prints; then stops
// it with SIGTERM and checks that it exits cleanly. Exit code 0 when every check holds.
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { root, secretFor, sign, webhookHeaders } from "./local-hub.mjs";

const port = await new Promise((resolve) => {
  const s = createServer().listen(0, "localhost", () => { const { port } = s.address(); s.close(() => resolve(port)); });
});
const child = spawn(process.execPath, [join(root, "scripts", "receive-callbacks.mjs")], {
  env: { ...process.env, CALLBACKS_PORT: String(port) },
  stdio: ["ignore", "pipe", "inherit"],
});
let output = "";
child.stdout.on("data", (d) => { output += d; });
await new Promise((resolve, reject) => {
  const t = setTimeout(() => reject(new Error(`receiver did not start:\n${output}`)), 10_000);
  child.stdout.on("data", () => { if (output.includes("Callbacks receiver on")) { clearTimeout(t); resolve(); } });
});

const failures = [];
const check = (what, ok) => { console.log(`${ok ? "ok  " : "FAIL"}  ${what}`); if (!ok) failures.push(what); };
const base = `http://localhost:${port}`;
const notification = (type, data) => {
  const id = `ntf_${randomUUID().replaceAll("-", "")}`;
  return { id, body: JSON.stringify({ type, id, occurredAt: new Date().toISOString(), data }) };
};
const post = (path, body, headers) => fetch(`${base}${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
const printed = () => new Promise((r) => setTimeout(() => r(output), 150));

const routed = notification("melding.routed", { meldingId: "mld_demo", referrals: [{ referralId: "ref_demo", providerId: "cjg" }] });
const school = secretFor("obs-de-regenboog");
let r = await post("/obs-de-regenboog", routed.body, webhookHeaders(school, routed.body, routed.id));
check(`a correctly signed notification answers 204 (got ${r.status})`, r.status === 204);
let out = await printed();
check("it prints party, type and webhook-id", out.includes(`obs-de-regenboog (partner)  melding.routed  ${routed.id}`));
check("it prints the data", out.includes('"referralId": "ref_demo"'));

r = await post("/obs-de-regenboog", routed.body, webhookHeaders(school, routed.body, routed.id));
check(`the same webhook-id again (a retry) answers 204 (got ${r.status})`, r.status === 204);
out = await printed();
check("a retry is printed as a repeat", out.includes(`(repeat of ${routed.id}`));

const changed = notification("referral.status-changed", { referralId: "ref_demo", status: "contacted" });
r = await post("/obs-de-regenboog", changed.body, webhookHeaders(secretFor("cjg"), changed.body, changed.id));
check(`signed with another party's secret answers 401 (got ${r.status})`, r.status === 401);
const tampered = changed.body.replace("contacted", "completed");
r = await post("/obs-de-regenboog", tampered, webhookHeaders(school, changed.body, changed.id));
check(`a body changed after signing answers 401 (got ${r.status})`, r.status === 401);
const stale = String(Math.floor(Date.now() / 1000) - 301);
r = await post("/obs-de-regenboog", changed.body, {
  "webhook-id": changed.id, "webhook-timestamp": stale, "webhook-signature": sign(school, changed.id, stale, changed.body),
});
check(`a correct signature 301 s old answers 401 (got ${r.status})`, r.status === 401);
r = await post("/obs-de-regenboog", changed.body, {});
check(`no signature headers answer 401 (got ${r.status})`, r.status === 401);
out = await printed();
check("a refused request is not printed as a notification", !out.includes(`referral.status-changed  ${changed.id}`));
r = await post("/obs-de-regenboog", changed.body, webhookHeaders(school, changed.body, changed.id));
check(`after refusals, the genuine one is new, not a repeat (got ${r.status})`, r.status === 204 && !(await printed()).includes(`(repeat of ${changed.id}`));

const overdue = notification("referral.overdue", { referralId: "ref_demo", providerId: "cjg" });
r = await post("/providers/cjg", overdue.body, webhookHeaders(secretFor("cjg"), overdue.body, overdue.id));
check(`a provider's callback checks with the provider's secret (got ${r.status})`, r.status === 204);
const digest = notification("digest.published", { month: "2026-10" });
r = await post("/gemeente-jeugd", digest.body, webhookHeaders(secretFor("gemeente-jeugd"), digest.body, digest.id));
check(`the subscriber's callback checks with its secret (got ${r.status})`, r.status === 204);
const police = notification("match.found", { meldingId: "mld_demo" });
r = await post("/politie", police.body, webhookHeaders(secretFor("politie-basisteam-voorbeeldstad"), police.body, police.id));
check(`/politie is politie-basisteam-voorbeeldstad (got ${r.status})`, r.status === 204);
r = await post("/nobody", police.body, webhookHeaders(school, police.body, police.id));
check(`a path no party has answers 404 (got ${r.status})`, r.status === 404);

const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
child.kill("SIGTERM");
const { code, signal } = await exited;
check(`SIGTERM stops it cleanly (exit code ${code}, signal ${signal})`, code === 0);

console.log("\n--- what the receiver printed ---\n" + output);
process.exit(failures.length ? 1 : 0);
