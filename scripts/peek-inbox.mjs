// Shows the messages waiting in a queue without taking them: `npm run inbox -- cjg`
// (a provider id means inbox-{id}; a full queue name such as meldingen-intake-poison works too).
// Storage: AzureWebJobsStorage if set, else the Azurite of the hub `npm start` runs (whatever ports it
// took), else Azurite on its default ports.
import { QueueServiceClient } from "@azure/storage-queue";
import { storageConnection } from "./local-hub.mjs";

const name = process.argv[2];
if (!name) {
  console.error("usage: npm run inbox -- <providerId | queue name>");
  process.exit(2);
}

const queueName = name.startsWith("inbox-") || name.startsWith("meldingen-") || name.startsWith("notifications-") ? name : `inbox-${name}`;
const service = QueueServiceClient.fromConnectionString(storageConnection());
const queue = service.getQueueClient(queueName);
if (!(await queue.exists())) {
  console.log(`Queue ${queueName} does not exist (yet).`);
  process.exit(0);
}

const { peekedMessageItems } = await queue.peekMessages({ numberOfMessages: 32 });
console.log(`${queueName}: ${peekedMessageItems.length} message(s) (peeked, not removed; at most 32 shown)`);
for (const item of peekedMessageItems) {
  // The hub writes base64-encoded JSON, as the queue trigger expects.
  const text = Buffer.from(item.messageText, "base64").toString("utf8");
  try {
    console.log(JSON.stringify(JSON.parse(text), null, 2));
  } catch {
    console.log(text);
  }
}
