using System.Globalization;
using System.Text.Json;
using static Microsoft.Playwright.Assertions;

namespace Switchboard.BrowserTests.Dashboard;

/// <summary>The dashboard's playground: a streamed answer through the gateway's own API with the page's master key.</summary>
public sealed class DashboardPlaygroundTests(BrowserFixture browsers)
{
    static DashboardPlaygroundTests() => SetDefaultExpectTimeout(20_000);

    [Fact]
    public async Task Playground_StreamsAnAnswer_AndShowsTheProviderWhyTheAttemptsAndTheCost()
    {
        var browser = browsers.Require();
        await using var gateway = await DashboardGateway.StartAsync(DashboardGateway.MasterKey);
        // Anthropic fails as overloaded, so "smart" (Anthropic first) is served by OpenAI after one failed attempt.
        gateway.Emulator.Options.ProviderFaults["anthropic"] = "status=529";
        await using var session = await DashboardSession.OpenAsync(browser, gateway);
        var page = session.Page;
        await Expect(page.Locator("#auth")).ToBeVisibleAsync();
        // Before the key is given, the page learns that it needs one from the admin API's 401s (logged by chromium).
        Assert.All(session.Errors, e => Assert.Contains("status of 401", e, StringComparison.Ordinal));
        await session.SignInAsync(DashboardGateway.MasterKey);
        await Expect(page.Locator("#content")).ToBeVisibleAsync();

        await Expect(page.Locator("#play-route option[value='smart']")).ToHaveCountAsync(1);
        await page.SelectOptionAsync("#play-route", "smart");
        await page.SelectOptionAsync("#play-task", "code_generation");
        await page.FillAsync("#play-prompt", "Stream me a playground answer");
        var stream = page.WaitForResponseAsync(r => r.Url.EndsWith("/v1/chat/completions", StringComparison.Ordinal));
        await page.ClickAsync("#play-send");
        var response = await stream;
        Assert.Equal(200, response.Status);
        Assert.StartsWith("text/event-stream", response.Headers["content-type"], StringComparison.Ordinal);
        var requestId = response.Headers["x-request-id"];

        await Expect(page.Locator("#play-result")).ToHaveAttributeAsync("data-state", "done");
        await Expect(page.Locator("#play-output")).ToContainTextAsync("Emulated reply from openai");
        await Expect(page.Locator("#play-output")).ToContainTextAsync("Stream me a playground answer");
        await Expect(page.Locator("#play-provider")).ToHaveTextAsync("openai");
        await Expect(page.Locator("#play-request")).ToHaveTextAsync(requestId);
        await Expect(page.Locator("#play-attempts")).ToHaveTextAsync("1. anthropic/claude-sonnet-4-6 ✗ Overloaded  2. openai/gpt-4.1 ✓");
        await Expect(page.Locator("#play-why")).ToContainTextAsync("route smart (priority: anthropic/claude-sonnet-4-6");
        await Expect(page.Locator("#play-why")).ToContainTextAsync("task code_generation");
        await Expect(page.Locator("#play-why")).ToContainTextAsync("fell back after anthropic/claude-sonnet-4-6 Overloaded");

        // The cost shown is the ledger's for this very request.
        using var recent = JsonDocument.Parse(await gateway.Http.GetStringAsync("admin/requests/recent?limit=5"));
        var record = recent.RootElement.EnumerateArray().Single(r => r.GetProperty("request_id").GetString() == requestId);
        Assert.True(record.GetProperty("streamed").GetBoolean());
        var cost = record.GetProperty("cost_usd").GetDecimal();
        Assert.True(cost > 0);
        Assert.Equal(cost, decimal.Parse((await page.Locator("#play-cost").GetAttributeAsync("data-usd"))!, NumberStyles.Float, CultureInfo.InvariantCulture));
        await Expect(page.Locator("#play-cost")).ToHaveTextAsync("$" + cost.ToString("0.000000", CultureInfo.InvariantCulture));

        // The streamed answer feeds the time-to-first-token chart.
        await Expect(page.Locator("svg[data-chart='ttft'] g[data-series='openai'] circle")).ToHaveCountAsync(1);

        // No secret reaches the DOM: not the master key the page sent, not a provider key.
        var html = await page.ContentAsync();
        foreach (var secret in new[] { DashboardGateway.MasterKey, DashboardGateway.OpenAIKey, DashboardGateway.AnthropicKey, DashboardGateway.GeminiKey })
        {
            Assert.DoesNotContain(secret, html, StringComparison.Ordinal);
        }

        // Chromium may log a pre-sign-in poll's 401 a moment after the snapshot above (the request was sent without the
        // key); anything else (a script error, a failed stream, a 5xx) fails the test. That the key is used once given
        // is proven by the 200 stream and the ledger-backed cost above.
        Assert.All(session.Errors, e => Assert.Contains("status of 401", e, StringComparison.Ordinal));
        await Screenshots.SaveAsync(page, "dashboard-playground");
    }
}
