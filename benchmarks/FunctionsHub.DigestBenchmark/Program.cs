using Azure.Core;
using Azure.Data.Tables;
using FunctionsHub.DigestBenchmark;
using FunctionsHub.Testing;

// dotnet run -c Release --project benchmarks/FunctionsHub.DigestBenchmark -- [--meldingen 100000] [--raw 100000] [--repeat 3] [--info-repeat 1] [--month yyyy-MM] [--seed-parallelism 16]
DigestOptions options;
try
{
    options = DigestOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

// On disk: in memory, Azurite stalls after thousands of operations.
var location = Path.Combine(Path.GetTempPath(), "functionshub-digest-benchmark-" + Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(location);
Console.Error.WriteLine($"Starting Azurite (on disk, {location}) ...");
try
{
    await using (var azurite = await Azurite.StartAsync(location))
    {
        var requests = new RequestCount();
        var tableOptions = new TableClientOptions();
        tableOptions.AddPolicy(requests, HttpPipelinePosition.PerRetry);
        var service = new TableServiceClient(azurite.ConnectionString, tableOptions);
        Console.WriteLine(await new DigestRun(options, service, requests).RunAsync(CancellationToken.None));
    }
}
finally
{
    try
    {
        Directory.Delete(location, recursive: true);
    }
    catch (IOException)
    {
        // A file Azurite still held: a temporary folder, the system cleans it.
    }
}

return 0;
