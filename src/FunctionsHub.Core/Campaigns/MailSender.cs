namespace FunctionsHub.Core.Campaigns;

/// <summary>
/// Sends one e-mail to one recipient (a referrer). The sender (address and the gemeente's name) is
/// the adapter's setting, not the caller's choice. A mail that could not be sent throws
/// <see cref="MailNotSentException"/>, which says whether sending it again can help.
/// </summary>
public interface IMailSender
{
    /// <summary>Completes when the mail server has accepted the mail; throws <see cref="MailNotSentException"/> when it was not.</summary>
    Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken);
}

/// <summary>
/// One mail to one recipient: both a plain-text and an HTML body (every campaign mail has both), and
/// the recipient's own unsubscribe link, which the adapter also puts in <c>List-Unsubscribe</c> so
/// that mail clients offer it as a button.
/// </summary>
/// <param name="To">The recipient's address (personal data: the adapter never puts it in an error).</param>
/// <param name="Unsubscribe">An absolute https URL (http only locally) that unsubscribes this recipient.</param>
public sealed record OutgoingMail(string To, string Subject, string TextBody, string HtmlBody, Uri Unsubscribe)
{
    /// <summary>
    /// Optional: the left part of the <c>Message-Id</c> (letters, digits, <c>.</c>, <c>-</c>, <c>_</c>),
    /// the adapter adds <c>@</c> and the sender's domain. Made from the ledger key of the send, a mail
    /// sent again after a crash carries the same id, which lets mail clients and archives see it as
    /// one. Without it the adapter makes a random one.
    /// </summary>
    public string? MessageId { get; init; }
}

/// <summary>Why a mail was not sent, so the caller can tell "never again to this address" from "try later".</summary>
public enum MailFailure
{
    /// <summary>The recipient's address is not an e-mail address at all. Permanent.</summary>
    InvalidRecipient,

    /// <summary>The server refused the recipient for good (5xx to RCPT TO: no such mailbox, disabled). Permanent.</summary>
    RecipientRejected,

    /// <summary>The server refused this message for good (5xx after DATA: size, content). Permanent for this mail.</summary>
    MessageRejected,

    /// <summary>The server said "not now" (4xx: greylisting, a full mailbox, too busy). Transient.</summary>
    TemporarilyRefused,

    /// <summary>No conversation with the server: refused or dropped connection, TLS failure, a timeout. Transient.</summary>
    ConnectionFailed,

    /// <summary>
    /// The server refused the hub itself: its credentials, its sender address, relaying (5.7.x), or no
    /// TLS where <c>UseTls</c> demands it. Transient for the recipient (nothing is wrong with them),
    /// but every mail fails the same way until an operator fixes the settings.
    /// </summary>
    SetupRejected,
}

/// <summary>
/// A mail that was not sent. The message names the kind of failure and the SMTP reply code, never the
/// recipient's address, the body, or the server's reply text (which often quotes the address), and
/// carries no inner exception that could: it is safe to log.
/// </summary>
public sealed class MailNotSentException(MailFailure failure, string message, int? replyCode = null, string? enhancedStatus = null)
    : Exception(message)
{
    public MailFailure Failure { get; } = failure;

    /// <summary>The SMTP reply code (550, 451, ...) when the server gave one.</summary>
    public int? ReplyCode { get; } = replyCode;

    /// <summary>The RFC 3463 enhanced status (<c>5.1.1</c>) when the server gave one.</summary>
    public string? EnhancedStatus { get; } = enhancedStatus;

    /// <summary>Whether sending this mail to this recipient again can never succeed: record it as failed, do not retry.</summary>
    public bool IsPermanent => Failure is MailFailure.InvalidRecipient or MailFailure.RecipientRejected or MailFailure.MessageRejected;
}
