namespace FunctionsHub.Core.Notifications;

/// <summary>What to do after an attempt.</summary>
public abstract record DeliveryVerdict(DeliveryState State, string Reason)
{
    public sealed record Done() : DeliveryVerdict(DeliveryState.Delivered, "delivered");

    public sealed record TryAgain(TimeSpan Delay, string LastFailure) : DeliveryVerdict(DeliveryState.Retrying, LastFailure);

    public sealed record GiveUp(string Why) : DeliveryVerdict(DeliveryState.Failed, Why);

    public sealed record EndpointGone() : DeliveryVerdict(DeliveryState.Gone, "http-410");
}

/// <summary>
/// The retry rules of outbound delivery: 2xx is done; 408, 429, 5xx, timeouts and connection
/// failures are tried again with exponential backoff and jitter (30 s, 1, 2, 4, ... minutes up to an
/// hour between attempts, never sooner than a <c>Retry-After</c> asks) until 24 h after the first
/// attempt; <c>410</c> means the endpoint is gone; any other answer (other 4xx, a redirect, which is
/// never followed) and a refused address will not get better by trying again.
/// </summary>
public static class DeliveryPolicy
{
    public static readonly TimeSpan RetryWindow = TimeSpan.FromHours(24);

    public static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan MaxDelay = TimeSpan.FromHours(1);

    /// <summary>
    /// The verdict on attempt number <paramref name="attempt"/> (1 for the first) of a round that began
    /// at <paramref name="firstAttemptAt"/>; <paramref name="jitter"/> is a number in [0, 1) that spreads
    /// the retries of many notifications that failed together.
    /// </summary>
    public static DeliveryVerdict Judge(CallbackAnswer answer, int attempt, DateTimeOffset firstAttemptAt, DateTimeOffset now, double jitter)
    {
        if (answer.Failure == CallbackFailure.AddressRefused)
        {
            return new DeliveryVerdict.GiveUp(answer.Code);
        }

        if (answer.Status is >= 200 and < 300)
        {
            return new DeliveryVerdict.Done();
        }

        if (answer.Status == 410)
        {
            return new DeliveryVerdict.EndpointGone();
        }

        if (answer.Failure is not null || answer.Status is 408 or 429 or >= 500)
        {
            var delay = Backoff(attempt, jitter);
            if (answer.RetryAfter > delay)
            {
                delay = answer.RetryAfter.Value;
            }

            return now + delay <= firstAttemptAt + RetryWindow
                ? new DeliveryVerdict.TryAgain(delay, answer.Code)
                : new DeliveryVerdict.GiveUp($"retry-window-exhausted ({answer.Code})");
        }

        return new DeliveryVerdict.GiveUp(answer.Status is >= 300 and < 400 ? $"redirect-not-followed ({answer.Code})" : answer.Code);
    }

    /// <summary>30 s doubling per attempt up to an hour, spread by ±20 %.</summary>
    public static TimeSpan Backoff(int attempt, double jitter)
    {
        var doublings = Math.Min(Math.Max(attempt - 1, 0), 16);
        var nominal = TimeSpan.FromTicks(Math.Min(FirstDelay.Ticks << doublings, MaxDelay.Ticks));
        return nominal * (0.8 + (0.4 * Math.Clamp(jitter, 0, 1)));
    }
}
