using System.Collections.Concurrent;
using Polly;
using Polly.CircuitBreaker;
using Polly.Registry;
using Polly.Retry;
using Polly.Timeout;
using Switchboard.Chat;
using Switchboard.Providers;
using Switchboard.RateLimits;

namespace Switchboard.Resilience;

/// <summary>
/// Per-deployment resilience: a Polly pipeline (retry honouring Retry-After and a retry budget → circuit breaker →
/// attempt timeout) from a <see cref="ResiliencePipelineRegistry{TKey}"/> keyed by deployment, plus its rate limiter.
/// Keyed by <see cref="Deployment.StateKey"/>: every model the configuration does not list shares its provider's one
/// state, so the number of pipelines, circuits, budgets and limiters is bounded by the configuration, not by requests.
/// </summary>
public sealed class DeploymentResilience : IDisposable
{
    /// <summary>Set on the Polly context of a streaming attempt: its timeout is the time to first content.</summary>
    internal static readonly ResiliencePropertyKey<bool> StreamingKey = new("switchboard.streaming");

    private readonly ResiliencePipelineRegistry<string> _registry = new();
    private readonly ConcurrentDictionary<string, CircuitBreakerStateProvider> _circuits = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, RetryBudget> _budgets = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, DeploymentLimiter> _limiters = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _openUntil = new(StringComparer.OrdinalIgnoreCase);
    private readonly IResilienceSettings _options;
    private readonly IReadOnlyDictionary<string, ProviderOptions> _providers;
    private readonly TimeProvider _time;
    private readonly RateLimitOptions _rateLimits;
    private readonly ISharedRateLimitStore? _shared;

    /// <summary>The clock of the deployments' breakers, timeouts and limiters, which the planner also prices with.</summary>
    internal TimeProvider Time => _time;

    public DeploymentResilience(IResilienceSettings options, IReadOnlyDictionary<string, ProviderOptions> providers, TimeProvider time,
        RateLimitOptions? rateLimits = null, ISharedRateLimitStore? shared = null)
    {
        _options = options;
        _providers = providers;
        _time = time;
        _rateLimits = rateLimits ?? new RateLimitOptions();
        _shared = shared;
    }

    /// <remarks>
    /// The registry may run its factory twice for one key when first calls race, and the circuit's shared state provider
    /// refuses a second pipeline; so the first build of each deployment's pipeline happens under a lock.
    /// </remarks>
    internal ResiliencePipeline Pipeline(Deployment deployment)
    {
        if (_registry.TryGetPipeline(deployment.StateKey, out var pipeline))
        {
            return pipeline;
        }

        lock (_registry)
        {
            return Build(deployment);
        }
    }

    private ResiliencePipeline Build(Deployment deployment) =>
        _registry.GetOrAddPipeline(deployment.StateKey, builder =>
        {
            builder.TimeProvider = _time;
            var budget = Budget(deployment);
            if (_options.Retry.MaxRetries > 0)
            {
                builder.AddRetry(new RetryStrategyOptions
                {
                    MaxRetryAttempts = _options.Retry.MaxRetries,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = TimeSpan.FromMilliseconds(_options.Retry.BaseDelayMs),
                    MaxDelay = TimeSpan.FromSeconds(_options.Retry.MaxDelaySeconds),
                    ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome.Exception, args.Context, budget, deployment)),
                    DelayGenerator = args => ValueTask.FromResult(
                        args.Outcome.Exception is ProviderException { RetryAfter: { } retryAfter } ? (TimeSpan?)retryAfter : null),
                });
            }

            builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = _options.CircuitBreaker.FailureRatio,
                MinimumThroughput = _options.CircuitBreaker.MinimumThroughput,
                SamplingDuration = TimeSpan.FromSeconds(_options.CircuitBreaker.SamplingSeconds),
                BreakDuration = TimeSpan.FromSeconds(_options.CircuitBreaker.BreakSeconds),
                StateProvider = _circuits.GetOrAdd(deployment.StateKey, _ => new CircuitBreakerStateProvider()),
                ShouldHandle = args => ValueTask.FromResult(CountsAgainstProvider(args.Outcome.Exception)),
                OnOpened = args =>
                {
                    _openUntil[deployment.StateKey] = _time.GetUtcNow() + args.BreakDuration;
                    return ValueTask.CompletedTask;
                },
            });
            // The one owner of an attempt's deadline before output: a whole non-streaming answer, or a stream's first content.
            var attemptTimeout = TimeSpan.FromSeconds(_options.AttemptTimeoutSeconds);
            var firstTokenTimeout = TimeSpan.FromSeconds(_options.FirstTokenTimeoutSeconds);
            builder.AddTimeout(new TimeoutStrategyOptions
            {
                TimeoutGenerator = args => ValueTask.FromResult(args.Context.Properties.GetValue(StreamingKey, false) ? firstTokenTimeout : attemptTimeout),
            });
        });

    internal RetryBudget Budget(Deployment deployment) =>
        _budgets.GetOrAdd(deployment.StateKey, _ => new RetryBudget(_options.Retry, _time));

    internal DeploymentLimiter Limiter(Deployment deployment) =>
        _limiters.GetOrAdd(deployment.StateKey, key =>
            _providers.TryGetValue(deployment.Provider, out var provider)
                ? new DeploymentLimiter("d:" + key, provider.Rpm, provider.Tpm, _time, _rateLimits.QueueLimit, _shared)
                : new DeploymentLimiter("d:" + key, null, null, _time));

    /// <summary>How many separate states (pipelines, retry budgets, limiters) this replica keeps, for tests and diagnostics.</summary>
    internal (int Pipelines, int Budgets, int Limiters) StateCounts => (_circuits.Count, _budgets.Count, _limiters.Count);

    /// <summary><c>closed</c>, <c>open</c>, <c>half-open</c> or <c>isolated</c>.</summary>
    public string CircuitState(Deployment deployment) =>
        _circuits.TryGetValue(deployment.StateKey, out var state)
            ? state.CircuitState switch
            {
                Polly.CircuitBreaker.CircuitState.Open => "open",
                Polly.CircuitBreaker.CircuitState.HalfOpen => "half-open",
                Polly.CircuitBreaker.CircuitState.Isolated => "isolated",
                _ => "closed",
            }
            : "closed";

    /// <summary>
    /// Whether a plan should skip this deployment for now: its circuit is open and the break has not elapsed. Polly
    /// moves an open circuit to half-open only when a call arrives, so once the break is over the deployment is
    /// planned again and the next call is the probe.
    /// </summary>
    public bool IsOpen(Deployment deployment) => CircuitState(deployment) switch
    {
        "isolated" => true,
        "open" => !_openUntil.TryGetValue(deployment.StateKey, out var until) || _time.GetUtcNow() < until,
        _ => false,
    };

    /// <summary>A failure that says something about the provider (its health or the gateway's credentials there; not the caller's request, not a cancellation).</summary>
    internal static bool CountsAgainstProvider(Exception? exception) => exception switch
    {
        ProviderException pe => pe.ImplicatesProvider,
        TimeoutRejectedException => true,
        _ => false,
    };

    /// <summary>
    /// A transient failure is retried on the same deployment only when the request has no better candidate (another
    /// provider not tried yet; after that, any other deployment unless a short Retry-After was given): moving on is both
    /// faster and kinder to a struggling provider. And only when the Retry-After is short, the request has attempts left
    /// and the deployment's retry budget allows it.
    /// </summary>
    private bool ShouldRetry(Exception? exception, ResilienceContext context, RetryBudget budget, Deployment deployment)
    {
        var retryable = exception switch
        {
            ProviderException pe => pe.IsRetryable && !pe.OutputCommitted,
            TimeoutRejectedException => true,
            _ => false,
        };
        if (!retryable)
        {
            return false;
        }

        if (exception is ProviderException { RetryAfter: { } retryAfter } && retryAfter > TimeSpan.FromSeconds(_options.Retry.MaxDelaySeconds))
        {
            return false; // a long Retry-After: better served by the next candidate
        }

        return context.Properties.GetValue(AttemptBudget.Key, null!) is { } attempts && attempts.Remaining > 0
            && !attempts.ShouldMoveOn(deployment.Provider, exception is ProviderException { RetryAfter: not null }) && budget.TryRetry();
    }

    public void Dispose()
    {
        _registry.Dispose();
    }
}
