using Microsoft.Extensions.Configuration;

namespace FunctionsHub.Functions.Hosting;

/// <summary>The <c>Hub:*</c> settings (app settings in Azure, environment or appsettings locally).</summary>
public sealed class HubSettings
{
    public const string Section = "Hub";

    /// <summary>Path of the configuration document (the reference data), a file; locally. Set this or <see cref="ConfigUrl"/>.</summary>
    public string ConfigPath { get; set; } = "";

    /// <summary>
    /// URL of the configuration document's blob, read with the app's identity; in Azure. Re-read when
    /// the blob changes (at most once a minute); a new version replaces the one in force only when valid.
    /// </summary>
    public string? ConfigUrl { get; set; }

    /// <summary>Base64 key of at least 32 bytes for child pseudonyms; a Key Vault reference in Azure.</summary>
    public string PseudonymKey { get; set; } = "";

    /// <summary>Each party's Standard Webhooks secret (<c>whsec_</c> + base64), by partner or provider id.</summary>
    public Dictionary<string, string> Secrets { get; set; } = [];

    public InboxSettings Inbox { get; set; } = new();

    /// <summary>
    /// Service Bus for transport <c>ServiceBus</c>: in Azure <c>Hub:ServiceBus:FullyQualifiedNamespace</c> (and
    /// <c>:ClientId</c>), as the Functions host names identity-based connections; locally <c>Hub:ServiceBus</c>
    /// itself may hold a connection string. Read through <see cref="ServiceBusConnection"/>.
    /// </summary>
    public ServiceBusSettings ServiceBus { get; set; } = new();

    public StorageSettings Storage { get; set; } = new();

    public DeliverySettings Delivery { get; set; } = new();

    /// <summary>
    /// The hub's own address as the outside world reaches it (<c>https://hub.voorbeeldstad.nl</c>): the
    /// base of links in mails that leave it (unsubscribe). Required with <c>Hub:Smtp:Host</c>.
    /// </summary>
    public string? PublicUrl { get; set; }
}

public sealed class DeliverySettings
{
    /// <summary>
    /// Whether notifications may go to http callbacks on loopback (a receiver on the developer's
    /// machine); true only locally. Without it every callback must be https to a public address.
    /// </summary>
    public bool AllowHttpLoopback { get; set; }
}

public sealed class InboxSettings
{
    public const string StorageQueue = "StorageQueue";
    public const string ServiceBus = "ServiceBus";

    public string Transport { get; set; } = StorageQueue;
}

public sealed class StorageSettings
{
    /// <summary>Prefix for table names, letters and digits; empty in production.</summary>
    public string TablePrefix { get; set; } = "";
}

public sealed class ServiceBusSettings
{
    /// <summary>The namespace's host name (<c>myhub.servicebus.windows.net</c>), reached with the app's identity.</summary>
    public string? FullyQualifiedNamespace { get; set; }

    /// <summary>The client id of a user-assigned identity; without it <c>DefaultAzureCredential</c>.</summary>
    public string? ClientId { get; set; }
}

/// <summary>
/// Where the provider inboxes' Service Bus is: <c>Hub:ServiceBus:FullyQualifiedNamespace</c> (with
/// <c>Hub:ServiceBus:ClientId</c> for a user-assigned identity), or <c>Hub:ServiceBus</c> itself holding
/// a connection string (it has <c>Endpoint=</c>) or a namespace.
/// </summary>
public sealed record ServiceBusConnection(string? ConnectionString, string? FullyQualifiedNamespace, string? ClientId)
{
    public const string Setting = "Hub:ServiceBus";

    /// <summary>The connection the settings name, or null when they name none.</summary>
    public static ServiceBusConnection? Read(HubSettings settings, IConfiguration configuration)
    {
        var clientId = settings.ServiceBus.ClientId is { Length: > 0 } id ? id : null;
        if (settings.ServiceBus.FullyQualifiedNamespace is { Length: > 0 } ns)
        {
            return new ServiceBusConnection(null, Namespace(ns), clientId);
        }

        return configuration[Setting] is { Length: > 0 } value
            ? value.Contains("Endpoint=", StringComparison.OrdinalIgnoreCase)
                ? new ServiceBusConnection(value, null, null)
                : new ServiceBusConnection(null, Namespace(value), clientId)
            : null;
    }

    // Accept sb://myhub.servicebus.windows.net/ as readily as the bare host name the client expects.
    private static string Namespace(string value) => Uri.TryCreate(value, UriKind.Absolute, out var uri) ? uri.Host : value.Trim();
}
