using System.Text.Json;
using System.Text.Json.Serialization;
using FunctionsHub.Core.Configuration;
using FunctionsHub.Core.Digests;
using FunctionsHub.Core.Intake;
using FunctionsHub.Core.Routing;

namespace FunctionsHub.Core;

/// <summary>Source-generated JSON for every document and message the hub reads or writes.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(HubDocument))]
[JsonSerializable(typeof(Zorgmelding))]
[JsonSerializable(typeof(ReferralMessage))]
[JsonSerializable(typeof(ConsentWithdrawnMessage))]
[JsonSerializable(typeof(InstroomDigest))]
[JsonSerializable(typeof(AcceptedMelding))]
[JsonSerializable(typeof(MeldingStatusView))]
[JsonSerializable(typeof(RoutingDecision))]
[JsonSerializable(typeof(Notifications.MatchFoundData))]
[JsonSerializable(typeof(Notifications.OutboundNotification))]
[JsonSerializable(typeof(Consent.ConsentRecord))]
[JsonSerializable(typeof(Consent.RecordedConsentAnswer))]
[JsonSerializable(typeof(Consent.ConsentWithdrawal))]
[JsonSerializable(typeof(Audit.AuditReport))]
public sealed partial class HubJson : JsonSerializerContext;
