namespace Switchboard.Ledger;

/// <summary>What a usage report groups its rows by.</summary>
public enum UsageGrouping
{
    Provider,
    Model,
    Key,
    Route,
    /// <summary>The UTC day of the attempt (<c>yyyy-MM-dd</c>).</summary>
    Day,
}
