using System.Collections.Concurrent;
using FunctionsHub.Core.Campaigns;
using FunctionsHub.Core.Digests;
using FunctionsHub.Core.Intake;
using FunctionsHub.Core.Matching;
using FunctionsHub.Core.DataRetention;
using FunctionsHub.Core.Once;

namespace FunctionsHub.Core.Tests.Support;

/// <summary>The melding table as the adapters keep it: first add wins, a later add gets the stored record.</summary>
public sealed class InMemoryMeldingStore : IMeldingStore
{
    private readonly ConcurrentDictionary<string, MeldingRecord> _records = new();

    public IReadOnlyCollection<MeldingRecord> Records => _records.Values.ToArray();

    public void Seed(MeldingRecord record) => _records[record.MeldingId] = record;

    public Task<MeldingRecord?> TryAddAsync(MeldingRecord record, CancellationToken cancellationToken) =>
        Task.FromResult(_records.TryAdd(record.MeldingId, record) ? null : _records[record.MeldingId]);

    public Task<MeldingRecord?> FindAsync(string meldingId, CancellationToken cancellationToken) =>
        Task.FromResult(_records.GetValueOrDefault(meldingId));

    public Task RemoveAsync(string meldingId, CancellationToken cancellationToken)
    {
        _records.TryRemove(meldingId, out _);
        return Task.CompletedTask;
    }
}

/// <summary>Digests kept as JSON, as the table adapter keeps them, listed newest first.</summary>
public sealed class InMemoryDigestStore : IDigestStore
{
    // As JSON, as the table keeps it: what comes back is what storage gives back, not the object saved.
    private readonly ConcurrentDictionary<string, string> _digests = new();

    public Task SaveAsync(InstroomDigest digest, CancellationToken cancellationToken)
    {
        _digests[digest.Month] = System.Text.Json.JsonSerializer.Serialize(digest, FunctionsHub.Core.Serialization.HubJson.Default.InstroomDigest);
        return Task.CompletedTask;
    }

    public Task<InstroomDigest?> FindAsync(string month, CancellationToken cancellationToken) =>
        Task.FromResult(_digests.TryGetValue(month, out var json) ? System.Text.Json.JsonSerializer.Deserialize(json, FunctionsHub.Core.Serialization.HubJson.Default.InstroomDigest) : null);

    public Task<IReadOnlyList<StoredDigest>> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<StoredDigest>>(_digests.Values
            .Select(json => System.Text.Json.JsonSerializer.Deserialize(json, FunctionsHub.Core.Serialization.HubJson.Default.InstroomDigest)!)
            .Select(d => new StoredDigest(d.Month, d.CompiledAt))
            .OrderByDescending(d => d.Month, StringComparer.Ordinal)
            .ToArray());
}

/// <summary>Remembers what was put on <c>meldingen-intake</c>; can be told to fail like a lost connection.</summary>
public sealed class RecordingIntakeQueue : IIntakeQueue
{
    private readonly ConcurrentQueue<Zorgmelding> _sent = new();

    public IReadOnlyCollection<Zorgmelding> Sent => _sent.ToArray();

    public int FailuresToCome { get; set; }

    public Task EnqueueAsync(Zorgmelding melding, CancellationToken cancellationToken)
    {
        if (FailuresToCome > 0)
        {
            FailuresToCome--;
            throw new IOException("The intake queue could not be reached.");
        }

        _sent.Enqueue(melding);
        return Task.CompletedTask;
    }
}

/// <summary>Watermarks as the once table keeps them: read back as written, moved only forward.</summary>
public sealed class InMemoryWatermarks : IWatermarks
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _at = new();

    /// <summary>The watermark as stored, or null.</summary>
    public DateTimeOffset? Peek(string name) => _at.TryGetValue(name, out var at) ? at : null;

    public Task<DateTimeOffset?> ReadAsync(string name, CancellationToken cancellationToken) => Task.FromResult(Peek(name));

    public Task AdvanceAsync(string name, DateTimeOffset to, CancellationToken cancellationToken)
    {
        _at.AddOrUpdate(name, to, (_, stored) => stored >= to ? stored : to);
        return Task.CompletedTask;
    }
}

/// <summary>
/// The referrer directory as its table keeps it: one entry per (partner, key), replaced by each
/// record; each partner's activity (its last melding, or when first looked at); the unsubscribed keys apart. A record passes the fault points <c>referrers:before</c> and
/// <c>:after</c> of <paramref name="faults"/>, if given, so routing's fault-injection tests fail it too.
/// </summary>
public sealed class InMemoryReferrerDirectory(FaultPlan? faults = null) : IReferrerDirectory
{
    private readonly ConcurrentDictionary<(string Partner, string Key), DirectoryReferrer> _referrers = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _unsubscribed = new();

    private readonly ConcurrentDictionary<string, PartnerActivity> _activity = new();

    public IReadOnlyCollection<DirectoryReferrer> All => _referrers.Values.ToArray();

    public Task RecordMeldingAsync(string partnerId, DateTimeOffset receivedAt, DirectoryReferrer? referrer, CancellationToken cancellationToken)
    {
        if (referrer is not null && referrer.PartnerId != partnerId)
        {
            throw new ArgumentException($"The referrer is of partner {referrer.PartnerId}, not of {partnerId}.", nameof(referrer));
        }

        faults?.Point("referrers:before");
        _activity[partnerId] = new PartnerActivity(partnerId, receivedAt, EverSent: true);
        if (referrer is not null)
        {
            _referrers[(referrer.PartnerId, referrer.Key)] = referrer;
        }

        faults?.Point("referrers:after");
        return Task.CompletedTask;
    }

    public Task<PartnerActivity> ActivityAsync(string partnerId, DateTimeOffset now, CancellationToken cancellationToken) =>
        Task.FromResult(_activity.GetOrAdd(partnerId, new PartnerActivity(partnerId, now, EverSent: false)));

    public Task<IReadOnlyList<DirectoryReferrer>> OfPartnerAsync(string partnerId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<DirectoryReferrer>>(
            _referrers.Values.Where(r => r.PartnerId == partnerId).OrderBy(r => r.Key, StringComparer.Ordinal).ToArray());

    public Task RemoveAsync(DirectoryReferrer referrer, CancellationToken cancellationToken)
    {
        _referrers.TryRemove((referrer.PartnerId, referrer.Key), out _);
        return Task.CompletedTask;
    }

    public Task UnsubscribeAsync(string key, DateTimeOffset at, CancellationToken cancellationToken)
    {
        _unsubscribed[key] = at;
        return Task.CompletedTask;
    }

    public Task<IReadOnlySet<string>> UnsubscribedAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlySet<string>>(_unsubscribed.Keys.ToHashSet(StringComparer.Ordinal));
}

/// <summary>Campaign sends as their table keeps them: one per (campaign, occurrence, channel, recipient), the latest record kept.</summary>
public sealed class InMemoryCampaignSends : ICampaignSends
{
    private readonly ConcurrentDictionary<(string, string, string, string), CampaignSend> _sends = new();

    public IReadOnlyCollection<CampaignSend> All => _sends.Values.ToArray();

    public Task RecordAsync(CampaignSend send, CancellationToken cancellationToken)
    {
        _sends[(send.CampaignId, send.Occurrence, send.Channel, send.Recipient)] = send;
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<CampaignSend>> OfOccurrenceAsync(string campaignId, string occurrence, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<CampaignSend>>(
            _sends.Values.Where(s => s.CampaignId == campaignId && s.Occurrence == occurrence).ToArray());
}

/// <summary>
/// The match follow-ups as their table keeps them: the first start of a match decides its deadline,
/// a referrer's first confirmation stays, the due window is searched by deadline. A start passes the
/// fault points <c>followups:before</c> and <c>:after</c> of <paramref name="faults"/>, if given, so
/// routing's fault-injection tests fail it too.
/// </summary>
public sealed class InMemoryMatchFollowUps(FaultPlan? faults = null) : IMatchFollowUps
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, MatchFollowUp> _followUps = [];

    /// <summary>Every follow-up as stored, without passing a fault point.</summary>
    public IReadOnlyList<MatchFollowUp> All
    {
        get
        {
            lock (_lock)
            {
                return _followUps.Values.ToArray();
            }
        }
    }

    public Task<MatchFollowUp> StartAsync(MatchFollowUp followUp, CancellationToken cancellationToken)
    {
        faults?.Point("followups:before");
        MatchFollowUp started;
        lock (_lock)
        {
            _followUps.TryAdd(followUp.MatchId, followUp with { Confirmed = new Dictionary<string, DateTimeOffset>() });
            started = _followUps[followUp.MatchId];
        }

        faults?.Point("followups:after");
        return Task.FromResult(started);
    }

    public Task<MatchFollowUp?> FindAsync(string matchId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_followUps.GetValueOrDefault(matchId));
        }
    }

    public Task<DateTimeOffset> ConfirmAsync(MatchFollowUp followUp, string partnerId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (!followUp.IsReferrer(partnerId))
        {
            throw new ArgumentException("Not a referrer of this match.", nameof(partnerId));
        }

        lock (_lock)
        {
            var stored = _followUps[followUp.MatchId];
            if (stored.Confirmed.TryGetValue(partnerId, out var first))
            {
                return Task.FromResult(first);
            }

            _followUps[followUp.MatchId] = stored with { Confirmed = new Dictionary<string, DateTimeOffset>(stored.Confirmed) { [partnerId] = at } };
            return Task.FromResult(at);
        }
    }

    public Task WithdrawAsync(string matchId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_followUps.TryGetValue(matchId, out var stored) && stored.WithdrawnAt is null)
            {
                _followUps[matchId] = stored with { WithdrawnAt = at };
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<MatchFollowUp>> DueAsync(DateTimeOffset dueFrom, DateTimeOffset dueBefore, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<MatchFollowUp>>(_followUps.Values.Where(f => f.DueAt >= dueFrom && f.DueAt < dueBefore).ToArray());
        }
    }

    public Task RemoveAsync(string matchId, CancellationToken cancellationToken)
    {
        faults?.Point("followups.remove");
        lock (_lock)
        {
            _followUps.Remove(matchId);
        }

        return Task.CompletedTask;
    }
}

/// <summary>The retention index as its table keeps it: an entry per (month, melding), months read as a key range.</summary>
public sealed class InMemoryRetentionIndex(FaultPlan? faults = null) : IRetentionIndex
{
    private readonly ConcurrentDictionary<(string Month, string MeldingId), RetentionEntry> _entries = new();

    /// <summary>Every entry, without passing a fault point.</summary>
    public IReadOnlyCollection<RetentionEntry> Entries => _entries.Values.ToArray();

    /// <summary>How often the index was read.</summary>
    public int Reads { get; private set; }

    public Task NoteAsync(RetentionEntry entry, CancellationToken cancellationToken)
    {
        faults?.Point("retention.note");
        _entries[(entry.Month, entry.MeldingId)] = entry;
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<RetentionEntry>> ThroughAsync(string lastMonth, CancellationToken cancellationToken)
    {
        faults?.Point("retention.read");
        Reads++;
        return Task.FromResult<IReadOnlyList<RetentionEntry>>(_entries.Values
            .Where(e => string.CompareOrdinal(e.Month, lastMonth) <= 0)
            .OrderBy(e => e.Month, StringComparer.Ordinal).ThenBy(e => e.MeldingId, StringComparer.Ordinal)
            .ToArray());
    }

    public Task RemoveAsync(RetentionEntry entry, CancellationToken cancellationToken)
    {
        faults?.Point("retention.remove");
        _entries.TryRemove((entry.Month, entry.MeldingId), out _);
        return Task.CompletedTask;
    }
}
