using FunctionsHub.Core.Audit;
using FunctionsHub.Core.Configuration;
using FunctionsHub.Core.Privacy;
using FunctionsHub.Core.Routing;
using Microsoft.Extensions.Logging;

namespace FunctionsHub.Core.Consent;

/// <summary>What became of a consent statement: its id, and which providers were told of a withdrawal.</summary>
public sealed record RecordedConsent(string ConsentId, string Status, IReadOnlyList<string> NotifiedProviders);

/// <summary>
/// The answer to the party that posted the consent. It does not list the notified providers: which
/// interventions a child is in is not the poster's to learn.
/// </summary>
public sealed record RecordedConsentAnswer(string ConsentId, string Status = "recorded");

/// <summary>
/// Records consent posted by a partner or provider in the registry. A withdrawal tells every
/// provider that received content under parental consent about the child (within the withdrawal's
/// scope) with a <c>consent-withdrawn</c> notice naming the affected referrals, never the child.
/// Idempotent per delivery: a retried post re-records the same record and sends only the notices the
/// audit trail does not yet record as sent (a failure between a send and its record repeats that one
/// notice, with the same id and body).
/// </summary>
public sealed partial class ConsentRecording(
    HubDocument document,
    ChildPseudonym pseudonyms,
    IConsentStore consents,
    IChildIndex children,
    IAuditTrail audit,
    IProviderInbox inbox,
    TimeProvider time,
    ILogger<ConsentRecording> logger)
{
    /// <returns>
    /// The recorded consent, or null when this delivery (party, webhook-id) came before with another
    /// body: nothing is recorded or sent then, as intake answers 409 for a reused webhook-id.
    /// </returns>
    public async Task<RecordedConsent?> RecordAsync(string partyId, string deliveryId, ConsentStatementBody statement, string bodyFingerprint, CancellationToken cancellationToken)
    {
        var consentId = Identifiers.ConsentId(partyId, deliveryId);
        if (await consents.ClaimDeliveryAsync(consentId, bodyFingerprint, cancellationToken) is { } first && first != bodyFingerprint)
        {
            return null;
        }

        var pseudonym = pseudonyms.Of(statement.Bsn);
        var record = new ConsentRecord(consentId, statement.Status, statement.Scope, statement.GivenBy, statement.RecordedAt, partyId);
        await consents.RecordAsync(pseudonym, record, cancellationToken);

        IReadOnlyList<string> notified = record.Status == ConsentStatuses.Withdrawn
            ? await NotifyWithdrawalAsync(pseudonym, record, cancellationToken)
            : [];
        LogRecorded(record.ConsentId, record.Status, partyId, notified.Count);
        return new RecordedConsent(record.ConsentId, record.Status, notified);
    }

    private async Task<IReadOnlyList<string>> NotifyWithdrawalAsync(string pseudonym, ConsentRecord withdrawal, CancellationToken cancellationToken)
    {
        // provider -> (referralId, meldingId) of every referral that carried content under parental consent
        var affected = new SortedDictionary<string, List<(string ReferralId, string MeldingId)>>(StringComparer.Ordinal);
        var notified = new HashSet<string>();
        foreach (var melding in await children.MeldingenAsync(pseudonym, cancellationToken))
        {
            var record = await audit.ReadAsync(melding.MeldingId, cancellationToken);
            foreach (var provider in record.Decision?.Providers ?? [])
            {
                if (record.Has(NoticeKey(withdrawal, provider.ProviderId)))
                {
                    notified.Add(provider.ProviderId);
                }

                if (provider.ConsentBasis == ConsentBases.ParentalConsent
                    && document.FindProvider(provider.ProviderId) is { } known
                    && withdrawal.Covers(known))
                {
                    if (!affected.TryGetValue(provider.ProviderId, out var list))
                    {
                        affected[provider.ProviderId] = list = [];
                    }

                    list.Add((Identifiers.ReferralId(melding.MeldingId, provider.ProviderId), melding.MeldingId));
                }
            }
        }

        var now = time.GetUtcNow();
        foreach (var (providerId, referralsOfProvider) in affected.Where(a => !notified.Contains(a.Key)))
        {
            // Built from the withdrawal only, so a repeat after a failure sends the same notice.
            var notice = new ConsentWithdrawnMessage
            {
                NoticeId = Identifiers.NoticeId(withdrawal.ConsentId, providerId),
                Provider = providerId,
                CreatedAt = withdrawal.RecordedAt,
                WithdrawnAt = withdrawal.RecordedAt,
                ReferralIds = referralsOfProvider.Select(r => r.ReferralId).ToArray(),
            };
            await inbox.SendAsync(notice, cancellationToken);
            foreach (var meldingId in referralsOfProvider.Select(r => r.MeldingId).Distinct())
            {
                await audit.AddEventAsync(meldingId, new AuditEvent(
                    NoticeKey(withdrawal, providerId), ReferralKinds.ConsentWithdrawn, now,
                    $"consent {withdrawal.ConsentId} withdrawn; notice {notice.NoticeId} sent to {providerId}"), cancellationToken);
            }
        }

        return affected.Keys.ToArray();
    }

    private static string NoticeKey(ConsentRecord withdrawal, string providerId) => $"consent-withdrawn:{withdrawal.ConsentId}:{providerId}";

    [LoggerMessage(Level = LogLevel.Information, Message = "Recorded consent {ConsentId} ({Status}) from {PartyId}; providers notified: {NotifiedCount}")]
    private partial void LogRecorded(string consentId, string status, string partyId, int notifiedCount);
}
