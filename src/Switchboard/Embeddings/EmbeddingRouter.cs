using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Switchboard.Chat;
using Switchboard.Pricing;
using Switchboard.Providers;
using Switchboard.Resilience;
using Switchboard.Routing;
using Switchboard.Telemetry;

namespace Switchboard.Embeddings;

/// <summary>
/// The router for embeddings: resolves the requested model in the embedding route table, plans its candidates with the
/// chat router's <see cref="RoutePlanner"/> (policy, health, open circuits, fallback hints), leaves out deployments that
/// cannot embed (Anthropic, catalog chat models), and tries the rest in order with the chat router's
/// <see cref="DeploymentAttempts"/> (the same per-deployment limiter, pipeline and state as chat). Every attempt goes to the <see cref="IAttemptObserver"/>s
/// (ledger, metrics, health), priced at the embedding model's input price; the result is on the request's
/// <see cref="SwitchboardContext.Routing"/>.
/// </summary>
public sealed class EmbeddingRouter : IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>Service key of the embedding <see cref="RouteTable"/> (the catalog's embedding routes plus the configured ones).</summary>
    public const string RouteTableKey = "switchboard.embeddings";

    private readonly RouteTable _table;
    private readonly RoutePlanner _planner;
    private readonly DeploymentAttempts _attempts;
    private readonly IReadOnlyDictionary<string, IEmbeddingGenerator<string, Embedding<float>>> _providers;
    private readonly RoutingOptions _options;
    private readonly IAttemptObserver[] _observers;
    private readonly TokenEstimator _estimator;
    private readonly ILogger _logger;

    public EmbeddingRouter(RouteTable table, RoutePlanner planner, DeploymentResilience resilience,
        IReadOnlyDictionary<string, IEmbeddingGenerator<string, Embedding<float>>> providers, RoutingOptions options,
        IEnumerable<IAttemptObserver> observers, TokenEstimator estimator, TimeProvider time, ILogger<EmbeddingRouter> logger)
    {
        _table = table;
        _planner = planner;
        _attempts = new DeploymentAttempts(resilience, time);
        _providers = providers;
        _options = options;
        _observers = [.. observers];
        _estimator = estimator;
        _logger = logger;
    }

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var inputs = values as IReadOnlyList<string> ?? [.. values];
        if (inputs.Count == 0)
        {
            return [];
        }

        var context = SwitchboardContext.Of(options) ?? new SwitchboardContext();
        var state = Begin(inputs, options, context);
        while (state.NextCandidate() is { } deployment)
        {
            var embeddings = await TryDeploymentAsync(deployment, inputs, options, state, cancellationToken).ConfigureAwait(false);
            if (embeddings is not null)
            {
                state.Finish("success");
                return embeddings;
            }

            if (cancellationToken.IsCancellationRequested)
            {
                state.Finish("cancelled");
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (state.LastError is { } error && _logger.IsEnabled(LogLevel.Warning))
            {
                RouterLog.AttemptFailed(_logger, deployment.Name, error.Kind.ToString(), error.StatusCode,
                    state.Candidates.HasMore ? "trying the next candidate" : "no candidate left");
            }
        }

        state.Finish("error", state.LastError);
        throw new RoutingFailedException(state.Plan.Route.Name, state.Result.Attempts, state.LastError);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }

    /// <summary>The input's token count: the whole request for limits and budgets, each input alone against a model's window.</summary>
    internal static (long Total, long Largest) CountInputs(TokenEstimator estimator, IReadOnlyList<string> inputs)
    {
        long total = 0, largest = 0;
        foreach (var input in inputs)
        {
            long n = estimator.CountText(input);
            total += n;
            largest = Math.Max(largest, n);
        }

        return (total, largest);
    }

    private RequestState Begin(IReadOnlyList<string> inputs, EmbeddingGenerationOptions? options, SwitchboardContext context)
    {
        var (total, largest) = CountInputs(_estimator, inputs);
        context.SetInputTokens(total);
        var route = Embeddable(_table.Resolve(options?.ModelId));

        // The planner checks one input against each model's window (a model embeds each input alone); limits use the total.
        var planning = new SwitchboardContext { RequestId = context.RequestId, Caller = context.Caller, Route = context.Route };
        planning.SetInputTokens(largest);
        var plan = _planner.Plan(route, [], new ChatOptions().WithSwitchboard(planning), context.Route).WithInputTokens(total);
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            RouterLog.Planned(_logger, route.Name, string.Join(", ", plan.Candidates), plan.Reason);
        }

        var result = new RoutingResult { RequestId = context.RequestId, Route = route.Name, Task = plan.Task };
        result.Reason = plan.Reason;
        context.Routing = result;
        return new RequestState(plan, result, _options.MaxAttempts, context.Caller?.KeyId, _observers, _logger, GenAiAttributes.Embeddings);
    }

    /// <summary>The route without deployments that cannot embed; refuses (400) a route left with none.</summary>
    private Route Embeddable(Route route)
    {
        var usable = route.Deployments.Where(d => _providers.ContainsKey(d.Provider) && d.Info is not { IsEmbedding: false }).ToList();
        if (usable.Count == route.Deployments.Count)
        {
            return route;
        }

        if (usable.Count == 0)
        {
            var why = route.Deployments.All(d => !_providers.ContainsKey(d.Provider))
                ? $"its providers ({string.Join(", ", route.Deployments.Select(d => d.Provider).Distinct())}) have no embeddings API (Anthropic has none)"
                : "it names chat models, not embedding models";
            throw new ProviderException(ProviderErrorKind.InvalidRequest,
                $"'{route.Name}' cannot serve embeddings: {why}. Use an embedding model (text-embedding-3-small, gemini-embedding-001) or route.");
        }

        return route with { Deployments = usable };
    }

    /// <summary>One deployment through its rate limiter and pipeline; null when it failed and the router may move on.</summary>
    private async Task<GeneratedEmbeddings<Embedding<float>>?> TryDeploymentAsync(Deployment deployment, IReadOnlyList<string> inputs,
        EmbeddingGenerationOptions? options, RequestState state, CancellationToken caller)
    {
        var answer = await _attempts.RunAsync(deployment, state,
            (generator: _providers[deployment.Provider], inputs, options: ForDeployment(options, deployment, state.Plan), estimate: state.Plan.EstimatedInputTokens),
            static (s, ct) => s.generator.GenerateAsync(s.inputs, s.options, ct),
            static (s, e) => new DeploymentAttempts.Reply(Usage(e.Usage, s.estimate), null, e.Count > 0 ? e[0].ModelId : null),
            caller, caller).ConfigureAwait(false);
        if (answer is not { } a)
        {
            return null;
        }

        var embeddings = a.Value;
        embeddings.Usage = a.Usage;
        foreach (var embedding in embeddings)
        {
            embedding.ModelId ??= deployment.Model;
        }

        return embeddings;
    }

    /// <summary>
    /// The options one deployment gets: its model, and, when the caller set no <c>dimensions</c>, the route's first model's
    /// length for a fallback model with longer vectors (so one route answers one vector length, whichever model served it).
    /// </summary>
    private static EmbeddingGenerationOptions ForDeployment(EmbeddingGenerationOptions? options, Deployment deployment, RoutePlan plan)
    {
        var copy = options?.Clone() ?? new EmbeddingGenerationOptions();
        copy.ModelId = deployment.Model;
        if (copy.Dimensions is null && plan.Route.Deployments.Count > 0 && plan.Route.Deployments[0].Info?.Dimensions is { } first &&
            deployment.Info?.Dimensions is { } own && own > first)
        {
            copy.Dimensions = first;
        }

        return copy;
    }

    /// <summary>The provider's usage; the router's own count when it reports none (Gemini's Developer API never does).</summary>
    private static UsageDetails Usage(UsageDetails? reported, long estimated) =>
        reported?.InputTokenCount is { } input
            ? new UsageDetails { InputTokenCount = input, OutputTokenCount = 0, TotalTokenCount = reported.TotalTokenCount ?? input }
            : new UsageDetails { InputTokenCount = estimated, OutputTokenCount = 0, TotalTokenCount = estimated };
}
