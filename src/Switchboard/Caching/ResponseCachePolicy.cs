using Microsoft.Extensions.AI;
using Switchboard.Chat;

namespace Switchboard.Caching;

/// <summary>Decides whether and how a request uses the cache. Pure.</summary>
internal static class ResponseCachePolicy
{
    public static CacheDecision Decide(CacheOptions options, ChatOptions? chat, CacheRequestOptions? request)
    {
        var directive = request?.Directive ?? CacheDirective.None;
        if (!options.Enabled)
        {
            return Bypass("cache disabled");
        }

        if (directive == CacheDirective.NoStore)
        {
            return Bypass("no-store");
        }

        var eligible = options.Mode switch
        {
            CacheModes.Always => true,
            CacheModes.OptIn => directive == CacheDirective.OptIn,
            _ => directive == CacheDirective.OptIn || chat?.Temperature == 0f,
        };
        if (!eligible)
        {
            return Bypass(options.Mode == CacheModes.OptIn ? "not opted in" : "not deterministic (temperature is not 0)");
        }

        var ttl = request?.Ttl ?? options.TtlFor(chat?.ModelId);
        if (ttl <= TimeSpan.Zero)
        {
            return Bypass("ttl of zero");
        }

        return directive == CacheDirective.NoCache
            ? new CacheDecision(CacheAction.Refresh, ttl, "no-cache")
            : new CacheDecision(CacheAction.Lookup, ttl, options.Mode);
    }

    /// <summary>The partition: the explicit tenant, else the virtual key; ignored when a shared namespace is configured.</summary>
    public static string? Tenant(SwitchboardContext context) =>
        context.CacheRequest?.Tenant ?? context.Caller?.KeyId;

    private static CacheDecision Bypass(string reason) => new(CacheAction.Bypass, TimeSpan.Zero, reason);
}
