using FunctionsHub.Core.Configuration;
using FunctionsHub.Core.Instroom;
using FunctionsHub.Core.Intake;
using FunctionsHub.Core.Privacy;
using FunctionsHub.Core.DataRetention;
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
/// Stores a valid melding (content-free) and puts it on <c>meldingen-intake</c>: three storage
/// operations, the first its entry in the retention index, before the melding itself, so that no
/// melding the hub holds can be missing from the purge's index (<see cref="IRetentionIndex"/>). Idempotent on (partner, webhook-id): the melding id is derived from them, so the
/// table's key decides which of several identical deliveries is first. A repeated delivery of a
/// melding that is not routed yet puts it on the queue again, as it was first received: the first
/// delivery may have died between storing and enqueueing, and routing the same melding twice sends
/// each referral once (see <c>MeldingRouting</c>), so nothing accepted is lost and nothing doubles.
/// </summary>
public sealed class MeldingIntake(IMeldingStore store, IIntakeQueue queue, IInstroomLog instroom, IRetentionIndex retention, IHubDocumentSource documents, ChildPseudonym pseudonym)
{
    public async Task<IntakeOutcome> AcceptAsync(Zorgmelding melding, ReadOnlyMemory<byte> rawBody, CancellationToken cancellationToken)
    {
        var record = MeldingRecord.From(melding, pseudonym.Fingerprint(rawBody.Span), pseudonym.Of(melding.Child.Bsn));
        var calendar = documents.Current.Gemeente.Calendar();
        var entry = RetentionEntry.Of(record, calendar);
        await retention.NoteAsync(entry, cancellationToken);
        var existing = await store.TryAddAsync(record, cancellationToken);
        if (existing is not null)
        {
            // A repeat has its own receipt, a conflict its own report: the stored melding's entry goes back.
            await RestoreEntryAsync(entry, RetentionEntry.Of(existing, calendar), cancellationToken);
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

    /// <summary>
    /// After a repeated delivery (the same <c>webhook-id</c>): the stored melding's own entry back in place
    /// of the one noted for this delivery, whose receipt (and, with another body, report and month)
    /// differ. The purge trusts the record over its entry too, should this be interrupted.
    /// </summary>
    private async Task RestoreEntryAsync(RetentionEntry noted, RetentionEntry stored, CancellationToken cancellationToken)
    {
        if (noted == stored)
        {
            return;
        }

        await retention.NoteAsync(stored, cancellationToken);
        if (noted.Month != stored.Month)
        {
            await retention.RemoveAsync(noted, cancellationToken);
        }
    }
}
