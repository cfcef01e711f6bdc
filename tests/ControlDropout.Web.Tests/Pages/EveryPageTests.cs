using System.Text.RegularExpressions;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using FluentAssertions;
using ControlDropout.Web.Tests.Support;
using Microsoft.Playwright;

namespace ControlDropout.Web.Tests.Pages;

/// <summary>Every role's pages: accessible (labels, contrast and the rest of WCAG 2.1 A/AA that axe checks), no unmasked phone or certificate, a screenshot of each home page.</summary>
[Collection(BrowserTests.Name)]
public sealed partial class EveryPageTests(BrowserFixture browser)
{
    /// <summary>A mainland mobile number in full; masked ones read 138****1234.</summary>
    [GeneratedRegex(@"(?<!\d)1[3-9]\d{9}(?!\d)")]
    private static partial Regex FullPhone();

    private static readonly AxeRunOptions Wcag = new() { RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } };

    private static async Task CheckAsync(IPage page, string path)
    {
        var response = await page.GotoAsync(path);
        response!.Status.Should().Be(200, $"{path} opens");
        var html = await page.ContentAsync();
        FullPhone().Matches(html).Select(m => m.Value).Should().BeEmpty($"{path} shows no unmasked phone number");
        html.Should().NotContain("53090220150101002X41", $"{path} shows no unmasked certificate number");
        var axe = await page.RunAxe(Wcag);
        axe.Violations.Select(v => $"{v.Id}: {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}")
            .Should().BeEmpty($"{path} passes the accessibility check");
    }

    private async Task<IPage> HomeAsync(string role, ViewportSize? viewport = null)
    {
        var page = await browser.SignInAsync(role, viewport);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ArtifactsDirectory, $"{role}-home.png"), FullPage = true });
        return page;
    }

    [Fact]
    public async Task The_sign_in_page_is_accessible()
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = browser.BaseUrl });
        var page = await context.NewPageAsync();
        await CheckAsync(page, "/login");
        await context.CloseAsync();
    }

    [Fact]
    public async Task Approver_pages()
    {
        var county = browser.County;
        var plan = (await (await county.As("coordinator")).CreatePlanAsync(await county.NewChildAsync(), county.Term)).Plan!;
        var page = await HomeAsync("approver");
        foreach (var path in new[] { "/approve", $"/plans/{plan.Id}", "/timetable", "/children", $"/children/{county.Eligible}", "/staff", $"/staff/{county.Teacher}", "/closures", "/inspect" })
        {
            await CheckAsync(page, path);
        }
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Coordinator_pages()
    {
        var county = browser.County;
        var page = await HomeAsync("coordinator");
        foreach (var path in new[] { "/children", $"/children/{county.Eligible}", $"/plans/edit?student={county.Unassessed}", "/staff", $"/staff/{county.Teacher}", "/closures" })
        {
            await CheckAsync(page, path);
        }
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Teacher_pages_on_a_phone()
    {
        var page = await HomeAsync("teacher", new ViewportSize { Width = 360, Height = 780 });
        await CheckAsync(page, "/my/week");
        var session = await page.GetByRole(AriaRole.Link, new() { Name = "记录本次送教" }).First.GetAttributeAsync("href");
        await CheckAsync(page, session!);
        await CheckAsync(page, "/my/calendar");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Inspector_pages()
    {
        var page = await HomeAsync("auditor");
        foreach (var path in new[] { "/inspect", "/inspect/flags", "/inspect/downloads", "/inspect/audit" })
        {
            await CheckAsync(page, path);
        }
        await page.GetByRole(AriaRole.Button, new() { Name = "校验审计链" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("审计链完整");

        await page.GetByRole(AriaRole.Button, new() { Name = $"退出 {browser.County.Accounts["auditor"]}" }).ClickAsync();
        await page.WaitForURLAsync("**/login");
        (await page.GotoAsync("/inspect"))!.Url.Should().Contain("/login?ReturnUrl=", "signed out means signed out");
        await page.Context.CloseAsync();
    }
}
