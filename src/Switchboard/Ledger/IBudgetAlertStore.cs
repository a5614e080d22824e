namespace Switchboard.Ledger;

/// <summary>Remembers which budget alerts fired, so a restart does not fire them again.</summary>
public interface IBudgetAlertStore
{
    /// <summary>Records that <paramref name="budget"/> crossed <paramref name="threshold"/> in the window starting at
    /// <paramref name="windowStart"/>; false when that was already recorded.</summary>
    Task<bool> TryMarkAlertAsync(string budget, DateTimeOffset windowStart, decimal threshold, CancellationToken cancellationToken);
}
