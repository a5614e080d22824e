using System.Net;
using System.Text;
using System.Text.Json;

namespace Switchboard.IntegrationTests.Gateway;

/// <summary>The dashboard's page at /ui and its admin endpoint /admin/requests/recent, over HTTP (the browser tests drive the page).</summary>
public sealed class GatewayDashboardTests
{
    [Fact]
    public async Task RecentRequests_NeedMasterKey_AndListAFallbackWithItsFailedAttempt()
    {
        await using var fx = await GatewayFixture.StartAsync(c => c["Switchboard:Routing:Retry:MaxRetries"] = "0");
        fx.Emulator.Options.ProviderFaults["anthropic"] = "status=529";
        using var chat = await fx.Http.PostAsync("v1/chat/completions",
            new StringContent("""{"model":"smart","messages":[{"role":"user","content":"recent"}]}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, chat.StatusCode);
        var requestId = chat.Headers.GetValues("x-request-id").Single();

        using (var anonymous = fx.Anonymous())
        using (var refused = await anonymous.GetAsync("admin/requests/recent"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        using (var bad = await fx.Http.GetAsync("admin/requests/recent?limit=0"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        }

        JsonElement request = default;
        for (var i = 0; i < 100 && request.ValueKind == JsonValueKind.Undefined; i++) // the ledger writes in batches
        {
            using var list = JsonDocument.Parse(await fx.Http.GetStringAsync("admin/requests/recent?limit=5"));
            var found = list.RootElement.EnumerateArray().Where(r => r.GetProperty("request_id").GetString() == requestId).ToList();
            if (found.Count == 1 && found[0].GetProperty("attempts").GetArrayLength() == 2)
            {
                request = found[0].Clone();
            }
            else
            {
                await Task.Delay(100, TestContext.Current.CancellationToken);
            }
        }

        Assert.Equal(JsonValueKind.Object, request.ValueKind);
        Assert.Equal("openai/gpt-4.1", request.GetProperty("deployment").GetString());
        Assert.Equal("success", request.GetProperty("outcome").GetString());
        Assert.Equal(decimal.Parse(chat.Headers.GetValues("x-switchboard-cost-usd").Single(), System.Globalization.CultureInfo.InvariantCulture),
            request.GetProperty("cost_usd").GetDecimal());
        var failed = request.GetProperty("attempts")[0];
        Assert.Equal("anthropic/claude-sonnet-4-6", failed.GetProperty("deployment").GetString());
        Assert.Equal("Overloaded", failed.GetProperty("error_kind").GetString());
        Assert.Equal(529, failed.GetProperty("status_code").GetInt32());
    }

    [Fact]
    public async Task Ui_ServesTheEmbeddedPageAndAssets_WithAPolicyThatLoadsNothingExternal()
    {
        await using var fx = await GatewayFixture.StartAsync();
        using var anonymous = fx.Anonymous();

        using var page = await anonymous.GetAsync("ui");
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("/ui/dashboard.js", html, StringComparison.Ordinal);
        var policy = page.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("http", html.Replace("http-equiv", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);

        foreach (var (asset, type) in new[] { ("ui/dashboard.js", "text/javascript"), ("ui/dashboard.css", "text/css") })
        {
            using var response = await anonymous.GetAsync(asset);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
            Assert.True(response.Headers.Contains("Content-Security-Policy"));
        }
    }
}
