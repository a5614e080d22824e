using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Switchboard.Caching;

/// <summary>Registers the response cache: options, a dedicated HybridCache, and the optional resilient Redis level.</summary>
public static class CacheServiceCollectionExtensions
{
    /// <summary>Service key of the response cache's own HybridCache and of its Redis <see cref="IDistributedCache"/>.</summary>
    public const string ServiceKey = "switchboard.response-cache";

    private const int PayloadHeadroomBytes = 64 * 1024;

    /// <summary>
    /// Binds and validates <c>Switchboard:Cache</c>; registers a keyed <see cref="HybridCache"/> (<see cref="ServiceKey"/>)
    /// with source-generated entry serialization and, when <c>Redis</c> is set, a <see cref="ResilientDistributedCache"/>
    /// over StackExchange.Redis as its second level (also resolvable unkeyed, for the readiness check).
    /// </summary>
    public static IServiceCollection AddSwitchboardCache(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(CacheOptions.SectionName);
        services.AddOptions<CacheOptions>().Bind(section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CacheOptions>, CacheOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        var settings = section.Get<CacheOptions>() ?? new CacheOptions();
        if (settings.HasRedis)
        {
            services.TryAddSingleton(sp => new ResilientDistributedCache(CreateRedis(settings),
                sp.GetRequiredService<TimeProvider>(), TimeSpan.FromSeconds(settings.RedisRetrySeconds),
                sp.GetService<ILogger<ResilientDistributedCache>>()));
            services.TryAddKeyedSingleton<IDistributedCache>(ServiceKey, static (sp, _) => sp.GetRequiredService<ResilientDistributedCache>());
        }

        services.AddKeyedHybridCache(ServiceKey, o =>
        {
            o.MaximumPayloadBytes = settings.MaxEntryBytes + PayloadHeadroomBytes;
            o.DistributedCacheServiceKey = settings.HasRedis ? ServiceKey : null;
            o.DefaultEntryOptions = new HybridCacheEntryOptions
            {
                Expiration = settings.DefaultTtl,
                LocalCacheExpiration = settings.HasRedis && settings.LocalTtl < settings.DefaultTtl ? settings.LocalTtl : settings.DefaultTtl,
            };
        }).AddSerializer(new CachedChatResponseSerializer());
        return services;
    }

    /// <summary>A Redis cache that never stalls a request: no abort on connect failure, short timeouts, fail-fast backlog.</summary>
    internal static RedisCache CreateRedis(CacheOptions settings)
    {
        var configuration = ConfigurationOptions.Parse(settings.Redis!);
        configuration.AbortOnConnectFail = false;
        configuration.ConnectTimeout = settings.RedisTimeoutMs;
        configuration.SyncTimeout = settings.RedisTimeoutMs;
        configuration.AsyncTimeout = settings.RedisTimeoutMs;
        configuration.ConnectRetry = 1;
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        configuration.ReconnectRetryPolicy = new LinearRetry(1000);
        var options = Options.Create(new RedisCacheOptions { ConfigurationOptions = configuration, InstanceName = settings.RedisInstanceName });
        return new RedisCache(options);
    }
}
