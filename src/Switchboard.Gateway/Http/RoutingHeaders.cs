using System.Globalization;
using Microsoft.AspNetCore.Http;
using Switchboard.Chat;
using Switchboard.Routing;

namespace Switchboard.Gateway.Http;

/// <summary>The routing hints clients send and the <c>x-switchboard-*</c> headers the gateway answers with (DESIGN.md).</summary>
internal static class RoutingHeaders
{
    public const string Task = "x-switchboard-task";
    public const string Prefer = "x-switchboard-prefer";
    public const string Fallback = "x-switchboard-fallback";
    public const string Cache = "x-switchboard-cache";
    public const string CacheTtl = "x-switchboard-cache-ttl";
    public const string CacheSavedUsd = "x-switchboard-cache-saved-usd";
    public const string Provider = "x-switchboard-provider";
    public const string Model = "x-switchboard-model";
    public const string Attempts = "x-switchboard-attempts";
    public const string CostUsd = "x-switchboard-cost-usd";
    public const string OverheadMs = "x-switchboard-overhead-ms";
    public const string Emulated = "x-switchboard-emulated";
    public const string RequestId = "x-request-id";
    public const string Guardrails = "x-switchboard-guardrails";
    public const string CompactionSavedTokens = "x-switchboard-compaction-saved-tokens";

    /// <summary>Merges the header hints over what the body said (the original endpoint carries task and cost preference in its body).</summary>
    public static RouteOptions Hints(HttpRequest request, RouteOptions? fromBody)
    {
        var task = request.Headers[Task].ToString();
        var prefer = request.Headers[Prefer].ToString();
        var fallback = request.Headers[Fallback].ToString();
        return new RouteOptions
        {
            Task = task.Length > 0 ? task : fromBody?.Task,
            Prefer = prefer.Length > 0 ? prefer : fromBody?.Prefer,
            PreferCost = fromBody?.PreferCost ?? false,
            Fallback = !string.Equals(fallback, "false", StringComparison.OrdinalIgnoreCase) && (fromBody?.Fallback ?? true),
        };
    }

    /// <summary>Reads <c>x-switchboard-cache</c> and <c>x-switchboard-cache-ttl</c>; null when either is invalid.</summary>
    public static CacheRequestOptions? CacheRequest(HttpRequest request, string tenant)
    {
        if (!CacheRequestOptions.TryParseDirective(request.Headers[Cache].ToString(), out var directive))
        {
            return null;
        }

        TimeSpan? ttl = null;
        var ttlText = request.Headers[CacheTtl].ToString();
        if (ttlText.Length > 0)
        {
            if (!int.TryParse(ttlText, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds <= 0)
            {
                return null;
            }

            ttl = TimeSpan.FromSeconds(seconds);
        }

        return new CacheRequestOptions { Directive = directive, Ttl = ttl, Tenant = tenant };
    }

    /// <summary>How the answer was served: from the cache (hit), or which deployment answered after how many attempts at what
    /// cost, and what the guardrails did. On a stream, written before the first chunk (cost and usage are not known yet).</summary>
    public static void Write(HttpResponse response, SwitchboardContext context, TimeSpan? overhead)
    {
        var headers = response.Headers;
        var cacheStatus = context.CacheStatus;
        headers[Cache] = cacheStatus ?? CacheStatus.Bypass;
        if (context.GuardrailsTriggered is { Count: > 0 } guards)
        {
            headers[Guardrails] = string.Join(',', guards);
        }

        if (context.CompactionSavedTokens is { } tokens)
        {
            headers[CompactionSavedTokens] = tokens.ToString(CultureInfo.InvariantCulture);
        }

        var result = context.Routing;
        if (cacheStatus == CacheStatus.Hit)
        {
            if (context.Cache is { } hit)
            {
                if (hit.Provider is { } p)
                {
                    headers[Provider] = p;
                }

                if (hit.Model is { } m)
                {
                    headers[Model] = m;
                }

                if (hit.SavedCostUsd is { } s)
                {
                    headers[CacheSavedUsd] = s.ToString("0.##########", CultureInfo.InvariantCulture);
                }
            }

            headers[Attempts] = "0";
            headers[CostUsd] = "0";
            result = null; // a coalesced request's context holds no routing of its own
        }

        if (overhead is { } o && (result is not null || cacheStatus == CacheStatus.Hit))
        {
            headers[OverheadMs] = Math.Max(0, o.TotalMilliseconds).ToString("0.###", CultureInfo.InvariantCulture);
        }

        if (result is null)
        {
            return;
        }

        if (result.Deployment is { } deployment)
        {
            headers[Provider] = deployment.Provider;
            headers[Model] = deployment.Model;
        }

        headers[Attempts] = result.AttemptCount.ToString(CultureInfo.InvariantCulture);
        if (result.CostUsd is { } cost)
        {
            headers[CostUsd] = cost.ToString("0.##########", CultureInfo.InvariantCulture);
        }
    }

    /// <summary>On a failed request, how many attempts were made before giving up (the error body lists them).</summary>
    public static void WriteAttempts(IHeaderDictionary headers, Exception exception)
    {
        if (exception is RoutingFailedException failed)
        {
            headers[Attempts] = failed.Attempts.Count.ToString(CultureInfo.InvariantCulture);
        }
    }
}
