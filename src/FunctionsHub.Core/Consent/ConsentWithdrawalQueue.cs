namespace FunctionsHub.Core.Consent;

/// <summary>
/// A recorded withdrawal, on <c>consent-withdrawals</c>: the child by pseudonym (never the BSN), the
/// record's id, scope and date. Everything a notice is built from, so a retry builds the same notice.
/// </summary>
public sealed record ConsentWithdrawal(string ChildPseudonym, string ConsentId, IReadOnlyList<string> Scope, DateTimeOffset WithdrawnAt);

/// <summary>Puts a recorded withdrawal on <c>consent-withdrawals</c>.</summary>
public interface IConsentWithdrawalQueue
{
    Task EnqueueAsync(ConsentWithdrawal withdrawal, CancellationToken cancellationToken);
}
