using FunctionsHub.DevHost;
using FunctionsHub.DevHost.Discovery;
using Microsoft.Extensions.Configuration;

namespace FunctionsHub.EndToEnd.Tests.DevHostRules;

/// <summary>host.json, schedules and configuration as the DevHost reads them.</summary>
public sealed class HostRulesTests
{
    [Fact]
    public void Queue_options_default_as_in_the_Functions_host()
    {
        var options = QueueHostOptions.From(new ConfigurationBuilder().Build());

        Assert.Equal(new QueueHostOptions(16, Environment.ProcessorCount * 8, 5, TimeSpan.Zero, TimeSpan.FromMinutes(1), Base64: true), options);
    }

    [Fact]
    public void Queue_options_come_from_host_json_and_settings_override_them()
    {
        var hostJson = Path.Combine(Path.GetTempPath(), $"host-{Guid.NewGuid():N}.json");
        File.WriteAllText(hostJson, """
            { "version": "2.0", "extensions": { "queues": { "batchSize": 4, "newBatchThreshold": 1, "maxDequeueCount": 3, "visibilityTimeout": "00:00:30", "maxPollingInterval": "00:00:05", "messageEncoding": "none" } } }
            """);
        try
        {
            var configuration = new ConfigurationBuilder()
                .AddInMemoryCollection(HostJson.Read(hostJson))
                .AddInMemoryCollection(new Dictionary<string, string?> { ["AzureFunctionsJobHost:extensions:queues:maxDequeueCount"] = "2" })
                .Build();

            var options = QueueHostOptions.From(configuration);

            Assert.Equal(new QueueHostOptions(4, 1, 2, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(5), Base64: false), options);
        }
        finally
        {
            File.Delete(hostJson);
        }
    }

    [Fact]
    public void An_unknown_message_encoding_is_refused()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["AzureFunctionsJobHost:extensions:queues:messageEncoding"] = "utf8" })
            .Build();

        var error = Assert.Throws<InvalidOperationException>(() => QueueHostOptions.From(configuration));

        Assert.Contains("messageEncoding", error.Message);
    }

    [Fact]
    public void The_repository_host_json_sets_the_api_route_prefix()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(HostJson.Read(Path.Combine(AppContext.BaseDirectory, "host.json"))).Build();

        Assert.Equal("api", QueueHostOptions.RoutePrefix(configuration));
    }

    [Theory]
    [InlineData("0 */5 * * * *", "2026-11-29T10:02:30", "2026-11-29T10:05:00")]
    [InlineData("0 0 6 1 * *", "2026-11-29T10:02:30", "2026-12-01T06:00:00")]
    [InlineData("30 * * * * *", "2026-11-29T10:02:30", "2026-11-29T10:03:30")]
    [InlineData("00:00:10", "2026-11-29T10:02:30", "2026-11-29T10:02:40")]
    public void Schedules_give_the_next_occurrence_in_UTC(string schedule, string from, string expected)
    {
        Assert.True(Schedules.TryParse(schedule, out var next));

        Assert.Equal(DateTime.Parse(expected), next(DateTime.Parse(from)));
    }

    [Theory]
    [InlineData("0 6 1 * *")]
    [InlineData("every day")]
    [InlineData("-00:00:10")]
    public void Schedules_that_are_not_6_field_ncrontab_or_a_timespan_are_refused(string schedule)
    {
        Assert.False(Schedules.TryParse(schedule, out _));
    }
}
