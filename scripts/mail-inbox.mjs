// A real SMTP server with a web inbox (maildev, pinned in package.json) for the campaign mails the
// local hub sends: SMTP on MAIL_SMTP_PORT (default 1025), the inbox in a browser on MAIL_WEB_PORT
// (default 1080). When a port is taken, a free one is chosen and said. Run alone: `npm run mail`.
// A child process of its own, like Azurite: maildev in-process would install SIGINT/SIGTERM
// handlers that exit at once, before `npm start` has stopped the DevHost and Azurite.
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { choosePort, waitForPort } from "./azurite.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

export async function startMailInbox() {
  const smtpPort = await choosePort(Number(process.env.MAIL_SMTP_PORT ?? 1025));
  const webPort = await choosePort(Number(process.env.MAIL_WEB_PORT ?? 1080));
  const child = spawn(process.execPath, [
    join(root, "node_modules", "maildev", "bin", "maildev"),
    "--ip", "127.0.0.1", "--smtp", String(smtpPort), "--web", String(webPort), "--silent",
  ], { stdio: ["ignore", "inherit", "inherit"] });
  const exited = new Promise((_, reject) =>
    child.once("exit", (code) => reject(new Error(`maildev exited with code ${code} before it was ready`))));
  const deadline = Date.now() + 30_000;
  await Promise.race([exited, Promise.all([waitForPort(smtpPort, deadline), waitForPort(webPort, deadline)])]);
  return { child, smtpPort, webPort };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { child, smtpPort, webPort } = await startMailInbox();
  console.log(`Mail inbox: SMTP on 127.0.0.1:${smtpPort}, read the mails at http://localhost:${webPort}`);
  const stop = () => child.kill("SIGTERM");
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  child.on("exit", (code) => process.exit(code ?? 0));
}
