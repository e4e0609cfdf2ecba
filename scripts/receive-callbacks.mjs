// `npm run callbacks`: plays every party's callback for the local hub, so that notifications
// (melding.routed, referral.status-changed, match.found, referral.overdue, ...) can be seen.
// Each callbackUrl in the configuration document the hub uses (Hub__ConfigPath: partners,
// providers, gemeente subscribers) names a path here; a request on that path is checked with that
// party's Standard Webhooks secret (Hub__Secrets__{id}, environment or local.settings.json) and
// printed. Answers: 204 when the signature holds, 401 for a missing, wrong or stale (more than
// 5 minutes off) signature, 404 for a path no party has, 405 for anything but POST.
// Port: CALLBACKS_PORT (default 7199, the port of the demo callbackUrls).
// `npm start` runs this too, unless the port is taken.
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";
import { Webhook, WebhookVerificationError } from "standardwebhooks";
import { readHubConfig, secretFor } from "./local-hub.mjs";

const MAX_BODY_BYTES = 1024 * 1024;

/** Each callback path in the configuration document, with the party it belongs to. */
export function callbackParties(document) {
  const parties = [
    ...(document.partners ?? []).map((p) => ({ id: p.id, role: "partner", callbackUrl: p.callbackUrl })),
    ...(document.providers ?? []).map((p) => ({ id: p.id, role: "provider", callbackUrl: p.callbackUrl })),
    ...(document.gemeente?.subscribers ?? []).map((s) => ({ id: s.id, role: "subscriber", callbackUrl: s.callbackUrl })),
  ];
  const byPath = new Map();
  const ports = new Set();
  for (const party of parties.filter((p) => p.callbackUrl)) {
    const url = new URL(party.callbackUrl);
    ports.add(url.port || (url.protocol === "https:" ? "443" : "80"));
    byPath.set(url.pathname.replace(/\/+$/, "") || "/", { ...party, secret: secretFor(party.id) });
  }
  return { byPath, ports };
}

const time = () => new Date().toLocaleTimeString("nl-NL", { hour12: false });
const indent = (text) => text.split("\n").map((line) => `    ${line}`).join("\n");

// Loopback only: the demo secrets are public, and only the local hub calls here. 127.0.0.1, not
// "localhost", so that a port taken on IPv4 (where azurite.mjs checks too) is seen as taken.
export function startReceiver({ port = Number(process.env.CALLBACKS_PORT ?? 7199), host = "127.0.0.1", log = console.log } = {}) {
  const { path: configPath, document } = readHubConfig();
  const { byPath, ports } = callbackParties(document);
  const seen = new Map(); // webhook-id -> when it was first received, to recognise retries

  const server = createServer((request, response) => {
    const path = new URL(request.url, "http://receiver").pathname.replace(/\/+$/, "") || "/";
    const answer = (status, line) => {
      if (line) log(`${time()}  ${status}  ${line}`);
      response.writeHead(status).end();
    };
    const party = byPath.get(path);
    if (!party) return answer(404, `${request.method} ${path}: no party in ${configPath} has this callback`);
    if (request.method !== "POST") return answer(405, `${request.method} ${path} (${party.id}): only POST is a notification`);

    const chunks = [];
    let size = 0;
    request.on("data", (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        answer(413, `${party.id}: body over ${MAX_BODY_BYTES} bytes, refused`);
        request.destroy();
      } else chunks.push(chunk);
    });
    request.on("end", () => {
      if (response.headersSent) return;
      const body = Buffer.concat(chunks).toString("utf8");
      const webhookId = request.headers["webhook-id"] ?? "(no webhook-id)";
      if (!party.secret) {
        return answer(401, `${party.id}: no secret Hub__Secrets__${party.id} to check ${webhookId} with`);
      }
      try {
        // standardwebhooks checks the timestamp (within 5 minutes either way), then every v1
        // signature in the header with a timing-safe compare.
        new Webhook(party.secret).verify(body, {
          "webhook-id": request.headers["webhook-id"],
          "webhook-timestamp": request.headers["webhook-timestamp"],
          "webhook-signature": request.headers["webhook-signature"],
        }, { jsonParse: false });
      } catch (error) {
        if (!(error instanceof WebhookVerificationError)) {
          return answer(500, `${party.id}: ${webhookId} not checked: ${error.message} (is Hub__Secrets__${party.id} whsec_ + base64?)`);
        }
        return answer(401, `${party.id}: ${webhookId} refused: ${error.message.toLowerCase()}`);
      }

      let notification;
      try {
        notification = JSON.parse(body);
      } catch {
        notification = undefined;
      }
      const first = seen.get(webhookId);
      if (first) {
        log(`${time()}  ${party.id} (${party.role})  ${notification?.type ?? "?"}  (repeat of ${webhookId}, first received ${first})`);
        return answer(204);
      }
      seen.set(webhookId, time());
      const lines = [`${time()}  ${party.id} (${party.role})  ${notification?.type ?? "(not JSON)"}  ${webhookId}`];
      if (notification === undefined) lines.push(indent(body));
      else {
        if (notification.id !== undefined && notification.id !== request.headers["webhook-id"]) {
          lines.push(`    note: body id ${notification.id} differs from webhook-id`);
        }
        if (notification.occurredAt) lines.push(`    occurredAt ${notification.occurredAt}`);
        lines.push(indent(JSON.stringify(notification.data ?? notification, null, 2)));
      }
      log(lines.join("\n"));
      answer(204);
    });
  });

  const ready = new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      const { port: actual } = server.address();
      log(`Callbacks receiver on http://localhost:${actual}/ for ${byPath.size} parties (${configPath})`);
      for (const [path, party] of byPath) {
        log(`  ${path.padEnd(38)} ${party.id} (${party.role})${party.secret ? "" : "  NO SECRET: its notifications get 401"}`);
      }
      if (!ports.has(String(actual))) {
        log(`  note: the configuration's callbackUrls use port ${[...ports].join(", ")}, not ${actual}: the hub will not call here`);
      }
      resolve(actual);
    });
  });

  const close = () => new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
  return { server, ready, close };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const receiver = startReceiver();
  try {
    await receiver.ready;
  } catch (error) {
    console.error(error.code === "EADDRINUSE"
      ? `Port ${error.port} is taken: set CALLBACKS_PORT to another port (the demo callbackUrls use 7199).`
      : error.message);
    process.exit(1);
  }
  const stop = async () => {
    await receiver.close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}
