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
/// (partner, webhook-id): the melding id is derived from them, so the table's key decides who was first.
/// </summary>
public sealed class MeldingIntake(IMeldingStore store, IIntakeQueue queue, ChildPseudonym pseudonym)
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

            if (existing.State != MeldingStates.Received)
            {
                return new IntakeOutcome.Accepted(existing.MeldingId);
            }

            // An earlier attempt stored the melding but may have failed before enqueueing it:
            // enqueue (again). Routing is idempotent per referral, so a second copy changes nothing.
        }

        await queue.EnqueueAsync(melding, cancellationToken);
        await store.SetStateAsync(melding.MeldingId, MeldingStates.Accepted, cancellationToken);
        return new IntakeOutcome.Accepted(melding.MeldingId);
    }
}
