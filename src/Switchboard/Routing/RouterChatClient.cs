using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Polly;
using Switchboard.Chat;
using Switchboard.Pricing;
using Switchboard.Resilience;

namespace Switchboard.Routing;

/// <summary>
/// The router as an <see cref="IChatClient"/>: resolves the requested model to a route, plans its candidates, and
/// tries them in order through each deployment's rate limiter and Polly pipeline until one answers.
/// Every attempt is reported to the <see cref="IAttemptObserver"/>s; the answer carries a <see cref="RoutingResult"/>.
/// </summary>
public sealed partial class RouterChatClient : IChatClient
{
    private readonly RouteTable _table;
    private readonly RoutePlanner _planner;
    private readonly DeploymentResilience _resilience;
    private readonly IReadOnlyDictionary<string, IChatClient> _providers;
    private readonly RoutingOptions _options;
    private readonly IAttemptObserver[] _observers;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public RouterChatClient(RouteTable table, RoutePlanner planner, DeploymentResilience resilience,
        IReadOnlyDictionary<string, IChatClient> providers, RoutingOptions options, IEnumerable<IAttemptObserver> observers,
        TimeProvider time, ILogger<RouterChatClient> logger)
    {
        _table = table;
        _planner = planner;
        _resilience = resilience;
        _providers = providers;
        _options = options;
        _observers = [.. observers];
        _time = time;
        _logger = logger;
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var list = messages as IReadOnlyList<ChatMessage> ?? [.. messages];
        var state = Begin(list, options);
        if (state.Plan.HedgeDelay is { } hedgeDelay && state.Plan.Candidates.Count > 1)
        {
            return await HedgedAsync(list, options, state, hedgeDelay, cancellationToken).ConfigureAwait(false);
        }

        while (state.NextCandidate() is { } deployment)
        {
            var response = await TryDeploymentAsync(deployment, list, options, state, cancellationToken, cancellationToken).ConfigureAwait(false);
            if (response is not null)
            {
                state.Finish("success");
                return response;
            }

            ThrowIfCancelled(state, cancellationToken);
            LogFallover(state, deployment);
        }

        throw Failed(state);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }

    private RequestState Begin(IReadOnlyList<ChatMessage> messages, ChatOptions? options)
    {
        // Used alone (without the pipeline's outer layers) the router still keeps its result in a context of its own.
        var context = SwitchboardContext.Of(options) ?? new SwitchboardContext();
        var route = _table.Resolve(options?.ModelId);
        var plan = _planner.Plan(route, messages, options, context.Route);
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            RouterLog.Planned(_logger, route.Name, string.Join(", ", plan.Candidates), plan.Reason);
        }

        var result = new RoutingResult
        {
            RequestId = context.RequestId,
            Route = route.Name,
            Task = plan.Task,
        };
        result.Reason = plan.Reason;
        context.Routing = result;
        return new RequestState(plan, result, _options.MaxAttempts, context.Caller?.KeyId, _observers, _logger);
    }

    /// <summary>One deployment through its rate limiter and pipeline; null when it failed and the router may move on.</summary>
    private async Task<ChatResponse?> TryDeploymentAsync(Deployment deployment, IReadOnlyList<ChatMessage> messages, ChatOptions? options,
        RequestState state, CancellationToken caller, CancellationToken token)
    {
        state.Candidates.MarkTried(deployment);
        if (!await AdmitAsync(deployment, state, token).ConfigureAwait(false))
        {
            return null;
        }

        var client = _providers[deployment.Provider];
        var deploymentOptions = ForDeployment(options, deployment);
        var context = ResilienceContextPool.Shared.Get(token);
        context.Properties.Set(AttemptBudget.Key, state.Budget);
        try
        {
            var (response, cost) = await _resilience.Pipeline(deployment).ExecuteAsync(static async (ctx, s) =>
            {
                if (!s.state.Budget.TryTake())
                {
                    throw new ProviderException(ProviderErrorKind.Unknown, "The request's attempt limit was reached.");
                }

                var clock = new AttemptClock(s.self._time, s.state, s.deployment, streamed: false);
                try
                {
                    var r = await s.client.GetResponseAsync(s.messages, s.options, ctx.CancellationToken).ConfigureAwait(false);
                    s.state.Result.UpstreamTime += clock.Elapsed;
                    var cost = Cost(s.deployment, r.Usage);
                    clock.Success(r.Usage, cost, r.FinishReason, r.ModelId);
                    return (r, cost);
                }
                catch (Exception ex)
                {
                    s.state.Result.UpstreamTime += clock.Elapsed;
                    s.state.LastError = clock.Failure(ex, s.caller.IsCancellationRequested, committed: false, null, null) ?? s.state.LastError;
                    throw;
                }
            }, context, (self: this, state, deployment, client, messages, options: deploymentOptions, caller)).ConfigureAwait(false);

            return Complete(response, cost, deployment, state);
        }
        catch (Polly.CircuitBreaker.BrokenCircuitException ex)
        {
            // Raised by the pipeline before the attempt callback ran: record it here.
            state.LastError = new AttemptClock(_time, state, deployment, streamed: false).Failure(ex, false, false, null, null);
            return null;
        }
        catch (Exception ex) when (!caller.IsCancellationRequested)
        {
            // Attempt failures were recorded inside the callback; keep the error that stands for them.
            state.LastError ??= AttemptClock.ToProviderException(ex, deployment);
            return null;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>Applies the deployment's rate limits: skip a saturated deployment unless no other candidate is left.</summary>
    private async ValueTask<bool> AdmitAsync(Deployment deployment, RequestState state, CancellationToken token)
    {
        var isLast = !state.Candidates.HasMore;
        _resilience.Budget(deployment).OnRequest();
        var limiter = _resilience.Limiter(deployment);
        if (!limiter.IsLimited)
        {
            return true;
        }

        var decision = await limiter.TryAcquireAsync(state.Plan.EstimatedInputTokens, token).ConfigureAwait(false);
        if (decision.Acquired || (isLast && await limiter.AcquireAsync(state.Plan.EstimatedInputTokens, token).ConfigureAwait(false)))
        {
            return true;
        }

        // Not the last candidate, or the last one with its wait queue full: skip it now.
        new AttemptClock(_time, state, deployment, streamed: false).Skipped("rate limit reached (requests or tokens per minute)");
        state.LastError = new ProviderException(ProviderErrorKind.RateLimited, $"{deployment.Name} is at its configured rate limit.", deployment.Provider,
            retryAfter: decision.Acquired ? null : decision.RetryAfter);
        return false;
    }

    private ChatResponse Complete(ChatResponse response, decimal? cost, Deployment deployment, RequestState state)
    {
        var result = state.Result;
        result.Deployment = deployment;
        result.Usage = response.Usage;
        result.CostUsd = cost; // as the answering attempt was priced when it was recorded

        if (_resilience.Limiter(deployment) is { IsLimited: true } limiter)
        {
            limiter.Settle(state.Plan.EstimatedInputTokens, response.Usage?.TotalTokenCount ?? 0); // the estimate is counted only for a limit
        }
        response.ModelId ??= deployment.Model;
        return response;
    }

    private static ChatOptions ForDeployment(ChatOptions? options, Deployment deployment)
    {
        var copy = options?.Clone() ?? new ChatOptions();
        copy.ModelId = deployment.Model;
        return copy;
    }

    private static void ThrowIfCancelled(RequestState state, CancellationToken caller)
    {
        if (caller.IsCancellationRequested)
        {
            state.Finish("cancelled");
            caller.ThrowIfCancellationRequested();
        }
    }

    private static RoutingFailedException Failed(RequestState state)
    {
        state.Finish("error", state.LastError);
        return new RoutingFailedException(state.Plan.Route.Name, state.Result.Attempts, state.LastError);
    }

    private void LogFallover(RequestState state, Deployment deployment)
    {
        if (state.LastError is { } error && _logger.IsEnabled(LogLevel.Warning))
        {
            RouterLog.AttemptFailed(_logger, deployment.Name, error.Kind.ToString(), error.StatusCode,
                state.Candidates.HasMore ? "trying the next candidate" : "no candidate left");
        }
    }
}
