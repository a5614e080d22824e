using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Switchboard.Caching;

/// <summary>Registers the response cache: options and a dedicated HybridCache (its Redis level comes from <c>Switchboard.Redis</c>).</summary>
public static class CacheServiceCollectionExtensions
{
    /// <summary>Service key of the response cache's own HybridCache and of its Redis <see cref="IDistributedCache"/>.</summary>
    public const string ServiceKey = "switchboard.response-cache";

    private const int PayloadHeadroomBytes = 64 * 1024;

    /// <summary>
    /// Binds and validates <c>Switchboard:Cache</c>; registers a keyed <see cref="HybridCache"/> (<see cref="ServiceKey"/>)
    /// with source-generated entry serialization. When <c>Redis</c> is set its second level is the keyed
    /// <see cref="IDistributedCache"/> the <c>Switchboard.Redis</c> package registers under <see cref="ServiceKey"/>.
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
}
