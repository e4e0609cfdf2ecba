// Posts a melding (or a consent) as a partner or provider, signed with Standard Webhooks, and
// prints the hub's answer.
//   npm run post -- samples/school.json
//   npm run post -- samples/police.json --partner politie-basisteam-voorbeeldstad --feed police
//   npm run post -- samples/consent-withdrawn.json --partner obs-de-regenboog
//   npm run post -- samples/consent-given.json --provider basta
//   npm run post -- samples/status-contacted.json --provider cjg --referral ref_...
// Options: --partner ID or --provider ID, --feed FEED (defaults: from the file name; a file whose
// name starts with "consent" goes to /api/consents), --referral ID (the body is a status report
// for /api/referrals/{ID}/status; its occurredAt is now unless the file gives one), --url BASE
// (default: the hub `npm start` runs, wherever HUB_URLS put it; else http://localhost:7071),
// --webhook-id ID (reuse one to see idempotency). The secret comes from HUB_SECRET, else
// Hub__Secrets__{id} from the environment or the DEMO values in src/FunctionsHub.Functions/local.settings.json.
// For a status report, `npm run status -- <referralId> <status> --provider ID` needs no file.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { hubUrl, postSigned, secretFor } from "./local-hub.mjs";

const defaults = {
  school: "obs-de-regenboog",
  police: "politie-basisteam-voorbeeldstad",
  welfare: "jongerenwerk-voorbeeldstad",
};

const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args.splice(i, 2)[1] : undefined;
};
const feedOption = option("feed");
const partnerOption = option("partner");
const providerOption = option("provider");
const referralOption = option("referral");
const url = hubUrl(option("url"));
const webhookId = option("webhook-id") ?? `msg_${randomUUID()}`;
const file = args[0];
if (!file) {
  console.error("usage: npm run post -- <melding.json | consent-*.json | status-*.json> [--partner ID | --provider ID] [--feed FEED] [--referral ID] [--url BASE] [--webhook-id ID]");
  process.exit(2);
}

const stem = basename(file).split(".")[0];
const isConsent = stem.startsWith("consent");
const feed = feedOption ?? stem;
const partner = providerOption ?? partnerOption ?? defaults[feed] ?? defaults.school;
const partyHeader = providerOption ? "X-Provider-Id" : "X-Partner-Id";
const path = referralOption
  ? `/api/referrals/${encodeURIComponent(referralOption)}/status`
  : isConsent ? "/api/consents" : `/api/feeds/${feed}/meldingen`;
const secret = process.env.HUB_SECRET ?? secretFor(partner);
if (!secret) {
  console.error(`No secret for '${partner}': set HUB_SECRET.`);
  process.exit(2);
}

const text = readFileSync(file, "utf8");
// A status happens when it is reported, unless the file says when: a fixed date in a sample would
// soon lie before the referral it is about (422).
const body = referralOption && !JSON.parse(text).occurredAt
  ? JSON.stringify({ ...JSON.parse(text), occurredAt: new Date().toISOString() }, null, 2)
  : text;
const answer = await postSigned({ url, path, partyId: partner, partyHeader, secret, body, webhookId });
process.exit(answer.ok ? 0 : 1);
