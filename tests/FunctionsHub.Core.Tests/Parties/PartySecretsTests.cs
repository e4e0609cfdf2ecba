namespace FunctionsHub.Core.Tests.Parties;

/// <summary>A party's secret by its id, also where the setting name could not hold the id's hyphens.</summary>
public sealed class PartySecretsTests
{
    [Fact]
    public void A_secret_is_found_under_the_id_or_under_the_id_with_underscores()
    {
        var secrets = new PartySecrets(new Dictionary<string, string> { ["cjg"] = "whsec_a", ["obs_de_regenboog"] = "whsec_b" });

        Assert.Equal("whsec_a", secrets.Find("cjg"));
        Assert.Equal("whsec_b", secrets.Find("obs-de-regenboog"));
        Assert.Null(secrets.Find("basta"));
    }

    [Fact]
    public void The_id_as_written_wins_over_its_underscore_form()
    {
        var secrets = new PartySecrets(new Dictionary<string, string> { ["pak-je-kans"] = "whsec_hyphen", ["pak_je_kans"] = "whsec_underscore" });

        Assert.Equal("whsec_hyphen", secrets.Find("pak-je-kans"));
    }

    [Fact]
    public void The_setting_name_replaces_every_hyphen() =>
        Assert.Equal("politie_basisteam_voorbeeldstad", PartySecrets.SettingName("politie-basisteam-voorbeeldstad"));
}
