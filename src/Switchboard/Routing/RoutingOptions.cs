using System.ComponentModel.DataAnnotations;
using Switchboard.Resilience;

namespace Switchboard.Routing;

/// <summary>How requests are routed and protected: <c>Switchboard:Routing</c>.</summary>
public sealed class RoutingOptions
{
    /// <summary>The route used when a request names no model.</summary>
    public string DefaultRoute { get; set; } = "auto";

    /// <summary>Attempts per request, retries and fallbacks together.</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 4;

    /// <summary>Time allowed for a whole request, every attempt included.</summary>
    [Range(0.1, 3600)]
    public double TotalTimeoutSeconds { get; set; } = 60;

    /// <summary>Time allowed for one attempt (for a stream: until its first chunk).</summary>
    [Range(0.1, 3600)]
    public double AttemptTimeoutSeconds { get; set; } = 30;

    /// <summary>Output tokens assumed when a request sets no maximum, for cost estimates.</summary>
    [Range(1, 1_000_000)]
    public int ExpectedOutputTokens { get; set; } = 512;

    /// <summary>Task type → preferred providers (names or types) or deployments, most preferred first.</summary>
    public IDictionary<string, IList<string>> TaskRules { get; } = new Dictionary<string, IList<string>>(StringComparer.OrdinalIgnoreCase);

    public RetryOptions Retry { get; set; } = new();

    public CircuitBreakerOptions CircuitBreaker { get; set; } = new();

    /// <summary>The task rules in force: configured ones over the original design's defaults.</summary>
    public IReadOnlyDictionary<string, IList<string>> EffectiveTaskRules()
    {
        var rules = new Dictionary<string, IList<string>>(StringComparer.OrdinalIgnoreCase)
        {
            [TaskTypes.CodeGeneration] = ["anthropic"],
            [TaskTypes.LongContext] = ["gemini"],
            [TaskTypes.General] = [],
        };
        foreach (var (task, targets) in TaskRules)
        {
            rules[task] = targets;
        }

        return rules;
    }
}
