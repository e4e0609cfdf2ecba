using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Azure.Storage.Queues;

namespace FunctionsHub.LoadBenchmark;

/// <summary>
/// Reads a queue as a provider would, taking each message off (receive, then delete), and notes
/// when each melding's message was first seen, by its <c>meldingId</c>. It polls every 10 ms while
/// the queue is empty, so an arrival is seen at most about that much (plus one receive) late.
/// </summary>
public sealed class InboxReader : IAsyncDisposable
{
    private static readonly TimeSpan EmptyPause = TimeSpan.FromMilliseconds(10);

    private readonly QueueClient _queue;
    private readonly ConcurrentDictionary<string, long> _arrivals = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _awaited = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public InboxReader(QueueClient queue)
    {
        _queue = queue;
        _loop = Task.Run(ReadAsync);
    }

    /// <summary>Stopwatch timestamp at which each melding's message was received.</summary>
    public IReadOnlyDictionary<string, long> Arrivals => _arrivals;

    public int Received => _arrivals.Count;

    /// <summary>Completes when the melding's message has been received (at once if it was).</summary>
    public Task ArrivalOf(string meldingId)
    {
        // Registered before looking, so an arrival in between finds the registration.
        var arrival = _awaited.GetOrAdd(meldingId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (_arrivals.ContainsKey(meldingId))
        {
            arrival.TrySetResult();
        }

        return arrival.Task;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task ReadAsync()
    {
        await _queue.CreateIfNotExistsAsync(cancellationToken: _stop.Token);
        while (!_stop.IsCancellationRequested)
        {
            var messages = (await _queue.ReceiveMessagesAsync(maxMessages: 32, visibilityTimeout: TimeSpan.FromMinutes(1), _stop.Token)).Value;
            if (messages.Length == 0)
            {
                await Task.Delay(EmptyPause, _stop.Token);
                continue;
            }

            var at = Stopwatch.GetTimestamp();
            foreach (var message in messages)
            {
                var id = MeldingId(message.Body) ?? message.MessageId;
                _arrivals.TryAdd(id, at);
                if (_awaited.TryRemove(id, out var arrival))
                {
                    arrival.TrySetResult();
                }
            }

            await Task.WhenAll(messages.Select(m => _queue.DeleteMessageAsync(m.MessageId, m.PopReceipt, _stop.Token)));
        }
    }

    private static string? MeldingId(BinaryData body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.TryGetProperty("meldingId", out var id) ? id.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
