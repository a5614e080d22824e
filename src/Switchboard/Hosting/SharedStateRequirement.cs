using Microsoft.Extensions.Options;
using Switchboard.Caching;
using Switchboard.Chat;
using Switchboard.RateLimits;

namespace Switchboard.Hosting;

/// <summary>Start-up check: <c>Switchboard:Cache:Redis</c> or <c>Switchboard:RateLimits:Redis</c> set without the Redis package is an error, not a silent per-replica fallback.</summary>
internal sealed class RedisRequiresPackage(IEnumerable<SharedStateProvider> providers) : IValidateOptions<CacheOptions>, IValidateOptions<RateLimitOptions>
{
    private const string Fix = "add the Switchboard.Redis package and call services.AddSwitchboardRedis(configuration)";

    private bool HasRedis => providers.Any(p => p.Name == SharedStateProvider.Redis);

    public ValidateOptionsResult Validate(string? name, CacheOptions options) =>
        options.HasRedis && !HasRedis ? ValidateOptionsResult.Fail($"Switchboard:Cache:Redis is set: {Fix}.") : ValidateOptionsResult.Success;

    public ValidateOptionsResult Validate(string? name, RateLimitOptions options) =>
        !string.IsNullOrWhiteSpace(options.Redis) && !HasRedis
            ? ValidateOptionsResult.Fail($"Switchboard:RateLimits:Redis (or Switchboard:Cache:Redis) is set: {Fix}.")
            : ValidateOptionsResult.Success;
}
