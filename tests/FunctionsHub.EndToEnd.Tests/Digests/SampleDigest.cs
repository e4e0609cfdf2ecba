using FunctionsHub.Core.Digests;

namespace FunctionsHub.EndToEnd.Tests.Digests;

/// <summary>A hand-built digest with small counts, awkward labels and a trend, until the compiled figures land.</summary>
internal static class SampleDigest
{
    public static readonly string[] Months = ["2025-12", "2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11"];

    public static CountTable ReferralsByProvider => new(
        "referrals-by-provider", "Verwijzingen per aanbieder", "Aanbieder", ["Verwijzing", "Zorgsignaal"],
        [
            new CountRow("cjg", "CJG / wijkteam", [14, 9]),
            new CountRow("basta", "BASTA!", [2, 3]),
            new CountRow("pak-je-kans", "Pak je Kans, \"PJK\"", [11, 6]),
            new CountRow("alles-kidzzz", "Alles Kidzzz <3 & co", [0, 7]),
            new CountRow("veilig-thuis", "Veilig Thuis", [8, 0]),
        ]);

    public static CountTable MeldingenByFeed => new(
        "meldingen-by-feed", "Meldingen per bron", "Bron", ["Meldingen"],
        [
            new CountRow("school", "School", [31]),
            new CountRow("police", "Politie", [3]),
            new CountRow("welfare", "Welzijn", [12]),
        ]);

    /// <summary>Cannot be protected: PIT's only referral is pinned by its row total, so the table is withheld.</summary>
    public static CountTable AcuteByProvider => new(
        "acute-by-provider", "Acute meldingen per aanbieder", "Aanbieder", ["Acuut", "Niet acuut"],
        [
            new CountRow("pit", "PIT", [1, 0]),
            new CountRow("cjg", "CJG / wijkteam", [6, 17]),
        ]);

    public static CountTable Trend => new(
        "trend", "Verwijzingen, laatste 12 maanden", "Reeks", Months,
        [
            new CountRow("all", "Alle verwijzingen", [38, 41, 35, 44, 39, 47, 42, 30, 36, 45, 43, 60]),
            new CountRow("basta", "BASTA!", [9, 8, 7, 6, 5, 2, 6, 3, 6, 7, 3, 5]),
        ]);

    public static PublishedDigest Create() => DigestPublication.Publish(
        "2026-11",
        "Voorbeeldstad",
        new DateTimeOffset(2026, 12, 1, 2, 0, 0, TimeSpan.Zero),
        [ReferralsByProvider, MeldingenByFeed, AcuteByProvider],
        [new DigestFlag("BASTA!", 5, 12, "below 50 % for 3 months"), new DigestFlag("PIT", 1, 4, "below 50 % for 2 months")],
        Trend);
}
