namespace FunctionsHub.Core;

/// <summary>The person at a partner who reported a melding, and how to reach them.</summary>
public sealed record Referrer(string Name, string? Role, string? Email, string? Phone);

/// <summary>A partner by id and name, as messages name the organisation that reported.</summary>
public sealed record PartnerRef(string Id, string Name);

/// <summary>A provider by id and name, as notifications name the organisation that reported a status.</summary>
public sealed record ProviderRef(string Id, string Name);

/// <summary>Another organisation that reported the same child: its name and its referrer's contact, never its content.</summary>
public sealed record MatchedPartner(string PartnerId, string PartnerName, string MeldingId, Referrer Referrer);

/// <summary>
/// Each party's Standard Webhooks secret (<c>Hub:Secrets:{id}</c>): what it signs its requests to the
/// hub with, and what the hub signs its notifications to it with.
/// </summary>
public sealed class PartySecrets(IReadOnlyDictionary<string, string> secrets)
{
    public string? Find(string partyId) => secrets.TryGetValue(partyId, out var secret) ? secret : null;
}
