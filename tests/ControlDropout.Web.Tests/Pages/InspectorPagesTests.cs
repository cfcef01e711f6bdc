using FluentAssertions;
using Microsoft.Playwright;
using MiniExcelLibs;

namespace ControlDropout.Web.Tests.Pages;

[Collection(BrowserTests.Name)]
public sealed class InspectorPagesTests(BrowserFixture browser)
{
    [Fact]
    public async Task An_inspector_sees_a_missed_week_as_missed_and_downloads_the_ledger()
    {
        var page = await browser.SignInAsync("auditor");
        page.Url.Should().EndWith("/inspect");
        // The clock stands on Monday 7 September: week 36 (1–6 September) is over and nothing was recorded in it.
        var child = browser.Children[0].Value;
        var cell = page.Locator($"svg g[data-student='{child}'][data-week='2026-W36']");
        await Assertions.Expect(cell).ToHaveAttributeAsync("data-status", "Missed");
        await Assertions.Expect(cell.Locator("title")).ToContainTextAsync("缺课");
        await Assertions.Expect(cell.Locator("rect")).ToHaveAttributeAsync("fill", "#b3261e");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "缺课学生（第36周（8月31日–9月6日））" })).ToBeVisibleAsync();
        // A week still to come is never missed: scheduled, it is upcoming (待送教).
        var future = page.Locator($"svg g[data-student='{child}'][data-week='2026-W39']");
        await Assertions.Expect(future).ToHaveAttributeAsync("data-status", "Upcoming");
        await Assertions.Expect(future.Locator("title")).ToContainTextAsync("待送教");
        await Assertions.Expect(page.Locator("p.legend")).ToContainTextAsync("未纳入方案");
        await Assertions.Expect(page.Locator("p.legend")).ToContainTextAsync("未排课");

        await page.GotoAsync("/inspect/downloads");
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "下载台账（Excel）" }).ClickAsync());
        download.SuggestedFilename.Should().EndWith(".xlsx");
        var path = Path.Combine(Path.GetTempPath(), Guid.NewGuid() + ".xlsx");
        await download.SaveAsAsync(path);
        try
        {
            var rows = MiniExcel.Query(path).ToList();
            rows.Should().HaveCountGreaterThanOrEqualTo(browser.Children.Count, "one row per child on the roll");
        }
        finally
        {
            File.Delete(path);
        }
        await page.Context.CloseAsync();
    }
}
