using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json;
using FunctionsHub.Testing;

namespace FunctionsHub.Benchmarks;

/// <summary>
/// What a benchmark's output says about where it ran: the machine, the runtime, Azurite and node,
/// and the load average (the development machine is shared, so other work competes for its cores).
/// </summary>
public static class BenchmarkMachine
{
    /// <summary><c>{cores} cores ({cpu}), {os}, {arch}</c>.</summary>
    public static string Describe() =>
        $"{Environment.ProcessorCount} cores ({CpuModel()}), {OsName()}, {RuntimeInformation.OSArchitecture}";

    /// <summary><c>{.NET}, {Release|Debug}; Azurite {version} on disk (node {version})</c>; "debugger attached" instead of the configuration when one is.</summary>
    public static string Runtime(Assembly benchmark) =>
        $"{RuntimeInformation.FrameworkDescription}, {(Debugger.IsAttached ? "debugger attached" : Configuration(benchmark))}; Azurite {AzuriteVersion()} on disk (node {NodeVersion()})";

    /// <summary>The 1, 5 and 15 minute load averages, or "unknown" off Linux.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static string Configuration(Assembly benchmark) =>
        benchmark.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "?";

    private static string OsName() =>
        File.Exists("/etc/os-release")
            ? File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?.Split('=', 2)[1].Trim('"') ?? RuntimeInformation.OSDescription
            : RuntimeInformation.OSDescription;

    private static string CpuModel()
    {
        const string CpuInfo = "/proc/cpuinfo";
        return File.Exists(CpuInfo)
            ? File.ReadLines(CpuInfo).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU"
            : "unknown CPU";
    }

    private static string AzuriteVersion()
    {
        var package = Path.Combine(Azurite.RepositoryRoot(), "node_modules", "azurite", "package.json");
        using var document = JsonDocument.Parse(File.ReadAllText(package));
        return document.RootElement.GetProperty("version").GetString() ?? "?";
    }

    private static string NodeVersion()
    {
        using var node = Process.Start(new ProcessStartInfo("node", "--version") { RedirectStandardOutput = true, UseShellExecute = false })!;
        var version = node.StandardOutput.ReadToEnd().Trim();
        node.WaitForExit();
        return version;
    }
}
