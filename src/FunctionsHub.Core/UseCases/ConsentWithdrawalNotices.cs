using FunctionsHub.Core.Audit;
using FunctionsHub.Core.Configuration;
using FunctionsHub.Core.Consent;
using FunctionsHub.Core.Matching;
using FunctionsHub.Core.Once;
using FunctionsHub.Core.Routing;
using Microsoft.Extensions.Logging;

namespace FunctionsHub.Core.UseCases;

/// <summary>
/// Tells every provider that received content under parental consent about the child (within the
/// withdrawal's scope) with one <c>consent-withdrawn</c> notice naming the affected referrals, never
/// the child. Each notice is claimed in the once-ledger by its id, so two runs of one withdrawal (a
/// repeated delivery, a retry) send it once; only a crash between its send and its completion
/// repeats it, with the same id and body.
/// </summary>
public sealed partial class ConsentWithdrawalNotices(
    IHubDocumentSource documents,
    IChildFiles files,
    IAuditTrail audit,
    IProviderInbox inbox,
    IOnceLedger ledger,
    ReferralIds referralIds,
    TimeProvider time,
    ILogger<ConsentWithdrawalNotices> logger)
{
    private HubDocument Document => documents.Current;

    public const string LedgerScope = "consent-withdrawn";

    /// <summary>Far longer than one send; shorter than the queue's 30 s visibility timeout, so a retry after a crash claims it.</summary>
    public static readonly TimeSpan NoticeLease = TimeSpan.FromSeconds(25);

    public async Task<IReadOnlyList<string>> NotifyAsync(ConsentWithdrawal withdrawal, CancellationToken cancellationToken)
    {
        var affected = await AffectedReferralsAsync(withdrawal, cancellationToken);
        foreach (var (providerId, referralsOfProvider) in affected)
        {
            var notice = new ConsentWithdrawnMessage
            {
                NoticeId = Identifiers.NoticeId(withdrawal.ConsentId, providerId),
                Provider = providerId,
                CreatedAt = withdrawal.WithdrawnAt,
                WithdrawnAt = withdrawal.WithdrawnAt,
                ReferralIds = referralsOfProvider.Select(r => r.ReferralId).ToArray(),
            };
            await SendOnceAsync(notice, referralsOfProvider.Select(r => r.MeldingId).Distinct(), withdrawal.ConsentId, cancellationToken);
        }

        LogNotified(withdrawal.ConsentId, affected.Count);
        return affected.Keys.ToArray();
    }

    /// <summary>provider → (referralId, meldingId) of every referral that carried content under parental consent.</summary>
    private async Task<SortedDictionary<string, List<(string ReferralId, string MeldingId)>>> AffectedReferralsAsync(ConsentWithdrawal withdrawal, CancellationToken cancellationToken)
    {
        var affected = new SortedDictionary<string, List<(string ReferralId, string MeldingId)>>(StringComparer.Ordinal);
        foreach (var melding in (await files.ReadAsync(withdrawal.ChildPseudonym, cancellationToken)).Meldingen)
        {
            foreach (var provider in melding.Decision?.Providers ?? [])
            {
                if (provider.ConsentBasis == ConsentBases.ParentalConsent
                    && Document.FindProvider(provider.ProviderId) is { } known
                    && ConsentRecord.ScopeCovers(withdrawal.Scope, known))
                {
                    if (!affected.TryGetValue(provider.ProviderId, out var list))
                    {
                        affected[provider.ProviderId] = list = [];
                    }

                    list.Add((referralIds.For(melding.MeldingId, provider.ProviderId), melding.MeldingId));
                }
            }
        }

        return affected;
    }

    private async Task SendOnceAsync(ConsentWithdrawnMessage notice, IEnumerable<string> meldingIds, string consentId, CancellationToken cancellationToken)
    {
        var state = await ledger.DoOnceAsync(LedgerScope, notice.NoticeId, time.GetUtcNow(), NoticeLease, async () =>
        {
            await inbox.SendAsync(notice, cancellationToken);
            var now = time.GetUtcNow();
            foreach (var meldingId in meldingIds)
            {
                await audit.AddEventAsync(meldingId, new AuditEvent(
                    $"consent-withdrawn:{consentId}:{notice.Provider}", ReferralKinds.ConsentWithdrawn, now,
                    $"consent {consentId} withdrawn; notice {notice.NoticeId} sent to {notice.Provider}"), cancellationToken);
            }
        }, logger, cancellationToken);

        // Held: another run is sending it; fail, so the queue retries once that run has finished or died.
        if (state == ClaimState.Held)
        {
            throw new ClaimHeldException($"Sending notice {notice.NoticeId}");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Consent {ConsentId} withdrawn; providers with content: {ProviderCount}")]
    private partial void LogNotified(string consentId, int providerCount);
}
