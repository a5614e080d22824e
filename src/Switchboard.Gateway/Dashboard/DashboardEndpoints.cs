using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.FileProviders;
using Switchboard.Ledger;

namespace Switchboard.Gateway.Dashboard;

/// <summary>The live dashboard at <c>/ui</c> (static files embedded in this assembly) and the admin data only it needs.</summary>
/// <remarks>
/// The files are embedded resources, so the page works whatever the content root (the CLI's is the working folder).
/// The page itself holds no data: it reads the admin API, which needs the master key when one is configured.
/// </remarks>
internal static class DashboardEndpoints
{
    public const string Path = "/ui";
    private const int DefaultRecent = 25;

    // Nothing external may load: scripts, styles and data come from this origin only.
    private const string ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; " +
        "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static readonly EmbeddedFileProvider Files = new(typeof(DashboardEndpoints).Assembly, "Switchboard.Gateway.Dashboard.wwwroot");

    /// <summary>Serves the page at <c>/ui</c> (and <c>/ui/</c>) and its assets under <c>/ui/</c>.</summary>
    public static WebApplication MapDashboard(this WebApplication app)
    {
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = Files,
            RequestPath = Path,
            OnPrepareResponse = context => ApplyHeaders(context.Context.Response),
        });
        app.MapGet(Path, ServeIndex).ExcludeFromDescription();
        return app;
    }

    /// <summary>Adds <c>GET /admin/requests/recent?limit=N</c> to the admin group (which checks the master key).</summary>
    public static RouteGroupBuilder MapRecentRequests(this RouteGroupBuilder admin)
    {
        admin.MapGet("/requests/recent", async (HttpContext http, ILedgerStore store) =>
        {
            var text = http.Request.Query["limit"].ToString();
            var limit = DefaultRecent;
            if (text.Length > 0 && (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture,
                    out limit) || limit is < 1 or > RecentAttempts.MaxRequests))
            {
                return Results.Json(new { error = new { message = $"limit must be an integer from 1 to {RecentAttempts.MaxRequests}.", type = "invalid_request_error" } },
                    statusCode: 400);
            }

            var rows = store is IRecentLedgerReader reader ? await reader.RecentAsync(limit, http.RequestAborted) : [];
            return Results.Json(RecentRequests.From(rows), DashboardJsonContext.Default.IReadOnlyListRecentRequest);
        }).WithSummary("The most recent requests from the ledger: who served them, their attempts, tokens, cost and latency (key ids only).");
        return admin;
    }

    private static IResult ServeIndex(HttpContext http)
    {
        ApplyHeaders(http.Response);
        var index = Files.GetFileInfo("index.html");
        return index.Exists ? Results.Stream(index.CreateReadStream(), "text/html; charset=utf-8") : Results.NotFound();
    }

    private static void ApplyHeaders(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers.CacheControl = "no-cache";
    }
}
