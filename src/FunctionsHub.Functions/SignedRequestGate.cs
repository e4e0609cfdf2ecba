using System.Text.Json;
using FunctionsHub.Core.Configuration;
using FunctionsHub.Functions.Intake;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace FunctionsHub.Functions;

/// <summary>The parties a signed endpoint takes, each named by its own header; also the kind of one party.</summary>
[Flags]
public enum SignedParties
{
    /// <summary><c>X-Partner-Id</c>, a partner of the hub document.</summary>
    Partner = 1,

    /// <summary><c>X-Provider-Id</c>, a provider of the hub document.</summary>
    Provider = 2,

    /// <summary>Exactly one of the two headers.</summary>
    PartnerOrProvider = Partner | Provider,
}

/// <summary>Who signed: <see cref="Partner"/> is set for a partner, <see cref="Provider"/> for a provider.</summary>
public sealed record SignedParty(SignedParties Kind, string Id, Partner? Partner, Provider? Provider);

/// <summary>
/// A request that passed the gate: its party, the raw bytes that were signed, its webhook-id, and
/// the parsed body (null for a signed request without a body). Disposing it disposes the body.
/// </summary>
public sealed record SignedRequest(SignedParty Party, byte[] Body, string WebhookId, JsonDocument? Json) : IDisposable
{
    public void Dispose() => Json?.Dispose();
}

/// <summary>What the gate decided: the request to work on, or the answer to return.</summary>
public abstract record SignedRequestOutcome
{
    private SignedRequestOutcome() { }

    public sealed record Admitted(SignedRequest Request) : SignedRequestOutcome;

    public sealed record Refused(JsonAnswer Answer) : SignedRequestOutcome;
}

/// <summary>
/// The one prelude of every endpoint a partner or provider signs, in this order: body over 32 KiB
/// <c>413</c>; party header and signature over the raw bytes <c>401</c>; the endpoint's own
/// authorization (<c>403</c>); Content-Type <c>415</c>; body not JSON <c>400 malformed-json</c>.
/// Authentication comes before anything reads the body's content. A singleton because it needs the
/// hub document and the secrets, which the functions then no longer take themselves.
/// </summary>
public sealed class SignedRequestGate(IHubDocumentSource documents, PartnerSignatures signatures)
{
    private HubDocument Document => documents.Current;

    public const string PartnerHeader = "X-Partner-Id";

    public const string ProviderHeader = "X-Provider-Id";

    /// <summary>
    /// A signed JSON body. <paramref name="authorize"/> is the endpoint's check of the authenticated
    /// party (a disabled partner, another feed): null lets it pass, an answer refuses with it.
    /// </summary>
    public async Task<SignedRequestOutcome> ReadJsonAsync(
        HttpRequest request,
        SignedParties accepts,
        Func<SignedParty, JsonAnswer?>? authorize,
        CancellationToken cancellationToken)
    {
        var body = await SignedRequests.ReadBodyAsync(request, cancellationToken);
        if (body is null)
        {
            return new SignedRequestOutcome.Refused(SignedRequests.TooLarge());
        }

        if (Authenticate(request, accepts, body) is not { } party)
        {
            return new SignedRequestOutcome.Refused(Unauthenticated(accepts));
        }

        if (authorize?.Invoke(party) is { } forbidden)
        {
            return new SignedRequestOutcome.Refused(forbidden);
        }

        if (SignedRequests.ReadJson(request, body, out var json) is { } notJson)
        {
            return new SignedRequestOutcome.Refused(notJson);
        }

        return new SignedRequestOutcome.Admitted(new SignedRequest(party, body, WebhookId(request), json));
    }

    /// <summary>
    /// The endpoint's answer to a signed JSON body: <paramref name="admitted"/>'s, or the gate's
    /// refusal, whose status <paramref name="refused"/> is told first (for the endpoint's log line).
    /// The parsed body is disposed once answered.
    /// </summary>
    public async Task<IActionResult> AnswerJsonAsync(
        HttpRequest request,
        SignedParties accepts,
        Func<SignedParty, JsonAnswer?>? authorize,
        Action<int> refused,
        Func<SignedRequest, Task<IActionResult>> admitted,
        CancellationToken cancellationToken)
    {
        switch (await ReadJsonAsync(request, accepts, authorize, cancellationToken))
        {
            case SignedRequestOutcome.Refused { Answer: var refusal }:
                refused(refusal.Status);
                return refusal;
            case SignedRequestOutcome.Admitted { Request: var signed }:
                using (signed)
                {
                    return await admitted(signed);
                }

            default:
                throw new InvalidOperationException("Unknown gate outcome.");
        }
    }

    /// <summary>A request signed over an empty body (a signed GET): whatever body it has is not read.</summary>
    public SignedRequestOutcome ReadBodiless(HttpRequest request, SignedParties accepts) =>
        Authenticate(request, accepts, []) is { } party
            ? new SignedRequestOutcome.Admitted(new SignedRequest(party, [], WebhookId(request), null))
            : new SignedRequestOutcome.Refused(Unauthenticated(accepts));

    /// <summary>
    /// The registered party named by exactly one accepted header, when the signature is its own.
    /// A header the endpoint does not accept is not read; naming two parties is no party.
    /// </summary>
    private SignedParty? Authenticate(HttpRequest request, SignedParties accepts, byte[] body)
    {
        var partnerId = accepts.HasFlag(SignedParties.Partner) ? request.Headers[PartnerHeader].ToString() : "";
        var providerId = accepts.HasFlag(SignedParties.Provider) ? request.Headers[ProviderHeader].ToString() : "";
        var party = (partnerId.Length > 0, providerId.Length > 0) switch
        {
            (true, false) => Document.FindPartner(partnerId) is { } partner ? new SignedParty(SignedParties.Partner, partner.Id, partner, null) : null,
            (false, true) => Document.FindProvider(providerId) is { } provider ? new SignedParty(SignedParties.Provider, provider.Id, null, provider) : null,
            _ => null,
        };
        return party is not null && signatures.IsAuthentic(party.Id, body, request.Headers) ? party : null;
    }

    private static string WebhookId(HttpRequest request) => request.Headers[PartnerSignatures.IdHeader].ToString();

    /// <summary>One answer for an unknown party and a wrong signature, so it does not tell which ids exist.</summary>
    private static JsonAnswer Unauthenticated(SignedParties accepts) =>
        JsonAnswer.Problem(401, "unauthenticated", "Unauthenticated", accepts switch
        {
            SignedParties.Partner =>
                "X-Partner-Id must name a registered partner, and webhook-id, webhook-timestamp and webhook-signature must carry a valid, current signature with its secret.",
            SignedParties.Provider =>
                "X-Provider-Id must name a registered provider, and webhook-id, webhook-timestamp and webhook-signature must carry a valid, current signature with its secret.",
            _ => "Send either X-Partner-Id or X-Provider-Id naming a registered party, and a valid, current Standard Webhooks signature with its secret.",
        });
}
