using Microsoft.Extensions.Options;

namespace Switchboard.Caching;

/// <summary>Validates <c>Switchboard:Cache</c> as a whole and reports every error at once, each naming its key.</summary>
internal sealed class CacheOptionsValidator : IValidateOptions<CacheOptions>
{
    private const string Key = CacheOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, CacheOptions options)
    {
        var errors = new List<string>();
        if (!CacheModes.All.Contains(options.Mode, StringComparer.Ordinal))
        {
            errors.Add($"{Key}:Mode: '{options.Mode}' is not one of {string.Join(", ", CacheModes.All)}.");
        }

        if (options.DefaultTtl <= TimeSpan.Zero)
        {
            errors.Add($"{Key}:DefaultTtl: must be positive (for example 1.00:00:00 for 24 hours).");
        }

        if (options.LocalTtl <= TimeSpan.Zero)
        {
            errors.Add($"{Key}:LocalTtl: must be positive.");
        }

        foreach (var (route, text) in options.RouteTtls)
        {
            if (!CacheOptions.TryParseTtl(text, out var ttl) || ttl <= TimeSpan.Zero)
            {
                errors.Add($"{Key}:RouteTtls:{route}: '{text}' must be a positive number of seconds or a TimeSpan such as 01:00:00.");
            }
        }

        if (options.MaxEntryBytes <= 0)
        {
            errors.Add($"{Key}:MaxEntryBytes: must be positive.");
        }

        if (options.Namespace is { Length: > 0 } ns && string.IsNullOrWhiteSpace(ns))
        {
            errors.Add($"{Key}:Namespace: must not be blank; leave it unset to partition the cache per tenant.");
        }

        if (options.RedisTimeoutMs <= 0)
        {
            errors.Add($"{Key}:RedisTimeoutMs: must be positive.");
        }

        if (options.RedisRetrySeconds <= 0)
        {
            errors.Add($"{Key}:RedisRetrySeconds: must be positive.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
