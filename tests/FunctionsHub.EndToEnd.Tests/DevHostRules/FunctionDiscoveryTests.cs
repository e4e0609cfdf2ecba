using Azure.Storage.Queues.Models;
using FunctionsHub.DevHost.Discovery;
using FunctionsHub.Functions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.Extensions.Configuration;

namespace FunctionsHub.EndToEnd.Tests.DevHostRules;

/// <summary>How the DevHost finds functions and decides to bind them, without starting anything.</summary>
public sealed class FunctionDiscoveryTests
{
    private static readonly IConfiguration Settings = new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Hub:Schedules:Digest"] = "0 0 6 1 * *",
            ["Hub:Schedules:Deadlines"] = "0 */15 * * * *",
            ["Hub:Schedules:Campaigns"] = "0 0 7 * * *",
            ["Hub:Schedules:Retention"] = "0 30 2 * * *",
            ["Samples:Queue"] = "sample-queue",
        })
        .Build();

    [Fact]
    public void Finds_every_function_of_the_hub_with_its_trigger()
    {
        var functions = FunctionCatalog.Discover(typeof(HubRegistration).Assembly, Settings).ToDictionary(f => f.Name);

        Assert.Equal(TriggerKind.Http, functions["ReceiveMelding"].Trigger);
        Assert.Equal("feeds/{feed}/meldingen", functions["ReceiveMelding"].Http!.Route);
        Assert.Equal(["post"], functions["ReceiveMelding"].Http!.Methods!);
        Assert.Equal(TriggerKind.Queue, functions["RouteMelding"].Trigger);
        Assert.Equal("meldingen-intake", functions["RouteMelding"].QueueName);
        Assert.Equal("AzureWebJobsStorage", functions["RouteMelding"].Connection);
        Assert.Equal(TriggerKind.Timer, functions["CompileDigest"].Trigger);
        Assert.Equal(TriggerKind.Timer, functions["CheckDeadlines"].Trigger);
        Assert.Equal(TriggerKind.Timer, functions["SendCampaigns"].Trigger);
        Assert.Equal(TriggerKind.Timer, functions["PurgeRetention"].Trigger);
        Assert.Equal("referrers/unsubscribe", functions["UnsubscribeReferrer"].Http!.Route);
        Assert.Equal(["get", "post"], functions["UnsubscribeReferrer"].Http!.Methods!);
    }

    [Theory]
    [InlineData("true")]
    [InlineData("True")]
    [InlineData("1")]
    public void A_function_disabled_by_the_hosts_setting_is_not_served(string value)
    {
        var settings = new ConfigurationBuilder().AddConfiguration(Settings)
            .AddInMemoryCollection(new Dictionary<string, string?> { ["AzureWebJobs.DeliverNotification.Disabled"] = value })
            .Build();

        var functions = FunctionCatalog.Discover(typeof(HubRegistration).Assembly, settings).Select(f => f.Name).ToArray();

        Assert.DoesNotContain("DeliverNotification", functions);
        Assert.Contains("RouteMelding", functions);
    }

    [Fact]
    public void Resolves_a_percent_setting_in_a_timer_schedule()
    {
        var digest = FunctionCatalog.Discover(typeof(HubRegistration).Assembly, Settings).Single(f => f.Name == "CompileDigest");

        Assert.Equal("0 0 6 1 * *", digest.Schedule);
    }

    [Fact]
    public void Resolves_a_percent_setting_in_a_queue_name()
    {
        var function = FunctionCatalog.Discover([typeof(QueueFromSetting)], Settings).Single();

        Assert.Equal("sample-queue", function.QueueName);
        Assert.Equal("SampleStorage", function.Connection);
    }

    [Fact]
    public void A_missing_setting_stops_start_up_naming_function_and_setting()
    {
        var empty = new ConfigurationBuilder().Build();

        var error = Assert.Throws<UnsupportedBindingException>(() => FunctionCatalog.Discover(typeof(HubRegistration).Assembly, empty));

        Assert.Contains(error.Problems, p => p.Contains("'CompileDigest'") && p.Contains("Hub:Schedules:Digest"));
        Assert.Contains(error.Problems, p => p.Contains("'CheckDeadlines'") && p.Contains("Hub:Schedules:Deadlines"));
        Assert.Contains(error.Problems, p => p.Contains("'SendCampaigns'") && p.Contains("Hub:Schedules:Campaigns"));
        Assert.Contains(error.Problems, p => p.Contains("'PurgeRetention'") && p.Contains("Hub:Schedules:Retention"));
    }

    [Fact]
    public void Route_values_bind_to_parameters_of_the_same_name()
    {
        var function = FunctionCatalog.Discover([typeof(HttpWithRouteValues)], Settings).Single();

        Assert.Equal(
            [ParameterSource.HttpRequest, ParameterSource.RouteValue, ParameterSource.RouteValue, ParameterSource.CancellationToken],
            function.Parameters.Select(p => p.Source));
    }

    [Theory]
    [InlineData(typeof(QueueWithFunctionContext), "'QueueWithFunctionContext'", "'context'")]
    [InlineData(typeof(HttpWithRequestData), "'HttpWithRequestData'", "'request'")]
    [InlineData(typeof(HttpWithUnknownParameter), "'HttpWithUnknownParameter'", "'page'")]
    [InlineData(typeof(QueueWithOutputBinding), "'QueueWithOutputBinding'", "output bindings are not supported")]
    [InlineData(typeof(TimerWithFiveFieldCron), "'TimerWithFiveFieldCron'", "NCRONTAB")]
    [InlineData(typeof(HttpReturningString), "'HttpReturningString'", "IActionResult")]
    [InlineData(typeof(TwoTriggers), "'TwoTriggers'", "exactly one trigger")]
    public void An_unsupported_binding_shape_stops_start_up_with_a_message_naming_it(Type type, string function, string detail)
    {
        var error = Assert.Throws<UnsupportedBindingException>(() => FunctionCatalog.Discover([type], Settings));

        var problem = Assert.Single(error.Problems, p => p.Contains(detail));
        Assert.Contains(function, problem);
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void Every_unsupported_shape_is_listed_at_once()
    {
        var error = Assert.Throws<UnsupportedBindingException>(() =>
            FunctionCatalog.Discover([typeof(QueueWithFunctionContext), typeof(HttpWithRequestData), typeof(HttpWithRouteValues)], Settings));

        Assert.Equal(2, error.Problems.Count);
    }

    [Theory]
    [InlineData(typeof(string), ParameterSource.QueueMessageText)]
    [InlineData(typeof(BinaryData), ParameterSource.QueueMessageBinary)]
    [InlineData(typeof(byte[]), ParameterSource.QueueMessageBytes)]
    [InlineData(typeof(QueueMessage), ParameterSource.QueueMessage)]
    [InlineData(typeof(SamplePayload), ParameterSource.QueueMessageJson)]
    public void A_queue_trigger_binds_text_binary_message_or_json(Type parameterType, ParameterSource expected)
    {
        var type = typeof(QueueShapes).GetNestedTypes().Single(t => t.GetMethods().Any(m => m.GetParameters().FirstOrDefault()?.ParameterType == parameterType));

        var function = FunctionCatalog.Discover([type], Settings).Single();

        Assert.Equal(expected, function.Parameters[0].Source);
    }

    // Sample function classes: each shows one binding shape.

    public sealed class QueueFromSetting
    {
        [Function(nameof(QueueFromSetting))]
        public void Run([QueueTrigger("%Samples:Queue%", Connection = "SampleStorage")] string message) { }
    }

    public sealed class HttpWithRouteValues
    {
        [Function(nameof(HttpWithRouteValues))]
        public IActionResult Run([HttpTrigger(AuthorizationLevel.Function, "get", Route = "items/{id:int}/{name}")] HttpRequest request, int id, string name, CancellationToken cancellationToken) => new OkResult();
    }

    public sealed class QueueWithFunctionContext
    {
        [Function(nameof(QueueWithFunctionContext))]
        public void Run([QueueTrigger("q")] string message, FunctionContext context) { }
    }

    public sealed class HttpWithRequestData
    {
        [Function(nameof(HttpWithRequestData))]
        public IActionResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get")] HttpRequestData request) => new OkResult();
    }

    public sealed class HttpWithUnknownParameter
    {
        [Function(nameof(HttpWithUnknownParameter))]
        public IActionResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "things")] HttpRequest request, int page) => new OkResult();
    }

    public sealed class QueueWithOutputBinding
    {
        [Function(nameof(QueueWithOutputBinding))]
        [QueueOutput("elsewhere")]
        public string Run([QueueTrigger("q")] string message) => message;
    }

    public sealed class TimerWithFiveFieldCron
    {
        [Function(nameof(TimerWithFiveFieldCron))]
        public void Run([TimerTrigger("0 6 1 * *")] TimerInfo timer) { }
    }

    public sealed class HttpReturningString
    {
        [Function(nameof(HttpReturningString))]
        public string Run([HttpTrigger(AuthorizationLevel.Anonymous, "get")] HttpRequest request) => "ok";
    }

    public sealed class TwoTriggers
    {
        [Function(nameof(TwoTriggers))]
        public void Run([QueueTrigger("a")] string a, [QueueTrigger("b")] string b) { }
    }

    public sealed record SamplePayload(string Name);

    public static class QueueShapes
    {
        public sealed class Text
        {
            [Function("Text")]
            public void Run([QueueTrigger("q")] string message) { }
        }

        public sealed class Binary
        {
            [Function("Binary")]
            public void Run([QueueTrigger("q")] BinaryData message) { }
        }

        public sealed class Bytes
        {
            [Function("Bytes")]
            public void Run([QueueTrigger("q")] byte[] message) { }
        }

        public sealed class Message
        {
            [Function("Message")]
            public void Run([QueueTrigger("q")] QueueMessage message) { }
        }

        public sealed class Json
        {
            [Function("Json")]
            public void Run([QueueTrigger("q")] SamplePayload message) { }
        }
    }
}
