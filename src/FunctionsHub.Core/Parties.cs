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
/// Each party's Standard Webhooks secret: what it signs its requests to the hub with, and what the hub
/// signs its notifications to it with. Found at <c>Hub:Secrets:{id}</c> or, when that is absent, at
/// <c>Hub:Secrets:{id with - as _}</c>: app settings on Linux and shell variables cannot hold a
/// hyphen (<c>Hub__Secrets__obs_de_regenboog</c>), and ids never contain <c>_</c>, so the mapping is
/// unambiguous.
/// </summary>
public sealed class PartySecrets(IReadOnlyDictionary<string, string> secrets)
{
    public string? Find(string partyId) =>
        secrets.TryGetValue(partyId, out var secret) || secrets.TryGetValue(SettingName(partyId), out secret) ? secret : null;

    /// <summary>The name of a party's secret under <c>Hub:Secrets</c> as Azure and shells can hold it.</summary>
    public static string SettingName(string partyId) => partyId.Replace('-', '_');
}
