using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Budgets;
using Switchboard.Caching;
using Switchboard.Guardrails;
using Switchboard.Ledger;
using Switchboard.Policy;
using Switchboard.Pricing;
using Switchboard.Routing;

namespace Switchboard.Embeddings;

/// <summary>Adds Switchboard's layers to an embedding generator pipeline (the first <c>Use</c> is the outermost).</summary>
public static class EmbeddingGeneratorBuilderExtensions
{
    /// <summary>Adds <see cref="EmbeddingLedgerGenerator"/> (cache-hit and refusal rows, flushed before the answer returns).</summary>
    public static EmbeddingGeneratorBuilder<string, Embedding<float>> UseEmbeddingLedger(this EmbeddingGeneratorBuilder<string, Embedding<float>> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) => new EmbeddingLedgerGenerator(inner, services.GetRequiredService<LedgerWriter>(),
            services.GetRequiredService<TimeProvider>()));
    }

    /// <summary>Adds <see cref="EmbeddingPolicyGenerator"/> (the caller's allowlist and limits, then budgets).</summary>
    public static EmbeddingGeneratorBuilder<string, Embedding<float>> UseEmbeddingPolicy(this EmbeddingGeneratorBuilder<string, Embedding<float>> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) => new EmbeddingPolicyGenerator(inner, services.GetRequiredService<CallerRateLimiter>(),
            services.GetService<BudgetManager>(), services.GetRequiredKeyedService<RouteTable>(EmbeddingRouter.RouteTableKey),
            services.GetRequiredService<TokenEstimator>()));
    }

    /// <summary>
    /// Adds <see cref="EmbeddingGuardrailGenerator"/> (content filter and PII on each input), with options from
    /// <c>IOptions&lt;GuardrailOptions&gt;</c> or the defaults (both off). Put it before the cache, so the cache keys the texts
    /// as sent and a blocked request never reaches it.
    /// </summary>
    public static EmbeddingGeneratorBuilder<string, Embedding<float>> UseEmbeddingGuardrails(this EmbeddingGeneratorBuilder<string, Embedding<float>> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) => new EmbeddingGuardrailGenerator(inner,
            services.GetService<IOptions<GuardrailOptions>>()?.Value ?? new GuardrailOptions(),
            services.GetService<ILogger<EmbeddingGuardrailGenerator>>()));
    }

    /// <summary>Adds <see cref="EmbeddingCacheGenerator"/> over the response cache's HybridCache and <c>Switchboard:Cache</c> settings.</summary>
    public static EmbeddingGeneratorBuilder<string, Embedding<float>> UseEmbeddingCache(this EmbeddingGeneratorBuilder<string, Embedding<float>> builder,
        HybridCache? cache = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) => new EmbeddingCacheGenerator(inner,
            cache ?? services.GetKeyedService<HybridCache>(CacheServiceCollectionExtensions.ServiceKey) ?? services.GetRequiredService<HybridCache>(),
            (services.GetService<IOptions<CacheOptions>>()?.Value ?? new CacheOptions()).Clone(), services.GetService<TimeProvider>(),
            services.GetService<ILogger<EmbeddingCacheGenerator>>()));
    }
}
