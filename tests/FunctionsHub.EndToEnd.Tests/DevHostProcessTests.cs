using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using FunctionsHub.Testing;

namespace FunctionsHub.EndToEnd.Tests;

/// <summary>
/// The DevHost as a person runs it, in a process of its own: a start-up problem ends with what to fix
/// on standard error and exit code 1, no stack trace. No Azurite: these fail before storage is used.
/// </summary>
public sealed class DevHostProcessTests
{
    private sealed record Run(int ExitCode, string Output, string Errors);

    /// <summary>The DevHost built beside these tests (same configuration), started with these environment variables.</summary>
    private static async Task<Run> RunDevHostAsync(int port, params (string Name, string Value)[] environment)
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var devHost = Path.Combine(Azurite.RepositoryRoot(), "src", "FunctionsHub.DevHost", "bin", configuration, "net10.0", "FunctionsHub.DevHost.dll");
        Assert.True(File.Exists(devHost), $"{devHost} is missing: build the solution first (dotnet build).");
        var start = new ProcessStartInfo("dotnet", [devHost, "--urls", $"http://127.0.0.1:{port}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(devHost)!,
        };
        start.Environment["AzureWebJobsStorage"] = "UseDevelopmentStorage=true";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"The DevHost did not stop within 60 s.\n{await output}\n{await errors}");
        }

        return new Run(process.ExitCode, await output, await errors);
    }

    [Fact]
    public async Task A_wrong_setting_ends_with_the_list_of_problems_and_exit_code_1_without_a_stack_trace()
    {
        var run = await RunDevHostAsync(Azurite.FreePort(), ("Hub__PseudonymKey", "not-a-key"), ("Hub__Inbox__Transport", "Kafka"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("FunctionsHub cannot start. Fix these settings", run.Errors, StringComparison.Ordinal);
        Assert.Contains("  - Setting Hub:PseudonymKey must be base64 of at least 32 bytes.", run.Errors, StringComparison.Ordinal);
        Assert.Contains("  - Setting Hub:Inbox:Transport must be", run.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Output + run.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_port_that_is_taken_ends_with_one_line_that_says_how_to_pick_another_and_exit_code_1()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var run = await RunDevHostAsync(port);

        Assert.Equal(1, run.ExitCode);
        var line = Assert.Single(run.Errors.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith($"FunctionsHub cannot start: Failed to bind to address http://127.0.0.1:{port}", line, StringComparison.Ordinal);
        Assert.Contains("HUB_URLS=", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Output + run.Errors, StringComparison.Ordinal);
    }
}
