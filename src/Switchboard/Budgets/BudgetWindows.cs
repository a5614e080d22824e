namespace Switchboard.Budgets;

/// <summary>The values of a budget's <c>Window</c>, and where each window starts (UTC).</summary>
public static class BudgetWindows
{
    public const string Daily = "daily";
    public const string Monthly = "monthly";
    public const string Total = "total";

    public static IReadOnlyList<string> All { get; } = [Daily, Monthly, Total];

    /// <summary>The start of the window that contains <paramref name="now"/>: UTC midnight, the first of the UTC month, or the Unix epoch.</summary>
    public static DateTimeOffset Start(string window, DateTimeOffset now)
    {
        var utc = now.ToUniversalTime();
        return window.ToLowerInvariant() switch
        {
            Daily => new DateTimeOffset(utc.Year, utc.Month, utc.Day, 0, 0, 0, TimeSpan.Zero),
            Monthly => new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero),
            _ => DateTimeOffset.UnixEpoch,
        };
    }
}
