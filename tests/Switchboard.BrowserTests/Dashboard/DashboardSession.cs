using Microsoft.Playwright;

namespace Switchboard.BrowserTests.Dashboard;

/// <summary>A fresh browser context with the dashboard open, recording console errors, page errors and every URL it requested.</summary>
public sealed class DashboardSession : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly List<string> _errors = [];
    private readonly List<string> _urls = [];

    private DashboardSession(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                Record(_errors, $"console: {message.Text}");
            }
        };
        page.PageError += (_, error) => Record(_errors, $"page error: {error}");
        page.Request += (_, request) => Record(_urls, request.Url);
    }

    public IPage Page { get; }

    public IReadOnlyList<string> Errors => Snapshot(_errors);

    public IReadOnlyList<string> RequestedUrls => Snapshot(_urls);

    public static async Task<DashboardSession> OpenAsync(IBrowser browser, DashboardGateway gateway)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1300 } });
        var page = await context.NewPageAsync();
        var session = new DashboardSession(context, page);
        await page.GotoAsync(gateway.DashboardUrl.ToString(), new PageGotoOptions { WaitUntil = WaitUntilState.Load });
        return session;
    }

    /// <summary>Gives the master key through the page's prompt, as a person would.</summary>
    public async Task SignInAsync(string key)
    {
        await Page.FillAsync("#auth-key", key);
        await Page.ClickAsync("#auth-submit");
    }

    public async ValueTask DisposeAsync() => await _context.CloseAsync();

    private static void Record(List<string> list, string item)
    {
        lock (list)
        {
            list.Add(item);
        }
    }

    private static List<string> Snapshot(List<string> list)
    {
        lock (list)
        {
            return [.. list];
        }
    }
}
