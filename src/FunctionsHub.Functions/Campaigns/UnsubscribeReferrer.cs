using System.Net;
using System.Text;
using FunctionsHub.Core.Campaigns;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace FunctionsHub.Functions.Campaigns;

/// <summary>
/// <c>/api/referrers/unsubscribe?token=...</c> (anonymous: the signed token is the permission, no login).
/// <c>POST</c> unsubscribes the address the token names from all campaign mail: the mail client's
/// one-click button (RFC 8058, body <c>List-Unsubscribe=One-Click</c>) and the page's form.
/// <c>GET</c>, the link in the mail, answers a page with that form and changes nothing: mail scanners
/// and link previews follow every link in a mail, and would otherwise unsubscribe people who never
/// clicked (docs/decisions.md, "Campaigns"). A token the hub did not make is a <c>400</c> that says so,
/// and changes nothing. The answers name no address: the token is a keyed hash.
/// </summary>
public sealed partial class UnsubscribeReferrer(IReferrerDirectory directory, ReferrerKeys keys, TimeProvider time, ILogger<UnsubscribeReferrer> logger)
{
    [Function(nameof(UnsubscribeReferrer))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "referrers/unsubscribe")] HttpRequest request,
        CancellationToken cancellationToken) =>
        HttpGuard.RunAsync(logger, async () =>
        {
            var token = request.Query["token"].ToString();
            if (keys.KeyOf(token) is not { } key)
            {
                return Page(400, "Deze afmeldlink is niet geldig",
                    "<p>Deze link is niet (meer) geldig of niet volledig gekopieerd. Gebruik de link onderaan de laatste e-mail.</p>");
            }

            if (HttpMethods.IsGet(request.Method))
            {
                return Page(200, "Afmelden voor informatie van de gemeente",
                    "<p>Wilt u geen e-mails met informatie over het hulpaanbod meer ontvangen?</p>\n" +
                    $"<form method=\"post\" action=\"?token={WebUtility.HtmlEncode(Uri.EscapeDataString(token))}\">" +
                    "<input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\"><button type=\"submit\">Afmelden</button></form>");
            }

            await directory.UnsubscribeAsync(key, time.GetUtcNow(), cancellationToken);
            LogUnsubscribed();
            return Page(200, "U bent afgemeld", "<p>U ontvangt geen e-mails met informatie over het hulpaanbod meer.</p>");
        });

    /// <summary>A page of its own, in Dutch, with no script and nothing loaded from elsewhere.</summary>
    private static ContentResult Page(int status, string title, string body) => new()
    {
        StatusCode = status,
        ContentType = "text/html; charset=utf-8",
        Content = new StringBuilder()
            .Append("<!DOCTYPE html>\n<html lang=\"nl\">\n<head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; form-action 'self'\"><title>")
            .Append(WebUtility.HtmlEncode(title)).Append("</title></head>\n<body>\n<h1>").Append(WebUtility.HtmlEncode(title)).Append("</h1>\n")
            .Append(body).Append("\n</body>\n</html>\n").ToString(),
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "A referrer address unsubscribed from campaign mail")]
    private partial void LogUnsubscribed();
}
