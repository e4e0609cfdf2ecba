namespace FunctionsHub.Core.Tests;

public sealed class IdentifiersTests
{
    [Fact]
    public void The_same_partner_and_webhook_id_always_name_the_same_melding()
    {
        Assert.Equal(Identifiers.MeldingId("obs-de-regenboog", "msg_2a"), Identifiers.MeldingId("obs-de-regenboog", "msg_2a"));
    }

    [Fact]
    public void Another_partner_with_the_same_webhook_id_names_another_melding()
    {
        Assert.NotEqual(Identifiers.MeldingId("obs-de-regenboog", "msg_2a"), Identifiers.MeldingId("cbs-de-wegwijzer", "msg_2a"));
    }

    [Fact]
    public void Another_webhook_id_from_the_same_partner_names_another_melding()
    {
        Assert.NotEqual(Identifiers.MeldingId("obs-de-regenboog", "msg_2a"), Identifiers.MeldingId("obs-de-regenboog", "msg_2b"));
    }

    [Fact]
    public void Ids_do_not_collide_when_partner_and_webhook_id_shift_characters()
    {
        Assert.NotEqual(Identifiers.MeldingId("ab", "c"), Identifiers.MeldingId("a", "bc"));
    }

    [Fact]
    public void The_same_melding_and_provider_always_name_the_same_referral()
    {
        Assert.Equal(Identifiers.ReferralId("mld_1", "basta"), Identifiers.ReferralId("mld_1", "basta"));
    }

    [Fact]
    public void Each_provider_of_a_melding_gets_its_own_referral_id()
    {
        Assert.NotEqual(Identifiers.ReferralId("mld_1", "basta"), Identifiers.ReferralId("mld_1", "pit"));
        Assert.NotEqual(Identifiers.ReferralId("mld_1", "basta"), Identifiers.ReferralId("mld_2", "basta"));
    }

    [Fact]
    public void Ids_are_prefixed_by_what_they_name()
    {
        Assert.StartsWith("mld_", Identifiers.MeldingId("obs-de-regenboog", "msg_2a"));
        Assert.StartsWith("ref_", Identifiers.ReferralId("mld_1", "basta"));
    }
}
