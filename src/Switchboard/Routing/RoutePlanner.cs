using System.Collections.Frozen;
using Microsoft.Extensions.AI;
using Switchboard.Chat;
using Switchboard.Pricing;
using Switchboard.Providers;
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
    private readonly Func<string, double?> _latencyOf = health.LatencyOf;

    // The reason of a plan that only its policy ordered, the common case: one string per policy, not one per request.
    private static readonly FrozenDictionary<string, string> PolicyReasons =
        RoutingPolicies.ByName.Values.ToFrozenDictionary(p => p.Name, p => $"policy {p.Name}", StringComparer.Ordinal);

    /// <summary>
    /// The route's deployments that can serve the request's hosted tools (<see cref="PassThroughKeys.OpenAIHostedTools"/>, e.g. a
    /// Responses <c>web_search</c>): those run on OpenAI's servers, so only <c>openai</c> and <c>azure-openai</c> deployments remain;
    /// none left is a 400 naming the tool. Without hosted tools, all of them.
    /// </summary>
    private static IReadOnlyList<Deployment> ServingHostedTools(Route route, ChatOptions? chatOptions)
    {
        if (chatOptions?.AdditionalProperties?.TryGetValue(PassThroughKeys.OpenAIHostedTools, out var listed) != true
            || listed is not IReadOnlyList<string> { Count: > 0 } hosted)
        {
            return route.Deployments;
        }

        var native = route.Deployments.Where(d => d.ProviderType is ProviderTypes.OpenAI or ProviderTypes.AzureOpenAI).ToList();
        return native.Count > 0 ? native : throw new ProviderException(ProviderErrorKind.InvalidRequest,
            $"The tool type '{hosted[0]}' is a hosted tool that runs on OpenAI's servers, and no deployment of '{route.Name}' is an " +
            $"OpenAI or Azure OpenAI provider ({string.Join(", ", route.Deployments.Select(d => d.Name))}). Route the request to one, " +
            $"or remove the '{hosted[0]}' tool.");
    }

    public RoutePlan Plan(Route route, IEnumerable<ChatMessage> messages, ChatOptions? chatOptions, RouteOptions hints)
    {
        // Counted at most once per request (the context keeps the count the limiter or the budget may have made already),
        // and only when something reads it: a prompt whose upper bound fits every context window is not tokenised here.
        var count = new InputTokenCount(SwitchboardContext.Of(chatOptions), estimator, messages, chatOptions);
        var requestedOutput = chatOptions?.MaxOutputTokens;
        var task = string.IsNullOrWhiteSpace(hints.Task) ? TaskTypes.General : hints.Task.Trim().ToLowerInvariant();

        var deployments = ServingHostedTools(route, chatOptions);
        var smallestWindow = long.MaxValue;
        foreach (var d in deployments)
        {
            smallestWindow = Math.Min(smallestWindow, d.ContextWindow);
        }

        var fitsAll = count.UpperBound() is { } bound && bound + (requestedOutput ?? 0) <= smallestWindow;
        var fitting = new List<Deployment>(deployments.Count);
        foreach (var d in deployments)
        {
            if (fitsAll || count.Value + (requestedOutput ?? 0) <= d.ContextWindow)
            {
                fitting.Add(d);
            }
        }

        if (fitting.Count == 0)
        {
            throw new ProviderException(ProviderErrorKind.ContextLengthExceeded,
                $"The request's estimated {count.Value} input tokens do not fit the context window of any deployment of '{route.Name}'.");
        }

        // Reasons past the policy's own are rare: their list exists only when there is one.
        List<string>? reasons = null;
        if (deployments.Count < route.Deployments.Count)
        {
            (reasons ??= []).Add($"{route.Deployments.Count - deployments.Count} deployment(s) dropped: hosted tools need an OpenAI upstream");
        }

        if (fitting.Count < deployments.Count)
        {
            (reasons ??= []).Add($"{deployments.Count - fitting.Count} deployment(s) dropped: ~{count.Value} input tokens exceed their context window");
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
        var context = new PlanContext(route, count, expectedOutput, _latencyOf, Random.Shared) { Now = resilience.Time.GetUtcNow() };
        policy.Order(fitting, context);
        var policyReason = prefer is "cost" or "latency"
            ? $"policy {policy.Name} (caller prefers {prefer})"
            : PolicyReasons.TryGetValue(policy.Name, out var cached) ? cached : $"policy {policy.Name}";

        if (route.IsAlias && prefer is not ("cost" or "latency") && _taskRules.TryGetValue(task, out var preferred) && preferred.Count > 0)
        {
            ApplyTaskRule(fitting, preferred);
            (reasons ??= []).Add($"task {task} prefers {string.Join(", ", preferred)}");
        }
        else if (task != TaskTypes.General)
        {
            (reasons ??= []).Add($"task {task}");
        }

        // Deployments whose circuit is open go last: the router records them as skipped (their breaker refuses without a
        // call) unless their break has ended by then, so a failed request lists every deployment and why it was not used.
        var candidates = fitting;
        List<Deployment>? open = null;
        foreach (var d in fitting)
        {
            if (resilience.IsOpen(d))
            {
                (open ??= []).Add(d);
            }
        }

        if (open is not null)
        {
            candidates = new List<Deployment>(fitting.Count);
            foreach (var d in fitting)
            {
                if (!open.Contains(d))
                {
                    candidates.Add(d);
                }
            }

            (reasons ??= []).Add($"open circuit: {string.Join(", ", open)}");
            candidates.AddRange(open);
        }

        if (!hints.Fallback)
        {
            if (candidates.Count > 1)
            {
                candidates.RemoveRange(1, candidates.Count - 1);
            }

            (reasons ??= []).Add("fallback off");
        }

        var reason = reasons is null ? policyReason : policyReason + "; " + string.Join("; ", reasons);
        var hedge = route.HedgeAtP95 && candidates.Count > 0 && health.P95Of(candidates[0].StateKey) is { } p95 ? p95 : route.HedgeDelay;
        return new RoutePlan(route, candidates, task, reason, count, expectedOutput) { HedgeDelay = hedge };
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
