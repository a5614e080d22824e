using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Switchboard.Caching;

namespace Switchboard.Redis;

/// <summary>Start-up check of <c>Switchboard:Cache:Redis</c>: a connection string StackExchange.Redis can parse.</summary>
internal sealed class RedisConnectionValidator : IValidateOptions<CacheOptions>
{
    public ValidateOptionsResult Validate(string? name, CacheOptions options)
    {
        if (!options.HasRedis)
        {
            return ValidateOptionsResult.Success;
        }

        try
        {
            _ = ConfigurationOptions.Parse(options.Redis!);
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException ex)
        {
            return ValidateOptionsResult.Fail($"{CacheOptions.SectionName}:Redis: not a valid StackExchange.Redis connection string ({ex.Message}).");
        }
    }
}
