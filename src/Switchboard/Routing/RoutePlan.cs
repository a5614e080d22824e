using Switchboard.Chat;

namespace Switchboard.Routing;

/// <summary>The ordered deployments one request will try, and why they are in that order.</summary>
public sealed record RoutePlan(Route Route, IReadOnlyList<Deployment> Candidates, string Task, string Reason, long MaxOutputTokens)
{
    private readonly InputTokenCount? _input;

    public RoutePlan(Route route, IReadOnlyList<Deployment> candidates, string task, string reason, long estimatedInputTokens, long maxOutputTokens)
        : this(route, candidates, task, reason, maxOutputTokens) => _input = new InputTokenCount(estimatedInputTokens);

    internal RoutePlan(Route route, IReadOnlyList<Deployment> candidates, string task, string reason, InputTokenCount input, long maxOutputTokens)
        : this(route, candidates, task, reason, maxOutputTokens) => _input = input;

    /// <summary>The request's input tokens by the o200k estimate; counted on first read when the plan did not need it.</summary>
    public long EstimatedInputTokens => _input?.Value ?? 0;

    /// <summary>This plan with a known input estimate (the embedding router plans on its largest input, limits on the total).</summary>
    internal RoutePlan WithInputTokens(long tokens) =>
        new(Route, Candidates, Task, Reason, tokens, MaxOutputTokens) { HedgeDelay = HedgeDelay };

    /// <summary>When a second candidate starts if the first has not answered (non-streaming); null: no hedging.</summary>
    public TimeSpan? HedgeDelay { get; init; }
}
