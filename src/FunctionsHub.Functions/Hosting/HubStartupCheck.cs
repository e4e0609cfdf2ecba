using System.Text.Json;
using System.Text.RegularExpressions;
using FunctionsHub.Core;
using FunctionsHub.Core.Configuration;
using FunctionsHub.Core.Serialization;
using FunctionsHub.Adapters.Mail;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace FunctionsHub.Functions.Hosting;

/// <summary>
/// Loads the configuration document once and checks it together with the settings, so that a
/// wrong start-up fails with every problem listed, naming the setting or document path.
/// </summary>
/// <param name="configuration">For the settings read outside <see cref="HubSettings"/> (<c>Hub:Smtp:*</c>); none in tests of the rest.</param>
public sealed partial class HubStartupCheck(IConfiguration? configuration = null) : IValidateOptions<HubSettings>
{
    private (HubDocument? Document, IReadOnlyList<string> Problems)? _loaded;

    /// <summary>The document loaded while the settings were validated (read <c>IOptions&lt;HubSettings&gt;.Value</c> first).</summary>
    public HubDocument Document => _loaded?.Document
        ?? throw new InvalidOperationException("The configuration document is not loaded: " + string.Join(" ", _loaded?.Problems ?? []));

    public ValidateOptionsResult Validate(string? name, HubSettings settings)
    {
        var loaded = _loaded ??= Load(settings.ConfigPath);
        var problems = new List<string>(loaded.Problems);

        if (!IsKey(settings.PseudonymKey))
        {
            problems.Add("Setting Hub:PseudonymKey must be base64 of at least 32 bytes.");
        }

        foreach (var (id, secret) in settings.Secrets)
        {
            if (!IsWebhookSecret(secret))
            {
                problems.Add($"Setting Hub:Secrets:{id} must be 'whsec_' followed by base64 of at least 24 bytes.");
            }
        }

        var secrets = new PartySecrets(settings.Secrets);
        foreach (var partner in loaded.Document?.Partners.Where(p => p.Enabled) ?? [])
        {
            if (secrets.Find(partner.Id) is null)
            {
                problems.Add($"{MissingSecret(partner.Id)}: enabled partner '{partner.Id}' could not sign its meldingen.");
            }
        }

        CheckCallbacks(problems, loaded.Document, settings, secrets);

        // Ordinal, as HubRegistration compares it: a value that passes here picks the transport it names.
        if (settings.Inbox.Transport is not (InboxSettings.StorageQueue or InboxSettings.ServiceBus))
        {
            problems.Add($"Setting Hub:Inbox:Transport must be '{InboxSettings.StorageQueue}' or '{InboxSettings.ServiceBus}'.");
        }
        else if (settings.Inbox.Transport == InboxSettings.ServiceBus && string.IsNullOrWhiteSpace(settings.ServiceBus))
        {
            problems.Add("Setting Hub:ServiceBus is required when Hub:Inbox:Transport is 'ServiceBus': a connection string or a fully qualified namespace.");
        }

        // E-mail is optional (without it campaigns go to partners by webhook only); once a host is set, all of it must be right.
        if (configuration is not null && !string.IsNullOrWhiteSpace(configuration[$"{SmtpSettings.Section}:Host"]))
        {
            problems.AddRange(SmtpSettings.Validate(configuration));
            if (!Uri.TryCreate(settings.PublicUrl, UriKind.Absolute, out var publicUrl) || publicUrl.Scheme is not ("https" or "http"))
            {
                problems.Add("Setting Hub:PublicUrl must be the hub's own absolute https address (http only locally) when Hub:Smtp:Host is set: campaign mails link to it to unsubscribe.");
            }
        }

        if (!TablePrefix().IsMatch(settings.Storage.TablePrefix))
        {
            problems.Add("Setting Hub:Storage:TablePrefix may hold letters and digits only, starting with a letter.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    /// <summary>
    /// Every party with a callback can be signed for, and every callback can be called under the
    /// delivery rules: otherwise each notification to it would fail, one by one, long after start-up.
    /// </summary>
    private static void CheckCallbacks(List<string> problems, HubDocument? document, HubSettings settings, PartySecrets secrets)
    {
        IEnumerable<(string Path, string Id, string? Url)> callbacks =
        [
            .. (document?.Gemeente.Subscribers ?? []).Select((s, i) => ($"gemeente.subscribers[{i}]", s.Id, (string?)s.CallbackUrl)),
            .. (document?.Partners ?? []).Select((p, i) => ($"partners[{i}]", p.Id, p.CallbackUrl)),
            .. (document?.Providers ?? []).Select((p, i) => ($"providers[{i}]", p.Id, p.CallbackUrl)),
        ];
        foreach (var (path, id, url) in callbacks.Where(c => c.Url is not null))
        {
            if (secrets.Find(id) is null)
            {
                problems.Add($"{MissingSecret(id)}: notifications to '{id}' ({path}.callbackUrl) could not be signed.");
            }

            if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttp && !settings.Delivery.AllowHttpLoopback)
            {
                problems.Add($"{path}.callbackUrl: '{url}' is http, which the hub calls only on loopback with Hub:Delivery:AllowHttpLoopback=true (local use); use https.");
            }
        }
    }

    private static string MissingSecret(string id) =>
        PartySecrets.SettingName(id) == id
            ? $"Setting Hub:Secrets:{id} is missing"
            : $"Setting Hub:Secrets:{id} (or Hub:Secrets:{PartySecrets.SettingName(id)}) is missing";

    public static byte[] DecodeKey(string base64) => Convert.FromBase64String(base64);

    private static bool IsKey(string? value) => TryBase64(value, out var bytes) && bytes.Length >= 32;

    private static bool IsWebhookSecret(string? value) =>
        value is not null && value.StartsWith("whsec_", StringComparison.Ordinal) && TryBase64(value["whsec_".Length..], out var bytes) && bytes.Length >= 24;

    private static bool TryBase64(string? value, out byte[] bytes)
    {
        bytes = new byte[value?.Length ?? 0];
        if (value is null)
        {
            return false;
        }

        if (!Convert.TryFromBase64String(value, bytes, out var written))
        {
            return false;
        }

        bytes = bytes[..written];
        return true;
    }

    private static (HubDocument?, IReadOnlyList<string>) Load(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return (null, ["Setting Hub:ConfigPath is required: the path of the configuration document."]);
        }

        // Relative to the app's own folder, not the working directory: func start, the DevHost and tests agree.
        path = Path.GetFullPath(path, AppContext.BaseDirectory);
        if (!File.Exists(path))
        {
            return (null, [$"Setting Hub:ConfigPath names '{path}', which does not exist."]);
        }

        HubDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(File.ReadAllText(path), HubJson.Default.HubDocument);
        }
        catch (JsonException e)
        {
            return (null, [$"Configuration document '{path}' is not valid JSON at {e.Path ?? "$"} (line {e.LineNumber + 1}): {e.Message}"]);
        }

        if (document is null)
        {
            return (null, [$"Configuration document '{path}' is empty."]);
        }

        document = document.WithDefaults();
        var problems = HubDocumentValidator.Validate(document).Select(p => $"Configuration document: {p}").ToArray();
        return (problems.Length == 0 ? document : null, problems);
    }

    // \z, not $: $ also matches before a final newline.
    [GeneratedRegex(@"^([A-Za-z][A-Za-z0-9]*)?\z")]
    private static partial Regex TablePrefix();
}
