using Polly;

namespace Switchboard.Resilience;

/// <summary>
/// The attempts one request may still make, retries and fallbacks together, and whether a failed deployment should
/// be retried at all (see the router's candidate queue). Shared with the retry strategy through the Polly context.
/// </summary>
internal sealed class AttemptBudget(int maxAttempts, Func<string, bool, bool>? prefersAnotherCandidate = null)
{
    public static readonly ResiliencePropertyKey<AttemptBudget> Key = new("switchboard.attempt-budget");

    private int _remaining = maxAttempts;

    public int Remaining => Volatile.Read(ref _remaining);

    /// <summary>Takes one attempt; false when none is left.</summary>
    public bool TryTake() => Interlocked.Decrement(ref _remaining) >= 0;

    /// <summary>Whether a retry of <paramref name="provider"/>'s deployment should give way to another candidate.</summary>
    public bool ShouldMoveOn(string provider, bool retryAfterGiven) => prefersAnotherCandidate?.Invoke(provider, retryAfterGiven) ?? false;
}
