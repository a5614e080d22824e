using System.ComponentModel.DataAnnotations;
using Switchboard.Resilience;

namespace Switchboard.Routing;

/// <summary>How requests are routed and protected: <c>Switchboard:Routing</c>.</summary>
public sealed class RoutingOptions : IResilienceSettings
{
    /// <summary>The route used when a request names no model.</summary>
    public string DefaultRoute { get; set; } = "auto";

    /// <summary>
    /// Attempts per request, retries and fallbacks together. Never fewer than the plan's distinct providers: every
    /// provider of a plan gets one attempt before any gets a second.
    /// </summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 4;

    /// <summary>
    /// Time allowed for one non-streaming attempt, the whole answer included. Ten minutes, like the OpenAI and
    /// Anthropic SDKs' own request timeout: reasoning models and long generations answer in minutes, and the gateway
    /// should not give up before its client would.
    /// </summary>
    [Range(0.1, 3600)]
    public double AttemptTimeoutSeconds { get; set; } = 600;

    /// <summary>
    /// Time allowed for a streaming attempt until its first content (text, reasoning or a tool call). Until then a
    /// failure is replaced by the next candidate invisibly. Five minutes: reasoning models stream nothing while they
    /// think, sometimes for minutes; a provider that is down fails long before that.
    /// </summary>
    [Range(0.1, 3600)]
    public double FirstTokenTimeoutSeconds { get; set; } = 300;

    /// <summary>
    /// Longest a stream may last in all; null (the default): no limit while tokens keep flowing (the per-provider
    /// <c>StreamIdleTimeoutSeconds</c> still ends a stream that goes silent).
    /// </summary>
    [Range(1, 86_400)]
    public double? MaxStreamSeconds { get; set; }

    /// <summary>Output tokens assumed when a request sets no maximum, for cost estimates.</summary>
    [Range(1, 1_000_000)]
    public int ExpectedOutputTokens { get; set; } = 512;

    /// <summary>Task type → preferred providers (names or types) or deployments, most preferred first.</summary>
    public IDictionary<string, IList<string>> TaskRules { get; } = new Dictionary<string, IList<string>>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Provider type → model-name patterns (<c>*</c> any characters, <c>#</c> one digit) of its family. A model the catalog
    /// does not list is routed to the configured providers of the first family it matches. A configured type replaces that
    /// type's defaults: <c>anthropic</c> <c>claude-*</c>; <c>openai</c> <c>gpt-*</c>, <c>o#*</c>, <c>codex-*</c>;
    /// <c>gemini</c> <c>gemini-*</c>.
    /// </summary>
    public IDictionary<string, IList<string>> ModelFamilies { get; } = new Dictionary<string, IList<string>>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Alias → what it stands for (a route, <c>provider/model</c>, or a model name): e.g. a client's default model
    /// <c>"claude-opus-5-5": "smart"</c>. Routes of the same name win over aliases.
    /// </summary>
    public IDictionary<string, string> Aliases { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    public RetryOptions Retry { get; set; } = new();

    public CircuitBreakerOptions CircuitBreaker { get; set; } = new();

    /// <summary>The model families in force: configured ones over the defaults, in a stable order.</summary>
    public IReadOnlyDictionary<string, IList<string>> EffectiveModelFamilies()
    {
        var families = new Dictionary<string, IList<string>>(StringComparer.OrdinalIgnoreCase)
        {
            ["anthropic"] = ["claude-*"],
            ["openai"] = ["gpt-*", "o#*", "codex-*", "chatgpt-*"],
            ["gemini"] = ["gemini-*"],
        };
        foreach (var (type, patterns) in ModelFamilies)
        {
            families[type] = patterns;
        }

        return families;
    }

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
