using FunctionsHub.Adapters.Mail;
using Microsoft.Extensions.Configuration;

namespace FunctionsHub.Adapters.Tests.Mail;

/// <summary>The <c>Hub:Smtp:*</c> settings: read once, every problem named by its setting.</summary>
public sealed class SmtpSettingsTests
{
    private static readonly Dictionary<string, string?> Complete = new()
    {
        ["Hub:Smtp:Host"] = "smtp.voorbeeldstad.example",
        ["Hub:Smtp:Port"] = "587",
        ["Hub:Smtp:UseTls"] = "true",
        ["Hub:Smtp:User"] = "functionshub",
        ["Hub:Smtp:Password"] = "s3cret",
        ["Hub:Smtp:From"] = "campagnes@voorbeeldstad.example",
        ["Hub:Smtp:FromName"] = "Gemeente Voorbeeldstad",
    };

    private static IConfiguration Configuration(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

    private static IConfiguration Changed(params (string Setting, string? Value)[] changes)
    {
        var settings = new Dictionary<string, string?>(Complete);
        foreach (var (setting, value) in changes)
        {
            settings[$"Hub:Smtp:{setting}"] = value;
        }

        return Configuration(settings);
    }

    [Fact]
    public void Complete_settings_are_read_as_written()
    {
        var settings = SmtpSettings.Read(Configuration(Complete));

        Assert.Equal(
            new SmtpSettings { Host = "smtp.voorbeeldstad.example", Port = 587, UseTls = true, User = "functionshub", Password = "s3cret", From = "campagnes@voorbeeldstad.example", FromName = "Gemeente Voorbeeldstad" },
            settings);
        Assert.Empty(SmtpSettings.Validate(Configuration(Complete)));
    }

    [Fact]
    public void Without_UseTls_and_Port_the_hub_submits_over_STARTTLS_on_587()
    {
        var settings = SmtpSettings.Read(Changed(("UseTls", null), ("Port", null)));

        Assert.Equal((true, 587), (settings.UseTls, settings.Port));
    }

    [Fact]
    public void Without_TLS_and_Port_the_hub_speaks_to_a_relay_on_25()
    {
        var settings = SmtpSettings.Read(Changed(("UseTls", "false"), ("Port", null), ("User", null), ("Password", null)));

        Assert.Equal((false, 25), (settings.UseTls, settings.Port));
        Assert.Null(settings.User);
    }

    public static TheoryData<string, string?, string> Mistakes => new()
    {
        { "Host", null, "Setting Hub:Smtp:Host is required" },
        { "Host", " ", "Setting Hub:Smtp:Host is required" },
        { "Port", "smtp", "Setting Hub:Smtp:Port must be a port number from 1 to 65535." },
        { "Port", "70000", "Setting Hub:Smtp:Port must be a port number from 1 to 65535." },
        { "Port", "0", "Setting Hub:Smtp:Port must be a port number from 1 to 65535." },
        { "Port", "-25", "Setting Hub:Smtp:Port must be a port number from 1 to 65535." },
        { "UseTls", "yes", "Setting Hub:Smtp:UseTls must be true or false." },
        { "From", null, "Setting Hub:Smtp:From is required" },
        { "From", "campagnes", "Setting Hub:Smtp:From 'campagnes' is not an e-mail address." },
        { "From", "Gemeente <campagnes@voorbeeldstad.example>", "Setting Hub:Smtp:From 'Gemeente <campagnes@voorbeeldstad.example>' is not an e-mail address." },
        { "FromName", "", "Setting Hub:Smtp:FromName is required" },
        { "Password", null, "Setting Hub:Smtp:Password is required when Hub:Smtp:User is set." },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public void Each_missing_or_malformed_setting_is_named(string setting, string? value, string expected)
    {
        var problem = Assert.Single(SmtpSettings.Validate(Changed((setting, value))));

        Assert.StartsWith(expected, problem);
    }

    [Fact]
    public void Every_problem_is_reported_at_once_and_reading_fails_with_all_of_them()
    {
        var configuration = Changed(("Host", null), ("Port", "x"), ("From", null), ("FromName", null));

        Assert.Equal(4, SmtpSettings.Validate(configuration).Count);
        var error = Assert.Throws<InvalidOperationException>(() => SmtpSettings.Read(configuration));
        Assert.Contains("Hub:Smtp:Host", error.Message);
        Assert.Contains("Hub:Smtp:FromName", error.Message);
    }

    [Fact]
    public void A_password_is_never_sent_in_plain_text_over_a_network()
    {
        var problem = Assert.Single(SmtpSettings.Validate(Changed(("UseTls", "false"))));

        Assert.Equal("Setting Hub:Smtp:User needs Hub:Smtp:UseTls=true unless Hub:Smtp:Host is loopback: the password would cross the network in plain text.", problem);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("[::1]")]
    public void A_user_without_TLS_is_allowed_to_a_relay_on_the_same_host(string host)
    {
        Assert.Empty(SmtpSettings.Validate(Changed(("UseTls", "false"), ("Host", host))));
    }

    [Fact]
    public void The_password_is_never_in_a_problem()
    {
        var problems = SmtpSettings.Validate(Changed(("UseTls", "false"), ("Port", "x")));

        Assert.All(problems, p => Assert.DoesNotContain("s3cret", p, StringComparison.Ordinal));
    }
}
