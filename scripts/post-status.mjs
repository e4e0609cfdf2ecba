// Reports what became of a referral, as a provider: POST /api/referrals/{referralId}/status,
// signed with the provider's demo secret, and prints the hub's answer.
//   npm run status -- ref_... contacted --provider cjg
//   npm run status -- ref_... declined --provider basta --reason family-refused --note "Ouders willen geen hulp."
// Options: --provider ID (required: the referral's provider), --reason R, --note TEXT,
// --occurred-at ISO (default now), --url BASE (default: the hub `npm start` runs; else http://localhost:7071), --webhook-id ID
// (to see that the hub records a report once, send it twice with the same --webhook-id and the
// same --occurred-at: with a new occurredAt it is a different body, and the hub answers 409). The secret comes from HUB_SECRET, else
// Hub__Secrets__{provider} from the environment or local.settings.json, as for `npm run post`.
import { hubUrl, postSigned, secretFor } from "./local-hub.mjs";

const usage = 'usage: npm run status -- <referralId> <status> --provider ID [--reason R] [--note "..."] [--occurred-at ISO] [--url BASE] [--webhook-id ID]';
const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return undefined;
  const value = args[i + 1];
  if (value === undefined || value.startsWith("--")) {
    console.error(`--${name} needs a value.\n${usage}`);
    process.exit(2);
  }
  return args.splice(i, 2)[1];
};
const provider = option("provider");
const reason = option("reason");
const note = option("note");
const occurredAt = option("occurred-at") ?? new Date().toISOString();
const url = hubUrl(option("url"));
const webhookId = option("webhook-id");
const [referralId, status, ...rest] = args;
if (!referralId || !status || !provider || rest.length) {
  console.error(rest.length ? `Unexpected: ${rest.join(" ")}\n${usage}` : usage);
  process.exit(2);
}

const secret = process.env.HUB_SECRET ?? secretFor(provider);
if (!secret) {
  console.error(`No secret for '${provider}': set HUB_SECRET or Hub__Secrets__${provider}.`);
  process.exit(2);
}

// Absent options stay out of the body (JSON.stringify drops undefined), so the hub sees what was given.
const body = JSON.stringify({ status, occurredAt, reason, note }, null, 2);
const answer = await postSigned({
  url,
  path: `/api/referrals/${encodeURIComponent(referralId)}/status`,
  partyId: provider,
  partyHeader: "X-Provider-Id",
  secret,
  body,
  webhookId,
});
process.exit(answer.ok ? 0 : 1);
