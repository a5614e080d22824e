using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Switchboard.RateLimits;

/// <summary>Registers <see cref="RateLimitOptions"/>; the shared counts (<see cref="ISharedRateLimitStore"/>) come from the <c>Switchboard.Redis</c> package.</summary>
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
        return services;
    }
}
