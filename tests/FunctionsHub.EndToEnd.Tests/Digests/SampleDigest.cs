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

    /// <summary>Statuses: CJG's share with a status (21 of 41) can be read off; BASTA!'s "no status" is under 5, so its share is withheld.</summary>
    public static CountTable StatusByProvider => new(
        "referrals-by-provider-status", "Verwijzingen per aanbieder en laatst gemelde status", "Aanbieder", ["Geen status", "Contact", "Afgewezen"],
        [
            new CountRow("cjg", "CJG / wijkteam", [20, 12, 9]),
            new CountRow("basta", "BASTA!", [2, 8, 6]),
            new CountRow("pak-je-kans", "Pak je Kans, \"PJK\"", [5, 7, 7]),
        ]);

    /// <summary>First contact: CJG 10 within the promise of the 17 whose promise came to pass (6 still run); the others' small cells take some shares with them.</summary>
    public static CountTable ContactByProvider => new(
        "contact-by-provider", "Eerste contact per aanbieder", "Aanbieder",
        ["Contact binnen termijn", "Contact na termijn", "Zonder contact, termijn verstreken", "Zonder contact, binnen termijn", "Afgesloten zonder contact"],
        [
            new CountRow("cjg", "CJG / wijkteam", [10, 7, 0, 6, 0]),
            new CountRow("basta", "BASTA!", [6, 2, 5, 0, 3]),
            new CountRow("pak-je-kans", "Pak je Kans, \"PJK\"", [8, 6, 5, 7, 5]),
        ]);

    /// <summary>CJG's median over 17 contacts is published; BASTA!'s over 8 is not.</summary>
    public static readonly ContactTime[] ContactTimes = [new("cjg", "CJG / wijkteam", 17, 30.4), new("basta", "BASTA!", 8, 51.5), new("pak-je-kans", "Pak je Kans, \"PJK\"", 14, 26.5)];

    public static PublishedDigest Create() => DigestPublication.Publish(
        "2026-11",
        "Voorbeeldstad",
        new DateTimeOffset(2026, 12, 1, 2, 0, 0, TimeSpan.Zero),
        [ReferralsByProvider, MeldingenByFeed, AcuteByProvider, StatusByProvider, ContactByProvider],
        [new DigestFlag("BASTA!", 5, 12, "onder 50 %, ook over de laatste 3 maanden"), new DigestFlag("PIT", 1, 4, "onder 50 %, alleen deze maand")],
        Trend,
        ContactTimes);
}
