using System.Collections.Concurrent;
using Polly;
using Polly.CircuitBreaker;
using Polly.Registry;
using Polly.Retry;
using Polly.Timeout;
using Switchboard.Chat;
using Switchboard.Providers;
using Switchboard.Routing;

namespace Switchboard.Resilience;

/// <summary>
/// Per-deployment resilience: a Polly pipeline (retry honouring Retry-After and a retry budget → circuit breaker →
/// attempt timeout) from a <see cref="ResiliencePipelineRegistry{TKey}"/> keyed by deployment, plus its rate limiter.
/// </summary>
public sealed class DeploymentResilience : IDisposable
{
    private readonly ResiliencePipelineRegistry<string> _registry = new();
    private readonly Lock _building = new();
    private readonly ConcurrentDictionary<string, CircuitBreakerStateProvider> _circuits = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, RetryBudget> _budgets = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, DeploymentLimiter> _limiters = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _openUntil = new(StringComparer.OrdinalIgnoreCase);
    private readonly RoutingOptions _options;
    private readonly IReadOnlyDictionary<string, ProviderOptions> _providers;
    private readonly TimeProvider _time;

    public DeploymentResilience(RoutingOptions options, IReadOnlyDictionary<string, ProviderOptions> providers, TimeProvider time)
    {
        _options = options;
        _providers = providers;
        _time = time;
    }

    internal ResiliencePipeline Pipeline(Deployment deployment) =>
        _registry.TryGetPipeline(deployment.Name, out var pipeline) ? pipeline : BuildPipeline(deployment);

    // The registry may run the factory on several threads at once for one key, and a circuit breaker's state provider
    // can belong to one strategy only: the first build is serialized, later calls take the lock-free path above.
    private ResiliencePipeline BuildPipeline(Deployment deployment)
    {
        lock (_building)
        {
            return CreatePipeline(deployment);
        }
    }

    private ResiliencePipeline CreatePipeline(Deployment deployment) =>
        _registry.GetOrAddPipeline(deployment.Name, builder =>
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
                    ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome.Exception, args.Context, budget)),
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
                StateProvider = _circuits.GetOrAdd(deployment.Name, _ => new CircuitBreakerStateProvider()),
                ShouldHandle = args => ValueTask.FromResult(CountsAgainstProvider(args.Outcome.Exception)),
                OnOpened = args =>
                {
                    _openUntil[deployment.Name] = _time.GetUtcNow() + args.BreakDuration;
                    return ValueTask.CompletedTask;
                },
            });
            builder.AddTimeout(TimeSpan.FromSeconds(_options.AttemptTimeoutSeconds));
        });

    internal RetryBudget Budget(Deployment deployment) =>
        _budgets.GetOrAdd(deployment.Name, _ => new RetryBudget(_options.Retry, _time));

    internal DeploymentLimiter Limiter(Deployment deployment) =>
        _limiters.GetOrAdd(deployment.Name, _ =>
            _providers.TryGetValue(deployment.Provider, out var provider)
                ? new DeploymentLimiter(provider.Rpm, provider.Tpm)
                : new DeploymentLimiter(null, null));

    /// <summary><c>closed</c>, <c>open</c>, <c>half-open</c> or <c>isolated</c>.</summary>
    public string CircuitState(Deployment deployment) =>
        _circuits.TryGetValue(deployment.Name, out var state)
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
        "open" => !_openUntil.TryGetValue(deployment.Name, out var until) || _time.GetUtcNow() < until,
        _ => false,
    };

    /// <summary>A failure that says something about the provider's health (not the caller's request, not a cancellation).</summary>
    internal static bool CountsAgainstProvider(Exception? exception) => exception switch
    {
        ProviderException pe => pe.IsRetryable,
        TimeoutRejectedException => true,
        _ => false,
    };

    private bool ShouldRetry(Exception? exception, ResilienceContext context, RetryBudget budget)
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

        return context.Properties.GetValue(AttemptBudget.Key, null!) is { } attempts && attempts.Remaining > 0 && budget.TryRetry();
    }

    public void Dispose()
    {
        _registry.Dispose();
        foreach (var limiter in _limiters.Values)
        {
            limiter.Dispose();
        }
    }
}
