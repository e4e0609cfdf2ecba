using FunctionsHub.Core.Audit;
using FunctionsHub.Core.Campaigns;
using FunctionsHub.Core.Consent;
using FunctionsHub.Core.DataRetention;
using FunctionsHub.Core.Digests;
using FunctionsHub.Core.Instroom;
using FunctionsHub.Core.Intake;
using FunctionsHub.Core.Matching;
using FunctionsHub.Core.Notifications;
using FunctionsHub.Core.Once;
using FunctionsHub.Core.Routing;
using FunctionsHub.Core.Tests.Support;
using FunctionsHub.Testing.Contracts;

namespace FunctionsHub.Core.Tests.Contracts;

/// <summary>The in-memory once-ledger the core tests use, held to the contract the table adapter meets.</summary>
public sealed class FakeOnceLedgerContractTests : OnceLedgerContract
{
    protected override IOnceLedger Ledger { get; } = new FaultyOnceLedger(new FaultPlan());
}

/// <summary>The in-memory watermarks the deadlines are tested with, held to the contract the table adapter meets.</summary>
public sealed class FakeWatermarksContractTests : WatermarksContract
{
    protected override IWatermarks Watermarks { get; } = new InMemoryWatermarks();
}

/// <summary>The in-memory child files routing and consent recording are tested with, held to the contract the table adapter meets.</summary>
public sealed class FakeChildFilesContractTests : ChildFilesContract
{
    protected override IChildFiles Files { get; } = new FaultyChildFiles(new FaultPlan());
}

/// <summary>The in-memory instroom routing, status, digest and deadlines are tested with, held to the contract the table adapter meets.</summary>
public sealed class FakeInstroomLogContractTests : InstroomLogContract
{
    protected override IInstroomLog Log { get; } = new FaultyInstroomLog(new FaultPlan());
}

/// <summary>The in-memory melding store the intake tests use, held to the contract the table adapter meets.</summary>
public sealed class FakeMeldingStoreContractTests : MeldingStoreContract
{
    protected override IMeldingStore Store { get; } = new InMemoryMeldingStore();
}

/// <summary>The in-memory audit trail routing and withdrawal notices are tested with, held to the contract the table adapter meets.</summary>
public sealed class FakeAuditTrailContractTests : AuditTrailContract
{
    protected override IAuditTrail Audit { get; } = new FaultyAuditTrail(new FaultPlan());
}

/// <summary>The in-memory digest store the digest tests use, held to the contract the table adapter meets.</summary>
public sealed class FakeDigestStoreContractTests : DigestStoreContract
{
    protected override IDigestStore Store { get; } = new InMemoryDigestStore();
}

/// <summary>The recorder of <c>meldingen-intake</c> the intake tests use, held to the contract the storage-queue adapter meets.</summary>
public sealed class FakeIntakeQueueContractTests : IntakeQueueContract
{
    private readonly RecordingIntakeQueue _queue = new();

    protected override Task PutAsync(Zorgmelding message) => _queue.EnqueueAsync(message, CancellationToken.None);

    protected override Task<IReadOnlyList<Zorgmelding>> ReadBackAsync(Zorgmelding sent) =>
        Task.FromResult<IReadOnlyList<Zorgmelding>>(_queue.Sent.Where(m => m.MeldingId == sent.MeldingId).ToArray());
}

/// <summary>The recorder of <c>notifications-out</c> routing is tested with, held to the contract the storage-queue adapter meets.</summary>
public sealed class FakeNotificationOutboxContractTests : NotificationOutboxContract
{
    private readonly FaultyOutbox _outbox = new(new FaultPlan());

    protected override Task PutAsync(OutboundNotification message) => _outbox.EnqueueAsync(message, CancellationToken.None);

    protected override Task<IReadOnlyList<OutboundNotification>> ReadBackAsync(OutboundNotification sent) =>
        Task.FromResult<IReadOnlyList<OutboundNotification>>(_outbox.Sent.Where(n => n.Notification.Id == sent.Notification.Id).ToArray());
}

/// <summary>The recorder of <c>consent-withdrawals</c> consent recording is tested with, held to the contract the storage-queue adapter meets.</summary>
public sealed class FakeConsentWithdrawalQueueContractTests : ConsentWithdrawalQueueContract
{
    private readonly FaultyWithdrawalQueue _queue = new(new FaultPlan());

    protected override Task PutAsync(ConsentWithdrawal message) => _queue.EnqueueAsync(message, CancellationToken.None);

    protected override Task<IReadOnlyList<ConsentWithdrawal>> ReadBackAsync(ConsentWithdrawal sent) =>
        Task.FromResult<IReadOnlyList<ConsentWithdrawal>>(_queue.Queued.Where(w => w.ConsentId == sent.ConsentId).ToArray());
}

/// <summary>The recording inbox the withdrawal tests use, held to the contract the storage-queue inbox meets.</summary>
public sealed class FakeProviderInboxNoticeContractTests : ProviderInboxNoticeContract
{
    private readonly FaultyInbox _inbox = new(new FaultPlan());

    protected override Task PutAsync(ConsentWithdrawnMessage message) => _inbox.SendAsync(message, CancellationToken.None);

    protected override Task<IReadOnlyList<ConsentWithdrawnMessage>> ReadBackAsync(ConsentWithdrawnMessage sent) =>
        Task.FromResult<IReadOnlyList<ConsentWithdrawnMessage>>(_inbox.Notices.Where(n => n.NoticeId == sent.NoticeId).ToArray());
}

public sealed class FakeReferrerDirectoryContractTests : ReferrerDirectoryContract
{
    protected override IReferrerDirectory Directory { get; } = new InMemoryReferrerDirectory();
}

public sealed class FakeCampaignSendsContractTests : CampaignSendsContract
{
    protected override ICampaignSends Sends { get; } = new InMemoryCampaignSends();
}

/// <summary>The in-memory match follow-ups routing and the follow-up timer are tested with, held to the contract the table adapter meets.</summary>
public sealed class FakeMatchFollowUpsContractTests : MatchFollowUpsContract
{
    protected override IMatchFollowUps FollowUps { get; } = new InMemoryMatchFollowUps();
}

/// <summary>The in-memory retention index intake and the purge are tested with, held to the contract the table adapter meets.</summary>
public sealed class FakeRetentionIndexContractTests : RetentionIndexContract
{
    protected override IRetentionIndex Index { get; } = new InMemoryRetentionIndex();
}
