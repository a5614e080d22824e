using System.ComponentModel.DataAnnotations;

namespace Switchboard.Resilience;

/// <summary>Retries of the same deployment: <c>Switchboard:Routing:Retry</c>.</summary>
public sealed class RetryOptions
{
    /// <summary>Retries per deployment before falling over to the next candidate.</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 1;

    /// <summary>First backoff delay; doubles each retry, with jitter.</summary>
    [Range(0, 60_000)]
    public double BaseDelayMs { get; set; } = 250;

    /// <summary>Longest wait for a retry; a longer Retry-After moves on to the next candidate instead.</summary>
    [Range(0, 600)]
    public double MaxDelaySeconds { get; set; } = 5;

    /// <summary>Retries allowed as a percentage of recent requests per deployment, so an outage cannot multiply traffic.</summary>
    [Range(0, 100)]
    public double BudgetPercent { get; set; } = 20;

    /// <summary>Retries always allowed per budget window regardless of traffic.</summary>
    [Range(0, 1000)]
    public int BudgetMinimum { get; set; } = 3;
}
