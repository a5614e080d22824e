using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Switchboard.BrowserTests.Dashboard;

/// <summary>The dashboard's SVG charts, cache and circuit panels against known traffic through a real gateway and emulator.</summary>
public sealed class DashboardChartsTests(BrowserFixture browsers)
{
    static DashboardChartsTests() => SetDefaultExpectTimeout(20_000); // the page polls every 2 s and the ledger flushes in batches

    [Fact]
    public async Task Charts_AfterKnownTraffic_DrawEachProvidersRequestsErrorsSpendCacheAndCircuitChange()
    {
        var browser = browsers.Require();
        await using var gateway = await DashboardGateway.StartAsync(masterKey: null);
        var (keyId, virtualKey) = await gateway.CreateKeyAsync("charts");
        // Anthropic always fails as overloaded: "smart" (Anthropic first) falls back to OpenAI, and the third failure
        // opens Anthropic's circuit (MinimumThroughput 3, ratio 0.5).
        gateway.Emulator.Options.ProviderFaults["anthropic"] = "status=529";
        var cost = 0m;
        var anthropicAttempts = 0;
        for (var i = 0; i < 3; i++)
        {
            using var response = await gateway.ChatAsync("smart", $"charts fallback {i}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("openai", Header(response, "x-switchboard-provider"));
            anthropicAttempts += int.Parse(Header(response, "x-switchboard-attempts"), CultureInfo.InvariantCulture) - 1;
            cost += Cost(response);
        }

        Assert.Equal(3, anthropicAttempts);
        decimal keyCost;
        using (var response = await gateway.ChatAsync("openai/gpt-4.1-mini", "charts with a virtual key", virtualKey))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            keyCost = Cost(response);
            cost += keyCost;
        }

        // The same deterministic request twice: one Gemini call, then one cache hit.
        for (var i = 0; i < 2; i++)
        {
            using var response = await DeterministicAsync(gateway, "gemini/gemini-2.5-flash", "charts cached question");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(i == 0 ? "miss" : "hit", Header(response, "x-switchboard-cache"));
            cost += Cost(response);
        }

        using (var health = JsonDocument.Parse(await gateway.Http.GetStringAsync("admin/health")))
        {
            var anthropic = health.RootElement.EnumerateArray().Single(d => d.GetProperty("deployment").GetString() == "anthropic/claude-sonnet-4-6");
            Assert.Equal("open", anthropic.GetProperty("circuit").GetString());
        }

        await using var session = await DashboardSession.OpenAsync(browser, gateway);
        var page = session.Page;
        await Expect(page.Locator("#total-requests")).ToHaveTextAsync("6");

        // Requests and errors per provider: every attempt counts for the provider it went to; the cache hit for none.
        var requests = page.Locator("svg[data-chart='requests']");
        await Expect(requests.Locator("g[data-series='openai']")).ToHaveAttributeAsync("data-total", "4");
        await Expect(requests.Locator("g[data-series='anthropic']")).ToHaveAttributeAsync("data-total", "3");
        await Expect(requests.Locator("g[data-series='gemini']")).ToHaveAttributeAsync("data-total", "1");
        Assert.Equal(4, await SumOfPointsAsync(requests.Locator("g[data-series='openai'] circle")));
        var errors = page.Locator("svg[data-chart='errors']");
        await Expect(errors.Locator("g[data-series='anthropic']")).ToHaveAttributeAsync("data-total", "3");
        await Expect(errors.Locator("g[data-series='openai']")).ToHaveAttributeAsync("data-total", "0");
        // Latency is drawn for providers with successes only; nothing was streamed.
        await Expect(page.Locator("svg[data-chart='latency-p50'] g[data-series='openai'] path.line")).ToHaveCountAsync(1);
        await Expect(page.Locator("svg[data-chart='latency-p95'] g[data-series='gemini'] circle")).ToHaveCountAsync(1);
        await Expect(page.Locator("svg[data-chart='latency-p50'] g[data-series='anthropic'] circle")).ToHaveCountAsync(0);
        await Expect(page.Locator("svg[data-chart='ttft']")).ToHaveAttributeAsync("data-empty", "true");
        await Expect(page.Locator("#chart-legend .legend-item")).ToHaveCountAsync(3);

        // Spend: one day (today, UTC) with everything; the virtual key's bar with its one request.
        var day = page.Locator("svg[data-chart='spend-day'] g.bar-group");
        await Expect(day).ToHaveCountAsync(1);
        Assert.Equal((double)cost, double.Parse((await day.GetAttributeAsync("data-value"))!, CultureInfo.InvariantCulture), 9);
        var keyBar = page.Locator($"svg[data-chart='spend-key'] g.bar-group[data-label='{keyId}']");
        Assert.Equal((double)keyCost, double.Parse((await keyBar.GetAttributeAsync("data-value"))!, CultureInfo.InvariantCulture), 9);

        // Cache: one hit out of six requests.
        await Expect(page.Locator("#cache-saved")).ToContainTextAsync("1 of 6 requests answered from the cache");
        await Expect(page.Locator("svg[data-chart='cache'] g.bar-group[data-label='hits']")).ToHaveAttributeAsync("data-value", "1");
        await Expect(page.Locator("svg[data-chart='cache'] g.bar-group[data-label='misses']")).ToHaveAttributeAsync("data-value", "5");

        // The circuit that opened.
        await Expect(page.Locator("#circuits-body tr[data-deployment='anthropic/claude-sonnet-4-6']").First).ToContainTextAsync("closed → open");

        await page.WaitForResponseAsync(r => r.Url.Contains("/admin/dashboard/series", StringComparison.Ordinal));
        Assert.Empty(session.Errors);
        await Screenshots.SaveAsync(page, "dashboard-charts");
    }

    [Fact]
    public async Task Charts_WindowSelection_AsksForTheChosenWindow()
    {
        var browser = browsers.Require();
        await using var gateway = await DashboardGateway.StartAsync(masterKey: null);
        await using var session = await DashboardSession.OpenAsync(browser, gateway);
        var page = session.Page;
        await Expect(page.Locator("svg[data-chart='requests']")).ToHaveAttributeAsync("data-empty", "true");

        var asked = page.WaitForRequestAsync(r => r.Url.Contains("/admin/dashboard/series?since=24h", StringComparison.Ordinal));
        await page.SelectOptionAsync("#window", "24h");
        await asked;
        await Expect(page.Locator("#series-note")).ToContainTextAsync("0 requests reached a provider; 48 min buckets");
        Assert.Empty(session.Errors);
    }

    private static string Header(HttpResponseMessage response, string name) => response.Headers.GetValues(name).Single();

    private static decimal Cost(HttpResponseMessage response) =>
        decimal.Parse(Header(response, "x-switchboard-cost-usd"), NumberStyles.Float, CultureInfo.InvariantCulture);

    private static async Task<HttpResponseMessage> DeterministicAsync(DashboardGateway gateway, string model, string prompt)
    {
        var body = JsonSerializer.Serialize(new { model, temperature = 0, messages = new[] { new { role = "user", content = prompt } } });
        return await gateway.Http.PostAsync("v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"));
    }

    private static async Task<double> SumOfPointsAsync(ILocator points)
    {
        var sum = 0d;
        foreach (var point in await points.AllAsync())
        {
            sum += double.Parse((await point.GetAttributeAsync("data-value"))!, CultureInfo.InvariantCulture);
        }

        return sum;
    }
}
