// What the local scripts share: the demo settings and configuration the hub runs with, and signed
// requests to the hub (Standard Webhooks, through the `standardwebhooks` package).
// Environment variables win over local.settings.json, as they do for the hub itself.
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join } from "node:path";
import { fileURLToPath } from "node:url";
import { randomUUID } from "node:crypto";
import { Webhook } from "standardwebhooks";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const functionsDir = join(root, "src", "FunctionsHub.Functions");

let values;
/** The `Values` of src/FunctionsHub.Functions/local.settings.json (the DEMO settings). */
export function localSettings() {
  values ??= JSON.parse(readFileSync(join(functionsDir, "local.settings.json"), "utf8")).Values;
  return values;
}

/**
 * The state file `npm start` writes while the local hub runs (`.local-hub.json` at the repository
 * root, or HUB_STATE): its address and its storage, so the scripts reach that hub and its Azurite
 * even when HUB_URLS or taken default ports moved them.
 */
export const stateFile = process.env.HUB_STATE ?? join(root, ".local-hub.json");

export function writeState(state) {
  writeFileSync(stateFile, JSON.stringify({ ...state, pid: process.pid }, null, 2));
}

export function removeState() {
  rmSync(stateFile, { force: true });
}

/** The running local hub's state, or undefined when none runs (no file, or its `npm start` is gone). */
export function runningHub() {
  if (!existsSync(stateFile)) return undefined;
  const state = JSON.parse(readFileSync(stateFile, "utf8"));
  try {
    process.kill(state.pid, 0);
    return state;
  } catch {
    return undefined;
  }
}

/** Where to reach the hub: --url, else the running local hub's address, else http://localhost:7071. */
export function hubUrl(option) {
  return (option ?? runningHub()?.url ?? "http://localhost:7071").replace(/\/$/, "");
}

/** The storage to read queues from: AzureWebJobsStorage, else the running local hub's Azurite, else Azurite's default ports. */
export function storageConnection() {
  return process.env.AzureWebJobsStorage ?? runningHub()?.storage ?? "UseDevelopmentStorage=true";
}

/** A setting as the hub reads it: `Hub__Secrets__cjg` from the environment, else from local.settings.json. */
export function setting(name) {
  return process.env[name] ?? localSettings()[name];
}

/** The Standard Webhooks secret (`whsec_...`) of a partner, provider or subscriber, or undefined. */
export function secretFor(partyId) {
  return setting(`Hub__Secrets__${partyId}`);
}

/**
 * The configuration document the hub loads (Hub__ConfigPath). The hub resolves a relative path
 * against its build output, where demo/hub-config.json is a linked copy of the repository's file;
 * here it resolves against the repository, then the Functions project.
 */
export function hubConfigPath() {
  const path = setting("Hub__ConfigPath");
  if (!path) throw new Error("Hub__ConfigPath is set neither in the environment nor in local.settings.json.");
  if (isAbsolute(path)) return path;
  const candidates = [join(root, path), join(functionsDir, path)];
  return candidates.find((p) => existsSync(p)) ?? candidates[0];
}

export function readHubConfig() {
  const path = hubConfigPath();
  return { path, document: JSON.parse(readFileSync(path, "utf8")) };
}

/** `v1,<base64 HMAC-SHA256 over "{id}.{timestamp}.{body}">` with the base64 key after `whsec_`. */
export function sign(secret, webhookId, timestamp, body) {
  return new Webhook(secret).sign(webhookId, new Date(Number(timestamp) * 1000), body);
}

/** The three Standard Webhooks headers for a body, signed now. */
export function webhookHeaders(secret, body, webhookId = `msg_${randomUUID()}`) {
  const timestamp = Math.floor(Date.now() / 1000).toString();
  return {
    "webhook-id": webhookId,
    "webhook-timestamp": timestamp,
    "webhook-signature": sign(secret, webhookId, timestamp, body),
  };
}

/**
 * POSTs a body to the hub as a partner or provider, signed with its secret, prints the request
 * line and the hub's answer, and returns the response (its body already read as `text`).
 */
export async function postSigned({ url, path, partyId, partyHeader, secret, body, webhookId }) {
  const headers = webhookHeaders(secret, body, webhookId);
  let response;
  try {
    response = await fetch(`${url}${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", [partyHeader]: partyId, ...headers },
      body,
    });
  } catch (error) {
    console.error(`POST ${url}${path}: no answer (${error.cause?.code ?? error.cause?.message ?? error.message}). Is the hub running (npm start)?`);
    return { status: 0, ok: false, text: "" };
  }
  const text = await response.text();
  console.log(`POST ${url}${path} as ${partyId} (webhook-id ${headers["webhook-id"]})`);
  console.log(`${response.status} ${response.statusText}`);
  const location = response.headers.get("location");
  if (location) console.log(`Location: ${location}`);
  console.log(text);
  return { status: response.status, ok: response.ok, text };
}
