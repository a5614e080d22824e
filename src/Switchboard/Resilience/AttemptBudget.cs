using Polly;

namespace Switchboard.Resilience;

/// <summary>The attempts one request may still make, retries and fallbacks together; shared through the Polly context.</summary>
internal sealed class AttemptBudget(int maxAttempts)
{
    public static readonly ResiliencePropertyKey<AttemptBudget> Key = new("switchboard.attempt-budget");

    private int _remaining = maxAttempts;

    public int Remaining => Volatile.Read(ref _remaining);

    /// <summary>Takes one attempt; false when none is left.</summary>
    public bool TryTake() => Interlocked.Decrement(ref _remaining) >= 0;
}
