using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using FunctionsHub.Testing;

namespace FunctionsHub.EndToEnd.Tests;

/// <summary>
/// <c>npm start</c>'s script as a person runs it, on free ports (none of the defaults): it says where the
/// hub and its storage are in its state file, the other scripts find both there (so they reach this hub
/// and its Azurite, not whatever holds the default ports), and one SIGTERM stops everything it started.
/// </summary>
public sealed class LocalScriptsTests : IDisposable
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromMinutes(4);

    private readonly string _state = Path.Combine(Path.GetTempPath(), $"local-hub-{Guid.NewGuid():N}.json");
    private readonly StringBuilder _output = new();

    public void Dispose() => File.Delete(_state);

    private ProcessStartInfo Node(params string[] arguments)
    {
        var start = new ProcessStartInfo("node", arguments)
        {
            WorkingDirectory = Azurite.RepositoryRoot(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["HUB_STATE"] = _state;
        start.Environment.Remove("AzureWebJobsStorage");
        return start;
    }

    /// <summary>Runs one of the scripts to its end; answers its exit code and everything it printed.</summary>
    private async Task<(int ExitCode, string Output)> ScriptAsync(params string[] arguments)
    {
        using var script = Process.Start(Node(arguments))!;
        var output = script.StandardOutput.ReadToEndAsync();
        var errors = script.StandardError.ReadToEndAsync();
        await script.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (script.ExitCode, await output + await errors);
    }

    private static bool Listening(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    [Fact]
    public async Task Npm_start_says_where_its_hub_and_storage_are_the_scripts_use_that_and_SIGTERM_stops_everything_it_started()
    {
        var ports = Enumerable.Range(0, 7).Select(_ => Azurite.FreePort()).Distinct().ToArray();
        Assert.Equal(7, ports.Length);
        // `npm start` itself, as a person or an IDE runs it: the SIGTERM below goes to npm, not to the script.
        var start = Node();
        start.FileName = "npm";
        start.ArgumentList.Add("start");
        start.Environment["HUB_URLS"] = $"http://127.0.0.1:{ports[0]}";
        start.Environment["AZURITE_BLOB_PORT"] = ports[1].ToString();
        start.Environment["AZURITE_QUEUE_PORT"] = ports[2].ToString();
        start.Environment["AZURITE_TABLE_PORT"] = ports[3].ToString();
        start.Environment["MAIL_SMTP_PORT"] = ports[4].ToString();
        start.Environment["MAIL_WEB_PORT"] = ports[5].ToString();
        start.Environment["CALLBACKS_PORT"] = ports[6].ToString();
        using var hub = Process.Start(start)!;
        hub.OutputDataReceived += (_, e) => { lock (_output) { _output.AppendLine(e.Data); } };
        hub.ErrorDataReceived += (_, e) => { lock (_output) { _output.AppendLine(e.Data); } };
        hub.BeginOutputReadLine();
        hub.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            await Poll.UntilAsync(async () =>
            {
                Assert.False(hub.HasExited, $"npm start ended early:\n{Printed()}");
                try
                {
                    return File.Exists(_state) && (await http.GetAsync($"http://127.0.0.1:{ports[0]}/api/health")).IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            }, StartDeadline, "the local hub answering /api/health and its state file written");

            using (var state = JsonDocument.Parse(File.ReadAllText(_state)))
            {
                Assert.Equal($"http://127.0.0.1:{ports[0]}", state.RootElement.GetProperty("url").GetString());
                Assert.Contains($"QueueEndpoint=http://127.0.0.1:{ports[2]}/", state.RootElement.GetProperty("storage").GetString(), StringComparison.Ordinal);
            }

            // No --url, no AzureWebJobsStorage: the scripts find this hub and its Azurite, on none of the default ports.
            var posted = await ScriptAsync("scripts/post-melding.mjs", "samples/school.json");
            Assert.True(posted.ExitCode == 0, posted.Output);
            Assert.Contains($"POST http://127.0.0.1:{ports[0]}/api/feeds/school/meldingen", posted.Output, StringComparison.Ordinal);
            await Poll.UntilAsync(
                async () => (await ScriptAsync("scripts/peek-inbox.mjs", "cjg")).Output.Contains("functionshub.referral.v1", StringComparison.Ordinal),
                TimeSpan.FromSeconds(60), "the referral in inbox-cjg, read by npm run inbox from the hub's own Azurite");

            // The one command line for the rest: the melding's status as its partner, a poison listing, a timer fired now.
            var meldingId = System.Text.RegularExpressions.Regex.Match(posted.Output, "\"meldingId\": ?\"(mld_[0-9a-f]+)\"").Groups[1].Value;
            Assert.NotEmpty(meldingId);
            var status = await ScriptAsync("scripts/hub.mjs", "get", meldingId);
            Assert.True(status.ExitCode == 0 && status.Output.Contains("\"cjg\"", StringComparison.Ordinal), status.Output);
            var poison = await ScriptAsync("scripts/hub.mjs", "poison", "meldingen-intake");
            Assert.True(poison.ExitCode == 0, poison.Output);
            var fired = await ScriptAsync("scripts/hub.mjs", "fire", "SendCampaigns");
            Assert.True(fired.ExitCode == 0 && fired.Output.Contains($"POST http://127.0.0.1:{ports[0]}/admin/functions/SendCampaigns", StringComparison.Ordinal), fired.Output);

            // The welfare sample is about the school sample's child: a match, which the school confirms once both are routed.
            var welfare = await ScriptAsync("scripts/post-melding.mjs", "samples/welfare.json");
            Assert.True(welfare.ExitCode == 0, welfare.Output);
            var welfareId = System.Text.RegularExpressions.Regex.Match(welfare.Output, "\"meldingId\": ?\"(mld_[0-9a-f]+)\"").Groups[1].Value;
            var matchId = FunctionsHub.Core.Identifiers.MatchId(meldingId, welfareId);
            await Poll.UntilAsync(
                async () => (await ScriptAsync("scripts/hub.mjs", "contact", matchId)).ExitCode == 0,
                TimeSpan.FromSeconds(60), "the match's contact confirmed by npm run hub -- contact once routing found it");
            // The school takes its melding back: the command answers the status, retracted.
            var retracted = await ScriptAsync("scripts/hub.mjs", "retract", meldingId, "--reason", "duplicate");
            Assert.True(retracted.ExitCode == 0 && retracted.Output.Contains("\"retracted\"", StringComparison.Ordinal), retracted.Output);
            var unknown = await ScriptAsync("scripts/hub.mjs", "frobnicate");
            Assert.Equal(2, unknown.ExitCode);

            using (var term = Process.Start("kill", ["-TERM", hub.Id.ToString()]))
            {
                await term.WaitForExitAsync();
            }

            await hub.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            await Poll.UntilAsync(() => Task.FromResult(!ports.Any(Listening)), TimeSpan.FromSeconds(30),
                "nothing npm start started still listening (hub, Azurite, mail inbox, callbacks receiver)");
            Assert.False(File.Exists(_state), "the state file is removed when the hub stops");
        }
        finally
        {
            if (!hub.HasExited)
            {
                hub.Kill(entireProcessTree: true);
            }

            // A test that failed after npm was gone must not leave the script's children behind: stop the script itself.
            if (File.Exists(_state))
            {
                using var state = JsonDocument.Parse(File.ReadAllText(_state));
                using var stop = Process.Start("kill", ["-TERM", state.RootElement.GetProperty("pid").GetInt32().ToString()]);
                await stop.WaitForExitAsync();
            }
        }
    }

    private string Printed()
    {
        lock (_output)
        {
            return _output.ToString();
        }
    }
}
