using System.Text.Json;
using System.Text.Json.Serialization;
using FunctionsHub.Core.Notifications;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace FunctionsHub.Functions.Delivery;

/// <summary>
/// <c>GET /api/operations/deliveries?state=failed|gone|undeliverable</c> (function key): the
/// notifications someone at the gemeente must act on (a partner's endpoint that refuses, is gone or
/// was never configured), most recent first. Records only: ids, types, recipients, attempts, codes.
/// </summary>
public sealed class DeliveryOperations(IDeliveryRecords records, ILogger<DeliveryOperations> logger)
{
    public const int ListLimit = 200;

    [Function(nameof(ListDeliveries))]
    public Task<IActionResult> ListDeliveries(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "operations/deliveries")] HttpRequest request,
        CancellationToken cancellationToken) =>
        HttpGuard.RunAsync(logger, async () =>
        {
            var asked = request.Query["state"].ToString();
            if (DeliveryStates.Parse(asked) is not { } state || !DeliveryStates.NeedingAttention.Contains(state))
            {
                return JsonAnswer.Problem(400, "unknown-delivery-state", "Unknown delivery state",
                    $"Give ?state= one of: {string.Join(", ", DeliveryStates.NeedingAttention.Select(s => s.Name()))}.");
            }

            var found = await records.ListAsync(state, ListLimit, cancellationToken);
            return JsonAnswer.Of(200, new DeliveryListing(state.Name(), found.Select(DeliveryView.Of).ToArray()), DeliveryJson.Default.DeliveryListing);
        });
}

public sealed record DeliveryListing(string State, IReadOnlyList<DeliveryView> Deliveries);

public sealed record DeliveryView(
    string NotificationId, string Type, string RecipientKind, string RecipientId, string State,
    int Attempts, DateTimeOffset FirstAttemptAt, DateTimeOffset LastAttemptAt, int? LastStatus, string? Reason)
{
    public static DeliveryView Of(DeliveryRecord r) =>
        new(r.NotificationId, r.Type, r.Recipient.Kind, r.Recipient.Id, r.State.Name(), r.Attempts, r.FirstAttemptAt, r.LastAttemptAt, r.LastStatus, r.Reason);
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(DeliveryListing))]
internal sealed partial class DeliveryJson : JsonSerializerContext;
