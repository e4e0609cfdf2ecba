// A partner's sample: sign a melding, post it to the hub, and follow its Location.
//   PARTNER_SECRET=whsec_... dotnet run -- <hub url> <feed> <partner id> <body.json> [webhook-id]
// The secret comes from the environment, never from the command line (it would end up in shell history).
using Samples.Partner;

if (args.Length is < 4 or > 5)
{
    Console.Error.WriteLine("usage: PartnerClient <hub url> <school|police|welfare> <partner id> <body.json> [webhook-id]");
    Console.Error.WriteLine("       the secret (whsec_...) in the environment variable PARTNER_SECRET");
    return 2;
}

if (Environment.GetEnvironmentVariable("PARTNER_SECRET") is not { Length: > 0 } secret)
{
    Console.Error.WriteLine("Set PARTNER_SECRET to your partner secret (whsec_...).");
    return 2;
}

var (hub, feed, partnerId, file) = (new Uri(args[0].TrimEnd('/') + "/"), args[1], args[2], args[3]);
// Pass the webhook-id of an earlier run to send the same melding again: the hub answers the same 202.
var webhookId = args.Length == 5 ? args[4] : MeldingClient.NewWebhookId();
using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
var client = new MeldingClient(http, hub, partnerId, secret);

Console.WriteLine($"POST {hub}api/feeds/{feed}/meldingen as {partnerId} (webhook-id {webhookId})");
var posted = await client.PostMeldingAsync(feed, File.ReadAllText(file), webhookId);
Console.WriteLine($"{(int)posted.Status} {posted.Status} after {posted.Attempts} attempt(s)");
// The hub's answer (the melding id, or a problem naming fields by path): the hub's answers never repeat
// what the melding says about the child, so printing it is safe.
Console.WriteLine(posted.Body);
if (!posted.Accepted || posted.Location is null)
{
    return 1;
}

// Routing takes a few seconds; read the status until the melding is routed (or give up after a minute).
Console.WriteLine($"GET {posted.Location}");
var deadline = DateTime.UtcNow.AddMinutes(1);
var status = await client.ReadStatusAsync(posted.Location);
while (status is { State: "accepted" } && DateTime.UtcNow < deadline)
{
    await Task.Delay(TimeSpan.FromSeconds(2));
    status = await client.ReadStatusAsync(posted.Location);
}

if (status is null)
{
    Console.WriteLine("404: not a melding of this partner");
    return 1;
}

Console.WriteLine($"{status.MeldingId}: {status.State}{(status.Matched ? ", matched with another partner's melding" : "")}");
foreach (var provider in status.Providers)
{
    Console.WriteLine($"  {provider.Provider}: {provider.Kind}, {provider.Status}{(provider.StatusAt is { } at ? $" at {at:u}" : "")}");
}

return 0;
