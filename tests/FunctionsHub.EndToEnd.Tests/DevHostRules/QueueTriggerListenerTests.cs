using System.Collections.Concurrent;
using System.Text;
using Azure.Storage.Queues;
using FunctionsHub.Core;
using FunctionsHub.DevHost;
using FunctionsHub.DevHost.Discovery;
using FunctionsHub.DevHost.Triggers;
using FunctionsHub.Testing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace FunctionsHub.EndToEnd.Tests.DevHostRules;

/// <summary>How the DevHost's queue listener treats a batch, against its own Azurite and a queue of its own.</summary>
public sealed class QueueTriggerListenerTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private const string QueueSetting = "DevHostRules:BatchQueue";

    [Fact]
    public async Task A_message_that_is_not_base64_does_not_hold_up_the_valid_messages_of_its_batch()
    {
        await using var azurite = await Azurite.StartAsync();
        var queueName = TestNames.Id("batch");
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["AzureWebJobsStorage"] = azurite.ConnectionString,
                [QueueSetting] = queueName,
                [$"{HostJson.Section}:extensions:queues:messageEncoding"] = "base64",
                // Room for the whole queue in one receive: the garbage and the valid messages share one batch.
                [$"{HostJson.Section}:extensions:queues:batchSize"] = "32",
            })
            .Build();
        var function = FunctionCatalog.Discover([typeof(RecordsMessages)], configuration).Single();
        await using var services = new ServiceCollection().AddSingleton<RecordsMessages.Invocations>().BuildServiceProvider();
        var invocations = services.GetRequiredService<RecordsMessages.Invocations>();
        var invoker = new FunctionInvoker(services.GetRequiredService<IServiceScopeFactory>(), NullLogger<FunctionInvoker>.Instance);

        var base64 = new QueueClient(azurite.ConnectionString, queueName, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        var raw = new QueueClient(azurite.ConnectionString, queueName, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });
        var poison = new QueueClient(azurite.ConnectionString, QueueNames.Poison(queueName), new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });
        await raw.CreateAsync();

        // Everything is on the queue before the listener polls once, so its first receive takes the garbage
        // together with the valid messages; enqueued while it polls, they could arrive in separate batches.
        const string garbage = "not base64 !!"; // '!' is no base64 character
        var valid = Enumerable.Range(1, 10).Select(i => $"valid message {i}").ToArray();
        await raw.SendMessageAsync(garbage);
        foreach (var text in valid)
        {
            await base64.SendMessageAsync(text);
        }

        Assert.Equal(11, (await raw.GetPropertiesAsync()).Value.ApproximateMessagesCount);
        Assert.True(QueueHostOptions.From(configuration).BatchSize >= 11, "the batch size must take all 11 messages in one receive");

        using var listener = new QueueTriggerListener(function, configuration, invoker, TimeProvider.System, NullLogger<QueueTriggerListener>.Instance);
        await listener.StartAsync(CancellationToken.None);
        try
        {
            await Poll.UntilAsync(() => Task.FromResult(valid.All(invocations.Texts.Contains)), Deadline, "an invocation with each of the 10 valid messages");
            await Poll.UntilAsync(async () => (await poison.ExistsAsync()).Value && (await poison.PeekMessagesAsync(32)).Value.Length > 0, Deadline, $"the garbage on {QueueNames.Poison(queueName)}");

            // The approximate count includes invisible messages: a batch left under its lease would still count.
            await Poll.UntilAsync(async () => (await raw.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0, Deadline, $"{queueName} empty");
        }
        finally
        {
            await listener.StopAsync(CancellationToken.None);
        }

        var parked = Assert.Single((await poison.PeekMessagesAsync(32)).Value);
        Assert.Equal(Encoding.UTF8.GetBytes(garbage), parked.Body.ToArray());
        Assert.Equal(valid.Order(), invocations.Texts.Order());
        Assert.DoesNotContain(garbage, invocations.Texts);
    }

    [Fact]
    public async Task A_new_batch_is_fetched_while_a_slow_message_of_the_last_one_still_runs()
    {
        await using var azurite = await Azurite.StartAsync();
        var queueName = TestNames.Id("threshold");
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["AzureWebJobsStorage"] = azurite.ConnectionString,
                [SlowSetting] = queueName,
                [$"{HostJson.Section}:extensions:queues:batchSize"] = "2",
                [$"{HostJson.Section}:extensions:queues:newBatchThreshold"] = "1",
            })
            .Build();
        var function = FunctionCatalog.Discover([typeof(HoldsSlowMessages)], configuration).Single();
        await using var services = new ServiceCollection().AddSingleton<HoldsSlowMessages.Gate>().BuildServiceProvider();
        var gate = services.GetRequiredService<HoldsSlowMessages.Gate>();
        var invoker = new FunctionInvoker(services.GetRequiredService<IServiceScopeFactory>(), NullLogger<FunctionInvoker>.Instance);
        var queue = new QueueClient(azurite.ConnectionString, queueName, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        await queue.CreateAsync();
        await queue.SendMessageAsync("slow");
        await queue.SendMessageAsync("quick 1");

        using var listener = new QueueTriggerListener(function, configuration, invoker, TimeProvider.System, NullLogger<QueueTriggerListener>.Instance);
        await listener.StartAsync(CancellationToken.None);
        try
        {
            await Poll.UntilAsync(() => Task.FromResult(gate.Done.Contains("quick 1") && gate.Started.Contains("slow")), Deadline, "the first batch running, its quick message done");
            await queue.SendMessageAsync("quick 2");

            // One message (the slow one) still runs, no more than newBatchThreshold: the listener fetches again.
            await Poll.UntilAsync(() => Task.FromResult(gate.Done.Contains("quick 2")), Deadline, "the message sent later done while the slow one still runs");
            Assert.DoesNotContain("slow", gate.Done);
        }
        finally
        {
            gate.Release.TrySetResult();
            await listener.StopAsync(CancellationToken.None);
        }

        Assert.Contains("slow", gate.Done);
    }

    private const string SlowSetting = "DevHostRules:SlowQueue";

    public sealed class HoldsSlowMessages(HoldsSlowMessages.Gate gate)
    {
        [Function(nameof(HoldsSlowMessages))]
        public async Task Run([QueueTrigger($"%{SlowSetting}%")] string message)
        {
            gate.Started.Enqueue(message);
            if (message == "slow")
            {
                await gate.Release.Task.WaitAsync(TimeSpan.FromSeconds(30));
            }

            gate.Done.Enqueue(message);
        }

        /// <summary>What started and what finished; the slow message waits until <see cref="Release"/>.</summary>
        public sealed class Gate
        {
            public ConcurrentQueue<string> Started { get; } = new();
            public ConcurrentQueue<string> Done { get; } = new();
            public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public sealed class RecordsMessages(RecordsMessages.Invocations invocations)
    {
        [Function(nameof(RecordsMessages))]
        public void Run([QueueTrigger($"%{QueueSetting}%")] string message) => invocations.Texts.Enqueue(message);

        /// <summary>Every message text the function was invoked with; the listener invokes a batch concurrently.</summary>
        public sealed class Invocations
        {
            public ConcurrentQueue<string> Texts { get; } = new();
        }
    }
}
