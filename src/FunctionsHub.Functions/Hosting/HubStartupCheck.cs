using System.Text.Json;
using System.Text.RegularExpressions;
using Azure;
using FunctionsHub.Adapters.Storage;
using FunctionsHub.Core;
using FunctionsHub.Core.Configuration;
using FunctionsHub.Core.Serialization;
using FunctionsHub.Adapters.Mail;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace FunctionsHub.Functions.Hosting;

/// <summary>
/// Loads the configuration document once (from the file <c>Hub:ConfigPath</c> or the blob
/// <c>Hub:ConfigUrl</c>) and checks it together with the settings, so that a wrong start-up fails
/// with every problem listed, naming the setting or document path. A reloaded blob passes the same
/// document checks (<see cref="Parse"/>, <see cref="DocumentProblems"/>) before it replaces the one in force.
/// </summary>
/// <param name="configuration">For the settings read outside <see cref="HubSettings"/> (<c>Hub:Smtp:*</c>, the storage
/// connection of the configuration blob); none in tests of the rest.</param>
public sealed partial class HubStartupCheck(IConfiguration? configuration = null) : IValidateOptions<HubSettings>
{
    private Loaded? _loaded;

    private IConfiguration Configuration => configuration ?? new ConfigurationBuilder().Build();

    /// <summary>The document loaded while the settings were validated (read <c>IOptions&lt;HubSettings&gt;.Value</c> first).</summary>
    public HubDocument Document => _loaded?.Document
        ?? throw new InvalidOperationException("The configuration document is not loaded: " + string.Join(" ", _loaded?.Problems ?? []));

    /// <summary>The blob's version (ETag) of <see cref="Document"/> when it came from <c>Hub:ConfigUrl</c>; null for a file.</summary>
    public ETag? BlobVersion => _loaded?.BlobVersion;

    public ValidateOptionsResult Validate(string? name, HubSettings settings)
    {
        var loaded = _loaded ??= Load(settings);
        var problems = new List<string>(loaded.Problems);

        if (configuration is not null)
        {
            problems.AddRange(StorageAccount.Problems(configuration));
        }

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

        if (loaded.Document is { } document)
        {
            problems.AddRange(DocumentProblems(document, settings));
        }

        // Ordinal, as HubRegistration compares it: a value that passes here picks the transport it names.
        if (settings.Inbox.Transport is not (InboxSettings.StorageQueue or InboxSettings.ServiceBus))
        {
            problems.Add($"Setting Hub:Inbox:Transport must be '{InboxSettings.StorageQueue}' or '{InboxSettings.ServiceBus}'.");
        }
        else if (settings.Inbox.Transport == InboxSettings.ServiceBus && ServiceBusConnection.Read(settings, Configuration) is null)
        {
            problems.Add("Setting Hub:ServiceBus:FullyQualifiedNamespace (identity-based, in Azure) or Hub:ServiceBus (a connection string) is required when Hub:Inbox:Transport is 'ServiceBus'.");
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
    /// What a valid document still needs from the settings: every enabled partner can sign its
    /// meldingen, every party with a callback can be signed for, and every callback can be called
    /// under the delivery rules; otherwise each melding or notification would fail, one by one, long
    /// after the document was loaded.
    /// </summary>
    public static IReadOnlyList<string> DocumentProblems(HubDocument document, HubSettings settings)
    {
        var problems = new List<string>();
        var secrets = new PartySecrets(settings.Secrets);
        foreach (var partner in document.Partners.Where(p => p.Enabled))
        {
            if (secrets.Find(partner.Id) is null)
            {
                problems.Add($"{MissingSecret(partner.Id)}: enabled partner '{partner.Id}' could not sign its meldingen.");
            }
        }

        IEnumerable<(string Path, string Id, string? Url)> callbacks =
        [
            .. document.Gemeente.Subscribers.Select((s, i) => ($"gemeente.subscribers[{i}]", s.Id, (string?)s.CallbackUrl)),
            .. document.Partners.Select((p, i) => ($"partners[{i}]", p.Id, p.CallbackUrl)),
            .. document.Providers.Select((p, i) => ($"providers[{i}]", p.Id, p.CallbackUrl)),
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

        return problems;
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

    private sealed record Loaded(HubDocument? Document, IReadOnlyList<string> Problems, ETag? BlobVersion = null);

    private Loaded Load(HubSettings settings)
    {
        var hasPath = !string.IsNullOrWhiteSpace(settings.ConfigPath);
        var hasUrl = !string.IsNullOrWhiteSpace(settings.ConfigUrl);
        return (hasPath, hasUrl) switch
        {
            (true, true) => new(null, ["Settings Hub:ConfigPath and Hub:ConfigUrl are both set: set one, the path of the configuration document (a file) or its blob's URL."]),
            (false, false) => new(null, ["Setting Hub:ConfigPath (the path of the configuration document) or Hub:ConfigUrl (its blob's URL) is required."]),
            (true, false) => LoadFile(settings.ConfigPath),
            _ => LoadBlob(settings.ConfigUrl!),
        };
    }

    private static Loaded LoadFile(string path)
    {
        // Relative to the app's own folder, not the working directory: func start, the DevHost and tests agree.
        path = Path.GetFullPath(path, AppContext.BaseDirectory);
        if (!File.Exists(path))
        {
            return new(null, [$"Setting Hub:ConfigPath names '{path}', which does not exist."]);
        }

        var (document, problems) = Parse(File.ReadAllText(path), $"Configuration document '{path}'");
        return new(document, problems);
    }

    /// <summary>Read once, synchronously: options are validated synchronously, before the hub takes any work.</summary>
    private Loaded LoadBlob(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
        {
            return new(null, [$"Setting Hub:ConfigUrl must be the absolute https URL of the configuration document's blob; '{url}' is not."]);
        }

        try
        {
            var content = StorageAccount.Blob(Configuration, uri).DownloadContent().Value;
            var (document, problems) = Parse(content.Content.ToString(), $"Configuration blob '{uri}'");
            return new(document, problems, content.Details.ETag);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return new(null, [$"Setting Hub:ConfigUrl names '{uri}', which does not exist ({e.ErrorCode})."]);
        }
        catch (Exception e) when (e is RequestFailedException or InvalidOperationException or Azure.Identity.AuthenticationFailedException or AggregateException)
        {
            var status = e is RequestFailedException failed ? $"{failed.Status} {failed.ErrorCode}" : e.GetType().Name;
            return new(null, [$"Setting Hub:ConfigUrl: the blob '{uri}' could not be read ({status}): {e.Message.Split('\n')[0].Trim()}"]);
        }
    }

    /// <summary>
    /// The configuration document in <paramref name="json"/>, with its defaults, when it is valid;
    /// otherwise every problem, each starting with <paramref name="source"/> or "Configuration document:".
    /// </summary>
    public static (HubDocument? Document, IReadOnlyList<string> Problems) Parse(string json, string source)
    {
        HubDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(json, HubJson.Default.HubDocument);
        }
        catch (JsonException e) when (UnknownProperty().Match(e.Message) is { Success: true } unknown)
        {
            return (null, [$"{source} has a property the hub does not know at {e.Path ?? "$"} (line {e.LineNumber + 1}): '{unknown.Groups[1].Value}'. Misspelt? The properties are in docs/contract/schemas/hub-config.schema.json."]);
        }
        catch (JsonException e)
        {
            return (null, [$"{source} is not valid JSON at {e.Path ?? "$"} (line {e.LineNumber + 1}): {e.Message}"]);
        }

        if (document is null)
        {
            return (null, [$"{source} is empty."]);
        }

        document = document.WithDefaults();
        var problems = HubDocumentValidator.Validate(document).Select(p => $"Configuration document: {p}").ToArray();
        return (problems.Length == 0 ? document : null, problems);
    }

    [GeneratedRegex("^The JSON property '([^']*)' could not be mapped")]
    private static partial Regex UnknownProperty();

    // \z, not $: $ also matches before a final newline.
    [GeneratedRegex(@"^([A-Za-z][A-Za-z0-9]*)?\z")]
    private static partial Regex TablePrefix();
}
