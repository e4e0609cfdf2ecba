using System.Text.Json;
using FunctionsHub.Core.Audit;
using FunctionsHub.Core.Campaigns;
using FunctionsHub.Core.Configuration;
using FunctionsHub.Core.Consent;
using FunctionsHub.Core.Instroom;
using FunctionsHub.Core.Intake;
using FunctionsHub.Core.Matching;
using FunctionsHub.Core.Notifications;
using FunctionsHub.Core.Once;
using FunctionsHub.Core.Privacy;
using FunctionsHub.Core.Routing;
using FunctionsHub.Core.Serialization;
using FunctionsHub.Core.Telemetry;
using Microsoft.Extensions.Logging;

namespace FunctionsHub.Core.UseCases;

/// <summary>
/// Routes one melding from <c>meldingen-intake</c>, in as few storage operations as the guarantees
/// allow: one read of the child's file; one write to it that stores the decision, the consent the
/// melding carried and this run's claim on sending, and succeeds only if the file did not change
/// since the read (a consent statement or another melding about the child in between makes it decide
/// again); the sends; and one write of the routed melding to the instroom. The queue retries a failed
/// attempt, so every step is safe to repeat: a retry reuses the stored decision, claims the send once
/// the failed run's lease ran out or was released, and sends only the referrals the failed run had
/// not (recorded when it released). Ids are deterministic: only a crash between a send and the end
/// of the run repeats a send, with the same referralId (Service Bus duplicate detection drops it, a
/// storage-queue reader must).
/// </summary>
public sealed partial class MeldingRouting(
    IHubDocumentSource documents,
    ChildPseudonym pseudonyms,
    IChildFiles files,
    IAuditTrail audit,
    IInstroomLog instroom,
    IProviderInbox inbox,
    INotificationOutbox notifications,
    IOnceLedger ledger,
    IMatchFollowUps followUps,
    ReferralIds referralIds,
    IReferrerDirectory referrers,
    ReferrerKeys referrerKeys,
    TimeProvider time,
    ILogger<MeldingRouting> logger)
{
    private HubDocument Document => documents.Current;

    /// <summary>
    /// How long a run holds a melding's send: far longer than the sends take, and shorter than the
    /// queue's visibility timeout (30 s), so the retry after a run that died holding it claims it.
    /// </summary>
    public static readonly TimeSpan SendLease = TimeSpan.FromSeconds(25);

    public const string MatchLedgerScope = "match-found";

    /// <summary>The once-ledger key of a match pair (<see cref="MatchLedgerScope"/>): the lower melding id first, whichever was routed first.</summary>
    public static string PairKey(string meldingId, string otherMeldingId) =>
        string.CompareOrdinal(meldingId, otherMeldingId) < 0 ? $"{meldingId}:{otherMeldingId}" : $"{otherMeldingId}:{meldingId}";

    /// <summary>Reads of a file that keeps changing under this run before it gives up (the queue retries it).</summary>
    private const int MaxAttempts = 10;

    public async Task<RoutingDecision> RouteAsync(Zorgmelding melding, CancellationToken cancellationToken)
    {
        var pseudonym = pseudonyms.Of(melding.Child.Bsn);
        var (file, decision, token) = await DecideAndClaimAsync(melding, pseudonym, cancellationToken);
        if (token is null)
        {
            return decision;
        }

        // Consent as it stands at the claim: a statement recorded since would have changed the file's version.
        var consentNow = ConsentsKnown(file, melding);
        var sent = new Dictionary<string, string>(file.Find(melding.MeldingId)?.Send?.Sent ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        await OnceWork.ReleasingOnFailureAsync(async () =>
        {
            foreach (var provider in decision.Providers.Where(p => !sent.ContainsKey(p.ProviderId)))
            {
                var permitted = StillPermitted(provider, consentNow);
                await SendAsync(melding, permitted, decision, cancellationToken);
                sent[provider.ProviderId] = permitted.Kind;
            }

            foreach (var matched in decision.Match)
            {
                await NotifyMatchAsync(melding, matched, decision, cancellationToken);
            }

            // Before the instroom: a run that fails writing it enqueues this again on its retry, with the same id.
            var routed = Routed(melding, decision, sent);
            await notifications.EnqueueAsync(MeldingRoutedNotice(routed, decision), cancellationToken);

            // The partner's latest melding and the referrer's professional contact, for campaigns. Before the
            // instroom too: a melding found there is routed and never comes back here, so a failure after it would lose them.
            var referrer = melding.Referrer.Email is { } email
                ? new DirectoryReferrer(melding.PartnerId, referrerKeys.Of(email), melding.Referrer.Name, email, melding.ReceivedAt)
                : null;
            await referrers.RecordMeldingAsync(melding.PartnerId, melding.ReceivedAt, referrer, cancellationToken);

            await instroom.RecordAsync(routed, cancellationToken);
        }, () => files.ReleaseSendAsync(pseudonym, melding.MeldingId, token, sent, CancellationToken.None), $"melding {melding.MeldingId}", logger, cancellationToken);

        HubTelemetry.MeldingRouted(melding.Feed, decision.Providers.Count);
        LogRouted(melding.MeldingId, string.Join(",", decision.Providers.Select(p => $"{p.ProviderId}:{sent[p.ProviderId]}")), decision.Match.Count);
        return decision;
    }

    /// <summary>The decision routing would make for this melding now, reading but storing and sending nothing.</summary>
    public async Task<RoutingDecision> ExplainAsync(Zorgmelding melding, CancellationToken cancellationToken) =>
        Decide(melding, await files.ReadAsync(pseudonyms.Of(melding.Child.Bsn), cancellationToken));

    /// <summary>
    /// The melding's decision (made and stored now, or stored by an earlier run) and this run's claim
    /// on sending it, with the file as it stood at the claim; no token when the melding is routed already.
    /// </summary>
    private async Task<(ChildFile File, RoutingDecision Decision, string? Token)> DecideAndClaimAsync(Zorgmelding melding, string pseudonym, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var file = await files.ReadAsync(pseudonym, cancellationToken);
            var leaseUntil = time.GetUtcNow() + SendLease;
            var stored = file.Find(melding.MeldingId);
            if (stored?.Decision is not { } decision)
            {
                decision = Decide(melding, file);
                var decided = MatchFinder.EntryFor(melding) with { Decision = decision };
                if (await files.TryAddDecidedAsync(file, decided, ConsentRecord.FromMelding(melding), leaseUntil, cancellationToken) is { } token)
                {
                    return (file, decision, token);
                }
            }
            else
            {
                // Decided before: by a run that finished (then it is in the instroom), failed, or is still sending.
                if (await instroom.FindAsync(melding.MeldingId, melding.ReceivedAt, cancellationToken) is not null)
                {
                    return (file, decision, null);
                }

                if (stored.Send?.LeaseUntil > time.GetUtcNow())
                {
                    throw new ClaimHeldException($"Sending melding {melding.MeldingId}");
                }

                if (await files.TryClaimSendAsync(file, melding.MeldingId, leaseUntil, cancellationToken) is { } token)
                {
                    return (file, decision, token);
                }
            }

            if (attempt == MaxAttempts)
            {
                throw new IOException($"The child's file kept changing while routing melding {melding.MeldingId}; the queue will retry it.");
            }
        }
    }

    private RoutingDecision Decide(Zorgmelding melding, ChildFile file) =>
        Router.Decide(melding, Document, ConsentsKnown(file, melding), MatchFinder.Find(melding, file.Meldingen, Document), time.GetUtcNow());

    /// <summary>The consent statements in the file, with the one the melding carries if the file does not hold it yet.</summary>
    private static IReadOnlyList<ConsentRecord> ConsentsKnown(ChildFile file, Zorgmelding melding) =>
        ConsentRecord.FromMelding(melding) is { } carried && file.Consents.All(c => c.ConsentId != carried.ConsentId)
            ? [.. file.Consents, carried]
            : file.Consents;

    /// <summary>The provider's decision, or a signal when parental consent for it no longer stands.</summary>
    private ProviderDecision StillPermitted(ProviderDecision provider, IReadOnlyList<ConsentRecord> consentNow) =>
        provider.ConsentBasis == ConsentBases.ParentalConsent
        && Document.FindProvider(provider.ProviderId) is { } known
        && ConsentRules.Deciding(consentNow, known) is not { Status: ConsentStatuses.Given }
            ? provider with { Kind = ReferralKinds.Signal, ConsentBasis = ConsentBases.None }
            : provider;

    private async Task SendAsync(Zorgmelding melding, ProviderDecision provider, RoutingDecision decision, CancellationToken cancellationToken)
    {
        if (provider.Kind != decision.Providers.First(p => p.ProviderId == provider.ProviderId).Kind)
        {
            await audit.AddEventAsync(melding.MeldingId, new AuditEvent($"content-withheld:{provider.ProviderId}", "content-withheld", time.GetUtcNow(),
                $"parental consent for {provider.ProviderId} no longer stands; {referralIds.For(melding.MeldingId, provider.ProviderId)} sent as a signal"), cancellationToken);
        }

        await inbox.SendAsync(ReferralMessage.Create(melding, provider, Document, decision.DecidedAt, referralIds, decision.Match), cancellationToken);
    }

    /// <summary>The melding as the instroom keeps it, with each referral as it was sent.</summary>
    private RoutedMelding Routed(Zorgmelding melding, RoutingDecision decision, IReadOnlyDictionary<string, string> sent) =>
        new(melding.MeldingId, melding.PartnerId, melding.Feed, melding.ReceivedAt, Document.Gemeente.Calendar().MonthOf(melding.ReceivedAt), melding.AgeYears, melding.Wijk, melding.Categories, melding.Urgency,
            melding.AcuteReason, decision.Match.Count > 0, time.GetUtcNow(),
            decision.Providers.Select(p => ReferralRecords.For(melding.MeldingId, p, sent[p.ProviderId], decision.DecidedAt, Document, referralIds)).ToArray());

    /// <summary>
    /// <c>melding.routed</c> for the partner that sent the melding: each provider with its referral id,
    /// the kind as sent and its first-contact promise. At the decision's time, like the referrals it
    /// names, so a retry enqueues the same notification under the same id.
    /// </summary>
    private OutboundNotification MeldingRoutedNotice(RoutedMelding routed, RoutingDecision decision)
    {
        var data = new MeldingRoutedData(
            routed.MeldingId,
            routed.Referrals.Select(r => new RoutedTo(r.ReferralId, new ProviderRef(r.ProviderId, Document.FindProvider(r.ProviderId)?.Name ?? r.ProviderId), r.Kind, r.RespondBefore)).ToArray(),
            routed.Matched);
        return new OutboundNotification(
            new NotificationRecipient("partner", routed.PartnerId),
            new NotificationEnvelope(
                NotificationTypes.MeldingRouted,
                NotificationIds.MeldingRouted(routed.MeldingId),
                decision.DecidedAt,
                JsonSerializer.SerializeToElement(data, HubJson.Default.MeldingRoutedData)));
    }

    /// <summary>
    /// Both referrers learn of each other: organisation and contact, never content. Routed at the same
    /// moment, both meldingen of a pair may find the match: the pair is claimed in the once-ledger, and
    /// the run that holds it tells both referrers and starts the match's follow-up. A run that finds it
    /// held by the other moves on: the holder's own queue message is retried if the holder fails, and
    /// takes the claim over once its lease has run out. The follow-up starts at the decision's time,
    /// which a retry reuses, so a repeated run starts the same follow-up (recording it again changes nothing).
    /// The match's id and deadline go in <c>match.found</c>, for the referrers' confirmations.
    /// </summary>
    private async Task NotifyMatchAsync(Zorgmelding melding, MatchedPartner matched, RoutingDecision decision, CancellationToken cancellationToken)
    {
        var pair = PairKey(melding.MeldingId, matched.MeldingId);

        var followUp = MatchFollowUp.Start(
            new MatchSide(melding.PartnerId, melding.MeldingId), new MatchSide(matched.PartnerId, matched.MeldingId), decision.DecidedAt, Document.MatchFollowUpDays);

        // Done or held by the other run: nothing to do here (see above).
        await ledger.DoOnceAsync(MatchLedgerScope, pair, time.GetUtcNow(), SendLease, async () =>
        {
            // Before the notifications: a referrer that confirms as soon as match.found arrives finds its follow-up,
            // and match.found names the deadline recorded first (a run of the other melding may have started it).
            var recorded = await followUps.StartAsync(followUp, cancellationToken);
            await NotifyBothAsync(melding, matched, recorded, cancellationToken);
            await audit.AddEventAsync(melding.MeldingId, new AuditEvent($"match-notified:{matched.MeldingId}", NotificationTypes.MatchFound, time.GetUtcNow(),
                $"match.found for {melding.PartnerId} and {matched.PartnerId} (melding {matched.MeldingId})"), cancellationToken);
        }, logger, cancellationToken);
    }

    private async Task NotifyBothAsync(Zorgmelding melding, MatchedPartner matched, MatchFollowUp followUp, CancellationToken cancellationToken)
    {
        var partner = new PartnerRef(melding.PartnerId, Document.FindPartner(melding.PartnerId)?.Name ?? melding.PartnerId);
        await notifications.EnqueueAsync(MatchFound(melding.PartnerId, melding.MeldingId, new PartnerRef(matched.PartnerId, matched.PartnerName), matched.Referrer, matched.MeldingId, followUp), cancellationToken);
        await notifications.EnqueueAsync(MatchFound(matched.PartnerId, matched.MeldingId, partner, melding.Referrer, melding.MeldingId, followUp), cancellationToken);
    }

    private static OutboundNotification MatchFound(string recipientPartner, string recipientMelding, PartnerRef other, Referrer otherReferrer, string otherMelding, MatchFollowUp followUp)
    {
        var at = followUp.FoundAt;
        var data = new MatchFoundData(recipientMelding, other, otherReferrer, followUp.MatchId, followUp.DueAt);
        return new OutboundNotification(
            new NotificationRecipient("partner", recipientPartner),
            new NotificationEnvelope(
                NotificationTypes.MatchFound,
                NotificationIds.MatchFound(recipientMelding, otherMelding),
                at,
                JsonSerializer.SerializeToElement(data, HubJson.Default.MatchFoundData)));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Routed melding {MeldingId} to {Providers}; matches: {MatchCount}")]
    private partial void LogRouted(string meldingId, string providers, int matchCount);
}
