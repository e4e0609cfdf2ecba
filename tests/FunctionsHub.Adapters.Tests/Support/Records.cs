using FunctionsHub.Core;
using FunctionsHub.Core.Intake;

namespace FunctionsHub.Adapters.Tests.Support;

public static class Records
{
    public static readonly DateTimeOffset ReceivedAt = new(2026, 11, 2, 8, 30, 1, 123, TimeSpan.Zero);

    /// <summary>A melding record with every field filled and a unique id.</summary>
    public static MeldingRecord Melding(DateTimeOffset? receivedAt = null) => new()
    {
        MeldingId = "mld_" + Guid.NewGuid().ToString("N"),
        PartnerId = "politie-basisteam-voorbeeldstad",
        Feed = Feeds.Police,
        BodyFingerprint = "9f2c4e0d6a1b3c5e7f9a0b2c4d6e8f1a3b5c7d9e0f2a4b6c8d0e2f4a6b8c0d2e",
        ReceivedAt = receivedAt ?? ReceivedAt,
        ReportedAt = new DateTimeOffset(2026, 11, 2, 9, 29, 58, 500, TimeSpan.FromHours(1)),
        AgeYears = 10,
        Wijk = "west",
        Categories = ["delinquency", "weapons"],
        Urgency = Urgencies.Acute,
        AcuteReason = "risk-level-red",
        ChildPseudonym = "4b8e1f2a9c3d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f",
        State = MeldingState.Received,
    };
}
