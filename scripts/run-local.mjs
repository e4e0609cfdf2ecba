// `npm start`: Azurite in memory, then the DevHost with the demo settings, on http://localhost:7071
// (override with HUB_URLS). Ctrl+C stops both.
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startAzurite } from "./azurite.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const azurite = await startAzurite();
console.log(`Azurite (in memory) on blob ${azurite.ports.blob}, queue ${azurite.ports.queue}, table ${azurite.ports.table}`);

const urls = process.env.HUB_URLS ?? "http://localhost:7071";
const host = spawn("dotnet", ["run", "--project", join(root, "src", "FunctionsHub.DevHost"), "--", "--urls", urls], {
  stdio: "inherit",
  env: { ...process.env, AzureWebJobsStorage: azurite.connectionString },
});

const stop = () => { host.kill("SIGINT"); };
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
host.on("exit", (code) => {
  azurite.child.kill("SIGTERM");
  process.exit(code ?? 0);
});
