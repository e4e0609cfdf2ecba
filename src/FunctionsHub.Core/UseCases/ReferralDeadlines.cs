using System.Text.Json;
using FunctionsHub.Core.Audit;
using FunctionsHub.Core.Configuration;
using FunctionsHub.Core.Instroom;
using FunctionsHub.Core.Notifications;
using FunctionsHub.Core.Once;
using FunctionsHub.Core.Routing;
using FunctionsHub.Core.Serialization;
using FunctionsHub.Core.Telemetry;
using Microsoft.Extensions.Logging;

namespace FunctionsHub.Core.UseCases;

/// <summary>What one fire of the deadlines timer did.</summary>
/// <param name="DueFrom">The watermark it read (or, on the first fire, the longest promise before now).</param>
/// <param name="Until">Its own now: referrals due before it were looked for.</param>
/// <param name="Notified">Referrals this fire told about.</param>
/// <param name="AlreadyDone">Referrals an earlier or concurrent fire had told about.</param>
/// <param name="Held">Referrals a concurrent fire was telling about (claimed under a live lease).</param>
/// <param name="Failed">Referrals whose notifications failed (their claims given back).</param>
/// <param name="Watermark">Where the watermark stands after this fire, as far as this fire moved it.</param>
public sealed record DeadlineFire(DateTimeOffset DueFrom, DateTimeOffset Until, int Notified, int AlreadyDone, int Held, int Failed, DateTimeOffset Watermark);

/// <summary>
/// The first-contact deadlines (timer <c>Hub:Schedules:Deadlines</c>): a referral whose provider has
/// not reported <c>contacted</c> (or a later or closing status) when its <c>respondBefore</c> passes
/// yields <c>referral.overdue</c> to the provider and to each of the gemeente's subscribers, exactly
/// once per referral however often, late or concurrently the timer fires.
/// <list type="bullet">
/// <item>Each fire reads the referrals that fell due in [watermark, now): the watermark is the instant
/// before which every due referral was handled, stored durably (<see cref="IWatermarks"/>), so a fire
/// that comes hours or days late still finds everything that fell due since the last one. The instroom
/// is read from the days of receipt such a referral can have (the longest promise and a day of routing
/// before the watermark), never the whole table.</item>
/// <item>Once per referral: each is claimed in the once-ledger (scope <see cref="LedgerScope"/>, key the
/// referral id); the holder enqueues the notifications, each with its deterministic id, and audits.</item>
/// <item>The watermark moves to now only when every due referral was handled (told now or before);
/// otherwise only up to the earliest one held by a concurrent fire or failed, so the next fire reads it
/// again. It never moves back.</item>
/// </list>
/// </summary>
public sealed partial class ReferralDeadlines(
    IHubDocumentSource documents,
    IInstroomLog instroom,
    IWatermarks watermarks,
    IOnceLedger ledger,
    INotificationOutbox notifications,
    IAuditTrail audit,
    TimeProvider time,
    ILogger<ReferralDeadlines> logger)
{
    public const string LedgerScope = "referral-overdue";

    /// <summary>The name of the deadlines' watermark.</summary>
    public const string WatermarkName = "deadlines";

    /// <summary>
    /// How long a fire holds a referral while it tells about it: far longer than a few enqueues take,
    /// far shorter than the schedule's interval, so the next fire takes over from a fire that died.
    /// </summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long before its decision (which starts the promise) a melding may have been received:
    /// routing takes seconds, a retried or replayed melding longer. One more day of partitions.
    /// </summary>
    public static readonly TimeSpan RoutingAllowance = TimeSpan.FromDays(1);

    public async Task<DeadlineFire> CheckAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var document = documents.Current;
        var longestPromise = TimeSpan.FromHours(document.Providers.Select(p => p.FirstContactHours).DefaultIfEmpty(0).Max());

        // The first fire (no watermark yet) looks back one longest promise: what fell due longer ago than
        // any provider's promise is not news any more (see docs/decisions.md, "Deadlines").
        var dueFrom = await watermarks.ReadAsync(WatermarkName, cancellationToken) ?? now - longestPromise;
        if (dueFrom >= now)
        {
            // A fire with a clock behind the one that advanced the watermark: nothing fell due in between.
            return new DeadlineFire(dueFrom, now, 0, 0, 0, 0, dueFrom);
        }

        var due = await instroom.DueAsync(dueFrom - longestPromise - RoutingAllowance, dueFrom, now, cancellationToken);
        var pass = await new DueWork(ledger, watermarks, time, logger, LedgerScope, WatermarkName, Lease).RunAsync(
            due, r => (r.ReferralId, r.RespondBefore), r => NotifyAsync(r, document, cancellationToken),
            (referralId, e) => LogFailed(referralId, e.GetType().Name), LogHeld, dueFrom, now, cancellationToken);

        LogFired(dueFrom, now, pass.Claimed, pass.AlreadyDone, pass.Held, pass.Failed, pass.Watermark);
        if (pass.FirstFailure is not null)
        {
            throw new IOException($"referral.overdue failed for {pass.Failed} referral(s); the next fire tries them again.", pass.FirstFailure);
        }

        return new DeadlineFire(dueFrom, now, pass.Claimed, pass.AlreadyDone, pass.Held, pass.Failed, pass.Watermark);
    }

    /// <summary>
    /// The claimed work for one referral: the provider and every subscriber told, each under an id of
    /// its own, and the melding's audit trail. Repeated after a crash before the claim was completed,
    /// under the same ids and audit key.
    /// </summary>
    private async Task NotifyAsync(ReferralRecord referral, HubDocument document, CancellationToken cancellationToken)
    {
        var provider = new ProviderRef(referral.ProviderId, document.FindProvider(referral.ProviderId)?.Name ?? referral.ProviderId);
        var data = JsonSerializer.SerializeToElement(
            new ReferralOverdueData(referral.ReferralId, referral.MeldingId, provider, referral.Kind, referral.CreatedAt, referral.RespondBefore),
            HubJson.Default.ReferralOverdueData);
        var subscribers = document.Gemeente.Subscribers;
        await notifications.EnqueueAsync(Overdue(new NotificationRecipient("provider", referral.ProviderId), referral, data), cancellationToken);
        foreach (var subscriber in subscribers)
        {
            await notifications.EnqueueAsync(Overdue(new NotificationRecipient("subscriber", subscriber.Id), referral, data), cancellationToken);
        }

        await audit.AddEventAsync(referral.MeldingId, new AuditEvent($"overdue:{referral.ReferralId}", NotificationTypes.ReferralOverdue, time.GetUtcNow(),
            $"{referral.ProviderId} had reported no contact for {referral.ReferralId} when it fell due; referral.overdue to {referral.ProviderId} and {subscribers.Count} subscriber(s)"), cancellationToken);
        HubTelemetry.ReferralOverdue(referral.ProviderId);
        LogOverdue(referral.ReferralId, referral.ProviderId, subscribers.Count);
    }

    /// <summary>The notification to one recipient: occurred when the promise passed, its id fixed by referral and recipient.</summary>
    private static OutboundNotification Overdue(NotificationRecipient recipient, ReferralRecord referral, JsonElement data) =>
        new(recipient, new NotificationEnvelope(
            NotificationTypes.ReferralOverdue,
            NotificationIds.ReferralOverdue(referral.ReferralId, recipient),
            referral.RespondBefore,
            data));

    [LoggerMessage(Level = LogLevel.Information, Message = "Referral {ReferralId} overdue: told {ProviderId} and {SubscriberCount} subscriber(s)")]
    private partial void LogOverdue(string referralId, string providerId, int subscriberCount);

    [LoggerMessage(Level = LogLevel.Information, Message = "Referral {ReferralId} is being told about by another fire; the watermark stays before it")]
    private partial void LogHeld(string referralId);

    [LoggerMessage(Level = LogLevel.Error, Message = "referral.overdue for {ReferralId} failed ({ExceptionType}); the next fire tries it again")]
    private partial void LogFailed(string referralId, string exceptionType);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Deadlines from {DueFrom:o} to {Until:o}: {Notified} told, {AlreadyDone} told before, {Held} held elsewhere, {Failed} failed; watermark {Watermark:o}")]
    private partial void LogFired(DateTimeOffset dueFrom, DateTimeOffset until, int notified, int alreadyDone, int held, int failed, DateTimeOffset watermark);
}
