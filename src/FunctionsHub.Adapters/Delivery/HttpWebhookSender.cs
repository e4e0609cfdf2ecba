using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using FunctionsHub.Core.Notifications;
using StandardWebhooks;

namespace FunctionsHub.Adapters.Delivery;

/// <summary>
/// Posts notifications over HTTP, signed with Standard Webhooks (the library the partners use to
/// verify). The guard against server-side request forgery sits in the connection itself: the host is
/// resolved here, every address it resolves to is checked against <see cref="CallbackRules"/>, and the
/// socket connects only to an address that passed, so a DNS answer cannot change between the check and
/// the connection. Redirects are never followed (a 3xx is an answer like any other), no proxy is used,
/// and an attempt gets <see cref="Timeout"/>.
/// </summary>
public sealed class HttpWebhookSender : IWebhookSender, IDisposable
{
    /// <summary>How long an attempt may take, connecting included.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly HttpClient _client;
    private readonly TimeProvider _time;

    public HttpWebhookSender(CallbackRules rules, TimeProvider time)
        : this(rules, time, Timeout)
    {
    }

    /// <param name="timeout">Shorter than <see cref="Timeout"/> only in tests, so that a timeout can be shown without waiting 10 s.</param>
    public HttpWebhookSender(CallbackRules rules, TimeProvider time, TimeSpan timeout)
    {
        _time = time;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            ConnectTimeout = timeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectCallback = (context, cancellationToken) => ConnectAsync(rules, context, cancellationToken),
        };
        _client = new HttpClient(handler) { Timeout = timeout };
        _client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("FunctionsHub-Delivery", "1"));
    }

    public async Task<CallbackAnswer> PostAsync(Uri callback, string secret, string webhookId, byte[] body, CancellationToken cancellationToken)
    {
        var timestamp = _time.GetUtcNow();
        using var request = new HttpRequestMessage(HttpMethod.Post, callback) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add("webhook-id", webhookId);
        request.Headers.Add("webhook-timestamp", timestamp.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", new StandardWebhook(secret).Sign(webhookId, timestamp, System.Text.Encoding.UTF8.GetString(body)));

        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            return CallbackAnswer.Answered((int)response.StatusCode, RetryAfter(response.Headers.RetryAfter, timestamp));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return CallbackAnswer.Failed(CallbackFailure.Timeout);
        }
        catch (HttpRequestException e)
        {
            return CallbackAnswer.Failed(IsRefused(e) ? CallbackFailure.AddressRefused : CallbackFailure.ConnectionFailed);
        }
    }

    public void Dispose() => _client.Dispose();

    private static TimeSpan? RetryAfter(RetryConditionHeaderValue? header, DateTimeOffset now) => header switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } when date > now => date - now,
        { Date: not null } => TimeSpan.Zero,
        _ => null,
    };

    private static bool IsRefused(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is CallbackAddressRefusedException)
            {
                return true;
            }
        }

        return false;
    }

    private static async ValueTask<Stream> ConnectAsync(CallbackRules rules, SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host.Trim('[', ']');
        var scheme = context.InitialRequestMessage.RequestUri?.Scheme ?? "";
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);

        // All of them, not only the one connected to: a host that also resolves into the private network is refused.
        foreach (var address in addresses)
        {
            if (rules.RefusedAddress(address, scheme) is { } reason)
            {
                throw new CallbackAddressRefusedException(reason);
            }
        }

        SocketException? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last ?? new SocketException((int)SocketError.HostNotFound);
    }
}

/// <summary>The callback's host resolves to an address the hub never connects to; the reason names the kind of address.</summary>
public sealed class CallbackAddressRefusedException(string reason)
    : Exception($"The callback's address is refused ({reason}).");
