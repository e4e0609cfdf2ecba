using FunctionsHub.Core.Consent;
using FunctionsHub.Core.Matching;
using FunctionsHub.Core.Once;
using FunctionsHub.Core.Privacy;
using Microsoft.Extensions.Logging;

namespace FunctionsHub.Core.UseCases;

/// <summary>Who states a consent: a partner (<c>X-Partner-Id</c>) or a provider (<c>X-Provider-Id</c>).</summary>
public sealed record ConsentParty(ConsentPartyKind Kind, string Id)
{
    /// <summary>A partner that reported the child, or a provider a melding about the child went to.</summary>
    public bool Knows(IEnumerable<ChildMelding> meldingenAboutChild) => Kind switch
    {
        ConsentPartyKind.Partner => meldingenAboutChild.Any(m => m.PartnerId == Id),
        _ => meldingenAboutChild.Any(m => m.WentTo(Id)),
    };
}

public enum ConsentPartyKind
{
    Partner,
    Provider,
}

/// <summary>What became of a consent statement.</summary>
public abstract record ConsentOutcome
{
    private ConsentOutcome() { }

    public sealed record Recorded(string ConsentId, string Status) : ConsentOutcome;

    /// <summary>
    /// The party neither reported the child nor received a referral about it; also the answer for a
    /// child the hub does not know, so that the answer does not tell whether the child exists.
    /// </summary>
    public sealed record NotRelated : ConsentOutcome;

    /// <summary>This delivery (party, webhook-id) came before with another body.</summary>
    public sealed record Conflict : ConsentOutcome;
}

/// <summary>
/// Records consent posted by a partner or provider in the registry: only from a party that knows the
/// child (a partner that reported it, a provider a melding about it went to). A withdrawal is put on
/// <c>consent-withdrawals</c> for <see cref="ConsentWithdrawalNotices"/>: the answer's work is the same
/// whatever the hub holds about the child, so its timing tells nothing. Idempotent per delivery.
/// </summary>
public sealed partial class ConsentRecording(
    ChildPseudonym pseudonyms,
    IChildFiles files,
    IConsentWithdrawalQueue withdrawals,
    IOnceLedger ledger,
    TimeProvider time,
    ILogger<ConsentRecording> logger)
{
    public const string DeliveryScope = "consent-delivery";

    public async Task<ConsentOutcome> RecordAsync(ConsentParty party, string deliveryId, ConsentStatementBody statement, string bodyFingerprint, CancellationToken cancellationToken)
    {
        var pseudonym = pseudonyms.Of(statement.Bsn);

        // One read of the child's partition whether or not the child is known, and nothing written
        // for a stranger: known and unknown children cost the same before the refusal.
        if (!party.Knows((await files.ReadAsync(pseudonym, cancellationToken)).Meldingen))
        {
            LogNotRelated(party.Kind, party.Id);
            return new ConsentOutcome.NotRelated();
        }

        var consentId = Identifiers.ConsentId(party.Id, deliveryId);
        // The delivery (party, webhook-id) is recorded once with a keyed fingerprint of its body: the
        // same body again is the same statement, another body a conflict.
        if (await ledger.RecordFirstAsync(DeliveryScope, consentId, bodyFingerprint, cancellationToken) != bodyFingerprint)
        {
            return new ConsentOutcome.Conflict();
        }

        var record = new ConsentRecord(consentId, statement.Status, statement.Scope, statement.GivenBy, statement.RecordedAt, party.Id, time.GetUtcNow());
        await files.AddConsentAsync(pseudonym, record, cancellationToken);
        if (record.Status == ConsentStatuses.Withdrawn)
        {
            // Also on a repeated delivery: the first may have failed before enqueueing. The notices are claimed once each.
            await withdrawals.EnqueueAsync(new ConsentWithdrawal(pseudonym, record.ConsentId, record.Scope, record.RecordedAt), cancellationToken);
        }

        LogRecorded(record.ConsentId, record.Status, party.Id);
        return new ConsentOutcome.Recorded(record.ConsentId, record.Status);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Recorded consent {ConsentId} ({Status}) from {PartyId}")]
    private partial void LogRecorded(string consentId, string status, string partyId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused a consent statement from {PartyKind} {PartyId}: not related to the child")]
    private partial void LogNotRelated(ConsentPartyKind partyKind, string partyId);
}
