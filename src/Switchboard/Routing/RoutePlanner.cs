using Microsoft.Extensions.AI;
using Switchboard.Chat;
using Switchboard.Pricing;
using Switchboard.Resilience;

namespace Switchboard.Routing;

/// <summary>
/// Builds a request's plan: drops deployments whose context window the request does not fit (which makes it a
/// <c>long_context</c> task), orders by the caller's preference (cost, latency) or else by the route's policy and the
/// task's rule, and leaves out deployments whose circuit is open (unless all are).
/// </summary>
public sealed class RoutePlanner(RoutingOptions options, DeploymentResilience resilience, HealthTracker health, TokenEstimator estimator)
{
    private readonly IReadOnlyDictionary<string, IList<string>> _taskRules = options.EffectiveTaskRules();

    public RoutePlan Plan(Route route, IEnumerable<ChatMessage> messages, ChatOptions? chatOptions, RouteOptions hints)
    {
        // Counted once per request: the context keeps the count the limiter or the budget may have made already.
        var input = SwitchboardContext.Of(chatOptions) is { } request
            ? request.InputTokens(estimator, messages, chatOptions)
            : estimator.CountInput(messages, chatOptions);
        var requestedOutput = chatOptions?.MaxOutputTokens;
        var task = string.IsNullOrWhiteSpace(hints.Task) ? TaskTypes.General : hints.Task.Trim().ToLowerInvariant();

        var fitting = route.Deployments.Where(d => input + (requestedOutput ?? 0) <= d.ContextWindow).ToList();
        if (fitting.Count == 0)
        {
            throw new ProviderException(ProviderErrorKind.ContextLengthExceeded,
                $"The request's estimated {input} input tokens do not fit the context window of any deployment of '{route.Name}'.");
        }

        var reasons = new List<string>();
        if (fitting.Count < route.Deployments.Count)
        {
            reasons.Add($"{route.Deployments.Count - fitting.Count} deployment(s) dropped: ~{input} input tokens exceed their context window");
            if (task == TaskTypes.General)
            {
                task = TaskTypes.LongContext;
            }
        }

        var prefer = hints.PreferCost ? "cost" : hints.Prefer?.Trim().ToLowerInvariant();
        var policy = prefer switch
        {
            "cost" => RoutingPolicies.Get(RoutingPolicyNames.Cheapest),
            "latency" => RoutingPolicies.Get(RoutingPolicyNames.LowestLatency),
            _ => RoutingPolicies.Get(route.Policy),
        };
        var expectedOutput = requestedOutput ?? options.ExpectedOutputTokens;
        var context = new PlanContext(route, input, expectedOutput, health.LatencyOf, Random.Shared);
        policy.Order(fitting, context);
        reasons.Insert(0, $"policy {policy.Name}" + (prefer is "cost" or "latency" ? $" (caller prefers {prefer})" : ""));

        if (route.IsAlias && prefer is not ("cost" or "latency") && _taskRules.TryGetValue(task, out var preferred) && preferred.Count > 0)
        {
            ApplyTaskRule(fitting, preferred);
            reasons.Add($"task {task} prefers {string.Join(", ", preferred)}");
        }
        else if (task != TaskTypes.General)
        {
            reasons.Add($"task {task}");
        }

        // Deployments whose circuit is open go last: the router records them as skipped (their breaker refuses without a
        // call) unless their break has ended by then, so a failed request lists every deployment and why it was not used.
        var candidates = fitting.Where(d => !resilience.IsOpen(d)).ToList();
        if (candidates.Count < fitting.Count)
        {
            var open = fitting.Where(d => resilience.IsOpen(d)).ToList();
            reasons.Add($"open circuit: {string.Join(", ", open)}");
            candidates.AddRange(open);
        }

        if (!hints.Fallback)
        {
            candidates = candidates.Take(1).ToList();
            reasons.Add("fallback off");
        }

        var hedge = route.HedgeAtP95 && candidates.Count > 0 && health.P95Of(candidates[0].StateKey) is { } p95 ? p95 : route.HedgeDelay;
        return new RoutePlan(route, candidates, task, string.Join("; ", reasons), input, expectedOutput) { HedgeDelay = hedge };
    }

    /// <summary>Moves deployments matching the preferences (provider name, provider type, deployment or model) to the front, in preference order.</summary>
    internal static void ApplyTaskRule(List<Deployment> candidates, IList<string> preferred)
    {
        int Rank(Deployment d)
        {
            for (var i = 0; i < preferred.Count; i++)
            {
                var p = preferred[i];
                if (p.Equals(d.Provider, StringComparison.OrdinalIgnoreCase) || p.Equals(d.ProviderType, StringComparison.OrdinalIgnoreCase) ||
                    p.Equals(d.Name, StringComparison.OrdinalIgnoreCase) || p.Equals(d.Model, StringComparison.OrdinalIgnoreCase) ||
                    p.Equals(RouteTable.CatalogProviderFor(d.ProviderType), StringComparison.OrdinalIgnoreCase))
                {
                    return i;
                }
            }

            return preferred.Count;
        }

        var ordered = candidates.OrderBy(Rank).ToList(); // OrderBy is stable: policy order kept within each rank
        candidates.Clear();
        candidates.AddRange(ordered);
    }
}
