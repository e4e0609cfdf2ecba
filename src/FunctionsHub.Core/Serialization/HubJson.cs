using System.Text.Json;
using System.Text.Json.Serialization;
using FunctionsHub.Core.Audit;
using FunctionsHub.Core.Configuration;
using FunctionsHub.Core.Consent;
using FunctionsHub.Core.Digests;
using FunctionsHub.Core.Feedback;
using FunctionsHub.Core.Intake;
using FunctionsHub.Core.Notifications;
using FunctionsHub.Core.Routing;

namespace FunctionsHub.Core.Serialization;

/// <summary>
/// Source-generated JSON for every document and message the hub reads or writes. It names types of
/// every feature, so it sits above them all, in a namespace of its own: the adapters and the use
/// cases use it, no feature does.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(HubDocument))]
[JsonSerializable(typeof(Zorgmelding))]
[JsonSerializable(typeof(ReferralMessage))]
[JsonSerializable(typeof(ConsentWithdrawnMessage))]
[JsonSerializable(typeof(ReferralRetractedMessage))]
[JsonSerializable(typeof(InstroomDigest))]
[JsonSerializable(typeof(DigestPublishedData))]
[JsonSerializable(typeof(DigestListing))]
[JsonSerializable(typeof(CompiledDigestAnswer))]
[JsonSerializable(typeof(AcceptedMelding))]
[JsonSerializable(typeof(MeldingStatusView))]
[JsonSerializable(typeof(RoutingDecision))]
[JsonSerializable(typeof(MatchFoundData))]
[JsonSerializable(typeof(MatchUnattendedData))]
[JsonSerializable(typeof(RetentionPurgedData))]
[JsonSerializable(typeof(MatchWithdrawnData))]
[JsonSerializable(typeof(FunctionsHub.Core.Matching.ContactConfirmedAnswer))]
[JsonSerializable(typeof(FunctionsHub.Core.Matching.ChildFile))]
[JsonSerializable(typeof(PartnerSilentData))]
[JsonSerializable(typeof(MeldingRoutedData))]
[JsonSerializable(typeof(OutboundNotification))]
[JsonSerializable(typeof(NotificationEnvelope))]
[JsonSerializable(typeof(ConsentRecord))]
[JsonSerializable(typeof(RecordedConsentAnswer))]
[JsonSerializable(typeof(ConsentWithdrawal))]
[JsonSerializable(typeof(AuditReport))]
[JsonSerializable(typeof(ReferralStatusChangedData))]
[JsonSerializable(typeof(ReferralOverdueData))]
[JsonSerializable(typeof(FunctionsHub.Core.Campaigns.CampaignMessageData))]
[JsonSerializable(typeof(FunctionsHub.Core.Campaigns.CampaignsView))]
[JsonSerializable(typeof(FunctionsHub.Core.Campaigns.CampaignPreview))]
[JsonSerializable(typeof(AcceptedStatusAnswer))]
public sealed partial class HubJson : JsonSerializerContext;
