using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Gateway.Auth;
using Switchboard.Gateway.Dashboard;
using Switchboard.Budgets;
using Switchboard.Hosting;
using Switchboard.Ledger;

namespace Switchboard.Gateway.Endpoints;

/// <summary>The admin API (master key): virtual keys and deployment health.</summary>
internal static class AdminEndpoints
{
    public static IEndpointRouteBuilder MapAdminEndpoints(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/admin").AddEndpointFilter(async (context, next) =>
        {
            var auth = context.HttpContext.RequestServices.GetRequiredService<Authenticator>();
            var result = await auth.AuthenticateAsync(context.HttpContext, adminOnly: true);
            return result.Caller is { IsMaster: true }
                ? await next(context)
                : Results.Json(new { error = new { message = result.Error ?? "This endpoint needs the master key.", type = "authentication_error" } },
                    statusCode: 401);
        });

        admin.MapPost("/keys", async (HttpContext http, IKeyStore keys) =>
        {
            CreateKeyRequest? request;
            try
            {
                request = http.Request.ContentLength is 0 or null && http.Request.Headers.ContentType.Count == 0
                    ? new CreateKeyRequest(null, null, null, null, null)
                    : await http.Request.ReadFromJsonAsync(GatewayJsonContext.Default.CreateKeyRequest, http.RequestAborted);
            }
            catch (System.Text.Json.JsonException e)
            {
                return BadRequest($"The body is not a valid key request: {e.Message}");
            }

            request ??= new CreateKeyRequest(null, null, null, null, null);
            if (request.Rpm is <= 0 || request.Tpm is <= 0)
            {
                return BadRequest("rpm and tpm must be positive when given.");
            }

            var created = await keys.CreateAsync(request, http.RequestAborted);
            return Results.Json(created, GatewayJsonContext.Default.CreatedKey, statusCode: 201);
        }).WithSummary("Creates a virtual key; the key is returned once, in the field 'key'.");

        admin.MapGet("/keys", async (IKeyStore keys, CancellationToken ct) =>
            Results.Json(await keys.ListAsync(ct), GatewayJsonContext.Default.IReadOnlyListVirtualKey))
            .WithSummary("Lists virtual keys (never the keys themselves).");

        admin.MapDelete("/keys/{id}", async (string id, IKeyStore keys, CancellationToken ct) =>
            await keys.RevokeAsync(id, ct) ? Results.NoContent() : Results.Json(new { error = new { message = $"No active key '{id}'.", type = "not_found" } }, statusCode: 404))
            .WithSummary("Revokes a virtual key.");

        admin.MapGet("/usage", async (HttpContext http, ILedgerStore store, LedgerWriter writer, TimeProvider time) =>
        {
            var q = http.Request.Query;
            if (!TryParseSince(q["since"].ToString(), time, out var since) || !TryParseSince(q["until"].ToString(), time, out var until))
            {
                return BadRequest("since and until take an ISO date/time or a duration such as 7d, 24h or 30m.");
            }

            var byText = q["by"].ToString();
            if (!Enum.TryParse<UsageGrouping>(byText.Length == 0 ? "provider" : byText, ignoreCase: true, out var by) || int.TryParse(byText, out _))
            {
                return BadRequest("by must be one of provider, model, key, route, day.");
            }

            var key = q["key"].ToString();
            var report = await store.QueryAsync(new UsageQuery { Since = since, Until = until, By = by, KeyId = key.Length > 0 ? key : null },
                http.RequestAborted);
            return string.Equals(q["format"].ToString(), "csv", StringComparison.OrdinalIgnoreCase)
                ? Results.Text(report.ToCsv(), "text/csv")
                : Results.Text(report.ToJson(), "application/json");
        }).WithSummary("Usage by provider, model, key, route or day: requests, tokens, cost, cache savings, error rate, latency percentiles.");

        admin.MapGet("/budgets", async (BudgetManager budgets, CancellationToken ct) => Results.Json(await budgets.StatusAsync(ct)))
            .WithSummary("Spend against each configured budget.");

        admin.MapGet("/health", (SwitchboardHealth health) =>
            Results.Json(health.Deployments(), GatewayJsonContext.Default.IReadOnlyListDeploymentHealth))
            .WithSummary("Each deployment's circuit, success rate, latency and last error.");
        admin.MapRecentRequests();
        admin.MapDashboardData();
        return app;
    }

    internal static bool TryParseSince(string text, TimeProvider time, out DateTimeOffset? value)
    {
        value = null;
        if (text.Length == 0)
        {
            return true;
        }

        if (text.Length > 1 && int.TryParse(text.AsSpan(0, text.Length - 1), System.Globalization.NumberStyles.None,
                System.Globalization.CultureInfo.InvariantCulture, out var n))
        {
            TimeSpan? span = text[^1] switch
            {
                'd' => TimeSpan.FromDays(n),
                'h' => TimeSpan.FromHours(n),
                'm' => TimeSpan.FromMinutes(n),
                _ => null,
            };
            if (span is { } s)
            {
                value = time.GetUtcNow() - s;
                return true;
            }
        }

        if (DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var date))
        {
            value = date;
            return true;
        }

        return false;
    }

    private static IResult BadRequest(string message) =>
        Results.Json(new { error = new { message, type = "invalid_request_error" } }, statusCode: 400);
}
