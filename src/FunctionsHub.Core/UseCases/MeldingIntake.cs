using FunctionsHub.Core.Instroom;
using FunctionsHub.Core.Intake;
using FunctionsHub.Core.Privacy;
using FunctionsHub.Core.Telemetry;

namespace FunctionsHub.Core.UseCases;

public abstract record IntakeOutcome
{
    private IntakeOutcome() { }

    public sealed record Accepted(string MeldingId) : IntakeOutcome;

    /// <summary>The same <c>webhook-id</c> came earlier with another body.</summary>
    public sealed record Conflict(string MeldingId) : IntakeOutcome;
}

/// <summary>
/// Stores a valid melding (content-free) and puts it on <c>meldingen-intake</c>: two storage
/// operations. Idempotent on (partner, webhook-id): the melding id is derived from them, so the
/// table's key decides which of several identical deliveries is first. A repeated delivery of a
/// melding that is not routed yet puts it on the queue again, as it was first received: the first
/// delivery may have died between storing and enqueueing, and routing the same melding twice sends
/// each referral once (see <c>MeldingRouting</c>), so nothing accepted is lost and nothing doubles.
/// </summary>
public sealed class MeldingIntake(IMeldingStore store, IIntakeQueue queue, IInstroomLog instroom, ChildPseudonym pseudonym)
{
    public async Task<IntakeOutcome> AcceptAsync(Zorgmelding melding, ReadOnlyMemory<byte> rawBody, CancellationToken cancellationToken)
    {
        var record = MeldingRecord.From(melding, pseudonym.Fingerprint(rawBody.Span), pseudonym.Of(melding.Child.Bsn));
        var existing = await store.TryAddAsync(record, cancellationToken);
        if (existing is not null)
        {
            if (existing.BodyFingerprint != record.BodyFingerprint)
            {
                return new IntakeOutcome.Conflict(existing.MeldingId);
            }

            if (await instroom.FindAsync(existing.MeldingId, existing.ReceivedAt, cancellationToken) is not null)
            {
                return new IntakeOutcome.Accepted(existing.MeldingId);
            }

            // As first received: the instroom day and the digest month follow the first delivery.
            melding = melding with { ReceivedAt = existing.ReceivedAt };
        }

        await queue.EnqueueAsync(melding, cancellationToken);
        if (existing is null)
        {
            HubTelemetry.MeldingAccepted(melding.Feed);
        }

        return new IntakeOutcome.Accepted(melding.MeldingId);
    }
}
