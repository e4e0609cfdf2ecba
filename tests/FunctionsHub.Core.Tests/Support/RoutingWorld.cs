using System.Collections.Concurrent;
using FunctionsHub.Core.Audit;
using FunctionsHub.Core.Configuration;
using FunctionsHub.Core.Consent;
using FunctionsHub.Core.Intake;
using FunctionsHub.Core.Matching;
using FunctionsHub.Core.Notifications;
using FunctionsHub.Core.Once;
using FunctionsHub.Core.Privacy;
using FunctionsHub.Core.Routing;
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

    public RoutingWorld(HubDocument? document = null)
    {
        Document = document ?? TestHub.Demo();
        Pseudonyms = new ChildPseudonym(Key);
        Consents = new FaultyConsentStore(Faults);
        Children = new FaultyChildIndex(Faults);
        Audit = new FaultyAuditTrail(Faults);
        Referrals = new FaultyReferralStore(Faults);
        Inbox = new FaultyInbox(Faults);
        Outbox = new FaultyOutbox(Faults);
        Meldingen = new FaultyMeldingStore(Faults);
        Ledger = new FaultyOnceLedger(Faults);
        Withdrawals = new FaultyWithdrawalQueue(Faults);
    }

    public FaultPlan Faults { get; } = new();
    public FakeTimeProvider Time { get; } = new(TestMeldingen.ReportedAt.AddMinutes(1));
    public HubDocument Document { get; }
    public ChildPseudonym Pseudonyms { get; }
    public FaultyConsentStore Consents { get; }
    public FaultyChildIndex Children { get; }
    public FaultyAuditTrail Audit { get; }
    public FaultyReferralStore Referrals { get; }
    public FaultyInbox Inbox { get; }
    public FaultyOutbox Outbox { get; }
    public FaultyMeldingStore Meldingen { get; }
    public FaultyOnceLedger Ledger { get; }
    public FaultyWithdrawalQueue Withdrawals { get; }

    /// <summary>The document as the use cases read it.</summary>
    public IHubDocumentSource Documents => new FixedHubDocument(Document);

    public MeldingRouting Routing() => new(Documents, Pseudonyms, Consents, Children, Audit, Referrals, Inbox, Outbox, Meldingen, Ledger, Time, NullLogger<MeldingRouting>.Instance);

    public ConsentRecording Recording() => new(Pseudonyms, Consents, Children, Withdrawals, Ledger, Time, NullLogger<ConsentRecording>.Instance);

    public ConsentWithdrawalNotices Notices() => new(Documents, Children, Audit, Inbox, Ledger, Time, NullLogger<ConsentWithdrawalNotices>.Instance);

    /// <summary>Runs the queue function for every withdrawal enqueued so far (as the queue would, once each), and forgets them.</summary>
    public async Task NotifyWithdrawalsAsync()
    {
        while (Withdrawals.TryTake(out var withdrawal))
        {
            await Notices().NotifyAsync(withdrawal, CancellationToken.None);
        }
    }

    /// <summary>Stores the melding's record as intake would, so routing can mark it routed.</summary>
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

public sealed class FaultyConsentStore(FaultPlan faults) : IConsentStore
{
    private readonly ConcurrentDictionary<(string Child, string Id), ConsentRecord> _records = new();

    public async Task RecordAsync(string childPseudonym, ConsentRecord record, CancellationToken cancellationToken)
    {
        faults.Point("consent.record:before");
        _records[(childPseudonym, record.ConsentId)] = record;
        faults.Point("consent.record:after");
        await Task.CompletedTask;
    }

    public Task<IReadOnlyList<ConsentRecord>> ForChildAsync(string childPseudonym, CancellationToken cancellationToken)
    {
        faults.Point("consent.read");
        return Task.FromResult<IReadOnlyList<ConsentRecord>>(_records.Where(r => r.Key.Child == childPseudonym).Select(r => r.Value).ToArray());
    }
}

public sealed class FaultyChildIndex(FaultPlan faults) : IChildIndex
{
    private readonly ConcurrentDictionary<(string Child, string Melding), ChildMelding> _entries = new();

    public Task AddAsync(string childPseudonym, ChildMelding entry, CancellationToken cancellationToken)
    {
        faults.Point("children.add:before");
        // As the table's merge: the providers a first run recorded stay, and only RecordProvidersAsync
        // sets them (the table never stores an added entry's own providers).
        _entries.AddOrUpdate((childPseudonym, entry.MeldingId), entry with { Providers = null }, (_, stored) => entry with { Providers = stored.Providers });
        faults.Point("children.add:after");
        return Task.CompletedTask;
    }

    public Task RecordProvidersAsync(string childPseudonym, string meldingId, IReadOnlyList<string> providerIds, CancellationToken cancellationToken)
    {
        faults.Point("children.providers:before");
        _entries.AddOrUpdate((childPseudonym, meldingId),
            _ => throw new InvalidOperationException("Providers recorded for a melding that is not in the child index."),
            (_, entry) => entry with { Providers = providerIds });
        faults.Point("children.providers:after");
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ChildMelding>> MeldingenAsync(string childPseudonym, CancellationToken cancellationToken)
    {
        faults.Point("children.read");
        return Task.FromResult<IReadOnlyList<ChildMelding>>(_entries.Where(e => e.Key.Child == childPseudonym).Select(e => e.Value).ToArray());
    }
}

public sealed class FaultyAuditTrail(FaultPlan faults) : IAuditTrail
{
    private readonly ConcurrentDictionary<string, RoutingDecision> _decisions = new();
    private readonly ConcurrentDictionary<(string Melding, string Key), AuditEvent> _events = new();

    public Task<AuditRecord> ReadAsync(string meldingId, CancellationToken cancellationToken)
    {
        faults.Point("audit.read");
        return Task.FromResult(new AuditRecord(
            _decisions.GetValueOrDefault(meldingId),
            // As the table reads them: in the order they happened, not in the order of their keys.
            _events.Where(e => e.Key.Melding == meldingId).Select(e => e.Value).OrderBy(e => e.At).ToArray()));
    }

    public Task<RoutingDecision> AddDecisionAsync(string meldingId, RoutingDecision decision, CancellationToken cancellationToken)
    {
        faults.Point("audit.decision:before");
        var stored = _decisions.GetOrAdd(meldingId, decision);
        faults.Point("audit.decision:after");
        return Task.FromResult(stored);
    }

    public Task AddEventAsync(string meldingId, AuditEvent auditEvent, CancellationToken cancellationToken)
    {
        faults.Point("audit.event:before");
        _events[(meldingId, auditEvent.Key)] = auditEvent;
        faults.Point("audit.event:after");
        return Task.CompletedTask;
    }
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

public sealed class FaultyReferralStore(FaultPlan faults) : IReferralStore
{
    private readonly ConcurrentDictionary<string, ReferralRecord> _records = new();
    private readonly InMemoryClaims<string> _sends = new();

    public IReadOnlyCollection<ReferralRecord> Records => _records.Keys.Select(id => Read(id)!).ToArray();

    public Task<ReferralClaim> ClaimSendAsync(ReferralRecord wanted, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        faults.Point("referrals.claim:before");
        var stored = _records.GetOrAdd(wanted.ReferralId, wanted);
        var claim = _sends.Claim(wanted.ReferralId, now, lease);
        faults.Point("referrals.claim:after");
        return Task.FromResult(new ReferralClaim(claim.State, stored with { Dispatch = Read(wanted.ReferralId)!.Dispatch }, claim.Token));
    }

    public Task MarkSentAsync(string referralId, string kind, string consentBasis, CancellationToken cancellationToken)
    {
        faults.Point("referrals.sent:before");
        _records[referralId] = _records[referralId] with { Kind = kind, ConsentBasis = consentBasis };
        _sends.Complete(referralId);
        faults.Point("referrals.sent:after");
        return Task.CompletedTask;
    }

    public Task ReleaseSendAsync(string referralId, string token, CancellationToken cancellationToken)
    {
        faults.Point("referrals.release");
        _sends.Release(referralId, token);
        return Task.CompletedTask;
    }

    public Task<ReferralRecord?> FindAsync(string referralId, CancellationToken cancellationToken) => Task.FromResult(Read(referralId));

    private ReferralRecord? Read(string referralId) =>
        _records.TryGetValue(referralId, out var record)
            ? record with
            {
                Dispatch = _sends.StageOf(referralId) switch
                {
                    InMemoryClaims<string>.Stage.Claimed => DispatchState.Sending,
                    InMemoryClaims<string>.Stage.Done => DispatchState.Sent,
                    _ => DispatchState.Pending,
                },
            }
            : null;
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

    public IReadOnlyCollection<ReferralMessage> Referrals => _referrals.ToArray();

    public IReadOnlyCollection<ConsentWithdrawnMessage> Notices => _notices.ToArray();

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
}

public sealed class FaultyOutbox(FaultPlan faults) : INotificationOutbox
{
    private readonly ConcurrentQueue<OutboundNotification> _sent = new();

    public IReadOnlyCollection<OutboundNotification> Sent => _sent.ToArray();

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

    public Task<MeldingRecord?> TryAddAsync(MeldingRecord record, CancellationToken cancellationToken) => _inner.TryAddAsync(record, cancellationToken);

    public Task<MeldingRecord?> FindAsync(string meldingId, CancellationToken cancellationToken) => _inner.FindAsync(meldingId, cancellationToken);

    public async Task<MeldingState> MoveAsync(string meldingId, MeldingState to, CancellationToken cancellationToken)
    {
        // Two operations, as the table adapter does them: a read of the state, then compare-and-set.
        faults.Point("meldingen.state.read");
        faults.Point("meldingen.state:before");
        var state = await _inner.MoveAsync(meldingId, to, cancellationToken);
        faults.Point("meldingen.state:after");
        return state;
    }

    public Task<int> CountReceivedAsync(DateTimeOffset from, DateTimeOffset until, CancellationToken cancellationToken) =>
        _inner.CountReceivedAsync(from, until, cancellationToken);
}
