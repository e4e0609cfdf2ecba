using System.Text.Json;
using FunctionsHub.Core.Audit;
using FunctionsHub.Core.Configuration;
using FunctionsHub.Core.Consent;
using FunctionsHub.Core.Intake;
using FunctionsHub.Core.Matching;
using FunctionsHub.Core.Notifications;
using FunctionsHub.Core.Once;
using FunctionsHub.Core.Privacy;
using Microsoft.Extensions.Logging;

namespace FunctionsHub.Core.Routing;

/// <summary>
/// Routes one melding from <c>meldingen-intake</c>. The queue retries a failed attempt, so every step
/// is safe to repeat: the decision is stored before anything is sent and reused by a retry; each
/// referral's send is claimed on its record (<c>sending</c> under a lease, compare-and-set) before it
/// is sent and marked <c>sent</c> after, so two runs of one melding at the same moment cannot both
/// send it; ids are deterministic. A retry after a failure at any step therefore sends each referral
/// with the same id, and loses none. Only a crash between sending and marking sent repeats that one
/// send, with the same referralId: Service Bus duplicate detection drops it, a storage-queue reader
/// must.
/// </summary>
public sealed partial class MeldingRouting(
    IHubDocumentSource documents,
    ChildPseudonym pseudonyms,
    IConsentStore consents,
    IChildIndex children,
    IAuditTrail audit,
    IReferralStore referrals,
    IProviderInbox inbox,
    INotificationOutbox notifications,
    IMeldingStore meldingen,
    IOnceLedger ledger,
    TimeProvider time,
    ILogger<MeldingRouting> logger)
{
    private HubDocument Document => documents.Current;

    /// <summary>
    /// How long a run holds a referral it is sending: far longer than a send takes, and shorter than
    /// the queue's visibility timeout (30 s), so the retry after a run that died holding it claims it.
    /// </summary>
    public static readonly TimeSpan SendLease = TimeSpan.FromSeconds(25);

    public const string MatchLedgerScope = "match-found";

    public async Task<RoutingDecision> RouteAsync(Zorgmelding melding, CancellationToken cancellationToken)
    {
        var pseudonym = pseudonyms.Of(melding.Child.Bsn);
        if (ConsentRecord.FromMelding(melding) is { } carried)
        {
            await consents.RecordAsync(pseudonym, carried, cancellationToken);
        }

        // In the index before deciding: of two meldingen about one child routed at the same moment,
        // at least one then sees the other, and match.found reaches both referrers.
        await children.AddAsync(pseudonym, MatchFinder.EntryFor(melding), cancellationToken);
        var record = await audit.ReadAsync(melding.MeldingId, cancellationToken);
        var decision = record.Decision
            ?? await audit.AddDecisionAsync(melding.MeldingId, await DecideAsync(melding, pseudonym, cancellationToken), cancellationToken);

        // Before anything is sent: a provider that receives a referral may then state consent for the child.
        await children.RecordProvidersAsync(pseudonym, melding.MeldingId, decision.Providers.Select(p => p.ProviderId).ToArray(), cancellationToken);

        // A withdrawal recorded after the decision must stop content that has not left yet: the
        // withdrawal's own notices only reach referrals whose decision it could read.
        var consentNow = decision.Providers.Any(p => p.ConsentBasis == ConsentBases.ParentalConsent)
            ? await consents.ForChildAsync(pseudonym, cancellationToken)
            : [];
        foreach (var provider in decision.Providers)
        {
            await DispatchAsync(melding, pseudonym, StillPermitted(provider, consentNow), decision, cancellationToken);
        }

        foreach (var matched in decision.Match)
        {
            await NotifyMatchAsync(melding, matched, decision, cancellationToken);
        }

        await meldingen.MoveAsync(melding.MeldingId, MeldingState.Routed, cancellationToken);
        LogRouted(melding.MeldingId, string.Join(",", decision.Providers.Select(p => $"{p.ProviderId}:{p.Kind}")), decision.Match.Count);
        return decision;
    }

    /// <summary>The decision routing would make for this melding now, reading but storing and sending nothing.</summary>
    public Task<RoutingDecision> ExplainAsync(Zorgmelding melding, CancellationToken cancellationToken) =>
        DecideAsync(melding, pseudonyms.Of(melding.Child.Bsn), cancellationToken);

    private async Task<RoutingDecision> DecideAsync(Zorgmelding melding, string pseudonym, CancellationToken cancellationToken)
    {
        var known = await consents.ForChildAsync(pseudonym, cancellationToken);
        var carried = ConsentRecord.FromMelding(melding);
        IReadOnlyList<ConsentRecord> all = carried is null || known.Any(k => k.ConsentId == carried.ConsentId) ? known : [.. known, carried];
        var match = MatchFinder.Find(melding, await children.MeldingenAsync(pseudonym, cancellationToken), Document);
        return Router.Decide(melding, Document, all, match, time.GetUtcNow());
    }

    /// <summary>The provider's decision, or a signal when parental consent for it no longer stands.</summary>
    private ProviderDecision StillPermitted(ProviderDecision provider, IReadOnlyList<ConsentRecord> consentNow) =>
        provider.ConsentBasis == ConsentBases.ParentalConsent
        && Document.FindProvider(provider.ProviderId) is { } known
        && ConsentRules.Deciding(consentNow, known) is not { Status: ConsentStatuses.Given }
            ? provider with { Kind = ReferralKinds.Signal, ConsentBasis = ConsentBases.None }
            : provider;

    private async Task DispatchAsync(Zorgmelding melding, string pseudonym, ProviderDecision provider, RoutingDecision decision, CancellationToken cancellationToken)
    {
        var referralId = Identifiers.ReferralId(melding.MeldingId, provider.ProviderId);
        var wanted = new ReferralRecord(referralId, melding.MeldingId, provider.ProviderId, provider.Kind, provider.ConsentBasis, pseudonym,
            decision.DecidedAt, Document.FindProvider(provider.ProviderId)?.RespondBefore(decision.DecidedAt) ?? decision.DecidedAt, DispatchState.Sending);
        var claim = await referrals.ClaimSendAsync(wanted, time.GetUtcNow(), SendLease, cancellationToken);
        switch (claim.State)
        {
            case ClaimState.Done:
                return;
            case ClaimState.Held:
                throw new ClaimHeldException($"Sending referral {referralId}");
        }

        await OnceWork.ReleasingOnFailureAsync(async () =>
        {
            if (provider.Kind != decision.Providers.First(p => p.ProviderId == provider.ProviderId).Kind)
            {
                await audit.AddEventAsync(melding.MeldingId, new AuditEvent($"content-withheld:{provider.ProviderId}", "content-withheld", time.GetUtcNow(),
                    $"parental consent for {provider.ProviderId} no longer stands; {referralId} sent as a signal"), cancellationToken);
            }

            await inbox.SendAsync(ReferralMessage.Create(melding, provider, Document, claim.Record.CreatedAt, decision.Match), cancellationToken);
        }, () => referrals.ReleaseSendAsync(referralId, claim.Token, CancellationToken.None), $"referral {referralId}", logger, cancellationToken);

        await referrals.MarkSentAsync(referralId, provider.Kind, provider.ConsentBasis, cancellationToken);
    }

    /// <summary>
    /// Both referrers learn of each other: organisation and contact, never content. Routed at the same
    /// moment, both meldingen of a pair may find the match: the pair is claimed in the once-ledger, and
    /// the run that holds it tells both referrers. A run that finds it held by the other moves on: the
    /// holder's own queue message is retried if the holder fails, and takes the claim over once its
    /// lease has run out.
    /// </summary>
    private async Task NotifyMatchAsync(Zorgmelding melding, MatchedPartner matched, RoutingDecision decision, CancellationToken cancellationToken)
    {
        var pair = string.CompareOrdinal(melding.MeldingId, matched.MeldingId) < 0
            ? $"{melding.MeldingId}:{matched.MeldingId}"
            : $"{matched.MeldingId}:{melding.MeldingId}";

        // Done or held by the other run: nothing to do here (see above).
        await ledger.DoOnceAsync(MatchLedgerScope, pair, time.GetUtcNow(), SendLease, async () =>
        {
            await NotifyBothAsync(melding, matched, decision, cancellationToken);
            await audit.AddEventAsync(melding.MeldingId, new AuditEvent($"match-notified:{matched.MeldingId}", NotificationTypes.MatchFound, time.GetUtcNow(),
                $"match.found for {melding.PartnerId} and {matched.PartnerId} (melding {matched.MeldingId})"), cancellationToken);
        }, logger, cancellationToken);
    }

    private async Task NotifyBothAsync(Zorgmelding melding, MatchedPartner matched, RoutingDecision decision, CancellationToken cancellationToken)
    {
        var partner = new PartnerRef(melding.PartnerId, Document.FindPartner(melding.PartnerId)?.Name ?? melding.PartnerId);
        await notifications.EnqueueAsync(MatchFound(melding.PartnerId, melding.MeldingId, new PartnerRef(matched.PartnerId, matched.PartnerName), matched.Referrer, matched.MeldingId, decision.DecidedAt), cancellationToken);
        await notifications.EnqueueAsync(MatchFound(matched.PartnerId, matched.MeldingId, partner, melding.Referrer, melding.MeldingId, decision.DecidedAt), cancellationToken);
    }

    private static OutboundNotification MatchFound(string recipientPartner, string recipientMelding, PartnerRef other, Referrer otherReferrer, string otherMelding, DateTimeOffset at)
    {
        var data = new MatchFoundData(recipientMelding, other, otherReferrer);
        return new OutboundNotification(
            new NotificationRecipient("partner", recipientPartner),
            new NotificationEnvelope(
                NotificationTypes.MatchFound,
                Identifiers.NotificationId(recipientMelding, $"{NotificationTypes.MatchFound}:{otherMelding}"),
                at,
                JsonSerializer.SerializeToElement(data, HubJson.Default.MatchFoundData)));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Routed melding {MeldingId} to {Providers}; matches: {MatchCount}")]
    private partial void LogRouted(string meldingId, string providers, int matchCount);
}
