using System.Globalization;
using Microsoft.AspNetCore.Http;
using Switchboard.Chat;

namespace Switchboard.Gateway.Http;

/// <summary>The routing hints clients send and the <c>x-switchboard-*</c> headers the gateway answers with (DESIGN.md).</summary>
internal static class RoutingHeaders
{
    public const string Task = "x-switchboard-task";
    public const string Prefer = "x-switchboard-prefer";
    public const string Fallback = "x-switchboard-fallback";
    public const string Cache = "x-switchboard-cache";
    public const string Provider = "x-switchboard-provider";
    public const string Model = "x-switchboard-model";
    public const string Attempts = "x-switchboard-attempts";
    public const string CostUsd = "x-switchboard-cost-usd";
    public const string OverheadMs = "x-switchboard-overhead-ms";
    public const string Emulated = "x-switchboard-emulated";
    public const string RequestId = "x-request-id";

    /// <summary>Merges the header hints over what the body said (the original endpoint carries task and cost preference in its body).</summary>
    public static RouteOptions Hints(HttpRequest request, RouteOptions? fromBody, string requestId, string keyId)
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
            RequestId = requestId,
            KeyId = keyId,
        };
    }

    /// <summary>Which deployment answered, after how many attempts, at what cost.</summary>
    public static void Write(HttpResponse response, RoutingResult? result, TimeSpan? overhead)
    {
        var headers = response.Headers;
        headers[Cache] = "bypass";
        if (result is null)
        {
            return;
        }

        if (result.Deployment is { } deployment)
        {
            headers[Provider] = deployment.Provider;
            headers[Model] = deployment.Model;
        }

        headers[Attempts] = result.Attempts.Count.ToString(CultureInfo.InvariantCulture);
        if (result.CostUsd is { } cost)
        {
            headers[CostUsd] = cost.ToString("0.##########", CultureInfo.InvariantCulture);
        }

        if (overhead is { } o)
        {
            headers[OverheadMs] = Math.Max(0, o.TotalMilliseconds).ToString("0.###", CultureInfo.InvariantCulture);
        }
    }
}
