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
    public void Ids_are_prefixed_by_what_they_name()
    {
        Assert.StartsWith("mld_", Identifiers.MeldingId("obs-de-regenboog", "msg_2a"));
    }

    // Golden values (the referral id's is in ReferralIdsTests). These ids are stored keys: meldingen, referrals and consent records are keyed
    // by them, notices are claimed by them in the once-ledger, and providers and partners drop a
    // referral, notice or notification id they have seen. A retry finds the first delivery's work
    // only by computing the same id. A failing test here means a migration (or keeping the old
    // derivation next to the new one), never an update of these strings.

    [Fact]
    public void A_melding_id_is_pinned()
    {
        Assert.Equal("mld_70c65fd3819237faeee0585553b2c103", Identifiers.MeldingId("obs-de-regenboog", "msg_2a"));
    }

    [Fact]
    public void A_melding_id_from_a_webhook_id_outside_ascii_is_pinned()
    {
        // Pins the UTF-8 encoding of the inputs as well as the digest.
        Assert.Equal("mld_2bd728f129a6592195e26fb2109baa97", Identifiers.MeldingId("obs-de-regenboog", "msg_\u00e9\u20ac\U0001F600"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("ref_70c65fd3819237faeee0585553b2c103d5465f4e65e1d86")]
    [InlineData("ref_70c65fd3819237faeee0585553b2c103d5465f4e65e1d86ab")]
    [InlineData("ref_70C65FD3819237FAEEE0585553B2C103D5465F4E65E1D86A")]
    [InlineData("mld_70c65fd3819237faeee0585553b2c103d5465f4e65e1d86a")]
    [InlineData("ref_70c65fd3819237faeee0585553b2c103d5465f4e65e1d8/a")]
    public void A_value_not_shaped_like_a_referral_id_names_no_melding(string? value)
    {
        Assert.Null(Identifiers.MeldingIdOfReferral(value));
    }

    [Fact]
    public void A_consent_id_from_a_melding_is_pinned()
    {
        Assert.Equal("cns_46c39945e3a10c362bf9e4c8cd738e67", Identifiers.ConsentId("mld_70c65fd3819237faeee0585553b2c103", "melding"));
    }

    [Fact]
    public void A_consent_id_from_a_signed_delivery_is_pinned()
    {
        Assert.Equal("cns_53234c57c36472fbbe60f261b637fd9f", Identifiers.ConsentId("basta", "msg_consent_1"));
    }

    [Fact]
    public void A_notification_id_is_pinned()
    {
        Assert.Equal("ntf_fe87c8dfaf9b88881c394ec12ae90e71",
            Identifiers.NotificationId("mld_70c65fd3819237faeee0585553b2c103", "match.found:mld_60e92c17ba8e3a03914c6d09f3faf9e3"));
    }

    [Fact]
    public void A_notice_id_is_pinned()
    {
        Assert.Equal("ntc_02bf96a858b4fad5ea01ced2b6f1c9e8", Identifiers.NoticeId("cns_53234c57c36472fbbe60f261b637fd9f", "pak-je-kans"));
    }

    [Fact]
    public void A_status_delivery_id_and_a_status_notification_id_are_pinned()
    {
        Assert.Equal("sts_a72d3cfb16510cd51d41c6407f949776", Identifiers.StatusDeliveryId("cjg", "msg_status_1"));
        Assert.Equal("ntf_3e7bb8c6d599ffc9476f89eb0e93b3d6",
            Identifiers.NotificationId("ref_70c65fd3819237faeee0585553b2c103d5465f4e65e1d86a", "status:contacted"));
    }

    [Fact]
    public void A_match_id_is_pinned_and_the_same_whichever_melding_of_the_pair_names_it_first()
    {
        // Computed apart from the code (SHA-256 of "{lower melding id}\n{higher melding id}", first 16 bytes, hex).
        Assert.Equal("mtc_c1667c1ad4b73304115f4f3d91f75d24", Identifiers.MatchId("mld_2bd728f129a6592195e26fb2109baa97", "mld_70c65fd3819237faeee0585553b2c103"));
        Assert.Equal("mtc_c1667c1ad4b73304115f4f3d91f75d24", Identifiers.MatchId("mld_70c65fd3819237faeee0585553b2c103", "mld_2bd728f129a6592195e26fb2109baa97"));
        Assert.True(Identifiers.IsMatchId("mtc_c1667c1ad4b73304115f4f3d91f75d24"));
    }

    [Fact]
    public void A_match_unattended_notification_id_is_pinned()
    {
        Assert.Equal("ntf_711fe7f6439bed3d0ff6f4c3c510ee95", Identifiers.NotificationId("mtc_c1667c1ad4b73304115f4f3d91f75d24", "match.unattended:subscriber:gemeente-jeugd"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("mld_c1667c1ad4b73304115f4f3d91f75d24")]
    [InlineData("mtc_C1667C1AD4B73304115F4F3D91F75D24")]
    [InlineData("mtc_c1667c1ad4b73304115f4f3d91f75d2")]
    [InlineData("mtc_c1667c1ad4b73304115f4f3d91f75d24\n")]
    public void A_value_not_shaped_like_a_match_id_is_no_match_id(string? value)
    {
        Assert.False(Identifiers.IsMatchId(value));
    }
}
