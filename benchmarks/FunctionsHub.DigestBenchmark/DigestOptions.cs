using System.Globalization;

namespace FunctionsHub.DigestBenchmark;

/// <summary>The command line: <c>--meldingen 100000 --raw 100000 --repeat 3 --info-repeat 1 --month yyyy-MM --seed-parallelism 16</c>.</summary>
/// <param name="InfoRepeat">Runs of the measurements shown for information only (the parts of the compile, and the compile without stored digests): at 100,000 meldingen each takes a minute or more.</param>
public sealed record DigestOptions(int Meldingen, int RawEntities, int Repeat, int InfoRepeat, string? Month, int SeedParallelism)
{
    public static DigestOptions Parse(string[] args)
    {
        var options = new DigestOptions(Meldingen: 100_000, RawEntities: 100_000, Repeat: 3, InfoRepeat: 1, Month: null, SeedParallelism: 16);
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.");
            options = args[i] switch
            {
                "--meldingen" => options with { Meldingen = Positive(args[i], value) },
                "--raw" => options with { RawEntities = Positive(args[i], value) },
                "--repeat" => options with { Repeat = Positive(args[i], value) },
                "--info-repeat" => options with { InfoRepeat = Positive(args[i], value) },
                "--month" => options with { Month = DateOnly.TryParseExact(value, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out _) ? value : throw new ArgumentException("--month must be yyyy-MM.") },
                "--seed-parallelism" => options with { SeedParallelism = Positive(args[i], value) },
                _ => throw new ArgumentException(
                    $"Unknown option {args[i]}. Options: --meldingen N (in the month measured), --raw N (entities in the raw partition), --repeat N (timed runs of the compile and the raw scan, after one warm-up), --info-repeat N (runs of the rest), " +
                    "--month yyyy-MM (default: two months before the current one, so the month after it is over too), --seed-parallelism N."),
            };
            i++;
        }

        return options;
    }

    private static int Positive(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new ArgumentException($"{name} must be a positive whole number.");
}
