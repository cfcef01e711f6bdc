using ControlDropout.Web.Features.People;
using ControlDropout.Web.Tests.Pages;
using FluentAssertions;
using Microsoft.Playwright;

namespace ControlDropout.Web.Tests.Browser;

/// <summary>
/// Issue 13's proof on the pages, in a real browser: a coordinator registers a child, its 残联 registration and
/// the committee's assessment, writes a plan and submits it; the approver's queue shows it as eligible.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class EnrolmentBrowserTests(BrowserFixture browser)
{
    private static PageGetByLabelOptions Exact => new() { Exact = true };

    [Fact]
    public async Task A_child_entered_on_the_pages_reaches_the_approver_s_queue_as_eligible()
    {
        const string name = "浏览器登记童";
        var county = browser.County;
        var page = await browser.SignInAsync("coordinator");

        await page.GetByRole(AriaRole.Link, new() { Name = "登记学生" }).ClickAsync();
        await page.GetByLabel("姓名", Exact).FillAsync(name);
        await page.GetByLabel("性别", Exact).SelectOptionAsync("女");
        await page.GetByLabel("民族", Exact).FillAsync("汉族");
        await page.GetByLabel("出生日期", Exact).FillAsync("2016-03-05");
        await page.GetByLabel("身份证号", Exact).FillAsync(IdentityNumbers.Compose(county.Code, new DateOnly(2016, 3, 5), 482));
        await page.GetByLabel("住址（乡镇 / 村委会）").SelectOptionAsync(county.Code + "102201");
        await page.GetByLabel("监护人1 姓名").FillAsync("林某");
        await page.GetByLabel("监护人1 关系").FillAsync("母亲");
        await page.GetByLabel("监护人1 电话").FillAsync("13912340000");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status).First).ToContainTextAsync($"已登记学生：{name}");
        await Assertions.Expect(page.Locator("dl.facts").First).ToContainTextAsync("139****0000");

        await page.GetByRole(AriaRole.Link, new() { Name = "残联登记" }).ClickAsync();
        await page.GetByLabel("残疾人证号", Exact).FillAsync("53090220160305222");
        await page.GetByLabel("残疾类别", Exact).SelectOptionAsync("Intellectual");
        await page.GetByLabel("残疾等级", Exact).SelectOptionAsync("2");
        await page.GetByLabel("发证日期", Exact).FillAsync("2025-12-01");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status).First).ToContainTextAsync("残联登记已保存");

        await page.GetByRole(AriaRole.Link, new() { Name = "录入评估" }).ClickAsync();
        await page.GetByLabel("评估日期", Exact).FillAsync("2026-08-20");
        await page.GetByLabel("评估结论", Exact).SelectOptionAsync("HomeTeaching");
        await page.GetByLabel("文号", Exact).FillAsync("临教专评〔2026〕21号");
        await page.GetByLabel("评估成员（每行一人）").FillAsync("赵专家\n钱医生");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status).First).ToContainTextAsync("评估已保存");
        await Assertions.Expect(page.GetByText("临教专评〔2026〕21号")).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "新建本学期送教方案" }).ClickAsync();
        await page.GetByLabel("课程计划").FillAsync("生活适应、康复训练");
        await page.GetByLabel("授课内容").FillAsync("认识颜色；练习抓握");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status).First).ToContainTextAsync("方案已保存为草稿");
        await page.GetByRole(AriaRole.Button, new() { Name = "提交审批" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status).First).ToContainTextAsync("已提交审批");
        await page.Context.CloseAsync();

        var approver = await browser.SignInAsync("approver");
        await approver.GotoAsync("/approve");
        var row = approver.Locator("tbody tr", new() { HasText = name });
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row).ToContainTextAsync("✓ 符合");
        (await row.InnerTextAsync()).Should().NotContain("不符");
        await approver.Context.CloseAsync();
    }
}
