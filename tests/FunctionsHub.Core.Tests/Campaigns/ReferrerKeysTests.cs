using FunctionsHub.Core.Campaigns;

namespace FunctionsHub.Core.Tests.Campaigns;

/// <summary>Referrer address keys and unsubscribe tokens: one key per address, tokens only the hub can make.</summary>
public sealed class ReferrerKeysTests
{
    private static readonly ReferrerKeys Keys = new(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    [Fact]
    public void An_address_has_one_key_whatever_its_capitalisation_or_surrounding_space_and_the_key_does_not_show_it()
    {
        var key = Keys.Of("J.deVries@OBS-de-Regenboog.example");

        Assert.Equal(key, Keys.Of(" j.devries@obs-de-regenboog.example "));
        Assert.NotEqual(key, Keys.Of("m.yilmaz@jongerenwerk.example"));
        Assert.Matches("^[0-9a-f]{32}$", key);
        Assert.NotEqual(key, new ReferrerKeys(Enumerable.Range(2, 32).Select(i => (byte)i).ToArray()).Of("j.devries@obs-de-regenboog.example"));
    }

    [Fact]
    public void A_token_names_its_key_and_a_changed_or_foreign_token_names_none()
    {
        var key = Keys.Of("j.devries@obs-de-regenboog.example");
        var token = Keys.TokenFor(key);

        Assert.Equal(key, Keys.KeyOf(token));
        var otherKey = Keys.Of("m.yilmaz@jongerenwerk.example");
        Assert.Null(Keys.KeyOf(otherKey + token[32..]));
        Assert.Null(Keys.KeyOf(token[..^1] + (token[^1] == 'a' ? 'b' : 'a')));
        Assert.Null(Keys.KeyOf(new ReferrerKeys(Enumerable.Range(2, 32).Select(i => (byte)i).ToArray()).TokenFor(key)));
        Assert.Null(Keys.KeyOf(token.ToUpperInvariant()));
        Assert.Null(Keys.KeyOf(token + "0"));
        Assert.Null(Keys.KeyOf(""));
        Assert.Null(Keys.KeyOf(null));
    }
}
