namespace Switchboard.Resilience;

/// <summary>
/// Caps retries to a share of recent traffic per deployment (over a 10 s window on <see cref="TimeProvider"/>),
/// so a provider outage cannot multiply the load sent to it. Polly has no budget of its own.
/// </summary>
internal sealed class RetryBudget(RetryOptions options, TimeProvider time)
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(10);
    private readonly Lock _gate = new();
    private long _windowStart = time.GetTimestamp();
    private int _requests;
    private int _retries;

    /// <summary>Counts a first attempt.</summary>
    public void OnRequest()
    {
        lock (_gate)
        {
            Roll();
            _requests++;
        }
    }

    /// <summary>Takes one retry from the budget; false when the budget is spent.</summary>
    public bool TryRetry()
    {
        lock (_gate)
        {
            Roll();
            var allowed = Math.Max(options.BudgetMinimum, (int)(_requests * options.BudgetPercent / 100));
            if (_retries >= allowed)
            {
                return false;
            }

            _retries++;
            return true;
        }
    }

    private void Roll()
    {
        if (time.GetElapsedTime(_windowStart) >= Window)
        {
            _windowStart = time.GetTimestamp();
            _requests = 0;
            _retries = 0;
        }
    }
}
