using Microsoft.Playwright;

[assembly: AssemblyFixture(typeof(Switchboard.BrowserTests.BrowserFixture))]

namespace Switchboard.BrowserTests;

/// <summary>
/// One headless Debian chromium for the whole run, driven by Playwright's packaged driver (no browser download).
/// Where chromium is missing the tests skip, unless <c>SWITCHBOARD_TEST_REQUIRE_SERVICES=1</c>, when they fail.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumVariable = "SWITCHBOARD_TEST_CHROMIUM";
    public const string RequireVariable = "SWITCHBOARD_TEST_REQUIRE_SERVICES";

    private static readonly string[] ChromiumArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private string _problem = "chromium was not started";
    private bool _launchFailed;

    public async ValueTask InitializeAsync()
    {
        var path = Environment.GetEnvironmentVariable(ChromiumVariable) ?? "/usr/bin/chromium";
        if (!File.Exists(path))
        {
            _problem = $"No chromium at {path} (set {ChromiumVariable} or install Debian's chromium).";
            return;
        }

        try
        {
            _playwright = await Playwright.CreateAsync();
            _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = path,
                Headless = true,
                Args = ChromiumArgs,
                Timeout = 60_000,
            });
        }
        catch (Exception e) when (e is PlaywrightException or InvalidOperationException or IOException or System.ComponentModel.Win32Exception)
        {
            // Chromium is there but would not start: that is a failure, never a skip.
            _launchFailed = true;
            _problem = $"Chromium at {path} did not start through Playwright: {e.Message}";
        }
    }

    /// <summary>The browser; skips the test when chromium is not installed and the run does not require it, else fails it.</summary>
    public IBrowser Require()
    {
        if (_browser is not null)
        {
            return _browser;
        }

        if (_launchFailed || Environment.GetEnvironmentVariable(RequireVariable) == "1")
        {
            Assert.Fail(_problem);
        }

        Assert.Skip(_problem);
        return null!;
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
    }
}
