using ControlDropout.Web.Data;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ControlDropout.Web.Tests.Pages;

[Collection(BrowserTests.Name)]
public sealed class CoordinatorPagesTests(BrowserFixture browser)
{
    [Fact]
    public async Task The_plan_editor_shows_each_message_beside_its_field_and_submission_names_what_is_missing()
    {
        var page = await browser.SignInAsync("coordinator");
        page.Url.Should().EndWith("/children");
        await page.GetByLabel("姓名").FillAsync("钱某某");
        await page.GetByRole(AriaRole.Button, new() { Name = "筛选" }).ClickAsync();
        await Assertions.Expect(page.Locator("tbody tr")).ToHaveCountAsync(1);
        await page.GetByRole(AriaRole.Link, new() { Name = "钱某某" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "新建本学期送教方案" }).ClickAsync();

        await page.GetByLabel("每周上门次数").FillAsync("0");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        await Assertions.Expect(page.Locator("#CoursePlan-error")).ToHaveTextAsync("请填写课程计划");
        await Assertions.Expect(page.Locator("#Content-error")).ToHaveTextAsync("请填写授课内容");
        await Assertions.Expect(page.Locator("#HomeVisitsPerWeek-error")).ToContainTextAsync("每周送教（含远程）不少于 1 次");
        await Assertions.Expect(page.GetByLabel("课程计划")).ToHaveAttributeAsync("aria-invalid", "true");
        using (var scope = browser.Factory.Services.CreateScope())
        {
            (await scope.ServiceProvider.GetRequiredService<AppDbContext>().Plans.AnyAsync(p => p.StudentId == browser.County.Unassessed))
                .Should().BeFalse("nothing is saved from an invalid form");
        }

        await page.GetByLabel("课程计划").FillAsync("生活适应、康复训练");
        await page.GetByLabel("授课内容").FillAsync("认识颜色；练习抓握");
        await page.GetByLabel("每周上门次数").FillAsync("1");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("方案已保存为草稿");
        await Assertions.Expect(page.Locator("dl.facts").First).ToContainTextAsync("草稿");

        // The child was never assessed: submission is refused and says why.
        await page.GetByRole(AriaRole.Button, new() { Name = "提交审批" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("没有县级残疾人教育专家委员会的评估记录");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_edit_button_on_a_plan_page_opens_the_editor_and_a_refused_save_keeps_what_was_typed()
    {
        var coordinator = await browser.County.As("coordinator");
        var (_, plan) = await coordinator.CreatePlanAsync(await browser.County.NewChildAsync(), browser.County.Term);

        var page = await browser.SignInAsync("coordinator");
        await page.GotoAsync($"/plans/{plan!.Id}");
        await page.GetByRole(AriaRole.Link, new() { Name = "修改草稿" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("修改孙某某的送教方案");
        page.Url.Should().EndWith($"/plans/edit/{plan.Id}");

        await page.GetByLabel("课程计划").FillAsync("");
        await page.GetByLabel("授课内容").FillAsync("认识颜色；练习系扣子");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        await Assertions.Expect(page.Locator("#CoursePlan-error")).ToHaveTextAsync("请填写课程计划");
        await Assertions.Expect(page.GetByLabel("授课内容")).ToHaveValueAsync("认识颜色；练习系扣子");

        await page.GetByLabel("课程计划").FillAsync("生活适应、认知训练");
        await page.GetByLabel("开始日期（可选）").FillAsync("2026-10-12");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("方案已保存为草稿");
        await Assertions.Expect(page.Locator("dl.facts").First).ToContainTextAsync("2026-10-12（不早于此日生效）");
        var saved = (await coordinator.GetPlanAsync(plan.Id)).Versions.Single().Plan;
        saved.Content.Should().Be("认识颜色；练习系扣子");
        saved.StartDate.Should().Be(new DateOnly(2026, 10, 12));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Leave_entered_on_the_staff_page_shows_what_was_re_planned()
    {
        DateOnly busy;
        using (var scope = browser.Factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var published = db.Timetables.Where(t => t.Status == Domain.TimetableStatus.Published && t.CountyCode == browser.County.Code).Select(t => t.Id);
            var teacher = browser.County.Teacher.Value;
            busy = (await db.Sessions.Where(s => published.Contains(s.TimetableId) && s.Week == "2026-W37").ToListAsync())
                .Where(s => s.StaffIds.Contains(teacher)).Min(s => s.Date);
        }
        var page = await browser.SignInAsync("coordinator");
        await page.GotoAsync($"/staff/{browser.County.Teacher}");
        await Assertions.Expect(page.Locator("figure svg")).ToHaveAttributeAsync("aria-label", new System.Text.RegularExpressions.Regex("本周课表：[1-9]"));
        var day = busy.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        await page.GetByLabel("开始日期").FillAsync(day);
        await page.GetByLabel("结束日期").FillAsync(day);
        await page.GetByLabel("事由").FillAsync("病假");
        await page.GetByRole(AriaRole.Button, new() { Name = "登记请假并重新排课" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("请假已登记");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "重新排课结果" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#replan-heading + p")).ToContainTextAsync("已发布新版本课表");

        // A leave that ends before it starts is refused beside the field.
        await page.GetByLabel("开始日期").FillAsync("2026-09-10");
        await page.GetByLabel("结束日期").FillAsync("2026-09-09");
        await page.GetByLabel("事由").FillAsync("事假");
        await page.GetByRole(AriaRole.Button, new() { Name = "登记请假并重新排课" }).ClickAsync();
        await Assertions.Expect(page.Locator("#last-error")).Not.ToBeEmptyAsync();
        await page.Context.CloseAsync();
    }
}
