using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace FunctionsHub.Testing;

/// <summary>
/// Azurite from the repository's node_modules, in memory (or on disk, for the load benchmark), on free ports, for one test assembly.
/// Set FUNCTIONSHUB_TEST_STORAGE to a connection string to use a storage account you started yourself.
/// </summary>
public sealed class Azurite : IAsyncDisposable
{
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly IReadOnlyList<Process> _processes;

    private Azurite(string connectionString, IReadOnlyList<Process> processes)
    {
        ConnectionString = connectionString;
        _processes = processes;
    }

    public string ConnectionString { get; }

    /// <summary>
    /// Starts Azurite in memory, or persisting to <paramref name="location"/> (a folder) when given. With
    /// <paramref name="processPerService"/> the blob, queue and table services run as three node processes
    /// (Azurite's own per-service entry points), each with its own JavaScript thread, instead of one
    /// process serving all three on one thread.
    /// </summary>
    public static async Task<Azurite> StartAsync(string? location = null, bool processPerService = false)
    {
        if (Environment.GetEnvironmentVariable("FUNCTIONSHUB_TEST_STORAGE") is { Length: > 0 } given)
        {
            return new Azurite(given, []);
        }

        var dist = Path.Combine(RepositoryRoot(), "node_modules", "azurite", "dist", "src");
        if (!File.Exists(Path.Combine(dist, "azurite.js")))
        {
            throw new InvalidOperationException($"Azurite is not installed at {dist}: run 'npm ci' in the repository root first.");
        }

        int blob = FreePort(), queue = FreePort(), table = FreePort();
        string[] persistence = location is null ? ["--inMemoryPersistence"] : ["--location", location];
        string[] extents = location is null ? ["--extentMemoryLimit", "256"] : []; // blob and queue content; tables have no extents
        string[] common = ["--skipApiVersionCheck", "--disableTelemetry", "--silent"];
        string[] blobPort = ["--blobPort", blob.ToString()], queuePort = ["--queuePort", queue.ToString()], tablePort = ["--tablePort", table.ToString()];
        string[][] commands = processPerService
            ?
            [
                [Path.Combine(dist, "blob", "main.js"), .. persistence, .. extents, .. common, .. blobPort],
                [Path.Combine(dist, "queue", "main.js"), .. persistence, .. extents, .. common, .. queuePort],
                [Path.Combine(dist, "table", "main.js"), .. persistence, .. common, .. tablePort],
            ]
            : [[Path.Combine(dist, "azurite.js"), .. persistence, .. extents, .. common, .. blobPort, .. queuePort, .. tablePort]];

        var processes = commands.Select(Node).ToList();
        var azurite = new Azurite(
            $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};" +
            $"BlobEndpoint=http://127.0.0.1:{blob}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{queue}/devstoreaccount1;" +
            $"TableEndpoint=http://127.0.0.1:{table}/devstoreaccount1;",
            processes);
        foreach (var port in new[] { blob, queue, table })
        {
            await Poll.UntilAsync(() => Task.FromResult(processes.All(p => !p.HasExited) && IsListening(port)), TimeSpan.FromSeconds(30), $"Azurite listening on port {port}");
        }

        return azurite;
    }

    public ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }

            process.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private static Process Node(string[] arguments)
    {
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node for Azurite.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>The folder holding package.json, found from the test's output folder upwards.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "package.json")) && File.Exists(Path.Combine(dir.FullName, "FunctionsHub.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Cannot find the repository root (package.json and FunctionsHub.sln) above " + AppContext.BaseDirectory);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool IsListening(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
