namespace Switchboard.Ledger;

/// <summary>Which ledger rows a usage report covers (<see cref="Since"/> inclusive, <see cref="Until"/> exclusive) and how it groups them.</summary>
public sealed record UsageQuery
{
    public DateTimeOffset? Since { get; init; }
    public DateTimeOffset? Until { get; init; }
    public UsageGrouping By { get; init; } = UsageGrouping.Provider;
    /// <summary>Only this virtual key's rows, when set.</summary>
    public string? KeyId { get; init; }
}
