// `npm start`: Azurite in memory, the callbacks receiver (scripts/receive-callbacks.mjs, on
// CALLBACKS_PORT, default 7199, where the demo callbackUrls point), a mail inbox for campaign mail
// (scripts/mail-inbox.mjs: maildev, SMTP on 1025, the inbox at http://localhost:1080), then the
// DevHost with the demo settings, on http://localhost:7071 (override with HUB_URLS). When the
// callbacks port is taken, callbacks go to whatever listens there and the rest starts as usual.
// Ctrl+C stops them all.
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startAzurite } from "./azurite.mjs";
import { startMailInbox } from "./mail-inbox.mjs";
import { startReceiver } from "./receive-callbacks.mjs";
import { removeState, writeState } from "./local-hub.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const azurite = await startAzurite();
console.log(`Azurite (in memory) on blob ${azurite.ports.blob}, queue ${azurite.ports.queue}, table ${azurite.ports.table}`);

const callbacksPort = Number(process.env.CALLBACKS_PORT ?? 7199);
let receiver = null;
try {
  const started = startReceiver({ port: callbacksPort });
  await started.ready;
  receiver = started;
} catch (error) {
  console.log(error.code === "EADDRINUSE"
    ? `Port ${callbacksPort} is taken: callbacks go to whatever listens there (set CALLBACKS_PORT to run the receiver elsewhere).`
    : `Callbacks receiver not started: ${error.message}`);
}

const mail = await startMailInbox();
console.log(`Mail inbox (maildev): campaign mails at http://localhost:${mail.webPort} (SMTP on ${mail.smtpPort})`);

const urls = process.env.HUB_URLS ?? "http://localhost:7071";
const hubAddress = urls.split(";")[0].replace("://+", "://localhost").replace("://*", "://localhost").replace(/\/$/, "");
const host = spawn("dotnet", ["run", "--project", join(root, "src", "FunctionsHub.DevHost"), "--", "--urls", urls], {
  stdio: "inherit",
  env: {
    ...process.env,
    // A developer's machine: says so in the log. (HTTP functions answer a bare 500 on an exception, as in
    // Azure, so the developer exception page never shows one.)
    ASPNETCORE_ENVIRONMENT: process.env.ASPNETCORE_ENVIRONMENT ?? process.env.DOTNET_ENVIRONMENT ?? "Development",
    AzureWebJobsStorage: azurite.connectionString,
    Hub__Smtp__Port: String(mail.smtpPort),
    // Unsubscribe links in the mails point at this hub, wherever HUB_URLS put it.
    Hub__PublicUrl: `${hubAddress}/`,
  },
});

// For the other scripts (npm run post, inbox, status): where this hub and its storage are.
writeState({
  url: hubAddress,
  storage: azurite.connectionString,
  azurite: azurite.ports,
  mail: { smtpPort: mail.smtpPort, webPort: mail.webPort },
  callbacksPort: receiver ? callbacksPort : null,
});

// SIGTERM, not SIGINT: `dotnet run` passes a SIGTERM on to the DevHost (which then shuts down
// gracefully) but only waits on a SIGINT sent to it alone, so `kill <pid>` of npm start used to
// leave the DevHost, Azurite and everything else running. Ctrl+C in a terminal reaches them all anyway.
const stop = () => { host.kill("SIGTERM"); };
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
// npm does not pass a SIGTERM on to its script: `kill <npm's pid>` (what an IDE or `timeout` sends
// to `npm start`) ends npm alone. So when the process that started this one is gone, stop too.
const parent = process.ppid;
const orphaned = setInterval(() => {
  try {
    process.kill(parent, 0);
  } catch {
    clearInterval(orphaned);
    stop();
  }
}, 500);
host.on("exit", async (code) => {
  clearInterval(orphaned);
  removeState();
  azurite.child.kill("SIGTERM");
  mail.child.kill("SIGTERM");
  await receiver?.close();
  process.exit(code ?? 0);
});
