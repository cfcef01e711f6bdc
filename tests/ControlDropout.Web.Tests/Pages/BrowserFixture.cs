using System.Net;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Tests.Support;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ControlDropout.Web.Tests.Pages;

/// <summary>
/// The real app on a real port (Kestrel on loopback) with a county whose only schedulable teacher is
/// the teacher account, a published timetable, and Debian's Chromium driven by Playwright. The
/// browser is the system's (<c>/usr/bin/chromium</c>, installed by <c>tests/run.sh</c>): Playwright's own
/// browser download cannot work here.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";

    /// <summary>As the machine's probe found: without the background-networking flags Chromium keeps dialling out of a closed network.</summary>
    private static readonly string[] ChromiumFlags =
        ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

    public ServiceFactory Factory { get; } = new();
    public TestCounty County { get; private set; } = null!;
    public string BaseUrl { get; private set; } = "";
    public IPlaywright Playwright { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;
    public IReadOnlyList<StudentId> Children { get; private set; } = [];

    /// <summary>Screenshots land here, beside the repository's README, for CI to keep.</summary>
    public static string ArtifactsDirectory
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ControlDropout.sln")))
            {
                dir = dir.Parent;
            }
            var path = Path.Combine(dir?.FullName ?? Path.GetTempPath(), "artifacts", "screenshots");
            Directory.CreateDirectory(path);
            return path;
        }
    }

    public async Task InitializeAsync()
    {
        if (!File.Exists(Chromium))
        {
            throw new InvalidOperationException($"{Chromium} is missing: run the tests with tests/run.sh, which installs Debian's chromium and fonts-noto-cjk");
        }
        // Every context signs in from 127.0.0.1: more than the per-address limit a real desk would meet.
        Factory.Settings["Access:LoginAttemptsPerMinute"] = "1000";
        Factory.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        Factory.StartServer();
        BaseUrl = Factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        County = await Factory.LincangAsync();
        await SchedulableCounty.MakeTheTeacherSchedulableAsync(County);
        Children = await SchedulableCounty.AddAsync(County, 4);
        await (await County.As("approver")).RunAndPublishAsync(County.Term);

        // Expectations poll the page; 5 s (the default) is short on a loaded two-core machine.
        Assertions.SetDefaultExpectTimeout(StepTimeoutMs / 4);
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Chromium, Headless = true, Args = ChromiumFlags });
    }

    private const float StepTimeoutMs = 60_000;

    /// <summary>A fresh browser context (its own cookies and storage), signed in as the county's account for the role.</summary>
    public async Task<IPage> SignInAsync(string role, ViewportSize? viewport = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl, Locale = "zh-CN", ViewportSize = viewport ?? new ViewportSize { Width = 1280, Height = 900 }, AcceptDownloads = true,
        });
        // A loaded CI machine (two test passes, a database server and Chromium on two cores) can take
        // longer than Playwright's 30 s default for one step; a real hang still fails, a minute later.
        context.SetDefaultTimeout(StepTimeoutMs);
        context.SetDefaultNavigationTimeout(StepTimeoutMs);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/login");
        await page.GetByLabel("用户名").FillAsync(County.Accounts[role]);
        await page.GetByLabel("密码").FillAsync(ServiceFactory.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        // Signed in once the next page's document is there: waiting for its "load" event too (every
        // image and the service worker's first fetches) only adds a wait no test relies on.
        await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal), new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        return page;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        Playwright?.Dispose();
        await Factory.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserTests : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
