using System.Text.Json;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using FunctionsHub.Adapters.Storage;
using FunctionsHub.Core;
using FunctionsHub.DevHost.Discovery;

namespace FunctionsHub.DevHost.Triggers;

/// <summary>
/// Polls one queue for one <c>[QueueTrigger]</c> function the way the Functions host does: batches of
/// <c>batchSize</c> run concurrently, the next batch fetched as soon as no more than
/// <c>newBatchThreshold</c> messages are still running, exponential back-off up to
/// <c>maxPollingInterval</c> while the queue is empty, a
/// failed message made visible again after <c>visibilityTimeout</c>, and after <c>maxDequeueCount</c>
/// failed tries a copy on <c>{queue}-poison</c> with the message intact. Messages are received raw and
/// decoded here, one by one, so that one that is not base64 is moved to poison at once, as the Storage
/// Queues extension does, instead of failing the whole batch.
/// </summary>
public sealed partial class QueueTriggerListener(
    FunctionDescriptor function,
    IConfiguration configuration,
    FunctionInvoker invoker,
    TimeProvider time,
    ILogger<QueueTriggerListener> logger,
    StorageClientSetup? storageSetup = null) : BackgroundService
{
    private static readonly TimeSpan MinimumPollingInterval = TimeSpan.FromMilliseconds(100);

    // While a batch runs its messages stay invisible to other pollers, as under the host's lease.
    private static readonly TimeSpan ProcessingLease = TimeSpan.FromMinutes(10);

    private readonly QueueHostOptions _options = QueueHostOptions.From(configuration);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Raw both ways: decoding is per message (see Decode), and a poison copy is the text as it was on the queue.
        var service = StorageAccount.QueueService(configuration, function.Connection!, QueueMessageEncoding.None, storageSetup, StorageClientSetup.Trigger);
        var queue = service.GetQueueClient(function.QueueName);
        var poison = service.GetQueueClient(QueueNames.Poison(function.QueueName!));
        var delay = MinimumPollingInterval;
        var queueExists = false;
        var running = new List<Task>();
        LogListening(function.Name, function.QueueName!);

        while (!stoppingToken.IsCancellationRequested)
        {
            running.RemoveAll(task => task.IsCompleted);
            while (running.Count > _options.NewBatchThreshold)
            {
                await Task.WhenAny(running);
                running.RemoveAll(task => task.IsCompleted);
            }

            QueueMessage[] messages;
            try
            {
                // Created once, not before every poll (each is a billed transaction); again after a failure, which may be its deletion.
                if (!queueExists)
                {
                    await queue.CreateIfNotExistsAsync(cancellationToken: stoppingToken);
                    queueExists = true;
                }

                messages = (await queue.ReceiveMessagesAsync(_options.BatchSize, ProcessingLease, stoppingToken)).Value;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                LogPollFailed(function.QueueName!, e.GetType().Name, e.Message);
                queueExists = false;
                messages = [];
            }

            if (messages.Length == 0)
            {
                await DelayAsync(delay, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, Math.Max(_options.MaxPollingInterval.Ticks, MinimumPollingInterval.Ticks)));
                continue;
            }

            delay = MinimumPollingInterval;
            running.AddRange(messages.Select(m => RunAsync(queue, poison, m, stoppingToken)));
        }

        await Task.WhenAll(running);
    }

    /// <summary>One message in the background: a failure to delete, update or park it is logged, and the message comes back after its lease.</summary>
    private async Task RunAsync(QueueClient queue, QueueClient poison, QueueMessage raw, CancellationToken cancellationToken)
    {
        try
        {
            await ProcessAsync(queue, poison, raw, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogSettleFailed(function.QueueName!, raw.MessageId, e.GetType().Name, e.Message);
        }
        catch (OperationCanceledException)
        {
            // Stopping: the message becomes visible again after its lease.
        }
    }

    /// <summary>
    /// One message as received raw: decode and invoke, then delete; on failure retry later or, at the
    /// limit, move it to poison. A message that cannot be decoded goes to poison at once: no retry can
    /// decode it.
    /// </summary>
    public async Task ProcessAsync(QueueClient queue, QueueClient poison, QueueMessage raw, CancellationToken cancellationToken)
    {
        if (Decode(raw) is not { } message)
        {
            await MoveToPoisonAsync(queue, poison, raw);
            LogUndecodable(function.QueueName!, raw.MessageId);
            return;
        }

        try
        {
            await invoker.InvokeAsync(function, binding => Bind(binding, message, cancellationToken), $"queue {function.QueueName}, message {message.MessageId}, dequeueCount {message.DequeueCount}");
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            if (message.DequeueCount >= _options.MaxDequeueCount)
            {
                await MoveToPoisonAsync(queue, poison, raw);
                LogPoisoned(function.QueueName!, message.MessageId, message.DequeueCount);
            }
            else
            {
                await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: _options.VisibilityTimeout, cancellationToken: CancellationToken.None);
            }

            return;
        }

        await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, CancellationToken.None);
    }

    /// <summary>
    /// The message with its body decoded as host.json <c>messageEncoding</c> says; null when it is not
    /// base64 where base64 is expected.
    /// </summary>
    private QueueMessage? Decode(QueueMessage raw)
    {
        if (!_options.Base64)
        {
            return raw;
        }

        byte[] body;
        try
        {
            // The decoding the SDK's base64 client applies, so the DevHost accepts exactly what the host does.
            body = Convert.FromBase64String(raw.MessageText);
        }
        catch (FormatException)
        {
            return null;
        }

        return QueuesModelFactory.QueueMessage(raw.MessageId, raw.PopReceipt, new BinaryData(body), raw.DequeueCount, raw.NextVisibleOn, raw.InsertedOn, raw.ExpiresOn);
    }

    /// <summary>Copies the message to poison exactly as it was on the queue (both clients are raw), then deletes it.</summary>
    private static async Task MoveToPoisonAsync(QueueClient queue, QueueClient poison, QueueMessage raw)
    {
        await poison.CreateIfNotExistsAsync(cancellationToken: CancellationToken.None);
        await poison.SendMessageAsync(raw.Body, cancellationToken: CancellationToken.None);
        await queue.DeleteMessageAsync(raw.MessageId, raw.PopReceipt, CancellationToken.None);
    }

    public static object? Bind(ParameterBinding binding, QueueMessage message, CancellationToken cancellationToken) => binding.Source switch
    {
        ParameterSource.QueueMessageText => message.Body.ToString(),
        ParameterSource.QueueMessageBinary => message.Body,
        ParameterSource.QueueMessageBytes => message.Body.ToArray(),
        ParameterSource.QueueMessage => message,
        ParameterSource.QueueMessageJson => JsonSerializer.Deserialize(message.Body.ToStream(), binding.Parameter.ParameterType, JsonSerializerOptions.Web),
        ParameterSource.CancellationToken => cancellationToken,
        _ => throw new InvalidOperationException($"Cannot bind {binding.Source} in a queue function."),
    };

    private async Task DelayAsync(TimeSpan delay, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(delay, time, stoppingToken);
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Function '{Function}' listens on queue '{Queue}'")]
    private partial void LogListening(string function, string queue);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Polling queue '{Queue}' failed: {ExceptionType}: {ExceptionMessage}")]
    private partial void LogPollFailed(string queue, string exceptionType, string exceptionMessage);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} on queue '{Queue}' failed {DequeueCount} times and was moved to its poison queue")]
    private partial void LogPoisoned(string queue, string messageId, long dequeueCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} on queue '{Queue}' is not base64 (host.json messageEncoding) and was moved to its poison queue")]
    private partial void LogUndecodable(string queue, string messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Settling message {MessageId} on queue '{Queue}' failed: {ExceptionType}: {ExceptionMessage}")]
    private partial void LogSettleFailed(string queue, string messageId, string exceptionType, string exceptionMessage);
}
