using System.Diagnostics;
using System.Reflection;

namespace FunctionsHub.Infra.Tests;

/// <summary>
/// The bicep binary of the NuGet package <c>Azure.Bicep.CommandLine.linux-x64</c> (restored with the
/// test project; <c>BICEP_PATH</c> overrides it, e.g. on a machine that is not linux-x64), run as a process.
/// </summary>
public static class Bicep
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public override string ToString() => $"exit code {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
    }

    private static readonly Lazy<string> Binary = new(Locate);

    public static string RepositoryRoot { get; } = Metadata("RepositoryRoot");

    public static Result Run(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo(Binary.Value)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // No telemetry, and no look-up of a newer version on the network.
        start.Environment["BICEP_TELEMETRY_ENABLED"] = "false";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {Binary.Value}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', arguments)} did not finish within 3 minutes.");
        }

        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    private static string Locate()
    {
        var path = Environment.GetEnvironmentVariable("BICEP_PATH") is { Length: > 0 } overridden ? overridden : Metadata("BicepPath");
        if (!File.Exists(path))
        {
            throw new InvalidOperationException(
                $"The bicep binary is missing: '{path}' does not exist. It comes from the NuGet package " +
                "Azure.Bicep.CommandLine.linux-x64 (version in Directory.Packages.props), which `dotnet restore` " +
                "or `dotnet test tests/FunctionsHub.Infra.Tests` brings from the package feed. On a machine that " +
                "is not linux-x64, install Bicep (`az bicep install`) and set BICEP_PATH to the binary.");
        }

        if (!OperatingSystem.IsWindows())
        {
            // A package extracted without the execute bit (some feeds and caches lose it).
            var mode = File.GetUnixFileMode(path);
            const UnixFileMode execute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
            if ((mode & UnixFileMode.UserExecute) == 0)
            {
                File.SetUnixFileMode(path, mode | execute);
            }
        }

        return path;
    }

    private static string Metadata(string key) =>
        typeof(Bicep).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == key)?.Value
        ?? throw new InvalidOperationException($"Assembly metadata '{key}' is missing: see FunctionsHub.Infra.Tests.csproj.");
}
