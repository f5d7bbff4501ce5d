using Microsoft.Playwright;
using Xunit;

namespace Switchyard.Tests.Dashboard;

/// <summary>
/// One headless Chromium (Debian's, driven by Playwright's bundled driver: no browser download) shared
/// by the browser tests of a class.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }

    /// <summary>A fresh page (its own cookies) at laptop size, or wide when asked.</summary>
    public async Task<IPage> NewPageAsync(bool wide = false)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = wide ? new ViewportSize { Width = 2560, Height = 1440 } : new ViewportSize { Width = 1366, Height = 768 },
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        return page;
    }

    /// <summary>Saves a full-page screenshot under SWITCHYARD_SCREENSHOTS when set (for looking at the pages by eye).</summary>
    public static async Task ShotAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("SWITCHYARD_SCREENSHOTS") is { Length: > 0 } dir)
        {
            Directory.CreateDirectory(dir);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(dir, name + ".png"), FullPage = true });
        }
    }
}
