// A provider's sample: read inbox-{providerId} once (or keep reading with --watch) and report back.
//   PROVIDER_SECRET=whsec_... dotnet run -- --provider cjg --hub http://localhost:7071 --storage UseDevelopmentStorage=true
// Transports (exactly one):
//   --storage <connection string>          a storage queue by connection string (Azurite locally)
//   --storage-account <queue service uri>  a storage queue with DefaultAzureCredential (https://{account}.queue.core.windows.net)
//   --servicebus <connection string>       a Service Bus queue by connection string
//   --servicebus-namespace <fqdn>          a Service Bus queue with DefaultAzureCredential ({namespace}.servicebus.windows.net)
// Options: --seen <file> (default seen-{provider}.txt), --watch (read every 5 s until Ctrl+C).
// The secret comes from the environment, never from the command line. Without it nothing is reported back.
using Azure.Identity;
using Azure.Messaging.ServiceBus;
using Samples.Provider;

var options = new Dictionary<string, string>(StringComparer.Ordinal);
var watch = false;
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--watch")
    {
        watch = true;
    }
    else if (args[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length)
    {
        options[args[i][2..]] = args[++i];
    }
    else
    {
        return Usage($"unexpected: {args[i]}");
    }
}

if (!options.TryGetValue("provider", out var providerId) || !options.TryGetValue("hub", out var hubUrl))
{
    return Usage("--provider and --hub are required");
}

var transports = new[] { "storage", "storage-account", "servicebus", "servicebus-namespace" }.Where(options.ContainsKey).ToArray();
if (transports.Length != 1)
{
    return Usage("give exactly one transport");
}

await using var serviceBus = transports[0] switch
{
    "servicebus" => new ServiceBusClient(options["servicebus"]),
    "servicebus-namespace" => new ServiceBusClient(options["servicebus-namespace"], new DefaultAzureCredential()),
    _ => null,
};
IInbox inbox = transports[0] switch
{
    "storage" => StorageQueueInbox.Connect(options["storage"], providerId),
    "storage-account" => StorageQueueInbox.Connect(new Uri(options["storage-account"]), new DefaultAzureCredential(), providerId),
    _ => ServiceBusInbox.Connect(serviceBus!, providerId),
};

using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
var secret = Environment.GetEnvironmentVariable("PROVIDER_SECRET");
var status = secret is { Length: > 0 } ? new StatusReporter(http, new Uri(hubUrl.TrimEnd('/') + "/"), providerId, secret) : null;
if (status is null)
{
    Console.WriteLine("PROVIDER_SECRET is not set: statuses are not reported back.");
}

var seen = new SeenSet(options.GetValueOrDefault("seen") ?? $"seen-{providerId}.txt");
var reader = new InboxReader(inbox, seen, new LoggingCaseSystem(Console.Out), status, Console.Out);

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
try
{
    // Read until a batch brings nothing new; with --watch, then wait and read again.
    while (true)
    {
        var result = await reader.ReadOnceAsync(cancellationToken: stop.Token);
        Console.WriteLine($"inbox-{providerId}: {result}");
        if (result.Handled.Count + result.Dropped.Count == 0)
        {
            if (!watch)
            {
                break;
            }

            await Task.Delay(TimeSpan.FromSeconds(5), stop.Token);
        }
    }
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    // Ctrl+C: a message being handled is left to come back.
}

return 0;

static int Usage(string problem)
{
    Console.Error.WriteLine(problem);
    Console.Error.WriteLine("usage: InboxReader --provider ID --hub URL (--storage CS | --storage-account URI | --servicebus CS | --servicebus-namespace FQDN) [--seen FILE] [--watch]");
    Console.Error.WriteLine("       the provider's secret (whsec_...) in the environment variable PROVIDER_SECRET");
    return 2;
}
