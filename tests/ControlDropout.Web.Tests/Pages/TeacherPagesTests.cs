using ControlDropout.Web.Data;
using FluentAssertions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ControlDropout.Web.Tests.Pages;

[Collection(BrowserTests.Name)]
public sealed class TeacherPagesTests(BrowserFixture browser)
{
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };
    private const string NextWeek = "/my/week?monday=2026-09-14";

    private async Task<List<Domain.VisitRecord>> VisitsAsync()
    {
        using var scope = browser.Factory.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Visits.AsNoTracking().ToListAsync();
    }

    [Fact]
    public async Task A_teacher_on_a_phone_records_a_visit_and_one_made_offline_is_sent_on_reconnect()
    {
        var page = await browser.SignInAsync("teacher", Phone);
        page.Url.Should().EndWith("/my/week");
        // Monday 7 September: the timetable takes effect tomorrow (issue 12 §2), so the week with a session on every day the solver chose is the next.
        await page.GotoAsync(NextWeek);
        var first = page.Locator("ol.sessions li").First;
        await Assertions.Expect(first).ToContainTextAsync("出发 · 路上");
        await Assertions.Expect(first).ToContainTextAsync("分钟");
        (await page.EvaluateAsync<int>("document.documentElement.scrollWidth")).Should().BeLessThanOrEqualTo(Phone.Width, "nothing scrolls sideways on a phone");

        // Online: record the first session.
        var before = (await VisitsAsync()).Count;
        await page.GetByRole(AriaRole.Link, new() { Name = "记录本次送教" }).First.ClickAsync();
        await page.GetByLabel("授课内容").FillAsync("认识水果：苹果、香蕉；练习用勺");
        await page.GetByRole(AriaRole.Button, new() { Name = "提交记录" }).ClickAsync();
        // Issue 14 §9: the teacher lands on the stored record, not the week.
        await page.WaitForURLAsync("**/sessions/**");
        await Assertions.Expect(page.Locator("#recorded")).ToContainTextAsync("已记录");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "更正记录" })).ToBeVisibleAsync();
        await page.GotoAsync(NextWeek);
        await Assertions.Expect(page.Locator("ol.sessions li").First).ToContainTextAsync("✓ 已记录");
        await Assertions.Expect(page.Locator("ol.sessions li").First).ToContainTextAsync("已送教", new() { Timeout = 1000 });
        (await VisitsAsync()).Should().HaveCount(before + 1).And.Contain(v => v.Content == "认识水果：苹果、香蕉；练习用勺");

        // Offline: the record waits on the phone, then goes when the signal returns.
        await page.GetByRole(AriaRole.Link, new() { Name = "记录本次送教" }).First.ClickAsync();
        await page.GetByLabel("授课内容").FillAsync("练习抓握与进食");
        await page.GetByLabel("家长签名（姓名）").FillAsync("张某");
        await page.Context.SetOfflineAsync(true);
        await page.GetByRole(AriaRole.Button, new() { Name = "提交记录" }).ClickAsync();
        await Assertions.Expect(page.Locator("#draft-status")).ToContainTextAsync("信号中断");
        (await VisitsAsync()).Should().HaveCount(before + 1, "nothing reached the server while offline");
        await page.Context.SetOfflineAsync(false);
        await Assertions.Expect(page.Locator("#draft-status")).ToContainTextAsync("已自动提交 1 条", new() { Timeout = 15_000 });
        (await VisitsAsync()).Should().HaveCount(before + 2).And.Contain(v => v.Content == "练习抓握与进食" && v.GuardianName == "张某");
        (await page.EvaluateAsync<string?>("localStorage.getItem('cd.visit.outbox')")).Should().BeNull("the outbox is empty once sent");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_session_page_opened_online_opens_again_in_a_village_without_a_signal()
    {
        var page = await browser.SignInAsync("teacher", Phone);
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("data-offline-ready", "yes");
        await page.GotoAsync(NextWeek);
        (await page.EvaluateAsync<bool>("navigator.serviceWorker.ready.then(() => true)")).Should().BeTrue();
        var href = await page.GetByRole(AriaRole.Link, new() { Name = "记录本次送教" }).Last.GetAttributeAsync("href");
        var before = (await VisitsAsync()).Count;

        await page.Context.SetOfflineAsync(true);
        var response = await page.GotoAsync(href!);
        response!.Headers.Should().Contain("x-offline-copy", "1", "the page came from the phone, not the server");
        await page.GetByLabel("授课内容").FillAsync("在村委会活动室练习握笔");
        await page.GetByRole(AriaRole.Button, new() { Name = "提交记录" }).ClickAsync();
        await Assertions.Expect(page.Locator("#draft-status")).ToContainTextAsync("信号中断");

        await page.Context.SetOfflineAsync(false);
        await Assertions.Expect(page.Locator("#draft-status")).ToContainTextAsync("已自动提交 1 条", new() { Timeout = 15_000 });
        (await VisitsAsync()).Should().HaveCount(before + 1).And.Contain(v => v.Content == "在村委会活动室练习握笔");

        // Signing in again (say, someone else on this phone) clears the pages kept on it.
        await page.GotoAsync("/login");
        await page.WaitForFunctionAsync("caches.has('cd-pages-v1').then(kept => !kept)");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_calendar_page_offers_the_link_a_download_and_a_qr_code()
    {
        var page = await browser.SignInAsync("teacher", Phone);
        await page.GotoAsync("/my/calendar");
        var subscribe = await page.GetByRole(AriaRole.Link, new() { Name = "在手机日历中订阅" }).GetAttributeAsync("href");
        subscribe.Should().StartWith("webcal://").And.EndWith(".ics");
        var download = await page.GetByRole(AriaRole.Link, new() { Name = "下载日历文件（.ics）" }).GetAttributeAsync("href");
        var feed = await page.APIRequest.GetAsync(download!);
        feed.Status.Should().Be(200);
        (await feed.TextAsync()).Should().StartWith("BEGIN:VCALENDAR");
        var qr = page.GetByRole(AriaRole.Img, new() { Name = "订阅链接的二维码：用手机相机扫描后打开" });
        await Assertions.Expect(qr).ToBeVisibleAsync();
        (await qr.EvaluateAsync<int>("img => img.naturalWidth")).Should().BeGreaterThan(0, "the QR code image loads under the page's security policy");
        await page.Context.CloseAsync();
    }
}
