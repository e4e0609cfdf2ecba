using System.Text.Json;
using FunctionsHub.Core.Audit;
using FunctionsHub.Core.Configuration;
using FunctionsHub.Core.Feedback;
using FunctionsHub.Core.Instroom;
using FunctionsHub.Core.Intake;
using FunctionsHub.Core.Notifications;
using FunctionsHub.Core.Once;
using FunctionsHub.Core.Routing;
using FunctionsHub.Core.Serialization;
using Microsoft.Extensions.Logging;

namespace FunctionsHub.Core.UseCases;

/// <summary>What became of a provider's status report.</summary>
public abstract record FeedbackOutcome
{
    private FeedbackOutcome() { }

    /// <summary>Applied now, or applied by an earlier delivery of the same report.</summary>
    public sealed record Accepted(string ReferralId, ReferralStatus Status) : FeedbackOutcome;

    /// <summary>Not shaped like a referral id, no such melding, or not in the instroom yet: one answer for all three.</summary>
    public sealed record UnknownReferral : FeedbackOutcome;

    /// <summary>The referral went to another provider.</summary>
    public sealed record NotYours : FeedbackOutcome;

    /// <summary>The report says the status happened before the referral was created.</summary>
    public sealed record OccurredBeforeReferral : FeedbackOutcome;

    /// <summary>This delivery (provider, webhook-id) came before with another body.</summary>
    public sealed record Conflict : FeedbackOutcome;

    /// <summary>Backwards, the same status again, or after an end; <paramref name="Current"/> is where the referral stands.</summary>
    public sealed record InvalidTransition(ReferralStatus Current) : FeedbackOutcome;
}

/// <summary>
/// A provider reports the status of one of its referrals: the referral's status in the instroom moves
/// forward by compare-and-set (<see cref="ReferralLifecycle"/> decides which moves are allowed), the
/// melding's audit trail records it, and the referrer that sent the melding is told on
/// <c>notifications-out</c>. Idempotent per delivery (provider, webhook-id), like consents. The note is
/// content: it is never stored, logged or audited, and is relayed only for a full referral.
/// </summary>
public sealed partial class ReferralFeedback(
    IHubDocumentSource documents,
    IMeldingStore meldingen,
    IInstroomLog instroom,
    IAuditTrail audit,
    INotificationOutbox notifications,
    IOnceLedger ledger,
    TimeProvider time,
    ILogger<ReferralFeedback> logger)
{
    /// <summary>The delivery (provider, webhook-id) → the keyed fingerprint of its body.</summary>
    public const string DeliveryScope = "status-delivery";

    /// <summary>The delivery → the status it moved the referral to, written once the move is stored.</summary>
    public const string AppliedScope = "status-applied";

    public const string AuditType = "referral.status";

    /// <summary>Reads of a referral whose status keeps changing under this report before it gives up.</summary>
    private const int MaxAttempts = 10;

    public async Task<FeedbackOutcome> ReportAsync(
        string providerId, string referralId, string deliveryId, StatusReport report, string bodyFingerprint, CancellationToken cancellationToken)
    {
        // Anything not shaped like a referral id cannot name one, and may hold characters a store rejects.
        if (Identifiers.MeldingIdOfReferral(referralId) is not { } meldingId
            || await meldingen.FindAsync(meldingId, cancellationToken) is not { } melding
            || await instroom.FindReferralAsync(referralId, melding.ReceivedAt, cancellationToken) is not { } stored)
        {
            return new FeedbackOutcome.UnknownReferral();
        }

        if (stored.Referral.ProviderId != providerId)
        {
            LogNotYours(providerId, referralId);
            return new FeedbackOutcome.NotYours();
        }

        // To the whole second: a provider that states times in whole seconds may report the second the referral was created in.
        if (report.OccurredAt < WholeSecond(stored.Referral.CreatedAt))
        {
            return new FeedbackOutcome.OccurredBeforeReferral();
        }

        // Recorded only now: a refusal above records nothing. The same body again is the same report, another body a conflict.
        var delivery = Identifiers.StatusDeliveryId(providerId, deliveryId);
        if (await ledger.RecordFirstAsync(DeliveryScope, delivery, bodyFingerprint, cancellationToken) != bodyFingerprint)
        {
            return new FeedbackOutcome.Conflict();
        }

        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var current = stored.Referral.Status;
            if (!ReferralLifecycle.CanMove(current, report.Status))
            {
                return await AppliedBeforeAsync(delivery, stored, report, cancellationToken)
                    ? await AcceptedAsync(melding, stored.Referral, report, cancellationToken)
                    : new FeedbackOutcome.InvalidTransition(current!.Value);
            }

            if (await instroom.TryMoveStatusAsync(stored, report.Status, report.OccurredAt, report.Reason, cancellationToken))
            {
                await ledger.RecordFirstAsync(AppliedScope, delivery, report.Status.Name(), cancellationToken);
                LogMoved(referralId, report.Status.Name(), providerId);
                return await AcceptedAsync(melding, stored.Referral, report, cancellationToken);
            }

            // Another report moved it since it was read: read it again and decide again.
            stored = await instroom.FindReferralAsync(referralId, melding.ReceivedAt, cancellationToken)
                ?? throw new InvalidOperationException($"Referral {referralId} disappeared from the instroom.");
        }

        throw new InvalidOperationException($"The status of referral {referralId} kept changing; gave up after {MaxAttempts} attempts.");
    }

    private static DateTimeOffset WholeSecond(DateTimeOffset at) => at.AddTicks(-(at.Ticks % TimeSpan.TicksPerSecond));

    /// <summary>
    /// Whether this delivery moved the referral before (and it has moved on since, or its run stopped
    /// before recording that it did): then the report is answered as accepted again, without a change.
    /// </summary>
    private async Task<bool> AppliedBeforeAsync(string delivery, StoredReferral stored, StatusReport report, CancellationToken cancellationToken)
    {
        // The referral holds exactly this report: its own write, whose run may have failed before recording it.
        if (stored.Referral.Status == report.Status && stored.Referral.StatusAt == report.OccurredAt)
        {
            return true;
        }

        // A refusal is for good (statuses only move forward), so recording it as the first value is safe.
        return await ledger.RecordFirstAsync(AppliedScope, delivery, "", cancellationToken) == report.Status.Name();
    }

    /// <summary>
    /// Records the move in the melding's audit trail and tells the referrer; again, under the same
    /// audit key and notification id, on a repeated delivery, whose first run may have stopped in between.
    /// </summary>
    private async Task<FeedbackOutcome> AcceptedAsync(MeldingRecord melding, ReferralRecord referral, StatusReport report, CancellationToken cancellationToken)
    {
        // Ids and codes only: never the note.
        var status = report.Status.Name();
        await audit.AddEventAsync(melding.MeldingId, new AuditEvent($"status:{referral.ReferralId}:{status}", AuditType, time.GetUtcNow(),
            $"{referral.ProviderId} reported {status}{(report.Reason is null ? "" : $" (reason {report.Reason})")} for {referral.ReferralId}"), cancellationToken);
        await notifications.EnqueueAsync(StatusChanged(melding, referral, report), cancellationToken);
        return new FeedbackOutcome.Accepted(referral.ReferralId, report.Status);
    }

    /// <summary>Reason and note only for a full referral: for a signal, the provider holds no content and the referrer learns the status alone.</summary>
    private OutboundNotification StatusChanged(MeldingRecord melding, ReferralRecord referral, StatusReport report)
    {
        var full = referral.Kind == ReferralKinds.Referral;
        var provider = new ProviderRef(referral.ProviderId, documents.Current.FindProvider(referral.ProviderId)?.Name ?? referral.ProviderId);
        var data = new ReferralStatusChangedData(
            melding.MeldingId, referral.ReferralId, provider, report.Status.Name(), report.OccurredAt, full ? report.Reason : null, full ? report.Note : null);
        return new OutboundNotification(
            new NotificationRecipient("partner", melding.PartnerId),
            new NotificationEnvelope(
                NotificationTypes.ReferralStatusChanged,
                NotificationIds.StatusChanged(referral.ReferralId, report.Status.Name()),
                report.OccurredAt,
                JsonSerializer.SerializeToElement(data, HubJson.Default.ReferralStatusChangedData)));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Referral {ReferralId} moved to {Status} by {ProviderId}")]
    private partial void LogMoved(string referralId, string status, string providerId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused a status from {ProviderId} for referral {ReferralId}: another provider's")]
    private partial void LogNotYours(string providerId, string referralId);
}
