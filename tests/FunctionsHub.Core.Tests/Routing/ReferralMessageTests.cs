using FunctionsHub.Core.Routing;
using FunctionsHub.Core.Tests.Support;
using static FunctionsHub.Core.Tests.Support.TestHub;

namespace FunctionsHub.Core.Tests.Routing;

public sealed class ReferralMessageTests
{
    private static readonly DateTimeOffset CreatedAt = new(2026, 11, 2, 8, 31, 0, TimeSpan.Zero);

    private static readonly ReferralIds ReferralIds = new(RoutingWorld.Key);

    private static ReferralMessage Create(string kind, string provider = Basta) =>
        ReferralMessage.Create(
            TestMeldingen.Police(),
            new ProviderDecision(provider, kind, kind == ReferralKinds.Referral ? ConsentBases.ParentalConsent : ConsentBases.None, ["police-offence"]),
            Demo(),
            CreatedAt,
            ReferralIds);

    [Fact]
    public void A_referral_carries_the_content_of_the_melding()
    {
        var content = Create(ReferralKinds.Referral).Content;

        Assert.NotNull(content);
        Assert.Equal(["delinquency"], content.Categories);
        Assert.Equal("Aangehouden bij winkeldiefstal.", content.Description);
        Assert.Equal("shoplifting", content.Incident?.Type);
        Assert.Equal("suspect", content.Incident?.Role);
        Assert.Equal("yellow", content.RiskLevel);
    }

    [Fact]
    public void A_signal_carries_no_content()
    {
        Assert.Null(Create(ReferralKinds.Signal).Content);
    }

    [Fact]
    public void A_signal_still_names_the_child_and_the_referrer()
    {
        var signal = Create(ReferralKinds.Signal);

        Assert.Equal("123456782", signal.Child.Bsn);
        Assert.Equal(10, signal.Child.AgeYears);
        Assert.Equal("Agent K. Bakker", signal.Referrer.Name);
        Assert.Equal("0900-8844", signal.Referrer.Phone);
    }

    [Fact]
    public void The_referral_names_the_partner_by_its_configured_name()
    {
        var message = Create(ReferralKinds.Signal);

        Assert.Equal(new PartnerRef(PolicePartner, "Politie basisteam Voorbeeldstad"), message.Partner);
        Assert.Equal(Feeds.Police, message.Feed);
    }

    [Theory]
    [InlineData(Basta, 48)]
    [InlineData(Cjg, 72)]
    [InlineData(VeiligThuis, 24)]
    public void Respond_before_is_the_providers_first_contact_hours_after_creation(string provider, int hours)
    {
        Assert.Equal(CreatedAt.AddHours(hours), Create(ReferralKinds.Signal, provider).RespondBefore);
    }

    [Fact]
    public void The_referral_id_is_derived_from_the_melding_and_the_provider()
    {
        var message = Create(ReferralKinds.Referral);

        Assert.Equal(ReferralIds.For(TestMeldingen.Police().MeldingId, Basta), message.ReferralId);
        Assert.Equal(message.ReferralId, Create(ReferralKinds.Signal).ReferralId);
    }

    [Fact]
    public void The_message_declares_the_v1_schema()
    {
        Assert.Equal("functionshub.referral.v1", Create(ReferralKinds.Referral).Schema);
    }

    [Fact]
    public void An_acute_melding_is_sent_with_urgency_acute_even_when_the_referrer_said_normal()
    {
        var message = ReferralMessage.Create(
            TestMeldingen.Police(riskLevel: "red"),
            new ProviderDecision(VeiligThuis, ReferralKinds.Referral, ConsentBases.AcuteSafety, [Router.AcuteProviderReason]),
            Demo(),
            CreatedAt,
            ReferralIds);

        Assert.Equal("acute", message.Urgency);
        Assert.Equal(ConsentBases.AcuteSafety, message.ConsentBasis);
    }
}
