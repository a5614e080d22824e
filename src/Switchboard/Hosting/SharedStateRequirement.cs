using Microsoft.Extensions.Options;
using Switchboard.Caching;
using Switchboard.RateLimits;

namespace Switchboard.Hosting;

/// <summary>
/// Marks that a package providing shared state across replicas is registered (<c>Switchboard.Redis</c> registers one
/// named <c>redis</c>). The core holds no Redis client; it only refuses to start when Redis is configured without it.
/// </summary>
public sealed record SharedStateProvider(string Name);

/// <summary>Start-up check: <c>Switchboard:Cache:Redis</c> or <c>Switchboard:RateLimits:Redis</c> set without the Redis package is an error, not a silent per-replica fallback.</summary>
internal sealed class RedisRequiresPackage(IEnumerable<SharedStateProvider> providers) : IValidateOptions<CacheOptions>, IValidateOptions<RateLimitOptions>
{
    private const string Fix = "add the Switchboard.Redis package and call services.AddSwitchboardRedis(configuration)";

    private bool HasRedis => providers.Any(p => p.Name == "redis");

    public ValidateOptionsResult Validate(string? name, CacheOptions options) =>
        options.HasRedis && !HasRedis ? ValidateOptionsResult.Fail($"Switchboard:Cache:Redis is set: {Fix}.") : ValidateOptionsResult.Success;

    public ValidateOptionsResult Validate(string? name, RateLimitOptions options) =>
        !string.IsNullOrWhiteSpace(options.Redis) && !HasRedis
            ? ValidateOptionsResult.Fail($"Switchboard:RateLimits:Redis (or Switchboard:Cache:Redis) is set: {Fix}.")
            : ValidateOptionsResult.Success;
}
