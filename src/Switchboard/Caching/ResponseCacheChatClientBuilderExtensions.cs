using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Switchboard.Caching;

/// <summary>Adds the response cache to a chat pipeline.</summary>
public static class ResponseCacheChatClientBuilderExtensions
{
    /// <summary>
    /// Adds <see cref="ResponseCacheChatClient"/>. Uses <paramref name="cache"/>, else the HybridCache registered by
    /// <c>AddSwitchboardCache</c>, else the application's HybridCache; options from <c>IOptions&lt;CacheOptions&gt;</c>,
    /// adjusted by <paramref name="configure"/> (on a copy).
    /// </summary>
    public static ChatClientBuilder UseResponseCache(this ChatClientBuilder builder, HybridCache? cache = null,
        Action<CacheOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) =>
        {
            var hybrid = cache
                ?? services.GetKeyedService<HybridCache>(CacheServiceCollectionExtensions.ServiceKey)
                ?? services.GetRequiredService<HybridCache>();
            var options = (services.GetService<IOptions<CacheOptions>>()?.Value ?? new CacheOptions()).Clone();
            configure?.Invoke(options);
            return new ResponseCacheChatClient(inner, hybrid, options, services.GetService<TimeProvider>(),
                services.GetService<ILogger<ResponseCacheChatClient>>());
        });
    }
}
