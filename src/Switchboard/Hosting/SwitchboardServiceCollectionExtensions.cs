using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Switchboard.Budgets;
using Switchboard.Caching;
using Switchboard.Chat;
using Switchboard.Embeddings;
using Switchboard.Guardrails;
using Switchboard.Ledger;
using Switchboard.Policy;
using Switchboard.Pricing;
using Switchboard.RateLimits;
using Switchboard.Resilience;
using Switchboard.Routing;

namespace Switchboard.Hosting;

/// <summary>Registers Switchboard in a service collection.</summary>
public static class SwitchboardServiceCollectionExtensions
{
    /// <summary>
    /// Registers Switchboard's whole pipeline as the application's <see cref="IChatClient"/> (configured from the
    /// <c>Switchboard</c> section, validated at start-up) and <see cref="ILlmRouter"/>: the same pipeline the gateway
    /// serves, minus its HTTP edge. Outermost first:
    /// <list type="number">
    /// <item><c>UseLedger</c>: refusals, cache hits and guardrail flags recorded; the answer ends only once its records are durable;</item>
    /// <item><c>UseCallerPolicy</c>: the caller's model allowlist and requests/tokens per minute;</item>
    /// <item><c>UseGuardrails</c>: prompt injection, content filter, PII, compaction; the answer filtered on the way back;</item>
    /// <item><c>UseBudgets</c>: the worst case (of the prompt as sent) held against every budget that applies, settled with the real cost;</item>
    /// <item><c>UseResponseCache</c>: exact-match answers with stampede protection;</item>
    /// <item>the router: plan, rate limits, circuit breakers, retries, fallback; each attempt to the ledger as it ends.</item>
    /// </list>
    /// Returns the <see cref="ChatClientBuilder"/>: a <c>Use</c> added to it sits between the cache and the router.
    /// The ledger writer is a hosted service; without a host, start it with <see cref="Ledger.LedgerWriter.StartAsync"/>.
    /// </summary>
    public static ChatClientBuilder AddSwitchboard(this IServiceCollection services, IConfiguration configuration,
        Action<SwitchboardOptions>? configure = null)
    {
        services.AddOptions<SwitchboardOptions>()
            .Bind(configuration.GetSection(SwitchboardOptions.SectionName))
            .PostConfigure(o =>
            {
                StandardKeys.Apply(o, configuration);
                configure?.Invoke(o);
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SwitchboardOptions>, SwitchboardOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SwitchboardOptions>>(new RetiredSettingsValidator(configuration)));
        services.AddHttpClient(ProviderRegistry.HttpClientName);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => ModelCatalog.Create(sp.GetRequiredService<IOptions<SwitchboardOptions>>().Value.Catalog.Overrides()));
        services.TryAddSingleton(TokenEstimator.Default);
        services.TryAddSingleton<ProviderRegistry>();
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<SwitchboardOptions>>().Value.CreateRouteTable(sp.GetRequiredService<ModelCatalog>()));
        services.TryAddSingleton<HealthTracker>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAttemptObserver, HealthTracker>(sp => sp.GetRequiredService<HealthTracker>()));
        services.AddSwitchboardRateLimits(configuration);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CacheOptions>, RedisRequiresPackage>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RateLimitOptions>, RedisRequiresPackage>());
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<SwitchboardOptions>>().Value;
            return new DeploymentResilience(options.Routing, options.Providers.AsReadOnly(), sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<IOptions<RateLimitOptions>>().Value, sp.GetService<ISharedRateLimitStore>());
        });
        services.TryAddSingleton(sp => new RoutePlanner(sp.GetRequiredService<IOptions<SwitchboardOptions>>().Value.Routing,
            sp.GetRequiredService<DeploymentResilience>(), sp.GetRequiredService<HealthTracker>(), sp.GetRequiredService<TokenEstimator>()));
        services.TryAddSingleton(sp => new RouterChatClient(
            sp.GetRequiredService<RouteTable>(),
            sp.GetRequiredService<RoutePlanner>(),
            sp.GetRequiredService<DeploymentResilience>(),
            sp.GetRequiredService<ProviderRegistry>().Clients,
            sp.GetRequiredService<IOptions<SwitchboardOptions>>().Value.Routing,
            sp.GetServices<IAttemptObserver>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<RouterChatClient>>() ?? NullLogger<RouterChatClient>.Instance));
        services.TryAddSingleton<SwitchboardHealth>();
        services.TryAddSingleton<ILlmRouter, LlmRouter>();
        services.AddSwitchboardGuardrails(configuration);
        services.AddSwitchboardCache(configuration);
        services.AddSwitchboardLedger(configuration);
        services.AddSwitchboardBudgets(configuration);
        services.TryAddSingleton(sp => new CallerRateLimiter(sp.GetRequiredService<TimeProvider>(), sp.GetService<ISharedRateLimitStore>()));
        services.AddSwitchboardEmbeddings(); // IEmbeddingGenerator<string, Embedding<float>>: ledger, policy, budgets, guardrails, cache, embedding router

        // The one pipeline, outermost first: every entry point (gateway, `switchboard chat`, library) runs exactly this.
        return services.AddChatClient(sp => WithContentRecording(sp, sp.GetRequiredService<RouterChatClient>()))
            .UseLedger()
            .UseCallerPolicy()
            .UseGuardrails()
            .UseBudgets()
            .UseResponseCache();
    }

    /// <summary>
    /// With <c>Switchboard:Telemetry:RecordContent</c> on, Microsoft.Extensions.AI's <see cref="OpenTelemetryChatClient"/>
    /// (sensitive data enabled) sits right over the router, so its span carries the messages as they went to the
    /// providers (after any redaction by outer layers) and the answer. Its source and meter have their own name, so its
    /// GenAI metrics do not double Switchboard's. Off, nothing is added.
    /// </summary>
    private static IChatClient WithContentRecording(IServiceProvider services, IChatClient router)
    {
        if (!services.GetRequiredService<IOptions<SwitchboardOptions>>().Value.Telemetry.RecordContent)
        {
            return router;
        }

        var logger = services.GetService<ILoggerFactory>()?.CreateLogger(typeof(OpenTelemetryChatClient));
        return new OpenTelemetryChatClient(router, logger, Telemetry.SwitchboardTelemetry.ContentSourceName) { EnableSensitiveData = true };
    }

    /// <summary>Adds an existing <see cref="IChatClient"/> (OllamaSharp, the OpenAI SDK's <c>AsIChatClient()</c>, ...) as a provider.</summary>
    public static IServiceCollection AddSwitchboardProvider(this IServiceCollection services, string name, IChatClient client)
    {
        services.AddSingleton(new CustomProvider(name, client));
        return services;
    }
}
