// One command line for the local hub: `npm run hub -- <command> ...`. It reaches the hub `npm start`
// runs (its address and Azurite from .local-hub.json, whatever ports it took), or --url / AzureWebJobsStorage.
//
//   npm run hub -- post samples/school.json [--partner ID | --provider ID] [--feed F] [--referral ID] [--webhook-id ID]
//   npm run hub -- get <meldingId> [--partner ID]          the melding's status, as its partner (signed GET)
//   npm run hub -- status <referralId> <status> --provider ID [--reason R] [--note "..."]
//   npm run hub -- contact <matchId> [--partner ID]         confirm contact about a match (match.found's matchId), as that partner
//   npm run hub -- retract <meldingId> [--partner ID] [--reason entered-in-error|wrong-child|duplicate|other]
//                                                           take a melding back, as the partner that sent it
//   npm run hub -- inbox <providerId | queue>               peek at a queue (nothing is taken)
//   npm run hub -- poison <queue>                           list a poison queue (meldingen-intake, consent-withdrawals)
//   npm run hub -- replay <queue> [messageId]               put poison messages back on their queue
//   npm run hub -- fire <FunctionName>                      run a timer now (SendCampaigns, CompileDigest, CheckDeadlines, PurgeRetention)
//
// Every command takes --url BASE. Operator commands send HUB_FUNCTION_KEY as x-functions-key when set
// (the local hub has no key: they are open there, as under `func start`).
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { hubUrl, secretFor, webhookHeaders } from "./local-hub.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const [command, ...rest] = process.argv.slice(2);

/** Runs one of the single-purpose scripts with these arguments, as if it were called itself. */
async function delegate(script, args) {
  process.argv = [process.argv[0], join(here, script), ...args];
  await import(join(here, script));
}

function option(args, name) {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args.splice(i, 2)[1] : undefined;
}

// The single-purpose scripts read their own --url; the others take it out before reading their arguments.
const urlOption = ["post", "status", "inbox"].includes(command) ? undefined : option(rest, "url");

async function call(method, path, { headers = {}, body } = {}) {
  const url = `${hubUrl(urlOption)}${path}`;
  let response;
  try {
    response = await fetch(url, { method, headers, body });
  } catch (error) {
    console.error(`${method} ${url}: no answer (${error.cause?.code ?? error.message}). Is the hub running (npm start)?`);
    process.exit(1);
  }
  console.log(`${method} ${url}`);
  console.log(`${response.status} ${response.statusText}`);
  const text = await response.text();
  if (text) {
    try {
      console.log(JSON.stringify(JSON.parse(text), null, 2));
    } catch {
      console.log(text);
    }
  }
  process.exit(response.ok ? 0 : 1);
}

const operator = () => (process.env.HUB_FUNCTION_KEY ? { "x-functions-key": process.env.HUB_FUNCTION_KEY } : {});

function usage(message) {
  if (message) console.error(message);
  console.error("usage: npm run hub -- post | get | status | contact | retract | inbox | poison | replay | fire ...  (the commands are listed at the top of scripts/hub.mjs and in the README)");
  process.exit(2);
}

switch (command) {
  case "post":
    await delegate("post-melding.mjs", rest);
    break;
  case "status":
    await delegate("post-status.mjs", rest);
    break;
  case "inbox":
    await delegate("peek-inbox.mjs", rest);
    break;
  case "get": {
    const partner = option(rest, "partner") ?? "obs-de-regenboog";
    const [meldingId] = rest.filter((a) => !a.startsWith("--"));
    if (!meldingId) usage("get needs a meldingId.");
    const secret = process.env.HUB_SECRET ?? secretFor(partner);
    if (!secret) usage(`No secret for '${partner}': set HUB_SECRET.`);
    // A signed GET: the body signed is empty.
    await call("GET", `/api/meldingen/${encodeURIComponent(meldingId)}`, {
      headers: { "X-Partner-Id": partner, ...webhookHeaders(secret, "", `msg_${randomUUID()}`) },
    });
    break;
  }
  case "contact": {
    const partner = option(rest, "partner") ?? "obs-de-regenboog";
    const [matchId] = rest.filter((a) => !a.startsWith("--"));
    if (!matchId) usage("contact needs a matchId (from match.found).");
    const secret = process.env.HUB_SECRET ?? secretFor(partner);
    if (!secret) usage(`No secret for '${partner}': set HUB_SECRET.`);
    // Signed like intake, over the body the hub asks for: an empty JSON object.
    const body = "{}";
    await call("POST", `/api/matches/${encodeURIComponent(matchId)}/contact`, {
      headers: { "Content-Type": "application/json", "X-Partner-Id": partner, ...webhookHeaders(secret, body, `msg_${randomUUID()}`) },
      body,
    });
    break;
  }
  case "retract": {
    const partner = option(rest, "partner") ?? "obs-de-regenboog";
    const [meldingId] = rest.filter((a) => !a.startsWith("--"));
    if (!meldingId) usage("retract needs a meldingId.");
    const secret = process.env.HUB_SECRET ?? secretFor(partner);
    if (!secret) usage(`No secret for '${partner}': set HUB_SECRET.`);
    const body = JSON.stringify({ reason: option(rest, "reason") ?? "entered-in-error" });
    await call("POST", `/api/meldingen/${encodeURIComponent(meldingId)}/retract`, {
      headers: { "Content-Type": "application/json", "X-Partner-Id": partner, ...webhookHeaders(secret, body, `msg_${randomUUID()}`) },
      body,
    });
    break;
  }
  case "poison": {
    const [queue] = rest.filter((a) => !a.startsWith("--"));
    if (!queue) usage("poison needs a queue: meldingen-intake or consent-withdrawals.");
    await call("GET", `/api/operations/poison/${encodeURIComponent(queue)}`, { headers: operator() });
    break;
  }
  case "replay": {
    const [queue, messageId] = rest.filter((a) => !a.startsWith("--"));
    if (!queue) usage("replay needs a queue, and optionally one message id.");
    const path = messageId
      ? `/api/operations/poison/${encodeURIComponent(queue)}/${encodeURIComponent(messageId)}/replay`
      : `/api/operations/poison/${encodeURIComponent(queue)}/replay`;
    await call("POST", path, { headers: operator() });
    break;
  }
  case "fire": {
    const [name] = rest.filter((a) => !a.startsWith("--"));
    if (!name) usage("fire needs a function name, e.g. SendCampaigns.");
    await call("POST", `/admin/functions/${encodeURIComponent(name)}`, {
      headers: { "Content-Type": "application/json", ...operator() },
      body: "{}",
    });
    break;
  }
  default:
    usage(command ? `Unknown command '${command}'.` : undefined);
}
