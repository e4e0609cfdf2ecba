using System.Net.Sockets;
using System.Text.RegularExpressions;
using FunctionsHub.Core.Campaigns;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using MimeKit.Utils;

namespace FunctionsHub.Adapters.Mail;

/// <summary>
/// Sends campaign mail through the gemeente's SMTP server with MailKit. Each mail is
/// <c>multipart/alternative</c> (plain text, then HTML), from <c>FromName &lt;From&gt;</c>, with
/// <c>List-Unsubscribe</c> and <c>List-Unsubscribe-Post: List-Unsubscribe=One-Click</c> (RFC 8058: the
/// mail client's unsubscribe button POSTs to the link), <c>Auto-Submitted: auto-generated</c> (RFC 3834:
/// no out-of-office replies back to the hub), a <c>Message-Id</c> and a <c>Date</c>.
/// <para>
/// One connection per mail: campaigns send a few hundred mails every few months, so a pooled
/// connection would save little and add the questions of a connection the server dropped while idle.
/// Each network step (connecting, each reply) gets <see cref="StepTimeout"/>, the whole mail
/// <see cref="MailTimeout"/>. Errors are <see cref="MailNotSentException"/>s that never quote the
/// address, the body or the server's reply text.
/// </para>
/// </summary>
public sealed partial class SmtpMailSender : IMailSender
{
    /// <summary>How long one network step may take: a connection, a reply.</summary>
    public static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(30);

    /// <summary>How long one mail may take altogether, so a server that answers slowly cannot hold the sender.</summary>
    public static readonly TimeSpan MailTimeout = TimeSpan.FromMinutes(2);

    private readonly SmtpSettings _settings;
    private readonly TimeProvider _time;
    private readonly TimeSpan _stepTimeout;
    private readonly MailboxAddress _from;

    public SmtpMailSender(SmtpSettings settings, TimeProvider time)
        : this(settings, time, StepTimeout)
    {
    }

    /// <param name="stepTimeout">Shorter than <see cref="StepTimeout"/> only in tests, so that a timeout can be shown without waiting 30 s.</param>
    public SmtpMailSender(SmtpSettings settings, TimeProvider time, TimeSpan stepTimeout)
    {
        if (settings.Problems() is { Count: > 0 } problems)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(settings));
        }

        _settings = settings;
        _time = time;
        _stepTimeout = stepTimeout;
        _from = new MailboxAddress(settings.FromName, settings.From);
    }

    public async Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        var message = Compose(mail);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(MailTimeout);
        using var client = new SmtpClient { Timeout = (int)_stepTimeout.TotalMilliseconds };
        try
        {
            await client.ConnectAsync(_settings.Host, _settings.Port, SocketOptions(), deadline.Token);
            if (!string.IsNullOrEmpty(_settings.User))
            {
                await client.AuthenticateAsync(_settings.User, _settings.Password ?? "", deadline.Token);
            }

            await client.SendAsync(message, deadline.Token);
        }
        catch (Exception e) when (Classify(e, cancellationToken) is { } notSent)
        {
            throw notSent;
        }

        // Accepted is sent: a failure to say goodbye must not make the caller send it again.
        try
        {
            await client.DisconnectAsync(quit: true, deadline.Token);
        }
        catch (Exception e) when (e is IOException or SocketException or ProtocolException or OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// TLS is all or nothing: with <c>UseTls</c> the connection is encrypted from the first byte on port
    /// 465 and by STARTTLS elsewhere, and a server that offers no STARTTLS is refused (MailKit's
    /// <c>Auto</c> and <c>StartTlsWhenAvailable</c> would fall back to plain text). Without it the
    /// connection is never encrypted, even when offered: that is for a relay without a certificate.
    /// </summary>
    private SecureSocketOptions SocketOptions() => _settings switch
    {
        { UseTls: false } => SecureSocketOptions.None,
        { Port: SmtpSettings.ImplicitTlsPort } => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.StartTls,
    };

    private MimeMessage Compose(OutgoingMail mail)
    {
        if (!MailboxAddress.TryParse(mail.To, out var to) || !to.Address.Contains('@') || mail.To.Contains(','))
        {
            throw new MailNotSentException(MailFailure.InvalidRecipient, "The recipient's address is not an e-mail address; the mail was not sent.");
        }

        if (mail.Unsubscribe is not { IsAbsoluteUri: true } unsubscribe || (unsubscribe.Scheme != Uri.UriSchemeHttps && unsubscribe.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException("The unsubscribe link must be an absolute https (or, locally, http) URL.", nameof(mail));
        }

        if (mail.MessageId is { } id && !MessageIdLeft().IsMatch(id))
        {
            throw new ArgumentException("A Message-Id's left part may hold letters, digits, '.', '-' and '_' only.", nameof(mail));
        }

        var body = new BodyBuilder { TextBody = mail.TextBody, HtmlBody = mail.HtmlBody };
        var message = new MimeMessage
        {
            Subject = mail.Subject,
            Date = _time.GetUtcNow(),
            Body = body.ToMessageBody(),
        };
        message.From.Add(_from);
        message.To.Add(new MailboxAddress(null, to.Address));
        message.MessageId = mail.MessageId is { } left ? $"{left}@{_from.Domain}" : MimeUtils.GenerateMessageId(_from.Domain);
        message.Headers.Add("List-Unsubscribe", $"<{unsubscribe.AbsoluteUri}>");
        message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        message.Headers.Add("Auto-Submitted", "auto-generated");
        return message;
    }

    /// <summary>
    /// What a failure means for the caller. Only a 5xx about the recipient or the message is
    /// permanent, and a 5.7.x (policy: relaying denied, authentication required) is the hub's own
    /// setup, whatever command it answered. Null for the caller's own cancellation, which goes on as is.
    /// </summary>
    private static MailNotSentException? Classify(Exception e, CancellationToken cancellationToken)
    {
        switch (e)
        {
            case OperationCanceledException when cancellationToken.IsCancellationRequested:
                return null;
            case OperationCanceledException or TimeoutException:
                return new(MailFailure.ConnectionFailed, "The mail server did not answer in time; the mail was not sent.");
            case SmtpCommandException command:
                return Refused(command);
            case AuthenticationException:
                return new(MailFailure.SetupRejected, "The mail server refused the hub's credentials (Hub:Smtp:User, Hub:Smtp:Password); the mail was not sent.");
            case ServiceNotAuthenticatedException:
                return new(MailFailure.SetupRejected, "The mail server demands authentication and Hub:Smtp:User is not set; the mail was not sent.");
            case NotSupportedException:
                return new(MailFailure.SetupRejected, "The mail server does not offer what the settings demand (STARTTLS with Hub:Smtp:UseTls, or authentication with Hub:Smtp:User); the mail was not sent.");
            case SslHandshakeException:
                return new(MailFailure.ConnectionFailed, "The TLS handshake with the mail server failed (its certificate, or the TLS versions); the mail was not sent.");
            case SocketException or IOException or ProtocolException:
                return new(MailFailure.ConnectionFailed, $"The connection to the mail server failed ({e.GetType().Name}); the mail was not sent.");
            default:
                return null;
        }
    }

    private static MailNotSentException Refused(SmtpCommandException e)
    {
        var code = (int)e.StatusCode;
        var enhanced = EnhancedStatus().Match(e.Message) is { Success: true } match ? match.Value : null;
        var reply = enhanced is null ? $"{code}" : $"{code} {enhanced}";

        if (code is >= 400 and < 500)
        {
            return new(MailFailure.TemporarilyRefused, $"The mail server refused the mail for now ({reply}); the mail was not sent, try again later.", code, enhanced);
        }

        if (enhanced is not null && enhanced.StartsWith("5.7.", StringComparison.Ordinal))
        {
            return new(MailFailure.SetupRejected, $"The mail server refused the hub by its policy ({reply}: relaying, authentication or sender); the mail was not sent.", code, enhanced);
        }

        return e.ErrorCode switch
        {
            SmtpErrorCode.RecipientNotAccepted => new(MailFailure.RecipientRejected, $"The mail server refused the recipient ({reply}); do not send to this address again.", code, enhanced),
            SmtpErrorCode.MessageNotAccepted => new(MailFailure.MessageRejected, $"The mail server refused the message ({reply}); sending it again will not help.", code, enhanced),
            SmtpErrorCode.SenderNotAccepted => new(MailFailure.SetupRejected, $"The mail server refused the sender Hub:Smtp:From ({reply}); the mail was not sent.", code, enhanced),
            _ => new(MailFailure.SetupRejected, $"The mail server refused a command of the hub ({reply}); the mail was not sent.", code, enhanced),
        };
    }

    // RFC 3463 at the start of the reply text: class.subject.detail.
    [GeneratedRegex(@"^[245]\.[0-9]{1,3}\.[0-9]{1,3}(?=\s|$)")]
    private static partial Regex EnhancedStatus();

    [GeneratedRegex(@"^[A-Za-z0-9._-]{1,128}\z")]
    private static partial Regex MessageIdLeft();
}
