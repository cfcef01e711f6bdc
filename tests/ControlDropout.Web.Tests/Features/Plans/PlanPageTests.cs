using System.Net;
using System.Text.RegularExpressions;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Plans;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlDropout.Web.Tests.Features.Plans;

/// <summary>
/// Issue 12 §8 and §5 on the pages: the plan page's 修改 link resolves, a refused save of an existing plan
/// comes back with its messages and what was typed (it ended on a 404), and a submitted plan whose child
/// fails a condition shows it and takes the approver's grade exception.
/// </summary>
public sealed partial class PlanPageTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;

    public PlanPageTests(ServiceFactory factory)
    {
        factory.Settings["Access:LoginAttemptsPerMinute"] = "1000";
        _factory = factory;
    }

    [GeneratedRegex("<a class=\"button secondary\" href=\"([^\"]+)\">修改")]
    private static partial Regex EditLink();

    /// <summary>The text of the error span beside an input of the editor.</summary>
    private static string ErrorBeside(string html, string input) =>
        Regex.Match(html, $"<span id=\"{input}-error\"[^>]*>([^<]*)</span>").Groups[1].Value;

    private static Dictionary<string, string> FormOf(PlanDto plan, string coursePlan, string content, string? startDate = null) => new()
    {
        ["Form.ETag"] = plan.ETag, ["Form.CoursePlan"] = coursePlan, ["Form.Content"] = content, ["Form.Goals"] = "能独立抓握勺子",
        ["Form.Mode"] = "Home", ["Form.HomeVisitsPerWeek"] = "1", ["Form.RemoteSessionsPerWeek"] = "0", ["Form.LessonsPerVisit"] = "2", ["Form.TeamSize"] = "1",
        ["Form.Days[0].On"] = "true", ["Form.Days[0].From"] = "09:00", ["Form.Days[0].To"] = "12:00", ["Form.RequiredSkills"] = "special-education",
        ["Form.StartDate"] = startDate ?? "",
    };

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string url, string tokenFrom, Dictionary<string, string> fields)
    {
        var token = PageBrowser.TokenIn(await client.GetStringAsync(new Uri(tokenFrom, UriKind.Relative)));
        return await client.PostAsync(new Uri(url, UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = token }));
    }

    [Fact]
    public async Task The_edit_link_resolves_and_a_refused_save_keeps_what_was_typed_then_a_valid_save_works()
    {
        var county = await _factory.LincangAsync();
        var api = await county.As("coordinator");
        var (_, plan) = await api.CreatePlanAsync(await county.NewChildAsync(), county.Term);
        var client = await PageBrowser.SignedInAsync(_factory, county, "coordinator");

        var page = await client.GetStringAsync(new Uri($"/plans/{plan!.Id}", UriKind.Relative));
        var link = EditLink().Match(page).Groups[1].Value;
        link.Should().Be($"/plans/edit/{plan.Id}");
        var editor = await client.GetAsync(new Uri(link, UriKind.Relative));
        editor.StatusCode.Should().Be(HttpStatusCode.OK, "the 修改 button leads to the editor");
        (await editor.Content.ReadAsStringAsync()).Should().Contain("生活适应与康复训练", "the editor shows the plan's content");

        var refused = await PostAsync(client, link, link, FormOf(plan, "", "认识颜色；练习系扣子"));

        refused.StatusCode.Should().Be(HttpStatusCode.OK, "a refused save comes back to the editor, not to a 404");
        var html = await refused.Content.ReadAsStringAsync();
        ErrorBeside(html, "CoursePlan").Should().Be("请填写课程计划");
        html.Should().Contain("认识颜色；练习系扣子", "what was typed is kept");
        (await api.GetPlanAsync(plan.Id)).Versions.Single().Plan.Content.Should().Be(plan.Versions.Single().Plan.Content, "nothing was saved");

        var outside = await PostAsync(client, link, link, FormOf(plan, "生活适应", "认识颜色；练习系扣子", "2027-03-01"));
        outside.StatusCode.Should().Be(HttpStatusCode.OK);
        var outsideHtml = await outside.Content.ReadAsStringAsync();
        ErrorBeside(outsideHtml, "StartDate").Should().Be("开始日期须在学期内（2026-09-01 至 2027-01-22）", outsideHtml[outsideHtml.IndexOf("<main", StringComparison.Ordinal)..]);
        outsideHtml.Should().Contain("value=\"2027-03-01\"");
        var garbled = await PostAsync(client, link, link, FormOf(plan, "生活适应", "认识颜色；练习系扣子", "下周一"));
        ErrorBeside(await garbled.Content.ReadAsStringAsync(), "StartDate").Should().Be("开始日期不是有效日期，请用 yyyy-MM-dd");

        var saved = await PostAsync(client, link, link, FormOf(plan, "生活适应", "认识颜色；练习系扣子", "2026-10-12"));

        saved.StatusCode.Should().Be(HttpStatusCode.Redirect);
        saved.Headers.Location!.ToString().Should().Be($"/plans/{plan.Id}");
        var after = (await api.GetPlanAsync(plan.Id)).Versions.Single().Plan;
        after.Content.Should().Be("认识颜色；练习系扣子");
        after.StartDate.Should().Be(new DateOnly(2026, 10, 12));
        var shown = await client.GetStringAsync(new Uri($"/plans/{plan.Id}", UriKind.Relative));
        shown.Should().Contain("2026-10-12（不早于此日生效）");
        (await client.GetStringAsync(new Uri(link, UriKind.Relative))).Should().Contain("value=\"2026-10-12\"", "the editor shows the start date it saved");
    }

    [Fact]
    public async Task A_submitted_plan_shows_the_failed_condition_and_the_approver_records_the_exception_then_approves_on_the_page()
    {
        var county = await _factory.LincangAsync();
        var coordinator = await county.As("coordinator");
        var child = await county.NewChildAsync(grade: 2);
        var (_, plan) = await coordinator.CreatePlanAsync(child, county.Term);
        plan = await (await coordinator.ActAsync(plan!, "submit")).ReadPlanAsync();
        using (var scope = _factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            (await db.Students.SingleAsync(s => s.Id == child)).DisabilityGrade = 3;
            await db.SaveChangesAsync();
        }
        var client = await PageBrowser.SignedInAsync(_factory, county, "approver");

        var queue = await client.GetStringAsync(new Uri("/approve", UriKind.Relative));
        queue.Should().Contain("残疾等级为 3 级").And.Contain($"href=\"/plans/{plan.Id}#grade-exception\"");
        var page = await client.GetStringAsync(new Uri($"/plans/{plan.Id}", UriKind.Relative));
        page.Should().Contain("残疾等级为 3 级").And.Contain("id=\"grade-exception\"").And.Contain("尚未批准");

        var refused = await PostAsync(client, $"/plans/{plan.Id}?handler=Approve", $"/plans/{plan.Id}", new() { ["etag"] = plan.ETag, ["Opinion"] = "同意" });
        refused.StatusCode.Should().Be(HttpStatusCode.OK);
        (await refused.Content.ReadAsStringAsync()).Should().Contain("不符合送教上门条件，不能批准").And.Contain("残疾等级为 3 级");
        (await coordinator.GetPlanAsync(plan.Id)).Status.Should().Be(PlanStatus.Submitted);

        var excepted = await PostAsync(client, $"/plans/{plan.Id}?handler=GradeException", $"/plans/{plan.Id}", new() { ["etag"] = plan.ETag, ["Reason"] = "专家委员会认为确需送教上门" });
        excepted.StatusCode.Should().Be(HttpStatusCode.Redirect);
        plan = await coordinator.GetPlanAsync(plan.Id);
        plan.Status.Should().Be(PlanStatus.Submitted);
        (await client.GetStringAsync(new Uri($"/plans/{plan.Id}", UriKind.Relative))).Should().NotContain("id=\"grade-exception\"", "the exception is recorded");

        var approved = await PostAsync(client, $"/plans/{plan.Id}?handler=Approve", $"/plans/{plan.Id}", new() { ["etag"] = plan.ETag, ["Opinion"] = "同意" });

        approved.StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await coordinator.GetPlanAsync(plan.Id)).Status.Should().Be(PlanStatus.Approved);
        (await client.GetStringAsync(new Uri($"/plans/{plan.Id}", UriKind.Relative))).Should().Contain("2026-09-07 至 2027-01-22");
    }
}
