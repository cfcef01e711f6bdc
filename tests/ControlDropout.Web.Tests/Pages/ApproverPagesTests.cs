using ControlDropout.Web.Data;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ControlDropout.Web.Tests.Pages;

[Collection(BrowserTests.Name)]
public sealed class ApproverPagesTests(BrowserFixture browser)
{
    [Fact]
    public async Task An_approver_approves_a_submitted_plan_then_runs_and_publishes_the_timetable()
    {
        var county = browser.County;
        var coordinator = await county.As("coordinator");
        var (_, plan) = await coordinator.CreatePlanAsync(county.Eligible, county.Term);
        (await coordinator.ActAsync(plan!, "submit")).EnsureSuccessStatusCode();

        var page = await browser.SignInAsync("approver");
        page.Url.Should().EndWith("/approve", "an approver's home is the queue");
        var row = page.Locator("tr", new() { HasText = "张某某" });
        await Assertions.Expect(row).ToContainTextAsync("✓ 符合");
        await row.GetByRole(AriaRole.Link, new() { Name = "张某某" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("张某某的送教方案");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("生活适应与康复训练");
        await page.GetByLabel("审批意见（退回时必填）").FillAsync("同意，按方案执行");
        await page.GetByRole(AriaRole.Button, new() { Name = "批准" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("已批准");
        await Assertions.Expect(page.Locator("table")).ToContainTextAsync("同意，按方案执行");
        (await coordinator.GetPlanAsync(plan!.Id)).Status.Should().Be(Domain.PlanStatus.Approved);

        await page.GotoAsync("/timetable");
        await page.GetByRole(AriaRole.Button, new() { Name = "开始排课" }).ClickAsync();
        // The page refreshes itself while the solver works, then shows the draft.
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "待发布的课表" })).ToBeVisibleAsync(new() { Timeout = 90_000 });
        while (await page.GetByRole(AriaRole.Button, new() { Name = "确认" }).CountAsync() > 0)
        {
            await page.GetByRole(AriaRole.Button, new() { Name = "确认" }).First.ClickAsync();
        }
        await page.GetByRole(AriaRole.Button, new() { Name = "发布课表" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("课表已发布");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("已发布：approver-530902");
        await Assertions.Expect(page.Locator("figure svg")).ToHaveAttributeAsync("aria-label", new System.Text.RegularExpressions.Regex("每人本周路上时间"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Approving_a_submitted_plan_whose_child_fails_a_condition_is_refused_until_the_grade_exception_is_recorded_on_the_page()
    {
        var county = browser.County;
        var coordinator = await county.As("coordinator");
        var child = await county.NewChildAsync(grade: 2);
        var (_, plan) = await coordinator.CreatePlanAsync(child, county.Term);
        (await coordinator.ActAsync(plan!, "submit")).EnsureSuccessStatusCode();
        using (var scope = browser.Factory.Services.CreateScope())
        {
            // Re-assessed after the submission: now 残疾等级 3, above the policy's limit.
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            (await db.Students.SingleAsync(s => s.Id == child)).DisabilityGrade = 3;
            await db.SaveChangesAsync();
        }

        var page = await browser.SignInAsync("approver");
        await page.GotoAsync($"/plans/{plan!.Id}");
        await Assertions.Expect(page.Locator(".alert.warn")).ToContainTextAsync("残疾等级为 3 级");
        await page.GetByLabel("审批意见（退回时必填）").FillAsync("同意");
        await page.GetByRole(AriaRole.Button, new() { Name = "批准" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert).First).ToContainTextAsync("不符合送教上门条件，不能批准");
        (await coordinator.GetPlanAsync(plan.Id)).Status.Should().Be(Domain.PlanStatus.Submitted, "nothing was decided");

        await page.GetByLabel("例外理由（如专家委员会意见）").FillAsync("专家委员会认为确需送教上门");
        await page.GetByRole(AriaRole.Button, new() { Name = "登记例外" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("已登记等级例外");
        await page.GetByLabel("审批意见（退回时必填）").FillAsync("同意（已登记等级例外）");
        await page.GetByRole(AriaRole.Button, new() { Name = "批准" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("已批准");
        await Assertions.Expect(page.Locator("dl.facts").First).ToContainTextAsync("2026-09-07 至 2027-01-22");
        var approved = await coordinator.GetPlanAsync(plan.Id);
        approved.Status.Should().Be(Domain.PlanStatus.Approved);
        // Closed again, so that this child (who has no home on the map) stays out of the other tests' runs.
        (await (await county.As("approver")).ActAsync(approved, "close")).EnsureSuccessStatusCode();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_rejection_without_an_opinion_is_refused_next_to_the_field()
    {
        var county = browser.County;
        var coordinator = await county.As("coordinator");
        var (_, plan) = await coordinator.CreatePlanAsync(county.SecondEligible, county.Term);
        (await coordinator.ActAsync(plan!, "submit")).EnsureSuccessStatusCode();

        var page = await browser.SignInAsync("approver");
        await page.GotoAsync($"/plans/{plan!.Id}");
        await page.GetByRole(AriaRole.Button, new() { Name = "退回" }).ClickAsync();
        await Assertions.Expect(page.Locator("#opinion-error")).ToHaveTextAsync("退回时须填写审批意见");
        (await coordinator.GetPlanAsync(plan.Id)).Status.Should().Be(Domain.PlanStatus.Submitted, "nothing was decided");
        await page.Context.CloseAsync();
    }
}
