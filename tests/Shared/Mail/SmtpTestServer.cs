using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Threading.Channels;
using MimeKit;
using SmtpServer;
using SmtpServer.Authentication;
using SmtpServer.ComponentModel;
using SmtpServer.Mail;
using SmtpServer.Net;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace FunctionsHub.Testing.Mail;

/// <summary>
/// A real SMTP server (the SmtpServer package) in the test process, on a free loopback port: the
/// adapter speaks the real protocol to it. It keeps every message it accepts, with its envelope and
/// the user the session authenticated as, and can require authentication or refuse a recipient
/// with a 5xx that quotes the address, as real servers do.
/// </summary>
public sealed class SmtpTestServer : IAsyncDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<ReceivedMail> _received = Channel.CreateUnbounded<ReceivedMail>();
    private readonly ConcurrentQueue<ReceivedMail> _all = new();
    private Task _running = Task.CompletedTask;

    private SmtpTestServer(int port) => Port = port;

    public int Port { get; }

    /// <param name="user">When set, the server requires AUTH with this user and <paramref name="password"/>.</param>
    /// <param name="refuse">Recipients the server refuses at RCPT TO, with the reply code and text to refuse them with.</param>
    public static async Task<SmtpTestServer> StartAsync(string? user = null, string? password = null, IReadOnlyDictionary<string, (int Code, string Text)>? refuse = null)
    {
        var server = new SmtpTestServer(Azurite.FreePort());
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var listeners = new EndpointListenerFactory();
        listeners.EndpointStarted += (_, _) => listening.TrySetResult();

        var options = new SmtpServerOptionsBuilder()
            .ServerName("smtp.test")
            .Endpoint(endpoint => endpoint
                .Endpoint(new IPEndPoint(IPAddress.Loopback, server.Port))
                .AllowUnsecureAuthentication(user is not null)
                .AuthenticationRequired(user is not null))
            .Build();

        var services = new ServiceProvider();
        services.Add(listeners);
        services.Add(new Store(server._received.Writer, server._all));
        services.Add(new RefusingFilter(refuse ?? new Dictionary<string, (int, string)>()));
        if (user is not null)
        {
            services.Add(new DelegatingUserAuthenticator((u, p) => u == user && p == password));
        }

        server._running = new SmtpServer.SmtpServer(options, services).StartAsync(server._stop.Token);
        await listening.Task.WaitAsync(Deadline);
        return server;
    }

    /// <summary>The next message the server accepted, waiting for it with a deadline.</summary>
    public async Task<ReceivedMail> NextAsync() => await _received.Reader.ReadAsync().AsTask().WaitAsync(Deadline);

    /// <summary>Every message accepted so far, whether or not read with <see cref="NextAsync"/>: for a server several tests share.</summary>
    public IReadOnlyCollection<ReceivedMail> All => _all.ToArray();

    /// <summary>Whether a message was accepted that has not been read with <see cref="NextAsync"/>.</summary>
    public bool HasUnread => _received.Reader.TryPeek(out _);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _running.WaitAsync(Deadline);
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    /// <summary>What the server received: the envelope, the user of the session, and the message as parsed by MimeKit.</summary>
    public sealed record ReceivedMail(string EnvelopeFrom, IReadOnlyList<string> EnvelopeTo, string? User, MimeMessage Message);

    private sealed class Store(ChannelWriter<ReceivedMail> received, ConcurrentQueue<ReceivedMail> all) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            var message = await MimeMessage.LoadAsync(stream, cancellationToken);
            var user = context.Authentication.IsAuthenticated ? context.Authentication.User : null;
            var mail = new ReceivedMail(transaction.From.AsAddress(), transaction.To.Select(t => t.AsAddress()).ToArray(), user, message);
            all.Enqueue(mail);
            await received.WriteAsync(mail, cancellationToken);
            return SmtpResponse.Ok;
        }
    }

    private sealed class RefusingFilter(IReadOnlyDictionary<string, (int Code, string Text)> refuse) : MailboxFilter
    {
        public override Task<bool> CanDeliverToAsync(ISessionContext context, IMailbox to, IMailbox from, CancellationToken cancellationToken)
        {
            if (refuse.TryGetValue(to.AsAddress(), out var reply))
            {
                throw new SmtpResponseException(new SmtpResponse((SmtpReplyCode)reply.Code, reply.Text));
            }

            return Task.FromResult(true);
        }
    }
}
