namespace Samples.Provider;

/// <summary>
/// Reads a provider's inbox: for each message, parse the envelope, drop an id already handled, hand it to
/// the case system by kind, report <c>contacted</c> for a full referral, and only then remove the message.
/// A failure anywhere before that leaves the message to come back, so nothing is lost; the seen-set and
/// the idempotent status report make the second time harmless.
/// Log lines carry kinds and ids only, never what a message says about a child.
/// </summary>
public sealed class InboxReader(IInbox inbox, SeenSet seen, IReferralHandler handler, StatusReporter? status, TextWriter log)
{
    /// <summary>
    /// The status reported for each full referral once it is in the case system. A real system reports
    /// <c>contacted</c> when a person actually made contact; the sample does it at once to show the call.
    /// </summary>
    public const string ReportedStatus = "contacted";

    /// <summary>Receives one batch (up to <paramref name="max"/> messages) and settles each. Answers what it did.</summary>
    public async Task<ReadResult> ReadOnceAsync(int max = 32, CancellationToken cancellationToken = default)
    {
        var result = new ReadResult();
        foreach (var message in await inbox.ReceiveAsync(max, cancellationToken))
        {
            var parsed = InboxMessage.Parse(message.Body);
            if (parsed is Unreadable unreadable)
            {
                await log.WriteLineAsync($"unreadable message {message.TransportId}: {unreadable.Reason}");
                await message.RejectAsync(unreadable.Reason, cancellationToken);
                result.Unreadable.Add(message.TransportId);
                continue;
            }

            if (seen.Contains(parsed.Id))
            {
                await log.WriteLineAsync($"{parsed.Kind} {parsed.Id}: already handled, dropped");
                await message.CompleteAsync(cancellationToken);
                result.Dropped.Add(parsed.Id);
                continue;
            }

            try
            {
                await log.WriteLineAsync($"{parsed.Kind} {parsed.Id}");
                await HandleAsync(parsed, cancellationToken);
                // Recorded as handled before the message is removed: if the removal fails, the message comes back and is dropped.
                await seen.AddAsync(parsed.Id, cancellationToken);
                await message.CompleteAsync(cancellationToken);
                result.Handled.Add(parsed);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // The exception's type only: its message may quote data (a case system's validation error, say).
                await log.WriteLineAsync($"{parsed.Kind} {parsed.Id}: failed ({e.GetType().Name}), left to come back");
                await message.ReleaseAsync(cancellationToken);
                result.Failed.Add(parsed.Id);
            }
        }

        return result;
    }

    private async Task HandleAsync(InboxMessage message, CancellationToken cancellationToken)
    {
        switch (message)
        {
            case Referral referral:
                await handler.OnReferralAsync(referral, cancellationToken);
                if (status is not null)
                {
                    var outcome = await status.ReportAsync(referral.ReferralId, ReportedStatus, referral.CreatedAt, cancellationToken);
                    await log.WriteLineAsync($"  status {ReportedStatus} for {referral.ReferralId}: {outcome}");
                }

                break;
            case Signal signal:
                await handler.OnSignalAsync(signal, cancellationToken);
                break;
            case ConsentWithdrawn notice:
                await handler.OnConsentWithdrawnAsync(notice, cancellationToken);
                break;
            default:
                throw new ArgumentException("Not a message to handle.", nameof(message));
        }
    }
}

/// <summary>What one <see cref="InboxReader.ReadOnceAsync"/> did: handled messages, dropped repeats (ids), failed ids, unreadable transport ids.</summary>
public sealed class ReadResult
{
    public List<InboxMessage> Handled { get; } = [];

    public List<string> Dropped { get; } = [];

    public List<string> Failed { get; } = [];

    public List<string> Unreadable { get; } = [];

    public override string ToString() =>
        $"{Handled.Count} handled, {Dropped.Count} repeat(s) dropped, {Failed.Count} failed, {Unreadable.Count} unreadable";
}
