using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Switchboard.Gateway.Endpoints;
using Switchboard.Hosting;
using Switchboard.Ledger;
using Switchboard.Routing;

namespace Switchboard.Gateway.Dashboard;

/// <summary>The admin data only the dashboard's charts and playground need, under <c>/admin/dashboard/</c> (master key).</summary>
internal static class DashboardDataEndpoints
{
    private const int DefaultBuckets = 30;
    private const int MaxBuckets = 240;

    public static RouteGroupBuilder MapDashboardData(this RouteGroupBuilder admin)
    {
        admin.MapGet("/dashboard/series", async (HttpContext http, ILedgerStore store, TimeProvider time) =>
        {
            var q = http.Request.Query;
            var sinceText = q["since"].ToString();
            if (!AdminEndpoints.TryParseSince(sinceText.Length == 0 ? "1h" : sinceText, time, out var since) || since is null)
            {
                return BadRequest("since takes an ISO date/time or a duration such as 7d, 24h or 30m.");
            }

            var buckets = DefaultBuckets;
            var bucketText = q["buckets"].ToString();
            if (bucketText.Length > 0 && (!int.TryParse(bucketText, NumberStyles.None, CultureInfo.InvariantCulture, out buckets) || buckets is < 1 or > MaxBuckets))
            {
                return BadRequest($"buckets must be an integer from 1 to {MaxBuckets}.");
            }

            var until = time.GetUtcNow();
            if (since >= until)
            {
                return BadRequest("since must be in the past.");
            }

            var rows = store is IRecentLedgerReader reader ? await reader.RecentAsync(ProviderSeriesBuilder.MaxRequests, http.RequestAborted) : [];
            // Read as many requests as allowed: when the oldest of them is still inside the window, older ones may be missing.
            var requests = rows.Select(r => r.RequestId).Distinct(StringComparer.Ordinal).Count();
            var truncated = requests >= ProviderSeriesBuilder.MaxRequests && rows.Min(r => r.Timestamp) > since.Value;
            return Results.Json(ProviderSeriesBuilder.Build(rows, since.Value, until, buckets, truncated), DashboardJsonContext.Default.ProviderSeries);
        }).WithSummary("Per provider over the window, in buckets: attempts, errors, latency p50/p95 and time to first token (from the most recent 500 requests).");

        admin.MapGet("/dashboard/circuits", (CircuitChanges changes, SwitchboardHealth health) =>
            Results.Json(changes.Snapshot(health), DashboardJsonContext.Default.IReadOnlyListCircuitChange))
            .WithSummary("The latest circuit state changes seen by this replica, newest first.");

        admin.MapGet("/dashboard/routes", (RouteTable routes) =>
            Results.Json(Routes(routes), DashboardJsonContext.Default.IReadOnlyListDashboardRoute))
            .WithSummary("Every route with its policy and candidate deployments, for the playground.");
        return admin;
    }

    private static IReadOnlyList<DashboardRoute> Routes(RouteTable routes) =>
        [.. routes.Routes
            .OrderByDescending(r => string.Equals(r.Name, routes.DefaultRoute, StringComparison.OrdinalIgnoreCase))
            .ThenBy(r => r.Name, StringComparer.OrdinalIgnoreCase)
            .Select(r => new DashboardRoute(r.Name, r.Policy, string.Equals(r.Name, routes.DefaultRoute, StringComparison.OrdinalIgnoreCase),
                [.. r.Deployments.Select(d => d.Name)]))];

    private static IResult BadRequest(string message) =>
        Results.Json(new { error = new { message, type = "invalid_request_error" } }, statusCode: 400);
}
