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
    /// Service Bus for transport <c>ServiceBus</c>: a connection string (it holds <c>Endpoint=</c>), or
    /// the fully qualified namespace (<c>myhub.servicebus.windows.net</c>) for an identity-based connection.
    /// </summary>
    public string? ServiceBus { get; set; }

    /// <summary>
    /// Optional client id of the user-assigned managed identity for a namespace in <see cref="ServiceBus"/>;
    /// without it <c>DefaultAzureCredential</c> is used. Ignored with a connection string.
    /// </summary>
    public string? ServiceBusClientId { get; set; }

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
