using FunctionsHub.Core.Privacy;

namespace FunctionsHub.Core.Intake;

/// <summary>The answer to a partner for an accepted melding.</summary>
public sealed record AcceptedMelding(string MeldingId, string Status = "accepted");

public abstract record IntakeOutcome
{
    private IntakeOutcome() { }

    public sealed record Accepted(string MeldingId) : IntakeOutcome;

    /// <summary>The same <c>webhook-id</c> came earlier with another body.</summary>
    public sealed record Conflict(string MeldingId) : IntakeOutcome;
}

/// <summary>
/// Stores a valid melding (content-free) and puts it on <c>meldingen-intake</c>, idempotently on
/// (partner, webhook-id): the melding id is derived from them, so the table's key decides which of
/// several identical deliveries is first. The others wait for the first to finish and give the same
/// answer; only when the first stalls past <see cref="ConcurrentDeliveryGrace"/> (it died between
/// storing and enqueueing) does a later one enqueue in its place, so nothing accepted is lost.
/// </summary>
public sealed class MeldingIntake(IMeldingStore store, IIntakeQueue queue, ChildPseudonym pseudonym, TimeProvider time)
{
    public static readonly TimeSpan ConcurrentDeliveryGrace = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

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

            existing = await WaitWhileReceivedAsync(existing, cancellationToken);
            if (existing.State != MeldingState.Received)
            {
                return new IntakeOutcome.Accepted(existing.MeldingId);
            }

            // The first delivery stored the melding but never enqueued it: enqueue in its place.
        }

        await queue.EnqueueAsync(melding, cancellationToken);
        await store.MoveAsync(melding.MeldingId, MeldingState.Accepted, cancellationToken);
        return new IntakeOutcome.Accepted(melding.MeldingId);
    }

    private async Task<MeldingRecord> WaitWhileReceivedAsync(MeldingRecord record, CancellationToken cancellationToken)
    {
        var giveUpAt = record.ReceivedAt + ConcurrentDeliveryGrace;
        while (record.State == MeldingState.Received && time.GetUtcNow() < giveUpAt)
        {
            await Task.Delay(PollInterval, time, cancellationToken);
            record = await store.FindAsync(record.MeldingId, cancellationToken) ?? record;
        }

        return record;
    }
}
