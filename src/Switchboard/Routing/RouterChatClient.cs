using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Switchboard.Chat;
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
    private readonly DeploymentAttempts _attempts;
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
        _attempts = new DeploymentAttempts(resilience, time);
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
        var answer = await _attempts.RunAsync(deployment, state, (client: _providers[deployment.Provider], messages, options: ForDeployment(options, deployment)),
            static (s, ct) => s.client.GetResponseAsync(s.messages, s.options, ct),
            static (_, r) => new DeploymentAttempts.Reply(r.Usage, r.FinishReason, r.ModelId), caller, token).ConfigureAwait(false);
        if (answer?.Value is not { } response)
        {
            return null;
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
