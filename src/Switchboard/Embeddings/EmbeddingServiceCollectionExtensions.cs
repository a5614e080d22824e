using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Switchboard.Chat;
using Switchboard.Hosting;
using Switchboard.Pricing;
using Switchboard.Resilience;
using Switchboard.Routing;

namespace Switchboard.Embeddings;

/// <summary>Registers Switchboard's embeddings (called by <c>AddSwitchboard</c>, over the services it registers).</summary>
public static class EmbeddingServiceCollectionExtensions
{
    /// <summary>
    /// Registers the application's <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> of strings: outermost first, the
    /// ledger (cache hits, refusals, guardrail flags, flush), the caller's policy and budgets, the guardrails (content filter
    /// and PII on each input), the response cache, then the
    /// <see cref="EmbeddingRouter"/> over the embedding route table (the catalog's embedding routes, the configured routes
    /// and aliases, <c>provider/model</c>, catalog models). The router shares the chat router's planner, per-deployment
    /// resilience and attempt observers.
    /// </summary>
    public static EmbeddingGeneratorBuilder<string, Embedding<float>> AddSwitchboardEmbeddings(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<EmbeddingProviderRegistry>();
        services.TryAddKeyedSingleton(EmbeddingRouter.RouteTableKey, (sp, _) =>
        {
            var options = sp.GetRequiredService<IOptions<SwitchboardOptions>>().Value;
            var catalog = sp.GetRequiredService<ModelCatalog>();
            return options.CreateRouteTable(new ModelCatalog(catalog.Models, catalog.EmbeddingRoutes));
        });
        services.TryAddSingleton(sp => new EmbeddingRouter(
            sp.GetRequiredKeyedService<RouteTable>(EmbeddingRouter.RouteTableKey),
            sp.GetRequiredService<RoutePlanner>(),
            sp.GetRequiredService<DeploymentResilience>(),
            sp.GetRequiredService<EmbeddingProviderRegistry>().Generators,
            sp.GetRequiredService<IOptions<SwitchboardOptions>>().Value.Routing,
            sp.GetServices<IAttemptObserver>(),
            sp.GetRequiredService<TokenEstimator>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<EmbeddingRouter>>() ?? NullLogger<EmbeddingRouter>.Instance));
        return services.AddEmbeddingGenerator(sp => sp.GetRequiredService<EmbeddingRouter>())
            .UseEmbeddingLedger()
            .UseEmbeddingPolicy()
            .UseEmbeddingGuardrails()
            .UseEmbeddingCache();
    }
}
