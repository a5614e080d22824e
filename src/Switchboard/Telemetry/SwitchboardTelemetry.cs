using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Switchboard.Telemetry;

/// <summary>
/// Switchboard's <see cref="ActivitySource"/> and <see cref="Meter"/>, both named <c>Switchboard</c>, with the
/// OpenTelemetry GenAI semantic-convention instruments and Switchboard's own. Costs nothing when nobody listens.
/// </summary>
public static class SwitchboardTelemetry
{
    public const string Name = "Switchboard";

    /// <summary>The source of the content-carrying spans, present only with <c>Switchboard:Telemetry:RecordContent</c>.</summary>
    public const string ContentSourceName = "Switchboard.Content";

    public static readonly ActivitySource Source = new(Name, "1.0.0");

    public static readonly Meter Meter = new(Name, "1.0.0");

    // GenAI client metrics (OpenTelemetry semantic conventions for generative AI).
    public static readonly Histogram<long> TokenUsage = Meter.CreateHistogram<long>("gen_ai.client.token.usage", "{token}",
        "Tokens used per provider call, by gen_ai.token.type (input, output).",
        advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576] });

    public static readonly Histogram<double> OperationDuration = Meter.CreateHistogram<double>("gen_ai.client.operation.duration", "s",
        "Duration of each provider call.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92] });

    public static readonly Histogram<double> TimeToFirstChunk = Meter.CreateHistogram<double>("gen_ai.client.operation.time_to_first_chunk", "s",
        "Time from the start of a streamed provider call to its first chunk.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24] });

    // Switchboard's own.
    public static readonly Counter<long> Requests = Meter.CreateCounter<long>("switchboard.requests", "{request}",
        "Routed requests by route, provider, model and outcome.");

    public static readonly Counter<long> Attempts = Meter.CreateCounter<long>("switchboard.attempts", "{attempt}",
        "Provider attempts by deployment, outcome and error type.");

    public static readonly Counter<long> Fallbacks = Meter.CreateCounter<long>("switchboard.fallbacks", "{fallback}",
        "Moves to the next candidate, by the reason (the previous attempt's error type).");

    public static readonly Counter<long> RateLimitRejections = Meter.CreateCounter<long>("switchboard.rate_limit.rejections", "{request}",
        "Requests turned away by a deployment's or a key's rate limit.");

    public static readonly Counter<double> CostUsd = Meter.CreateCounter<double>("switchboard.cost", "USD",
        "Money spent, by provider and model (the ledger keeps the exact decimal amounts).");

    public static readonly Counter<long> GuardrailsTriggered = Meter.CreateCounter<long>("switchboard.guardrails.triggered", "{trigger}",
        "Guardrail triggers, by guard, action (block, redact, flag) and stage (input, output).");

    public static readonly Counter<long> CompactionSavedTokens = Meter.CreateCounter<long>("switchboard.guardrails.compaction.saved_tokens", "{token}",
        "Input tokens removed by prompt compaction (estimated with the o200k tokenizer), by route.");

    public static readonly UpDownCounter<long> OpenStreams = Meter.CreateUpDownCounter<long>("switchboard.streams.open", "{stream}",
        "Streams currently open through the router.");

    public static readonly Counter<long> CacheRequests = Meter.CreateCounter<long>("switchboard.cache.requests", "{request}",
        "Requests that passed the response cache, by switchboard.cache (hit, miss, bypass).");

    public static readonly Counter<long> CacheStoredBytes = Meter.CreateCounter<long>("switchboard.cache.stored", "By",
        "Approximate size of the answers written to the response cache.");

    public static readonly Gauge<double> BudgetUtilization = Meter.CreateGauge<double>("switchboard.budget.utilization", "1",
        "Spend in the current window over the budget's limit (1 = exhausted), by budget name, set when a request settles.");
}
