using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using FunctionsHub.Functions;
using FunctionsHub.Testing;
using Microsoft.Azure.Functions.Worker;

namespace FunctionsHub.EndToEnd.Tests;

/// <summary>
/// The Functions app as Azure gets it: <c>dotnet publish</c> of the project, once, and its output read as
/// the Functions host reads it. Every <c>[Function]</c> of the code is in <c>functions.metadata</c> with its
/// trigger, route, authorization level, queue or schedule; the worker is described; the repository's
/// host.json is there; and the WebJobs extension for the queue triggers is bundled (HTTP and timer
/// triggers are built into the host).
/// </summary>
public sealed class PublishedAppTests(PublishedApp app) : IClassFixture<PublishedApp>
{
    /// <summary>One trigger as both sides describe it.</summary>
    private sealed record Trigger(string Function, string Type, string? Route, string? AuthLevel, string? Methods, string? Queue, string? Schedule);

    private static IReadOnlyList<Trigger> FromCode() =>
        typeof(HubRegistration).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods())
            .Where(m => m.GetCustomAttribute<FunctionAttribute>() is not null)
            .Select(m =>
            {
                var name = m.GetCustomAttribute<FunctionAttribute>()!.Name;
                var attributes = m.GetParameters().SelectMany(p => p.GetCustomAttributes()).ToArray();
                return attributes.OfType<HttpTriggerAttribute>().FirstOrDefault() is { } http
                    ? new Trigger(name, "httpTrigger", http.Route, http.AuthLevel.ToString(), string.Join(",", http.Methods ?? []), null, null)
                    : attributes.OfType<QueueTriggerAttribute>().FirstOrDefault() is { } queue
                        ? new Trigger(name, "queueTrigger", null, null, null, queue.QueueName, null)
                        : attributes.OfType<TimerTriggerAttribute>().FirstOrDefault() is { } timer
                            ? new Trigger(name, "timerTrigger", null, null, null, null, timer.Schedule)
                            : new Trigger(name, "unknown", null, null, null, null, null);
            })
            .OrderBy(t => t.Function, StringComparer.Ordinal)
            .ToArray();

    private IReadOnlyList<Trigger> FromMetadata()
    {
        using var metadata = JsonDocument.Parse(File.ReadAllText(Path.Combine(app.Folder, "functions.metadata")));
        return metadata.RootElement.EnumerateArray()
            .Select(f =>
            {
                var trigger = f.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));
                string? Text(string property) => trigger.TryGetProperty(property, out var value) ? value.GetString() : null;
                var methods = trigger.TryGetProperty("methods", out var m) ? string.Join(",", m.EnumerateArray().Select(x => x.GetString())) : null;
                return new Trigger(f.GetProperty("name").GetString()!, trigger.GetProperty("type").GetString()!, Text("route"), Text("authLevel"), methods, Text("queueName"), Text("schedule"));
            })
            .OrderBy(t => t.Function, StringComparer.Ordinal)
            .ToArray();
    }

    [Fact]
    public void Every_function_of_the_code_is_in_functions_metadata_with_its_trigger_route_auth_level_and_queue_or_schedule()
    {
        var code = FromCode();

        Assert.DoesNotContain(code, t => t.Type == "unknown");
        Assert.Contains(code, t => t.Type == "timerTrigger");
        Assert.Equal(code, FromMetadata());
    }

    [Fact]
    public void The_worker_is_described_as_the_isolated_worker_running_the_apps_assembly()
    {
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(app.Folder, "worker.config.json")));
        var description = config.RootElement.GetProperty("description");

        Assert.Equal("dotnet-isolated", description.GetProperty("language").GetString());
        Assert.Equal("FunctionsHub.Functions.dll", description.GetProperty("defaultWorkerPath").GetString());
        Assert.True(File.Exists(Path.Combine(app.Folder, "FunctionsHub.Functions.dll")));
    }

    [Fact]
    public void The_repositorys_host_json_is_published()
    {
        Assert.Equal(
            File.ReadAllText(Path.Combine(Azurite.RepositoryRoot(), "host.json")),
            File.ReadAllText(Path.Combine(app.Folder, "host.json")));
    }

    [Fact]
    public void The_storage_queue_extension_the_queue_triggers_need_is_bundled()
    {
        using var extensions = JsonDocument.Parse(File.ReadAllText(Path.Combine(app.Folder, "extensions.json")));
        var queues = extensions.RootElement.GetProperty("extensions").EnumerateArray().Single(e => e.GetProperty("name").GetString() == "AzureStorageQueues");
        var hintPath = queues.GetProperty("hintPath").GetString()!;

        Assert.True(File.Exists(Path.Combine(app.Folder, hintPath)), $"{hintPath} is named in extensions.json but not in the published folder");
        Assert.Contains(FromCode(), t => t.Type == "queueTrigger");
    }
}

/// <summary><c>dotnet publish</c> of the Functions project into a folder of its own, once for the tests that read it.</summary>
public sealed class PublishedApp : IDisposable
{
    public PublishedApp()
    {
        Folder = Path.Combine(Path.GetTempPath(), $"functionshub-publish-{Guid.NewGuid():N}");
        var project = Path.Combine(Azurite.RepositoryRoot(), "src", "FunctionsHub.Functions", "FunctionsHub.Functions.csproj");
        var start = new ProcessStartInfo("dotnet", ["publish", project, "-c", "Release", "-o", Folder, "--nologo"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var publish = Process.Start(start)!;
        var output = publish.StandardOutput.ReadToEndAsync();
        var errors = publish.StandardError.ReadToEndAsync();
        if (!publish.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            publish.Kill(entireProcessTree: true);
            throw new TimeoutException("dotnet publish of the Functions app did not finish within 10 minutes.");
        }

        if (publish.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet publish of the Functions app failed ({publish.ExitCode}):\n{output.Result}\n{errors.Result}");
        }
    }

    public string Folder { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is no failure of the app.
        }
    }
}
