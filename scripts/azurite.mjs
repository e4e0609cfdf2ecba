// Starts Azurite from node_modules: in memory, --skipApiVersionCheck (current SDKs send newer
// API versions than Azurite knows), on configurable ports. Run alone: `npm run azurite`.
// Ports: AZURITE_BLOB_PORT, AZURITE_QUEUE_PORT, AZURITE_TABLE_PORT (defaults 10000-10002).
// When a port is taken (another Azurite may hold the defaults), free ports are chosen instead.
import { spawn } from "node:child_process";
import { createServer, connect } from "node:net";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const accountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

function portIsFree(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export async function choosePort(wanted) {
  return (await portIsFree(wanted)) ? wanted : await freePort();
}

export function waitForPort(port, deadline) {
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => { socket.destroy(); resolve(); });
      socket.once("error", () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`Nothing opened port ${port} in time`));
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

export function connectionString({ blob, queue, table }) {
  return `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${accountKey};` +
    `BlobEndpoint=http://127.0.0.1:${blob}/devstoreaccount1;` +
    `QueueEndpoint=http://127.0.0.1:${queue}/devstoreaccount1;` +
    `TableEndpoint=http://127.0.0.1:${table}/devstoreaccount1;`;
}

export async function startAzurite() {
  const ports = {
    blob: await choosePort(Number(process.env.AZURITE_BLOB_PORT ?? 10000)),
    queue: await choosePort(Number(process.env.AZURITE_QUEUE_PORT ?? 10001)),
    table: await choosePort(Number(process.env.AZURITE_TABLE_PORT ?? 10002)),
  };
  const child = spawn(process.execPath, [
    join(root, "node_modules", "azurite", "dist", "src", "azurite.js"),
    "--inMemoryPersistence", "--skipApiVersionCheck", "--disableTelemetry", "--silent",
    "--blobPort", String(ports.blob), "--queuePort", String(ports.queue), "--tablePort", String(ports.table),
  ], { stdio: ["ignore", "inherit", "inherit"] });
  const exited = new Promise((_, reject) =>
    child.once("exit", (code) => reject(new Error(`Azurite exited with code ${code} before it was ready`))));
  const deadline = Date.now() + 30_000;
  await Promise.race([exited, Promise.all(Object.values(ports).map((p) => waitForPort(p, deadline)))]);
  return { child, ports, connectionString: connectionString(ports) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { child, ports, connectionString: cs } = await startAzurite();
  console.log(`Azurite (in memory) on blob ${ports.blob}, queue ${ports.queue}, table ${ports.table}`);
  console.log(`AzureWebJobsStorage=${cs}`);
  const stop = () => child.kill("SIGTERM");
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
