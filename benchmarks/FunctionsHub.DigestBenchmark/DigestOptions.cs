using System.Globalization;

namespace FunctionsHub.DigestBenchmark;

/// <summary>The command line: <c>--meldingen 100000 --raw 100000 --repeat 3 --month yyyy-MM --seed-parallelism 16</c>.</summary>
public sealed record DigestOptions(int Meldingen, int RawEntities, int Repeat, string? Month, int SeedParallelism)
{
    public static DigestOptions Parse(string[] args)
    {
        var options = new DigestOptions(Meldingen: 100_000, RawEntities: 100_000, Repeat: 3, Month: null, SeedParallelism: 16);
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.");
            options = args[i] switch
            {
                "--meldingen" => options with { Meldingen = Positive(args[i], value) },
                "--raw" => options with { RawEntities = Positive(args[i], value) },
                "--repeat" => options with { Repeat = Positive(args[i], value) },
                "--month" => options with { Month = DateOnly.TryParseExact(value, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out _) ? value : throw new ArgumentException("--month must be yyyy-MM.") },
                "--seed-parallelism" => options with { SeedParallelism = Positive(args[i], value) },
                _ => throw new ArgumentException(
                    $"Unknown option {args[i]}. Options: --meldingen N (in the month measured), --raw N (entities in the raw partition), --repeat N (timed runs after one warm-up), " +
                    "--month yyyy-MM (default: two months before the current one, so the month after it is over too), --seed-parallelism N."),
            };
            i++;
        }

        return options;
    }

    private static int Positive(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new ArgumentException($"{name} must be a positive whole number.");
}
