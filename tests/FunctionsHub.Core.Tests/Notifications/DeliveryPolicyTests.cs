using System.Net;
using FunctionsHub.Core.Notifications;

namespace FunctionsHub.Core.Tests.Notifications;

/// <summary>The retry rules of outbound delivery, answer by answer, and the addresses the hub refuses to call.</summary>
public sealed class DeliveryPolicyTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(200)]
    [InlineData(202)]
    [InlineData(204)]
    public void A_2xx_is_delivered(int status) =>
        Assert.IsType<DeliveryVerdict.Done>(DeliveryPolicy.Judge(CallbackAnswer.Answered(status), 1, Start, Start, 0.5));

    [Theory]
    [InlineData(408)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public void Timeouts_throttling_and_server_errors_are_tried_again(int status)
    {
        var verdict = Assert.IsType<DeliveryVerdict.TryAgain>(DeliveryPolicy.Judge(CallbackAnswer.Answered(status), 1, Start, Start, 0.5));

        Assert.Equal(TimeSpan.FromSeconds(30), verdict.Delay);
        Assert.Equal($"http-{status}", verdict.Reason);
    }

    [Theory]
    [InlineData(CallbackFailure.Timeout, "timeout")]
    [InlineData(CallbackFailure.ConnectionFailed, "connection-failed")]
    public void No_answer_is_tried_again(CallbackFailure failure, string reason) =>
        Assert.Equal(reason, Assert.IsType<DeliveryVerdict.TryAgain>(DeliveryPolicy.Judge(CallbackAnswer.Failed(failure), 1, Start, Start, 0.5)).Reason);

    [Fact]
    public void A_refused_address_is_given_up_at_once() =>
        Assert.Equal("address-refused", Assert.IsType<DeliveryVerdict.GiveUp>(DeliveryPolicy.Judge(CallbackAnswer.Failed(CallbackFailure.AddressRefused), 1, Start, Start, 0.5)).Reason);

    [Fact]
    public void A_410_means_the_endpoint_is_gone() =>
        Assert.IsType<DeliveryVerdict.EndpointGone>(DeliveryPolicy.Judge(CallbackAnswer.Answered(410), 1, Start, Start, 0.5));

    [Theory]
    [InlineData(301, "redirect-not-followed (http-301)")]
    [InlineData(302, "redirect-not-followed (http-302)")]
    [InlineData(400, "http-400")]
    [InlineData(401, "http-401")]
    [InlineData(403, "http-403")]
    [InlineData(404, "http-404")]
    [InlineData(413, "http-413")]
    public void Other_answers_are_given_up_at_once(int status, string reason) =>
        Assert.Equal(reason, Assert.IsType<DeliveryVerdict.GiveUp>(DeliveryPolicy.Judge(CallbackAnswer.Answered(status), 1, Start, Start, 0.5)).Reason);

    [Theory]
    [InlineData(1, 30)]
    [InlineData(2, 60)]
    [InlineData(3, 120)]
    [InlineData(7, 1920)]
    [InlineData(8, 3600)]
    [InlineData(30, 3600)]
    [InlineData(1000, 3600)]
    public void The_backoff_doubles_from_30_seconds_up_to_an_hour(int attempt, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), DeliveryPolicy.Backoff(attempt, 0.5));

    [Theory]
    [InlineData(0.0, 0.8)]
    [InlineData(0.999999, 1.2)]
    public void Jitter_spreads_a_delay_by_at_most_a_fifth(double jitter, double factor) =>
        Assert.Equal(TimeSpan.FromSeconds(120 * factor).TotalSeconds, DeliveryPolicy.Backoff(3, jitter).TotalSeconds, 3);

    [Fact]
    public void A_Retry_After_longer_than_the_backoff_wins_and_a_shorter_one_does_not()
    {
        var longer = DeliveryPolicy.Judge(CallbackAnswer.Answered(503, TimeSpan.FromMinutes(10)), 1, Start, Start, 0.5);
        var shorter = DeliveryPolicy.Judge(CallbackAnswer.Answered(503, TimeSpan.FromSeconds(1)), 1, Start, Start, 0.5);

        Assert.Equal(TimeSpan.FromMinutes(10), Assert.IsType<DeliveryVerdict.TryAgain>(longer).Delay);
        Assert.Equal(TimeSpan.FromSeconds(30), Assert.IsType<DeliveryVerdict.TryAgain>(shorter).Delay);
    }

    [Fact]
    public void A_retry_that_would_fall_after_the_24_hour_window_is_given_up()
    {
        var late = Start + TimeSpan.FromHours(23.5);

        var verdict = DeliveryPolicy.Judge(CallbackAnswer.Answered(500), 30, Start, late, 0.5);
        var retryAfterBeyond = DeliveryPolicy.Judge(CallbackAnswer.Answered(503, TimeSpan.FromHours(2)), 1, Start, Start + TimeSpan.FromHours(23), 0.5);

        Assert.Equal("retry-window-exhausted (http-500)", Assert.IsType<DeliveryVerdict.GiveUp>(verdict).Reason);
        Assert.IsType<DeliveryVerdict.GiveUp>(retryAfterBeyond);
    }

    [Theory]
    [InlineData("10.0.0.1", "private")]
    [InlineData("10.255.255.255", "private")]
    [InlineData("172.16.0.1", "private")]
    [InlineData("172.31.255.254", "private")]
    [InlineData("192.168.0.1", "private")]
    [InlineData("169.254.169.254", "link-local-or-metadata")]
    [InlineData("168.63.129.16", "azure-platform")]
    [InlineData("100.64.0.1", "shared-address-space")]
    [InlineData("0.0.0.0", "unspecified")]
    [InlineData("224.0.0.1", "multicast-or-reserved")]
    [InlineData("255.255.255.255", "multicast-or-reserved")]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("127.10.0.1", "loopback")]
    [InlineData("::1", "loopback")]
    [InlineData("::ffff:10.0.0.1", "private")]
    [InlineData("::ffff:127.0.0.1", "loopback")]
    [InlineData("fc00::1", "unique-local")]
    [InlineData("fd12:3456::1", "unique-local")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("ff02::1", "multicast")]
    [InlineData("::", "unspecified")]
    [InlineData("64:ff9b::a9fe:a9fe", "link-local-or-metadata")]
    [InlineData("2002:c0a8:0101::1", "private")]
    public void Private_link_local_metadata_and_loopback_addresses_are_refused(string address, string reason) =>
        Assert.Equal(reason, new CallbackRules(AllowHttpLoopback: false).RefusedAddress(IPAddress.Parse(address), "https"));

    [Theory]
    [InlineData("172.15.255.255")]
    [InlineData("172.32.0.1")]
    [InlineData("93.184.216.34")]
    [InlineData("2606:2800:220:1:248:1893:25c8:1946")]
    public void Public_addresses_are_called_over_https(string address) =>
        Assert.Null(new CallbackRules(AllowHttpLoopback: false).RefusedAddress(IPAddress.Parse(address), "https"));

    [Fact]
    public void Loopback_is_called_only_when_allowed_and_http_only_to_loopback()
    {
        var local = new CallbackRules(AllowHttpLoopback: true);

        Assert.Null(local.RefusedAddress(IPAddress.Loopback, "http"));
        Assert.Null(local.RefusedAddress(IPAddress.IPv6Loopback, "http"));
        Assert.Equal("http-only-to-loopback", local.RefusedAddress(IPAddress.Parse("93.184.216.34"), "http"));
        Assert.Null(local.RefusedScheme(new Uri("http://localhost:7199/x")));
        Assert.Equal("http-not-allowed", new CallbackRules(false).RefusedScheme(new Uri("http://partner.example/x")));
        Assert.Equal("scheme-not-allowed", local.RefusedScheme(new Uri("ftp://partner.example/x")));
    }
}
