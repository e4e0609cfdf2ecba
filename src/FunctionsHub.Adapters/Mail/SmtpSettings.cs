using System.Globalization;
using System.Net;
using MimeKit;
using Microsoft.Extensions.Configuration;

namespace FunctionsHub.Adapters.Mail;

/// <summary>
/// The <c>Hub:Smtp:*</c> settings of the mail server campaigns are sent through (in Azure
/// <c>Hub__Smtp__Host</c> and so on; the password a Key Vault reference).
/// <list type="bullet">
/// <item><c>Host</c> (required) and <c>Port</c> (optional: 587 with TLS, 25 without; 465 means TLS from the first byte).</item>
/// <item><c>UseTls</c> (optional, default true): true demands an encrypted connection, STARTTLS on any
/// port but 465, and refuses a server that does not offer it rather than send in plain text; false
/// never encrypts, for a relay on the same host or network that has no certificate.</item>
/// <item><c>User</c> and <c>Password</c> (optional): the hub authenticates only when <c>User</c> is set,
/// and then needs the password; without TLS only to a loopback host, so a password never crosses a
/// network in plain text.</item>
/// <item><c>From</c> (required, an address) and <c>FromName</c> (required, the gemeente's name): the
/// sender recipients see. Bounces go to <c>From</c> too.</item>
/// </list>
/// </summary>
public sealed record SmtpSettings
{
    public const string Section = "Hub:Smtp";

    /// <summary>Mail submission with STARTTLS (RFC 6409).</summary>
    public const int SubmissionPort = 587;

    /// <summary>Submission over implicit TLS (RFC 8314): TLS from the first byte.</summary>
    public const int ImplicitTlsPort = 465;

    /// <summary>Plain SMTP, what a local relay listens on.</summary>
    public const int RelayPort = 25;

    public required string Host { get; init; }

    public required int Port { get; init; }

    public bool UseTls { get; init; } = true;

    public string? User { get; init; }

    public string? Password { get; init; }

    public required string From { get; init; }

    public required string FromName { get; init; }

    /// <summary>Every problem with the <c>Hub:Smtp:*</c> settings, each naming its setting; empty when <see cref="Read"/> succeeds.</summary>
    public static IReadOnlyList<string> Validate(IConfiguration configuration) => Parse(configuration).Problems;

    /// <summary>The settings; an <see cref="InvalidOperationException"/> listing every problem (<see cref="Validate"/>) when they are wrong.</summary>
    public static SmtpSettings Read(IConfiguration configuration)
    {
        var (settings, problems) = Parse(configuration);
        return problems.Count == 0
            ? settings!
            : throw new InvalidOperationException("The SMTP settings are wrong: " + string.Join(" ", problems));
    }

    /// <summary>The problems of settings made in code (or bound by the options binder), named as settings.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Host))
        {
            problems.Add($"Setting {Section}:Host is required: the host name of the mail server.");
        }

        if (Port is < 1 or > IPEndPoint.MaxPort)
        {
            problems.Add($"Setting {Section}:Port must be a port number from 1 to 65535.");
        }

        if (string.IsNullOrWhiteSpace(From))
        {
            problems.Add($"Setting {Section}:From is required: the sender's e-mail address.");
        }
        else if (!IsAddress(From))
        {
            problems.Add($"Setting {Section}:From '{From}' is not an e-mail address.");
        }

        if (string.IsNullOrWhiteSpace(FromName))
        {
            problems.Add($"Setting {Section}:FromName is required: the gemeente's name, which recipients see as the sender.");
        }

        if (!string.IsNullOrEmpty(User))
        {
            if (string.IsNullOrEmpty(Password))
            {
                problems.Add($"Setting {Section}:Password is required when {Section}:User is set.");
            }

            if (!UseTls && !IsLoopback(Host))
            {
                problems.Add($"Setting {Section}:User needs {Section}:UseTls=true unless {Section}:Host is loopback: the password would cross the network in plain text.");
            }
        }

        return problems;
    }

    private static (SmtpSettings? Settings, List<string> Problems) Parse(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var problems = new List<string>();

        var useTls = true;
        if (section["UseTls"] is { } useTlsText && !bool.TryParse(useTlsText, out useTls))
        {
            problems.Add($"Setting {Section}:UseTls must be true or false.");
            useTls = true; // reported; keeps Problems() from adding what follows from a guess
        }

        var port = useTls ? SubmissionPort : RelayPort;
        if (section["Port"] is { } portText && !int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port))
        {
            problems.Add($"Setting {Section}:Port must be a port number from 1 to 65535.");
            port = SubmissionPort; // reported; keeps Problems() from saying it twice
        }

        var settings = new SmtpSettings
        {
            Host = section["Host"] ?? "",
            Port = port,
            UseTls = useTls,
            User = section["User"] is { Length: > 0 } user ? user : null,
            Password = section["Password"] is { Length: > 0 } password ? password : null,
            From = section["From"] ?? "",
            FromName = section["FromName"] ?? "",
        };
        problems.AddRange(settings.Problems());
        return (problems.Count == 0 ? settings : null, problems);
    }

    /// <summary>One bare address (<c>gemeente@example.nl</c>), not a name with an address nor a list.</summary>
    private static bool IsAddress(string value) =>
        MailboxAddress.TryParse(value, out var mailbox) && mailbox.Name is null or "" && mailbox.Address == value.Trim() && mailbox.Address.Contains('@');

    private static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
