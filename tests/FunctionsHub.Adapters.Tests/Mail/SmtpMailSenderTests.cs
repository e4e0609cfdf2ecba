using System.Net;
using System.Net.Sockets;
using FunctionsHub.Adapters.Mail;
using FunctionsHub.Core.Campaigns;
using FunctionsHub.Testing;
using FunctionsHub.Testing.Mail;
using Microsoft.Extensions.Time.Testing;
using MimeKit;

namespace FunctionsHub.Adapters.Tests.Mail;

/// <summary>Campaign mail through MailKit to a real SMTP server in the test process.</summary>
public sealed class SmtpMailSenderTests
{
    private const string Referrer = "j.de.vries@obs-de-regenboog.example";
    private static readonly DateTimeOffset Now = new(2026, 9, 1, 7, 0, 0, TimeSpan.Zero);

    private static OutgoingMail Mail(string to = Referrer) => new(
        to,
        "BASTA! voor kinderen van 8 tot 12",
        "BASTA! helpt kinderen die in aanraking komen met de politie.\n\nMeld via de hub.",
        "<p>BASTA! helpt kinderen die in aanraking komen met de politie.</p><p>Meld via <a href=\"https://hub.example/\">de hub</a>.</p>",
        new Uri("https://hub.example/api/referrers/unsubscribe?token=abc.def"));

    private static SmtpSettings Settings(SmtpTestServer server, string? user = null, string? password = null) => new()
    {
        Host = "127.0.0.1",
        Port = server.Port,
        UseTls = false,
        User = user,
        Password = password,
        From = "campagnes@voorbeeldstad.example",
        FromName = "Gemeente Voorbeeldstad",
    };

    private static SmtpMailSender Sender(SmtpSettings settings, TimeSpan? stepTimeout = null) =>
        new(settings, new FakeTimeProvider(Now), stepTimeout ?? SmtpMailSender.StepTimeout);

    [Fact]
    public async Task A_campaign_mail_arrives_from_the_gemeente_to_the_referrer_with_its_subject_and_unsubscribe_headers()
    {
        await using var server = await SmtpTestServer.StartAsync();

        await Sender(Settings(server)).SendAsync(Mail() with { MessageId = "cmp-basta-info.2026-09-01.r42" }, CancellationToken.None);

        var received = await server.NextAsync();
        var from = Assert.Single(received.Message.From.Mailboxes);
        Assert.Equal(("Gemeente Voorbeeldstad", "campagnes@voorbeeldstad.example"), (from.Name, from.Address));
        Assert.Equal(Referrer, Assert.Single(received.Message.To.Mailboxes).Address);
        Assert.Equal("campagnes@voorbeeldstad.example", received.EnvelopeFrom);
        Assert.Equal([Referrer], received.EnvelopeTo);
        Assert.Equal("BASTA! voor kinderen van 8 tot 12", received.Message.Subject);
        Assert.Equal("<https://hub.example/api/referrers/unsubscribe?token=abc.def>", received.Message.Headers["List-Unsubscribe"]);
        Assert.Equal("List-Unsubscribe=One-Click", received.Message.Headers["List-Unsubscribe-Post"]);
        Assert.Equal("auto-generated", received.Message.Headers["Auto-Submitted"]);
        Assert.Equal("cmp-basta-info.2026-09-01.r42@voorbeeldstad.example", received.Message.MessageId);
        Assert.Equal(Now, received.Message.Date);
    }

    [Fact]
    public async Task A_campaign_mail_is_multipart_alternative_with_the_text_first_and_the_html_last()
    {
        await using var server = await SmtpTestServer.StartAsync();
        var mail = Mail() with { TextBody = "Alles Kidzzz: één aanpak voor kinderen — meld via de hub.", HtmlBody = "<p>Alles Kidzzz: <strong>één</strong> aanpak — meld via de hub.</p>" };

        await Sender(Settings(server)).SendAsync(mail, CancellationToken.None);

        var body = Assert.IsType<MultipartAlternative>((await server.NextAsync()).Message.Body);
        Assert.Collection(
            body,
            part => Assert.Equal(("text/plain", mail.TextBody), (part.ContentType.MimeType, ((TextPart)part).Text.TrimEnd())),
            part => Assert.Equal(("text/html", mail.HtmlBody), (part.ContentType.MimeType, ((TextPart)part).Text.TrimEnd())));
    }

    [Fact]
    public async Task Without_a_message_id_from_the_caller_the_mail_gets_one_in_the_senders_domain()
    {
        await using var server = await SmtpTestServer.StartAsync();
        var sender = Sender(Settings(server));

        await sender.SendAsync(Mail(), CancellationToken.None);
        await sender.SendAsync(Mail(), CancellationToken.None);

        var first = (await server.NextAsync()).Message.MessageId;
        var second = (await server.NextAsync()).Message.MessageId;
        Assert.EndsWith("@voorbeeldstad.example", first);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task With_a_user_the_hub_authenticates_before_it_sends()
    {
        await using var server = await SmtpTestServer.StartAsync(user: "hub", password: "s3cret");

        await Sender(Settings(server, "hub", "s3cret")).SendAsync(Mail(), CancellationToken.None);

        Assert.Equal("hub", (await server.NextAsync()).User);
    }

    [Fact]
    public async Task A_wrong_password_is_the_hubs_setup_not_the_recipients_fault()
    {
        await using var server = await SmtpTestServer.StartAsync(user: "hub", password: "s3cret");

        var error = await Assert.ThrowsAsync<MailNotSentException>(() => Sender(Settings(server, "hub", "wrong")).SendAsync(Mail(), CancellationToken.None));

        Assert.Equal(MailFailure.SetupRejected, error.Failure);
        Assert.False(error.IsPermanent);
        Assert.False(server.HasUnread);
    }

    [Fact]
    public async Task Without_a_user_a_server_that_requires_authentication_refuses_the_hubs_setup()
    {
        await using var server = await SmtpTestServer.StartAsync(user: "hub", password: "s3cret");

        var error = await Assert.ThrowsAsync<MailNotSentException>(() => Sender(Settings(server)).SendAsync(Mail(), CancellationToken.None));

        Assert.Equal(MailFailure.SetupRejected, error.Failure);
        Assert.False(server.HasUnread);
    }

    public static TheoryData<int, string, MailFailure, bool> Refusals => new()
    {
        { 550, "5.1.1 <{0}>: Recipient address rejected: User unknown in virtual mailbox table", MailFailure.RecipientRejected, true },
        { 553, "<{0}>: mailbox name not allowed", MailFailure.RecipientRejected, true },
        { 450, "4.2.0 <{0}>: Recipient address rejected: Greylisted, see https://postgrey.example/", MailFailure.TemporarilyRefused, false },
        { 452, "4.2.2 <{0}>: Mailbox full", MailFailure.TemporarilyRefused, false },
        { 554, "5.7.1 <{0}>: Relay access denied", MailFailure.SetupRejected, false },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_refused_recipient_is_classified_by_the_reply_and_the_error_never_names_them(int code, string text, MailFailure expected, bool permanent)
    {
        var refuse = new Dictionary<string, (int, string)> { [Referrer] = (code, string.Format(System.Globalization.CultureInfo.InvariantCulture, text, Referrer)) };
        await using var server = await SmtpTestServer.StartAsync(refuse: refuse);

        var error = await Assert.ThrowsAsync<MailNotSentException>(() => Sender(Settings(server)).SendAsync(Mail(), CancellationToken.None));

        Assert.Equal((expected, permanent, code), (error.Failure, error.IsPermanent, error.ReplyCode));
        Assert.DoesNotContain("de.vries", error.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("regenboog", error.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("BASTA", error.ToString(), StringComparison.Ordinal);
        Assert.Null(error.InnerException);
        Assert.False(server.HasUnread);
    }

    [Fact]
    public async Task A_recipient_refused_for_good_carries_the_enhanced_status_for_the_log()
    {
        var refuse = new Dictionary<string, (int, string)> { [Referrer] = (550, $"5.1.1 <{Referrer}>: User unknown") };
        await using var server = await SmtpTestServer.StartAsync(refuse: refuse);

        var error = await Assert.ThrowsAsync<MailNotSentException>(() => Sender(Settings(server)).SendAsync(Mail(), CancellationToken.None));

        Assert.Equal("5.1.1", error.EnhancedStatus);
        Assert.Contains("550 5.1.1", error.Message);
    }

    [Fact]
    public async Task Nothing_listening_is_a_transient_failure()
    {
        var settings = new SmtpSettings { Host = "127.0.0.1", Port = Azurite.FreePort(), UseTls = false, From = "campagnes@voorbeeldstad.example", FromName = "Gemeente Voorbeeldstad" };

        var error = await Assert.ThrowsAsync<MailNotSentException>(() => Sender(settings).SendAsync(Mail(), CancellationToken.None));

        Assert.Equal(MailFailure.ConnectionFailed, error.Failure);
        Assert.False(error.IsPermanent);
        Assert.DoesNotContain("de.vries", error.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_server_that_never_greets_is_a_transient_failure_after_the_step_timeout()
    {
        // Connections are accepted by the kernel, but nothing ever answers them.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var settings = new SmtpSettings { Host = "127.0.0.1", Port = ((IPEndPoint)silent.LocalEndpoint).Port, UseTls = false, From = "campagnes@voorbeeldstad.example", FromName = "Gemeente Voorbeeldstad" };

        var error = await Assert.ThrowsAsync<MailNotSentException>(() => Sender(settings, TimeSpan.FromMilliseconds(500)).SendAsync(Mail(), CancellationToken.None));

        Assert.Equal(MailFailure.ConnectionFailed, error.Failure);
        Assert.False(error.IsPermanent);
    }

    [Fact]
    public async Task With_UseTls_a_server_without_STARTTLS_is_refused_rather_than_sent_to_in_plain_text()
    {
        await using var server = await SmtpTestServer.StartAsync();

        var error = await Assert.ThrowsAsync<MailNotSentException>(() => Sender(Settings(server) with { UseTls = true }).SendAsync(Mail(), CancellationToken.None));

        Assert.Equal(MailFailure.SetupRejected, error.Failure);
        Assert.Contains("STARTTLS", error.Message);
        Assert.False(server.HasUnread);
    }

    [Theory]
    [InlineData("j.de.vries")]
    [InlineData("j.de.vries@regenboog.example, other@regenboog.example")]
    [InlineData("")]
    public async Task An_address_that_is_not_one_is_permanent_and_not_named(string to)
    {
        await using var server = await SmtpTestServer.StartAsync();

        var error = await Assert.ThrowsAsync<MailNotSentException>(() => Sender(Settings(server)).SendAsync(Mail(to), CancellationToken.None));

        Assert.Equal(MailFailure.InvalidRecipient, error.Failure);
        Assert.True(error.IsPermanent);
        Assert.DoesNotContain("de.vries", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.False(server.HasUnread);
    }

    [Theory]
    [InlineData("mailto:afmelden@voorbeeldstad.example")]
    [InlineData("ftp://hub.example/unsubscribe")]
    public async Task An_unsubscribe_link_that_is_not_http_is_a_programming_error(string link)
    {
        await using var server = await SmtpTestServer.StartAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => Sender(Settings(server)).SendAsync(Mail() with { Unsubscribe = new Uri(link) }, CancellationToken.None));
    }

    [Fact]
    public async Task The_callers_cancellation_is_a_cancellation_not_a_failed_mail()
    {
        await using var server = await SmtpTestServer.StartAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Sender(Settings(server)).SendAsync(Mail(), new CancellationToken(canceled: true)));
    }

    [Fact]
    public void Settings_with_problems_cannot_make_a_sender()
    {
        var settings = new SmtpSettings { Host = "", Port = 25, UseTls = false, From = "campagnes@voorbeeldstad.example", FromName = "Gemeente Voorbeeldstad" };

        var error = Assert.Throws<ArgumentException>(() => new SmtpMailSender(settings, TimeProvider.System));

        Assert.Contains("Setting Hub:Smtp:Host is required", error.Message);
    }
}
