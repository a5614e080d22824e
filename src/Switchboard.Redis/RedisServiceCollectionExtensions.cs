using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Switchboard.Caching;
using Switchboard.Chat;
using Switchboard.RateLimits;

namespace Switchboard.Redis;

/// <summary>Registers Switchboard's Redis-backed shared state: the response cache's second level and the replicas' shared rate-limit counts.</summary>
public static class RedisServiceCollectionExtensions
{
    /// <summary>
    /// For <c>Switchboard:Cache:Redis</c>: a <see cref="ResilientDistributedCache"/> over StackExchange.Redis as the response
    /// cache's second level. For <c>Switchboard:RateLimits:Redis</c> (else the cache's): the shared <see cref="RedisRateLimitStore"/>.
    /// Neither is created when its connection string is empty. Call it beside <c>AddSwitchboard</c>.
    /// </summary>
    public static IServiceCollection AddSwitchboardRedis(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        if (!services.Any(d => d.ImplementationInstance is SharedStateProvider { Name: SharedStateProvider.Redis }))
        {
            services.AddSingleton(new SharedStateProvider(SharedStateProvider.Redis));
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CacheOptions>, RedisConnectionValidator>());
        services.TryAddSingleton(TimeProvider.System);

        var cache = configuration.GetSection(CacheOptions.SectionName).Get<CacheOptions>() ?? new CacheOptions();
        if (cache.HasRedis)
        {
            services.TryAddSingleton(sp => new ResilientDistributedCache(CreateRedisCache(cache),
                sp.GetRequiredService<TimeProvider>(), TimeSpan.FromSeconds(cache.RedisRetrySeconds),
                sp.GetService<ILogger<ResilientDistributedCache>>()));
            services.TryAddKeyedSingleton<IDistributedCache>(CacheServiceCollectionExtensions.ServiceKey,
                static (sp, _) => sp.GetRequiredService<ResilientDistributedCache>());
            services.TryAddSingleton<IDistributedCacheStatus>(sp => sp.GetRequiredService<ResilientDistributedCache>());
        }

        var rateLimits = configuration[RateLimitOptions.SectionName + ":Redis"] is { Length: > 0 } own ? own : cache.Redis;
        if (!string.IsNullOrWhiteSpace(rateLimits))
        {
            services.TryAddSingleton(sp =>
            {
                var options = sp.GetRequiredService<IOptions<RateLimitOptions>>().Value;
                return new RedisRateLimitStore(options.Redis ?? rateLimits, options,
                    sp.GetService<ILoggerFactory>()?.CreateLogger<RedisRateLimitStore>() ?? NullLogger<RedisRateLimitStore>.Instance);
            });
            services.TryAddSingleton<ISharedRateLimitStore>(sp => sp.GetRequiredService<RedisRateLimitStore>());
        }

        return services;
    }

    /// <summary>A Redis cache that never stalls a request: no abort on connect failure, short timeouts, fail-fast backlog.</summary>
    internal static RedisCache CreateRedisCache(CacheOptions settings)
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
