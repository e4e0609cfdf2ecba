using FunctionsHub.Core;

namespace FunctionsHub.Testing.Contracts;

/// <summary>Referral ids under a fixed test key, for tests that only need well-formed, distinct ids.</summary>
public static class TestReferralIds
{
    public static readonly ReferralIds Instance = new(Enumerable.Range(100, 32).Select(i => (byte)i).ToArray());

    public static string For(string meldingId, string providerId) => Instance.For(meldingId, providerId);
}
