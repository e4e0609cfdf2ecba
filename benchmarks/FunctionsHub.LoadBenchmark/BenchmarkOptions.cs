using System.Globalization;

namespace FunctionsHub.LoadBenchmark;

/// <summary>The command line: <c>--rate 50 --duration 20 --concurrency 16 --backlog-limit 800</c>.</summary>
public sealed record BenchmarkOptions(int Rate, TimeSpan Duration, int Concurrency, int BacklogLimit)
{
    public static BenchmarkOptions Parse(string[] args)
    {
        var options = new BenchmarkOptions(Rate: 50, Duration: TimeSpan.FromSeconds(20), Concurrency: 16, BacklogLimit: 800);
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.");
            options = args[i] switch
            {
                "--rate" => options with { Rate = Positive(args[i], value) },
                "--duration" => options with { Duration = TimeSpan.FromSeconds(Positive(args[i], value)) },
                "--concurrency" => options with { Concurrency = Positive(args[i], value) },
                "--backlog-limit" => options with { BacklogLimit = Positive(args[i], value) },
                _ => throw new ArgumentException($"Unknown option {args[i]}. Options: --rate N (meldingen/s), --duration S (seconds per phase), --concurrency N (senders and floor workers), --backlog-limit N (intake messages)."),
            };
            i++;
        }

        return options;
    }

    private static int Positive(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new ArgumentException($"{name} must be a positive whole number.");
}
