using FunctionsHub.LoadBenchmark;

// dotnet run -c Release --project benchmarks/FunctionsHub.LoadBenchmark -- [--rate 50] [--duration 20] [--concurrency 16] [--backlog-limit 800]
BenchmarkOptions options;
try
{
    options = BenchmarkOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

Console.Error.WriteLine("Starting Azurite (on disk) and the DevHost ...");
await using var hub = await HubUnderTest.StartAsync();
var report = await new LoadRun(hub, options).RunAsync();
Console.WriteLine(report);
return 0;
