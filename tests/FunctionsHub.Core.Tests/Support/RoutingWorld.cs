using System.Collections.Concurrent;
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
using FunctionsHub.Core.UseCases;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace FunctionsHub.Core.Tests.Support;

/// <summary>
/// Every port routing uses, in memory, behind one fault plan: each operation passes a fault point
/// before and after doing its work, and the plan can make point k throw, like a storage or
/// messaging failure at that moment.
/// </summary>
public sealed class RoutingWorld
{
    /// <summary>When the queue delivers a failed message again: host.json <c>queues.visibilityTimeout</c>.</summary>
    public static readonly TimeSpan QueueRetryDelay = TimeSpan.FromSeconds(30);

    public static readonly byte[] Key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    /// <param name="start">The clock's start (default: a minute after <see cref="TestMeldingen.ReportedAt"/>); a fake clock only moves forward.</param>
    public RoutingWorld(HubDocument? document = null, DateTimeOffset? start = null)
    {
        Time = new FakeTimeProvider(start ?? TestMeldingen.ReportedAt.AddMinutes(1));
        Document = document ?? TestHub.Demo();
        Pseudonyms = new ChildPseudonym(Key);
        ReferralIds = new ReferralIds(Key);
        Files = new FaultyChildFiles(Faults);
        Audit = new FaultyAuditTrail(Faults);
        Instroom = new FaultyInstroomLog(Faults);
        Inbox = new FaultyInbox(Faults);
        Outbox = new FaultyOutbox(Faults);
        Meldingen = new FaultyMeldingStore(Faults);
        Ledger = new FaultyOnceLedger(Faults);
        Withdrawals = new FaultyWithdrawalQueue(Faults);
        Referrers = new InMemoryReferrerDirectory(Faults);
        FollowUps = new InMemoryMatchFollowUps(Faults);
        Retention = new InMemoryRetentionIndex(Faults);
    }

    public FaultPlan Faults { get; } = new();
    public FakeTimeProvider Time { get; }
    public HubDocument Document { get; }
    public ChildPseudonym Pseudonyms { get; }
    public ReferralIds ReferralIds { get; }
    public FaultyChildFiles Files { get; }
    public FaultyAuditTrail Audit { get; }
    public FaultyInstroomLog Instroom { get; }
    public FaultyInbox Inbox { get; }
    public FaultyOutbox Outbox { get; }
    public FaultyMeldingStore Meldingen { get; }
    public FaultyOnceLedger Ledger { get; }
    public FaultyWithdrawalQueue Withdrawals { get; }
    public InMemoryWatermarks Watermarks { get; } = new();
    public InMemoryReferrerDirectory Referrers { get; }
    public InMemoryMatchFollowUps FollowUps { get; }
    public InMemoryCampaignSends CampaignSends { get; } = new();
    public InMemoryRetentionIndex Retention { get; }
    public InMemoryDeliveryRecords Deliveries { get; } = new();
    public RecordingIntakeQueue IntakeQueue { get; } = new();
    public ReferrerKeys ReferrerKeys { get; } = new(Enumerable.Range(7, 32).Select(i => (byte)i).ToArray());

    /// <summary>The document as the use cases read it.</summary>
    public IHubDocumentSource Documents => new FixedHubDocument(Document);

    public MeldingRouting Routing(IChildFiles? files = null, IProviderInbox? inbox = null, IHubDocumentSource? documents = null) =>
        new(documents ?? Documents, Pseudonyms, files ?? Files, Audit, Instroom, inbox ?? Inbox, Outbox, Ledger, FollowUps, ReferralIds, Referrers, ReferrerKeys, Time, NullLogger<MeldingRouting>.Instance);

    /// <summary>The campaign timer's use case; mail through <paramref name="mail"/> (none: webhooks only).</summary>
    public CampaignSending Campaigns(IMailSender? mail) =>
        new(Documents, Referrers, ReferrerKeys, Ledger, Outbox, CampaignSends,
            mail is null ? CampaignMailing.Disabled : new CampaignMailing(mail, new CampaignLinks(new Uri("https://hub.voorbeeldstad.example/"))),
            Time, NullLogger<CampaignSending>.Instance);

    /// <summary>The silent-partner reminder of the campaign timer.</summary>
    public SilentPartnerReminders SilentPartners() => new(Documents, Referrers, Ledger, Outbox, Time, NullLogger<SilentPartnerReminders>.Instance);

    public MeldingIntake Intake() => new(Meldingen, IntakeQueue, Instroom, Retention, Documents, Pseudonyms);

    public RetentionPurge Purge(INotificationOutbox? outbox = null) =>
        new(Documents, Retention, Meldingen, Instroom, Files, Audit, Ledger, Deliveries, FollowUps, Referrers, outbox ?? Outbox, ReferralIds, Time, NullLogger<RetentionPurge>.Instance);

    public ConsentRecording Recording() => new(Pseudonyms, Files, Withdrawals, Ledger, Time, NullLogger<ConsentRecording>.Instance);

    public ReferralFeedback Feedback(IInstroomLog? instroom = null) =>
        new(Documents, Meldingen, instroom ?? Instroom, Audit, Outbox, Ledger, Time, NullLogger<ReferralFeedback>.Instance);

    public ReferralDeadlines Deadlines(INotificationOutbox? outbox = null) =>
        new(Documents, Instroom, Watermarks, Ledger, outbox ?? Outbox, Audit, Time, NullLogger<ReferralDeadlines>.Instance);

    /// <summary>The match follow-up: referrers' confirmations and the deadlines timer's part.</summary>
    public MatchFollowUps MatchFollowUps(INotificationOutbox? outbox = null, IOnceLedger? ledger = null) =>
        new(Documents, FollowUps, Watermarks, ledger ?? Ledger, outbox ?? Outbox, Audit, Time, NullLogger<MatchFollowUps>.Instance);

    public ConsentWithdrawalNotices Notices(IProviderInbox? inbox = null) => new(Documents, Files, Audit, inbox ?? Inbox, Ledger, ReferralIds, Time, NullLogger<ConsentWithdrawalNotices>.Instance);

    /// <summary>The consent statements about the child with this BSN, as stored (read without passing a fault point).</summary>
    public IReadOnlyList<ConsentRecord> ConsentsAbout(string bsn) => Files.Peek(Pseudonyms.Of(bsn)).Consents;

    /// <summary>The melding as the instroom has it once routed, or null (read without passing a fault point).</summary>
    public RoutedMelding? RoutedOrNull(string meldingId) => Instroom.Peek(meldingId);

    /// <summary>Runs the queue function for every withdrawal enqueued so far (as the queue would, once each), and forgets them.</summary>
    public async Task NotifyWithdrawalsAsync()
    {
        while (Withdrawals.TryTake(out var withdrawal))
        {
            await Notices().NotifyAsync(withdrawal, CancellationToken.None);
        }
    }

    /// <summary>Stores the melding's record as intake would (the status and audit read it).</summary>
    public async Task<Zorgmelding> AcceptedAsync(Zorgmelding melding)
    {
        using var _ = Faults.Suspended();
        await Meldingen.TryAddAsync(MeldingRecord.From(melding, "fingerprint", Pseudonyms.Of(melding.Child.Bsn)), CancellationToken.None);
        return melding;
    }
}

public sealed class FaultPlan
{
    private int _count;
    private int _operations;
    private int _suspensions;

    /// <summary>The fault point that throws (1-based); 0 for none.</summary>
    public int FailAt { get; set; }

    /// <summary>The name of a fault point whose next passing throws (once); null for none.</summary>
    public string? FailAtPoint { get; set; }

    public int Count => _count;

    /// <summary>Storage and messaging operations so far: every fault point but the "after" ones.</summary>
    public int Operations => _operations;

    public void Point(string where)
    {
        if (_suspensions > 0)
        {
            return;
        }

        if (!where.EndsWith(":after", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _operations);
        }

        if (FailAtPoint == where)
        {
            FailAtPoint = null;
            throw new IOException($"Injected failure at {where}.");
        }

        if (Interlocked.Increment(ref _count) == FailAt)
        {
            throw new IOException($"Injected failure at fault point {FailAt} ({where}).");
        }
    }

    /// <summary>No fault points are counted or thrown until the result is disposed (nests).</summary>
    public IDisposable Suspended()
    {
        Interlocked.Increment(ref _suspensions);
        return new Resume(this);
    }

    private sealed class Resume(FaultPlan plan) : IDisposable
    {
        public void Dispose() => Interlocked.Decrement(ref plan._suspensions);
    }
}

/// <summary>
/// The child's file as the table keeps it: one version per file, moved on by every decision, claim,
/// release and consent written; a decision or claim is stored only if the file is still at the version read.
/// </summary>
public sealed class FaultyChildFiles(FaultPlan faults) : IChildFiles
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (int Version, Dictionary<string, ConsentRecord> Consents, Dictionary<string, ChildMelding> Meldingen)> _files = [];

    public Task<ChildFile> ReadAsync(string childPseudonym, CancellationToken cancellationToken)
    {
        faults.Point("files.read");
        return Task.FromResult(Peek(childPseudonym));
    }

    /// <summary>The file as stored, without passing a fault point.</summary>
    public ChildFile Peek(string childPseudonym)
    {
        lock (_lock)
        {
            return _files.TryGetValue(childPseudonym, out var file)
                ? new ChildFile(childPseudonym, file.Version.ToString(), file.Consents.Values.ToArray(), file.Meldingen.Values.ToArray())
                : ChildFile.Empty(childPseudonym);
        }
    }

    public Task<string?> TryAddDecidedAsync(ChildFile file, ChildMelding decided, ConsentRecord? carried, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        faults.Point("files.decide:before");
        var token = Guid.NewGuid().ToString("N");
        var added = Change(file, stored =>
        {
            if (stored.Meldingen.ContainsKey(decided.MeldingId))
            {
                return false;
            }

            stored.Meldingen[decided.MeldingId] = decided with { Send = new SendState(leaseUntil, new Dictionary<string, string>(), token) };
            if (carried is not null)
            {
                stored.Consents[carried.ConsentId] = carried;
            }

            return true;
        });
        faults.Point("files.decide:after");
        return Task.FromResult(added ? token : null);
    }

    public Task<string?> TryClaimSendAsync(ChildFile file, string meldingId, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        faults.Point("files.claim:before");
        var token = Guid.NewGuid().ToString("N");
        var claimed = Change(file, stored =>
        {
            // As the table: a melding not in the file (purged since) is no claim.
            if (!stored.Meldingen.TryGetValue(meldingId, out var melding))
            {
                return false;
            }

            stored.Meldingen[meldingId] = melding with { Send = new SendState(leaseUntil, melding.Send?.Sent ?? new Dictionary<string, string>(), token) };
            return true;
        });
        faults.Point("files.claim:after");
        return Task.FromResult(claimed ? token : null);
    }

    public Task ReleaseSendAsync(string childPseudonym, string meldingId, string token, IReadOnlyDictionary<string, string> sent, CancellationToken cancellationToken)
    {
        faults.Point("files.release");
        lock (_lock)
        {
            var file = _files[childPseudonym];
            if (file.Meldingen[meldingId].Send?.Token == token)
            {
                // As the table does: the version moves on, so a claim on a file read before the release fails.
                file.Meldingen[meldingId] = file.Meldingen[meldingId] with { Send = new SendState(null, new Dictionary<string, string>(sent), token) };
                _files[childPseudonym] = file with { Version = file.Version + 1 };
            }
        }

        return Task.CompletedTask;
    }

    public Task AddConsentAsync(string childPseudonym, ConsentRecord record, CancellationToken cancellationToken)
    {
        faults.Point("consent.record:before");
        lock (_lock)
        {
            var file = _files.GetValueOrDefault(childPseudonym, (0, [], []));
            file.Consents[record.ConsentId] = record;
            _files[childPseudonym] = file with { Version = file.Version + 1 };
        }

        faults.Point("consent.record:after");
        return Task.CompletedTask;
    }

    public Task<bool> TryRemoveAsync(ChildFile file, string? meldingId, bool wholeFile, CancellationToken cancellationToken)
    {
        faults.Point("files.remove:before");
        bool removed;
        lock (_lock)
        {
            var stored = _files.GetValueOrDefault(file.ChildPseudonym, (0, [], []));
            removed = (stored.Version == 0 ? null : stored.Version.ToString()) == file.Version;
            if (removed && wholeFile)
            {
                _files.Remove(file.ChildPseudonym);
            }
            else if (removed && stored.Version > 0)
            {
                if (meldingId is not null)
                {
                    stored.Meldingen.Remove(meldingId);
                    foreach (var other in stored.Meldingen.Values.Where(m => m.Decision is not null).ToArray())
                    {
                        stored.Meldingen[other.MeldingId] = other with { Decision = other.Decision!.WithoutMatchOf(meldingId) };
                    }
                }

                _files[file.ChildPseudonym] = stored with { Version = stored.Version + 1 };
            }
        }

        faults.Point("files.remove:after");
        return Task.FromResult(removed);
    }

    /// <summary>The pseudonyms of every child with a file (read without passing a fault point).</summary>
    public IReadOnlyCollection<string> Children
    {
        get
        {
            lock (_lock)
            {
                return _files.Keys.ToArray();
            }
        }
    }

    /// <summary>Applies <paramref name="change"/> and moves the version on, if the file is still at the version read and the change applies.</summary>
    private bool Change(ChildFile read, Func<(int Version, Dictionary<string, ConsentRecord> Consents, Dictionary<string, ChildMelding> Meldingen), bool> change)
    {
        lock (_lock)
        {
            var stored = _files.GetValueOrDefault(read.ChildPseudonym, (0, [], []));
            if ((stored.Version == 0 ? null : stored.Version.ToString()) != read.Version || !change(stored))
            {
                return false;
            }

            _files[read.ChildPseudonym] = stored with { Version = stored.Version + 1 };
            return true;
        }
    }
}

public sealed class FaultyAuditTrail(FaultPlan faults) : IAuditTrail
{
    private readonly ConcurrentDictionary<(string Melding, string Key), AuditEvent> _events = new();

    public Task<IReadOnlyList<AuditEvent>> EventsAsync(string meldingId, CancellationToken cancellationToken)
    {
        faults.Point("audit.read");
        // As the table reads them: in the order they happened, not in the order of their keys.
        return Task.FromResult<IReadOnlyList<AuditEvent>>(_events.Where(e => e.Key.Melding == meldingId).Select(e => e.Value).OrderBy(e => e.At).ToArray());
    }

    public Task AddEventAsync(string meldingId, AuditEvent auditEvent, CancellationToken cancellationToken)
    {
        faults.Point("audit.event:before");
        _events[(meldingId, auditEvent.Key)] = auditEvent;
        faults.Point("audit.event:after");
        return Task.CompletedTask;
    }

    public Task TombstoneAsync(string meldingId, AuditEvent tombstone, CancellationToken cancellationToken)
    {
        faults.Point("audit.tombstone:before");
        _events[(meldingId, tombstone.Key)] = tombstone;
        faults.Point("audit.tombstone:written");
        foreach (var key in _events.Keys.Where(k => k.Melding == meldingId && k.Key != tombstone.Key))
        {
            _events.TryRemove(key, out _);
        }

        return Task.CompletedTask;
    }

    /// <summary>Every melding id (or other partition) the trail holds events under (read without passing a fault point).</summary>
    public IReadOnlyCollection<string> Partitions => _events.Keys.Select(k => k.Melding).Distinct().ToArray();

    /// <summary>Whether the melding's trail holds an event under this key (read without passing a fault point).</summary>
    public bool Has(string meldingId, string key) => _events.ContainsKey((meldingId, key));
}

/// <summary>
/// The instroom as the table keeps it, by the UTC day of receipt: recorded once (a second record
/// changes nothing), a melding's referrals under one version (the melding's) their statuses are moved
/// from by compare-and-set.
/// </summary>
public sealed class FaultyInstroomLog(FaultPlan faults) : IInstroomLog
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, RoutedMelding> _routed = [];
    private readonly Dictionary<string, ReferralRecord> _referrals = [];
    private readonly Dictionary<string, int> _versions = [];
    private readonly List<RoutedMelding> _removed = [];

    public IReadOnlyCollection<RoutedMelding> Routed
    {
        get
        {
            lock (_lock)
            {
                return _routed.Keys.Select(id => Peek(id)!).ToArray();
            }
        }
    }

    /// <summary>The routed melding with its referrals as they stand, without passing a fault point.</summary>
    public RoutedMelding? Peek(string meldingId)
    {
        lock (_lock)
        {
            return _routed.TryGetValue(meldingId, out var routed)
                ? routed with { Referrals = routed.Referrals.Select(r => _referrals[r.ReferralId]).ToArray() }
                : null;
        }
    }

    public Task RecordAsync(RoutedMelding routed, CancellationToken cancellationToken)
    {
        faults.Point("instroom:before");
        lock (_lock)
        {
            if (_routed.TryAdd(routed.MeldingId, routed))
            {
                _versions[routed.MeldingId] = 1;
                foreach (var referral in routed.Referrals)
                {
                    _referrals[referral.ReferralId] = referral;
                }
            }
        }

        faults.Point("instroom:after");
        return Task.CompletedTask;
    }

    public Task<RoutedMelding?> FindAsync(string meldingId, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        faults.Point("instroom.read");
        var routed = Peek(meldingId);
        return Task.FromResult(routed is not null && SameDay(routed.ReceivedAt, receivedAt) ? routed : null);
    }

    public Task<StoredReferral?> FindReferralAsync(string referralId, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        faults.Point("instroom.referral");
        lock (_lock)
        {
            return Task.FromResult(
                _referrals.TryGetValue(referralId, out var stored) && SameDay(_routed[stored.MeldingId].ReceivedAt, receivedAt)
                    ? new StoredReferral(stored, receivedAt, _routed[stored.MeldingId].Month, _versions[stored.MeldingId].ToString(),
                        _routed[stored.MeldingId].Referrals.Select(r => _referrals[r.ReferralId]).ToArray())
                    : null);
        }
    }

    public Task<bool> TryMoveStatusAsync(StoredReferral stored, ReferralStatus to, DateTimeOffset at, string? reason, CancellationToken cancellationToken)
    {
        faults.Point("instroom.status:before");
        bool moved;
        lock (_lock)
        {
            var meldingId = stored.Referral.MeldingId;
            moved = _versions[meldingId].ToString() == stored.Version;
            if (moved)
            {
                _referrals[stored.Referral.ReferralId] = _referrals[stored.Referral.ReferralId].MovedTo(to, at, reason);
                _versions[meldingId]++;
            }
        }

        faults.Point("instroom.status:after");
        return Task.FromResult(moved);
    }

    /// <summary>How many times the month read was asked for, so a test can see that stored months are not read again.</summary>
    public int MonthReads { get; private set; }

    public Task<IReadOnlyList<RoutedMelding>> ReceivedAsync(DateTimeOffset from, DateTimeOffset until, CancellationToken cancellationToken)
    {
        faults.Point("instroom.received");
        lock (_lock)
        {
            MonthReads++;
        }

        return Task.FromResult<IReadOnlyList<RoutedMelding>>(Routed
            .Where(r => r.ReceivedAt >= from && r.ReceivedAt < until)
            .OrderBy(r => r.ReceivedAt)
            .ThenBy(r => r.MeldingId, StringComparer.Ordinal)
            .ToArray());
    }

    public Task<RoutedMelding?> RetractAsync(string meldingId, DateTimeOffset receivedAt, string reason, DateTimeOffset at, CancellationToken cancellationToken)
    {
        faults.Point("instroom.retract:before");
        RoutedMelding? retracted;
        lock (_lock)
        {
            var current = Peek(meldingId);
            retracted = current is null || !SameDay(current.ReceivedAt, receivedAt) ? null
                : current.Retraction is not null ? current
                : current.RetractedAt(at, reason);
            if (current is not null && retracted is not null && current.Retraction is null)
            {
                _routed[meldingId] = _routed[meldingId] with { Retraction = retracted.Retraction };
                foreach (var referral in retracted.Referrals)
                {
                    _referrals[referral.ReferralId] = referral;
                }

                _versions[meldingId]++;
            }
        }

        faults.Point("instroom.retract:after");
        return Task.FromResult(retracted);
    }

    /// <summary>The tally as <see cref="MonthTally"/> defines it: of the month's meldingen as they stand (what the table adapter's rows must add up to).</summary>
    public Task<MonthTally> TallyAsync(string month, DateTimeOffset from, DateTimeOffset until, CancellationToken cancellationToken)
    {
        faults.Point("instroom.tally");
        lock (_lock)
        {
            MonthReads++;
        }

        RoutedMelding[] removed;
        lock (_lock)
        {
            removed = [.. _removed];
        }

        // As the table's tally rows: a melding removed by the purge is still counted, as it stood then.
        return Task.FromResult(MonthTally.Of(Routed.Concat(removed).Where(r => r.Month == month)));
    }

    public Task RemoveAsync(string meldingId, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        faults.Point("instroom.remove");
        lock (_lock)
        {
            if (Peek(meldingId) is { } routed && SameDay(routed.ReceivedAt, receivedAt))
            {
                _removed.Add(routed);
                _routed.Remove(meldingId);
                _versions.Remove(meldingId);
                foreach (var referral in routed.Referrals)
                {
                    _referrals.Remove(referral.ReferralId);
                }
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ReferralRecord>> DueAsync(DateTimeOffset receivedFrom, DateTimeOffset dueFrom, DateTimeOffset dueBefore, CancellationToken cancellationToken)
    {
        faults.Point("instroom.due");
        return Task.FromResult<IReadOnlyList<ReferralRecord>>(Routed
            .Where(r => r.ReceivedAt.UtcDateTime.Date >= receivedFrom.UtcDateTime.Date && r.ReceivedAt.UtcDateTime.Date <= dueBefore.UtcDateTime.Date)
            .SelectMany(r => r.Referrals)
            .Where(r => r.RespondBefore >= dueFrom && r.RespondBefore < dueBefore && r.AwaitsContact)
            .ToArray());
    }

    private static bool SameDay(DateTimeOffset a, DateTimeOffset b) => a.UtcDateTime.Date == b.UtcDateTime.Date;
}

/// <summary>
/// Claims with a lease, as <c>TableClaims</c> keeps them on a row: an insert claims; done is done; a
/// live lease holds; a released or expired claim is taken by compare-and-set on a version (the ETag).
/// </summary>
public sealed class InMemoryClaims<TKey>
    where TKey : notnull
{
    public enum Stage
    {
        Claimed,
        Done,
        Released,
    }

    private readonly Dictionary<TKey, (Stage Stage, DateTimeOffset LeaseUntil, int Version)> _claims = [];
    private readonly Lock _lock = new();

    public OnceClaim Claim(TKey key, DateTimeOffset now, TimeSpan lease)
    {
        lock (_lock)
        {
            _claims.TryGetValue(key, out var stored);
            if (stored.Version > 0 && (stored.Stage == Stage.Done || (stored.Stage == Stage.Claimed && stored.LeaseUntil > now)))
            {
                return new OnceClaim(stored.Stage == Stage.Done ? ClaimState.Done : ClaimState.Held);
            }

            _claims[key] = (Stage.Claimed, now + lease, stored.Version + 1);
            return new OnceClaim(ClaimState.Claimed, (stored.Version + 1).ToString());
        }
    }

    public void Complete(TKey key) => Set(key, Stage.Done, token: null);

    public IReadOnlyCollection<TKey> Keys
    {
        get
        {
            lock (_lock)
            {
                return _claims.Keys.ToArray();
            }
        }
    }

    public void Forget(TKey key)
    {
        lock (_lock)
        {
            _claims.Remove(key);
        }
    }

    public void Release(TKey key, string token) => Set(key, Stage.Released, token);

    public Stage? StageOf(TKey key)
    {
        lock (_lock)
        {
            return _claims.TryGetValue(key, out var stored) ? stored.Stage : null;
        }
    }

    private void Set(TKey key, Stage stage, string? token)
    {
        lock (_lock)
        {
            var stored = _claims.GetValueOrDefault(key);
            if (token is null || stored.Version.ToString() == token)
            {
                _claims[key] = (stage, default, stored.Version + 1);
            }
        }
    }
}

/// <summary>The once-ledger as the table keeps it.</summary>
public sealed class FaultyOnceLedger(FaultPlan faults) : IOnceLedger
{
    private readonly InMemoryClaims<(string Scope, string Key)> _claims = new();
    private readonly ConcurrentDictionary<(string Scope, string Key), string> _values = new();

    public Task<OnceClaim> TryClaimAsync(string scope, string key, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        faults.Point("once.claim:before");
        var claim = _claims.Claim((scope, key), now, lease);
        faults.Point("once.claim:after");
        return Task.FromResult(claim);
    }

    public Task<string> RecordFirstAsync(string scope, string key, string value, CancellationToken cancellationToken)
    {
        faults.Point("once.record:before");
        var first = _values.GetOrAdd((scope, key), value);
        _claims.Complete((scope, key));
        faults.Point("once.record:after");
        return Task.FromResult(first);
    }

    /// <summary>Whether a value is recorded under (scope, key) (read without passing a fault point).</summary>
    public bool HasRecord(string scope, string key) => _values.ContainsKey((scope, key));

    /// <summary>Every value recorded first-writer-wins so far.</summary>
    public IReadOnlyCollection<string> RecordedValues => _values.Values.ToArray();

    public Task CompleteAsync(string scope, string key, CancellationToken cancellationToken)
    {
        faults.Point("once.done:before");
        _claims.Complete((scope, key));
        faults.Point("once.done:after");
        return Task.CompletedTask;
    }

    public Task ReleaseAsync(string scope, string key, string token, CancellationToken cancellationToken)
    {
        faults.Point("once.release");
        _claims.Release((scope, key), token);
        return Task.CompletedTask;
    }

    public Task ForgetAsync(string scope, string key, CancellationToken cancellationToken)
    {
        faults.Point("once.forget");
        _claims.Forget((scope, key));
        _values.TryRemove((scope, key), out _);
        return Task.CompletedTask;
    }

    /// <summary>Every (scope, key) anything is kept under: claims in any stage and values (read without passing a fault point).</summary>
    public IReadOnlyCollection<(string Scope, string Key)> Keys => _claims.Keys.Concat(_values.Keys).Distinct().ToArray();

    /// <summary>Whether anything is kept under (scope, key): a claim in any stage, or a value (read without passing a fault point).</summary>
    public bool Holds(string scope, string key) => _claims.StageOf((scope, key)) is not null || _values.ContainsKey((scope, key));
}

/// <summary>Remembers what was put on <c>consent-withdrawals</c>.</summary>
public sealed class FaultyWithdrawalQueue(FaultPlan faults) : IConsentWithdrawalQueue
{
    private readonly ConcurrentQueue<ConsentWithdrawal> _queued = new();

    public IReadOnlyCollection<ConsentWithdrawal> Queued => _queued.ToArray();

    public Task EnqueueAsync(ConsentWithdrawal withdrawal, CancellationToken cancellationToken)
    {
        faults.Point("withdrawals:before");
        _queued.Enqueue(withdrawal);
        faults.Point("withdrawals:after");
        return Task.CompletedTask;
    }

    public bool TryTake(out ConsentWithdrawal withdrawal) => _queued.TryDequeue(out withdrawal!);
}

public sealed class FaultyInbox(FaultPlan faults) : IProviderInbox
{
    private readonly ConcurrentQueue<ReferralMessage> _referrals = new();
    private readonly ConcurrentQueue<ConsentWithdrawnMessage> _notices = new();
    private readonly ConcurrentQueue<ReferralRetractedMessage> _retractions = new();

    public IReadOnlyCollection<ReferralMessage> Referrals => _referrals.ToArray();

    public IReadOnlyCollection<ConsentWithdrawnMessage> Notices => _notices.ToArray();

    public IReadOnlyCollection<ReferralRetractedMessage> Retractions => _retractions.ToArray();

    public Task SendAsync(ReferralMessage referral, CancellationToken cancellationToken)
    {
        faults.Point("inbox.referral:before");
        _referrals.Enqueue(referral);
        faults.Point("inbox.referral:after");
        return Task.CompletedTask;
    }

    public Task SendAsync(ConsentWithdrawnMessage notice, CancellationToken cancellationToken)
    {
        faults.Point("inbox.notice:before");
        _notices.Enqueue(notice);
        faults.Point("inbox.notice:after");
        return Task.CompletedTask;
    }

    public Task SendAsync(ReferralRetractedMessage notice, CancellationToken cancellationToken)
    {
        faults.Point("inbox.retracted:before");
        _retractions.Enqueue(notice);
        faults.Point("inbox.retracted:after");
        return Task.CompletedTask;
    }
}

public sealed class FaultyOutbox(FaultPlan faults) : INotificationOutbox
{
    private readonly ConcurrentQueue<OutboundNotification> _sent = new();

    public IReadOnlyCollection<OutboundNotification> Sent => _sent.ToArray();

    /// <summary>The notifications of one type so far, in the order they were put on the queue.</summary>
    public IReadOnlyList<OutboundNotification> SentOfType(string type) => _sent.Where(n => n.Notification.Type == type).ToArray();

    public Task EnqueueAsync(OutboundNotification notification, CancellationToken cancellationToken)
    {
        faults.Point("outbox:before");
        _sent.Enqueue(notification);
        faults.Point("outbox:after");
        return Task.CompletedTask;
    }
}

public sealed class FaultyMeldingStore(FaultPlan faults) : IMeldingStore
{
    private readonly InMemoryMeldingStore _inner = new();

    public IReadOnlyCollection<MeldingRecord> Records => _inner.Records;

    public async Task<MeldingRecord?> TryAddAsync(MeldingRecord record, CancellationToken cancellationToken)
    {
        faults.Point("meldingen.add:before");
        var existing = await _inner.TryAddAsync(record, cancellationToken);
        faults.Point("meldingen.add:after");
        return existing;
    }

    public Task<MeldingRecord?> FindAsync(string meldingId, CancellationToken cancellationToken)
    {
        faults.Point("meldingen.read");
        return _inner.FindAsync(meldingId, cancellationToken);
    }

    public Task RemoveAsync(string meldingId, CancellationToken cancellationToken)
    {
        faults.Point("meldingen.remove");
        return _inner.RemoveAsync(meldingId, cancellationToken);
    }
}

/// <summary>A child-file store that passes every call to another; tests override the one call whose timing they arrange.</summary>
public class DelegatingChildFiles(IChildFiles inner) : IChildFiles
{
    public virtual Task<ChildFile> ReadAsync(string childPseudonym, CancellationToken cancellationToken) =>
        inner.ReadAsync(childPseudonym, cancellationToken);

    public virtual Task<string?> TryAddDecidedAsync(ChildFile file, ChildMelding decided, ConsentRecord? carried, DateTimeOffset leaseUntil, CancellationToken cancellationToken) =>
        inner.TryAddDecidedAsync(file, decided, carried, leaseUntil, cancellationToken);

    public virtual Task<string?> TryClaimSendAsync(ChildFile file, string meldingId, DateTimeOffset leaseUntil, CancellationToken cancellationToken) =>
        inner.TryClaimSendAsync(file, meldingId, leaseUntil, cancellationToken);

    public virtual Task ReleaseSendAsync(string childPseudonym, string meldingId, string token, IReadOnlyDictionary<string, string> sent, CancellationToken cancellationToken) =>
        inner.ReleaseSendAsync(childPseudonym, meldingId, token, sent, cancellationToken);

    public virtual Task AddConsentAsync(string childPseudonym, ConsentRecord record, CancellationToken cancellationToken) =>
        inner.AddConsentAsync(childPseudonym, record, cancellationToken);

    public virtual Task<bool> TryRemoveAsync(ChildFile file, string? meldingId, bool wholeFile, CancellationToken cancellationToken) =>
        inner.TryRemoveAsync(file, meldingId, wholeFile, cancellationToken);
}
