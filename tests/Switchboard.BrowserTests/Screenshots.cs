using Microsoft.Playwright;

namespace Switchboard.BrowserTests;

/// <summary>
/// Saves full-page screenshots as test artifacts: into <c>screenshots/</c> under the run's results directory (the
/// <c>--results-directory</c> the test host was started with, else Microsoft.Testing.Platform's default
/// <c>TestResults</c> beside the tests), and as an attachment of the running test.
/// </summary>
public static class Screenshots
{
    public static string Folder
    {
        get
        {
            var args = Environment.GetCommandLineArgs();
            var index = Array.IndexOf(args, "--results-directory");
            var results = index >= 0 && index + 1 < args.Length ? args[index + 1] : Path.Combine(AppContext.BaseDirectory, "TestResults");
            return Path.Combine(Path.GetFullPath(results), "screenshots");
        }
    }

    /// <summary>Saves the page as <c>NAME.png</c> and returns the file's path.</summary>
    public static async Task<string> SaveAsync(IPage page, string name)
    {
        Directory.CreateDirectory(Folder);
        var path = Path.Combine(Folder, name + ".png");
        var bytes = await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        TestContext.Current.AddAttachment(name + ".png", bytes, "image/png");
        return path;
    }
}
