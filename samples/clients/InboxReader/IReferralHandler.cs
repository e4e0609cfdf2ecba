namespace Samples.Provider;

/// <summary>
/// Your case system: what to do with each kind. Each method is called at most once per id as far as the
/// <see cref="SeenSet"/> can tell, but may be called again when it threw or the process stopped before the
/// message was recorded as handled: make it an upsert by referralId, not an insert.
/// </summary>
public interface IReferralHandler
{
    /// <summary>A full referral: open a case with the child, the referrer and the content.</summary>
    Task OnReferralAsync(Referral referral, CancellationToken cancellationToken);

    /// <summary>A signal: open a case with the child and the referrer only, and call the referrer.</summary>
    Task OnSignalAsync(Signal signal, CancellationToken cancellationToken);

    /// <summary>Stop using what the named referrals shared (their content), and record why.</summary>
    Task OnConsentWithdrawnAsync(ConsentWithdrawn notice, CancellationToken cancellationToken);
}

/// <summary>
/// The sample's stand-in for a case system: it writes one line per message with the kind and the ids.
/// NEVER the BSN, a name, a birth date or the description: logs are read, copied and kept by people and
/// tools that have no business with a child's data.
/// </summary>
public sealed class LoggingCaseSystem(TextWriter log) : IReferralHandler
{
    public Task OnReferralAsync(Referral referral, CancellationToken cancellationToken) =>
        log.WriteLineAsync($"  case opened for referral {referral.ReferralId} ({referral.ConsentBasis}, {referral.Urgency}, respond before {referral.RespondBefore:u})");

    public Task OnSignalAsync(Signal signal, CancellationToken cancellationToken) =>
        log.WriteLineAsync($"  signal {signal.ReferralId}: call the referrer of partner {signal.Partner.Id} before {signal.RespondBefore:u}");

    public Task OnConsentWithdrawnAsync(ConsentWithdrawn notice, CancellationToken cancellationToken) =>
        log.WriteLineAsync($"  content of {string.Join(", ", notice.ReferralIds)} no longer to be used (consent withdrawn {notice.WithdrawnAt:u})");
}
