using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Switchboard.RateLimits;

/// <summary>Registers <see cref="RateLimitOptions"/> and, when a Redis connection is configured, the shared <see cref="RedisRateLimitStore"/>.</summary>
public static class RateLimitServiceCollectionExtensions
{
    /// <summary>
    /// Binds <c>Switchboard:RateLimits</c> (validated at start-up); shares counts through <c>Switchboard:RateLimits:Redis</c>,
    /// else <c>Switchboard:Cache:Redis</c>, else counts in process memory.
    /// </summary>
    public static IServiceCollection AddSwitchboardRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RateLimitOptions>()
            .Bind(configuration.GetSection(RateLimitOptions.SectionName))
            .PostConfigure(o =>
            {
                if (string.IsNullOrWhiteSpace(o.Redis))
                {
                    o.Redis = configuration["Switchboard:Cache:Redis"];
                }
            })
            .Validate(o => o.QueueLimit >= 0, "Switchboard:RateLimits:QueueLimit must be 0 or more.")
            .Validate(o => o.RedisTimeoutMs > 0, "Switchboard:RateLimits:RedisTimeoutMs must be more than 0.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.KeyPrefix), "Switchboard:RateLimits:KeyPrefix must not be empty.")
            .ValidateOnStart();
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<RateLimitOptions>>().Value;
            return string.IsNullOrWhiteSpace(options.Redis)
                ? null!
                : new RedisRateLimitStore(options.Redis, options,
                    sp.GetService<ILoggerFactory>()?.CreateLogger<RedisRateLimitStore>() ?? NullLogger<RedisRateLimitStore>.Instance);
        });
        return services;
    }
}
