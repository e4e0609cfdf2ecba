using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FunctionsHub.Testing;

namespace FunctionsHub.EndToEnd.Tests.Digests;

/// <summary>
/// A real headless Chromium, driven over the Chrome DevTools Protocol from C#.
/// <para>
/// Found, in order: <c>FUNCTIONSHUB_CHROMIUM</c> (a path); the npm package <c>@sparticuz/chromium</c>
/// that <c>npm ci</c> installs (a dev dependency of package.json: it ships Chromium brotli-compressed and
/// unpacks it to the temp folder when asked for its path, which a one-line node script does); Debian's
/// <c>/usr/bin/chromium</c>. Without any of them the test fails and says to run <c>npm ci</c>.
/// </para>
/// <para>
/// Why the protocol and not <c>--screenshot</c>/<c>--dump-dom</c>: the page may have no JavaScript, so
/// the test cannot ask the page to measure itself; over the protocol the test evaluates
/// <c>document.documentElement.scrollWidth</c> in the loaded page from outside, reads what a reader
/// sees (<c>innerText</c>), the DOM after parsing and takes the screenshot, all in one browser start.
/// (On this machine the packaged headless shell also never finished a <c>--screenshot</c> run.) It
/// listens on a free port (<c>--remote-debugging-port=0</c>) and says which on stderr.
/// </para>
/// </summary>
public sealed partial class HeadlessChromium : IAsyncDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly string _profile;
    private readonly ClientWebSocket _socket = new();
    private readonly Dictionary<int, TaskCompletionSource<JsonNode>> _pending = [];
    private readonly List<string> _events = [];
    private readonly CancellationTokenSource _stop = new();
    private int _nextId;
    private Task? _receiving;

    private HeadlessChromium(Process process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    public static string FindExecutable()
    {
        if (Environment.GetEnvironmentVariable("FUNCTIONSHUB_CHROMIUM") is { Length: > 0 } given)
        {
            return File.Exists(given) ? given : throw new InvalidOperationException($"FUNCTIONSHUB_CHROMIUM names {given}, which does not exist.");
        }

        var root = Azurite.RepositoryRoot();
        if (Directory.Exists(Path.Combine(root, "node_modules", "@sparticuz", "chromium")))
        {
            var node = new ProcessStartInfo("node") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            node.ArgumentList.Add("-e");
            node.ArgumentList.Add("import('@sparticuz/chromium').then(m => m.default.executablePath()).then(p => console.log(p))");
            using var unpack = Process.Start(node) ?? throw new InvalidOperationException("Could not start node.");
            var output = unpack.StandardOutput.ReadToEnd();
            var error = unpack.StandardError.ReadToEnd();
            unpack.WaitForExit();
            var path = output.Trim();
            return unpack.ExitCode == 0 && File.Exists(path)
                ? path
                : throw new InvalidOperationException($"@sparticuz/chromium did not unpack Chromium (exit {unpack.ExitCode}): {error.Trim()}");
        }

        if (File.Exists("/usr/bin/chromium"))
        {
            return "/usr/bin/chromium";
        }

        throw new InvalidOperationException(
            $"No Chromium for the browser tests: run 'npm ci' in {root} (it installs @sparticuz/chromium from package.json), " +
            "or install Debian's chromium (apt-get install chromium), or set FUNCTIONSHUB_CHROMIUM to a Chromium executable.");
    }

    public static async Task<HeadlessChromium> StartAsync(int width, int height)
    {
        var executable = FindExecutable();
        var profile = Directory.CreateTempSubdirectory("functionshub-chromium-").FullName;
        var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[]
                 {
                     "--headless", "--no-sandbox", "--disable-gpu", "--no-zygote", "--single-process", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                     $"--user-data-dir={profile}", "--remote-debugging-port=0", $"--window-size={width},{height}", "about:blank",
                 })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {executable}.");
        var browser = new HeadlessChromium(process, profile);
        string? endpoint = null;
        var errors = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (errors)
            {
                errors.AppendLine(e.Data);
            }

            if (Listening().Match(e.Data) is { Success: true } m)
            {
                endpoint = m.Groups[1].Value;
            }
        };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();

        try
        {
            await Poll.UntilAsync(() => process.HasExited
                ? throw new InvalidOperationException($"{executable} exited with {process.ExitCode}: {errors}")
                : Task.FromResult(endpoint is not null), Deadline, "Chromium's DevTools endpoint");

            // The browser's endpoint gives the port; the page (about:blank) has its own socket.
            var port = new Uri(endpoint!).Port;
            using var http = new HttpClient();
            var targets = JsonNode.Parse(await http.GetStringAsync($"http://127.0.0.1:{port}/json/list"))!.AsArray();
            var page = targets.First(t => (string?)t!["type"] == "page")!["webSocketDebuggerUrl"]!.GetValue<string>();
            await browser._socket.ConnectAsync(new Uri(page), CancellationToken.None);
            browser._receiving = browser.ReceiveAsync();
            await browser.SendAsync("Page.enable");
            await browser.SendAsync("Emulation.setDeviceMetricsOverride", new JsonObject { ["width"] = width, ["height"] = height, ["deviceScaleFactor"] = 1, ["mobile"] = false });
            return browser;
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    /// <summary>Opens <paramref name="url"/> and waits for its load event.</summary>
    public async Task NavigateAsync(string url)
    {
        lock (_events)
        {
            _events.Clear();
        }

        await SendAsync("Page.navigate", new JsonObject { ["url"] = url });
        await Poll.UntilAsync(() =>
        {
            lock (_events)
            {
                return Task.FromResult(_events.Contains("Page.loadEventFired"));
            }
        }, Deadline, $"the load event of {url}");
    }

    /// <summary>Evaluates an expression in the page (from outside: the page itself runs no script) and returns its value.</summary>
    public async Task<JsonNode?> EvaluateAsync(string expression)
    {
        var answer = await SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true });
        if (answer["exceptionDetails"] is { } failure)
        {
            throw new InvalidOperationException($"{expression} failed: {failure.ToJsonString()}");
        }

        return answer["result"]!["value"];
    }

    /// <summary>A PNG of the whole page at the current width.</summary>
    public async Task<byte[]> ScreenshotAsync()
    {
        var answer = await SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png", ["captureBeyondViewport"] = true });
        return Convert.FromBase64String(answer["data"]!.GetValue<string>());
    }

    public async Task SetViewportAsync(int width, int height) =>
        await SendAsync("Emulation.setDeviceMetricsOverride", new JsonObject { ["width"] = width, ["height"] = height, ["deviceScaleFactor"] = 1, ["mobile"] = false });

    private async Task<JsonNode> SendAsync(string method, JsonObject? parameters = null)
    {
        var id = Interlocked.Increment(ref _nextId);
        var answer = new TaskCompletionSource<JsonNode>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_pending)
        {
            _pending[id] = answer;
        }

        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() };
        await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None);
        var reply = await answer.Task.WaitAsync(Deadline);
        return reply["error"] is { } error ? throw new InvalidOperationException($"{method}: {error.ToJsonString()}") : reply["result"]!;
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[1 << 16];
        using var message = new MemoryStream();
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                var part = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (part.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                message.Write(buffer, 0, part.Count);
                if (!part.EndOfMessage)
                {
                    continue;
                }

                var node = JsonNode.Parse(message.ToArray())!;
                message.SetLength(0);
                if (node["id"] is { } id)
                {
                    TaskCompletionSource<JsonNode>? waiting;
                    lock (_pending)
                    {
                        _pending.Remove(id.GetValue<int>(), out waiting);
                    }

                    waiting?.TrySetResult(node);
                }
                else if (node["method"]?.GetValue<string>() is { } method)
                {
                    lock (_events)
                    {
                        _events.Add(method);
                    }
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // The browser went away or the test is done.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_receiving is not null)
        {
            await _receiving;
        }

        _socket.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _stop.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // Chromium may still hold a lock file for a moment; the temp folder is cleaned up by the OS.
        }
    }

    [GeneratedRegex(@"DevTools listening on (ws://\S+)")]
    private static partial Regex Listening();
}
