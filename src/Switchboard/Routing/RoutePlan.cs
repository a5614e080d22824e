using Switchboard.Chat;

namespace Switchboard.Routing;

/// <summary>The ordered deployments one request will try, and why they are in that order.</summary>
public sealed record RoutePlan(Route Route, IReadOnlyList<Deployment> Candidates, string Task, string Reason,
    long EstimatedInputTokens, long MaxOutputTokens)
{
    /// <summary>When a second candidate starts if the first has not answered (non-streaming); null: no hedging.</summary>
    public TimeSpan? HedgeDelay { get; init; }
}
