using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Switchboard.BrowserTests.Dashboard;

/// <summary>The dashboard at /ui in a real chromium, against a real gateway and emulator.</summary>
public sealed class DashboardPageTests(BrowserFixture browsers)
{
    static DashboardPageTests() => SetDefaultExpectTimeout(20_000); // the page polls every 2 s and the ledger flushes in batches

    [Fact]
    public async Task LocalMode_PageLoadsLiveData_WithoutConsoleErrorsOrExternalRequests()
    {
        var browser = browsers.Require();
        await using var gateway = await DashboardGateway.StartAsync(masterKey: null);
        using var health = JsonDocument.Parse(await gateway.Http.GetStringAsync("admin/health"));
        var deployments = health.RootElement.GetArrayLength();
        Assert.True(deployments > 0);

        await using var session = await DashboardSession.OpenAsync(browser, gateway);
        var page = session.Page;

        await Expect(page.Locator("#content")).ToBeVisibleAsync();
        await Expect(page.Locator("#auth")).ToBeHiddenAsync();
        await Expect(page.Locator("#status")).ToContainTextAsync("Live");
        await Expect(page.Locator("#health-body tr[data-deployment]")).ToHaveCountAsync(deployments);
        await Expect(page.Locator("#total-requests")).ToHaveTextAsync("0");
        await Expect(page.Locator("#budgets-body tr[data-budget='ui-test-monthly']")).ToContainTextAsync("$10.00");
        // Let one more poll complete, so an error it caused would be seen too.
        await page.WaitForResponseAsync(r => r.Url.Contains("/admin/requests/recent", StringComparison.Ordinal));

        Assert.Empty(session.Errors);
        var origin = gateway.BaseUrl.GetLeftPart(UriPartial.Authority);
        Assert.All(session.RequestedUrls, url => Assert.StartsWith(origin + "/", url, StringComparison.Ordinal));
        using var response = await gateway.Http.GetAsync("ui");
        Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AfterKnownTraffic_ShowsCountsServingProviderFailingDeploymentAndCost()
    {
        var browser = browsers.Require();
        await using var gateway = await DashboardGateway.StartAsync(masterKey: null);
        // Every Anthropic call fails as overloaded, so "smart" (Anthropic first) falls back to OpenAI.
        gateway.Emulator.Options.ProviderFaults["anthropic"] = "status=529";
        var cost = 0m;
        string? fallbackId = null;
        foreach (var model in new[] { "gemini/gemini-2.5-flash", "openai/gpt-4.1-mini", "smart" })
        {
            using var response = await gateway.ChatAsync(model, $"hello from the dashboard test via {model}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            cost += decimal.Parse(response.Headers.GetValues("x-switchboard-cost-usd").Single(), CultureInfo.InvariantCulture);
            if (model == "smart")
            {
                Assert.Equal("openai", response.Headers.GetValues("x-switchboard-provider").Single());
                Assert.Equal("2", response.Headers.GetValues("x-switchboard-attempts").Single());
                fallbackId = response.Headers.GetValues("x-request-id").Single();
            }
        }

        Assert.True(cost > 0);
        await using var session = await DashboardSession.OpenAsync(browser, gateway);
        var page = session.Page;

        await Expect(page.Locator("#total-requests")).ToHaveTextAsync("3");
        await Expect(page.Locator("#total-errors")).ToHaveTextAsync("1");
        await Expect(page.Locator("#providers-body tr[data-group='openai'] td").Nth(1)).ToHaveTextAsync("2");
        await Expect(page.Locator("#providers-body tr[data-group='gemini'] td").Nth(1)).ToHaveTextAsync("1");
        await Expect(page.Locator("#providers-body tr[data-group='anthropic'] td").Nth(2)).ToHaveTextAsync("1");

        var failing = page.Locator("#health-body tr[data-deployment='anthropic/claude-sonnet-4-6']");
        await Expect(failing.Locator(".last-error")).ToContainTextAsync("Overloaded");
        await Expect(failing.Locator(".circuit")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("closed|open|half-open"));

        var fallback = page.Locator($"#recent-body tr[data-request-id='{fallbackId}']");
        await Expect(fallback.Locator(".served-by")).ToHaveTextAsync("openai/gpt-4.1");
        await Expect(fallback.Locator(".attempts")).ToContainTextAsync("anthropic/claude-sonnet-4-6 ✗ Overloaded (529)");
        await Expect(fallback.Locator(".attempts")).ToContainTextAsync("openai/gpt-4.1 ✓");
        await Expect(page.Locator("#recent-body tr[data-request-id]")).ToHaveCountAsync(3);

        var shownCost = decimal.Parse((await page.Locator("#total-cost").GetAttributeAsync("data-usd"))!, NumberStyles.Float, CultureInfo.InvariantCulture);
        Assert.Equal(cost, shownCost);
        Assert.Equal("$" + cost.ToString(cost >= 0.01m ? "0.0000" : "0.000000", CultureInfo.InvariantCulture),
            await page.Locator("#total-cost").TextContentAsync());
        Assert.Empty(session.Errors);
        await Screenshots.SaveAsync(page, "dashboard-after-traffic");
    }

    [Fact]
    public async Task WithMasterKey_PageAsksForIt_RefusesAWrongOne_AndShowsDataWithTheRightOne()
    {
        var browser = browsers.Require();
        await using var gateway = await DashboardGateway.StartAsync(DashboardGateway.MasterKey);
        using (var response = await gateway.ChatAsync("fast", "one request before the page opens"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await using var session = await DashboardSession.OpenAsync(browser, gateway);
        var page = session.Page;

        await Expect(page.Locator("#auth")).ToBeVisibleAsync();
        await Expect(page.Locator("#auth-message")).ToContainTextAsync("master key");
        await Expect(page.Locator("#content")).ToBeHiddenAsync();
        await Expect(page.Locator("#status")).ToHaveTextAsync("Master key required");

        await session.SignInAsync("sb-not-the-master-key");
        await Expect(page.Locator("#auth-message")).ToContainTextAsync("refused");
        await Expect(page.Locator("#content")).ToBeHiddenAsync();

        await session.SignInAsync(DashboardGateway.MasterKey);
        await Expect(page.Locator("#content")).ToBeVisibleAsync();
        await Expect(page.Locator("#auth")).ToBeHiddenAsync();
        await Expect(page.Locator("#total-requests")).ToHaveTextAsync("1");

        // The key lives in this tab's session storage: a reload keeps the data, "Forget key" brings the prompt back.
        await page.ReloadAsync();
        await Expect(page.Locator("#total-requests")).ToHaveTextAsync("1");
        await page.ClickAsync("#sign-out");
        await Expect(page.Locator("#auth")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Page_NeverContainsTheMasterKeyAVirtualKeyOrAProviderKey()
    {
        var browser = browsers.Require();
        await using var gateway = await DashboardGateway.StartAsync(DashboardGateway.MasterKey);
        var (keyId, virtualKey) = await gateway.CreateKeyAsync("dashboard-test");
        gateway.Emulator.Options.ProviderFaults["anthropic"] = "status=529"; // a failure, so last-error text is on the page too
        using (var response = await gateway.ChatAsync("smart", "sent with a virtual key", virtualKey))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await using var session = await DashboardSession.OpenAsync(browser, gateway);
        var page = session.Page;
        await session.SignInAsync(DashboardGateway.MasterKey);

        // The request made with the virtual key is shown by the key's id.
        await Expect(page.Locator("#recent-body tr[data-request-id] td").Nth(2)).ToHaveTextAsync(keyId);
        await Expect(page.Locator("#health-body tr[data-deployment='anthropic/claude-sonnet-4-6'] .last-error")).ToContainTextAsync("Overloaded");

        var html = await page.ContentAsync();
        var text = await page.EvaluateAsync<string>("() => document.body.innerText");
        Assert.Contains(keyId, html, StringComparison.Ordinal);
        foreach (var secret in new[] { DashboardGateway.MasterKey, virtualKey, DashboardGateway.OpenAIKey, DashboardGateway.AnthropicKey, DashboardGateway.GeminiKey })
        {
            Assert.DoesNotContain(secret, html, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }

        Assert.Equal("", await page.InputValueAsync("#auth-key"));
    }
}
