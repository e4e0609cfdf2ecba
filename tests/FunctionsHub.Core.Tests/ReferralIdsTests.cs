using System.Security.Cryptography;
using System.Text;

namespace FunctionsHub.Core.Tests;

/// <summary>
/// Referral ids are keyed: the hub computes the same id for (melding, provider) every time, and a
/// provider that knows a melding id cannot compute the id another provider has for it.
/// </summary>
public sealed class ReferralIdsTests
{
    private static readonly byte[] KeyA = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
    private static readonly byte[] KeyB = Enumerable.Range(2, 32).Select(i => (byte)i).ToArray();
    private const string MeldingId = "mld_70c65fd3819237faeee0585553b2c103";

    /// <summary>The referral id as it was before it was keyed: anyone could compute it from the melding id.</summary>
    public static string Unkeyed(string meldingId, string providerId) =>
        "ref_" + meldingId[4..] + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{meldingId}\n{providerId}")).AsSpan(0, 8));

    [Fact]
    public void The_same_key_melding_and_provider_always_name_the_same_referral()
    {
        Assert.Equal(new ReferralIds(KeyA).For(MeldingId, "basta"), new ReferralIds(KeyA.ToArray()).For(MeldingId, "basta"));
    }

    [Fact]
    public void Another_key_names_another_referral()
    {
        Assert.NotEqual(new ReferralIds(KeyA).For(MeldingId, "basta"), new ReferralIds(KeyB).For(MeldingId, "basta"));
    }

    [Fact]
    public void Each_provider_of_a_melding_gets_its_own_referral_id()
    {
        var ids = new ReferralIds(KeyA);

        Assert.NotEqual(ids.For(MeldingId, "basta"), ids.For(MeldingId, "pit"));
        Assert.NotEqual(ids.For("mld_1", "basta"), ids.For("mld_2", "basta"));
    }

    [Fact]
    public void A_referral_id_cannot_be_computed_from_the_melding_and_provider_without_the_key()
    {
        var ids = new ReferralIds(KeyA);

        Assert.NotEqual(Unkeyed(MeldingId, "basta"), ids.For(MeldingId, "basta"));
        // Nor with the pseudonym key used directly: the referral key is derived from it for this purpose alone.
        var direct = "ref_" + MeldingId[4..] + Convert.ToHexStringLower(HMACSHA256.HashData(KeyA, Encoding.UTF8.GetBytes($"{MeldingId}\nbasta")).AsSpan(0, 8));
        Assert.NotEqual(direct, ids.For(MeldingId, "basta"));
    }

    [Fact]
    public void A_referral_id_names_its_melding()
    {
        var meldingId = Identifiers.MeldingId("politie-basisteam-voorbeeldstad", "msg_1");
        var referralId = new ReferralIds(KeyA).For(meldingId, "basta");

        Assert.StartsWith("ref_", referralId);
        Assert.Equal(meldingId, Identifiers.MeldingIdOfReferral(referralId));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    public void A_key_shorter_than_32_bytes_is_refused(int length)
    {
        Assert.Throws<ArgumentException>(() => new ReferralIds(new byte[length]));
    }

    // Golden value. Referral ids are stored keys (the instroom's rows, the ids providers and Service
    // Bus duplicate detection drop repeats by): a failing test here means a migration, never an
    // update of this string. It changed once, on purpose, when the suffix became keyed
    // (docs/decisions.md, "referralId"); before that it was ref_70c65fd3819237faeee0585553b2c103d5465f4e65e1d86a.
    [Fact]
    public void A_referral_id_is_pinned()
    {
        Assert.Equal("ref_70c65fd3819237faeee0585553b2c10349749b10f4fd4924", new ReferralIds(KeyA).For(MeldingId, "cjg"));
    }

    [Fact]
    public void The_unkeyed_formula_of_the_tests_is_the_one_ids_had_before()
    {
        // So that the tests that guess with it guess what a provider could have computed.
        Assert.Equal("ref_70c65fd3819237faeee0585553b2c103d5465f4e65e1d86a", Unkeyed(MeldingId, "cjg"));
    }
}
