using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Plans;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;

namespace ControlDropout.Web.Tests.Features.Plans;

/// <summary>
/// Issue 11: bad plans and decisions. Each used to answer 500 or be stored as sent; now each is a 400
/// naming the field by its JSON path (the keys the plan editor has always used), and nothing changes.
/// </summary>
public sealed class PlanInputTests : IClassFixture<ServiceFactory>
{
    private static readonly string Huge = new('长', 100_000);

    private readonly ServiceFactory _factory;

    public PlanInputTests(ServiceFactory factory) => _factory = factory;

    private static Task<HttpResponseMessage> PostJsonAsync(HttpClient client, string path, string json) =>
        client.PostAsync(new Uri(path, UriKind.Relative), new StringContent(json, Encoding.UTF8, "application/json"));

    private static async Task<IEnumerable<string>> FieldsAsync(HttpResponseMessage response)
    {
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        return (await response.ReadJsonAsync()).GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();
    }

    private static JsonObject Content() => JsonSerializer.SerializeToNode(Api.WeeklyHomePlan(), ServiceFactory.Json)!.AsObject();

    [Fact]
    public async Task A_new_plan_without_its_content_is_refused_naming_plan()
    {
        var county = await _factory.LincangAsync();
        var coordinator = await county.As("coordinator");
        var child = await county.NewChildAsync();

        (await FieldsAsync(await PostJsonAsync(coordinator, "/api/plans", $$"""{"studentId":"{{child}}","termId":"{{county.Term}}","plan":null}"""))).Should().Contain("plan");
        (await FieldsAsync(await PostJsonAsync(coordinator, "/api/plans", $$"""{"studentId":"{{child}}","termId":"{{county.Term}}"}"""))).Should().Contain("plan");
        (await coordinator.GetFromJsonAsync<List<JsonElement>>("/api/plans"))!.Should().NotContain(p => p.GetProperty("studentId").GetGuid() == child.Value);
    }

    /// <summary>Each finding: a field of a valid plan's content set to what a client sent, and the field the 400 must name.</summary>
    public static TheoryData<string, string, string> BadContent() => new()
    {
        { "windows", "[null]", "plan.windows" },
        { "windows", """[{"day":2,"from":"09:00\u0000","to":"12:00"}]""", "plan.windows[0].from" },
        { "windows", """[{"day":-2147483648,"from":"09:00","to":"12:00"}]""", "plan.windows[0].day" },
        { "goals", "[null]", "plan.goals" },
        { "goals", JsonSerializer.Serialize(new[] { Huge }), "plan.goals[0]" },
        { "requiredSkills", "[null]", "plan.requiredSkills" },
        { "mode", "99", "plan.mode" },
        { "coursePlan", JsonSerializer.Serialize(Huge), "plan.coursePlan" },
        { "coursePlan", "\"生活\\u0000适应\"", "plan.coursePlan" },
        { "content", "\"认识\\u001b日常用品\"", "plan.content" },
        { "homeVisitsPerWeek", "2147483647", "plan.homeVisitsPerWeek" },
        { "preferredStaffIds", JsonSerializer.Serialize(Enumerable.Range(0, 101).Select(_ => Guid.NewGuid())), "plan.preferredStaffIds" },
    };

    [Theory]
    [MemberData(nameof(BadContent))]
    public async Task A_bad_new_plan_is_refused_naming_the_field_and_not_stored(string field, string json, string named)
    {
        var county = await _factory.LincangAsync();
        var coordinator = await county.As("coordinator");
        var child = await county.NewChildAsync();
        var content = Content();
        content[field] = JsonNode.Parse(json);
        var body = new JsonObject { ["studentId"] = child.Value, ["termId"] = county.Term.Value, ["plan"] = content };

        (await FieldsAsync(await coordinator.PostAsJsonAsync("/api/plans", body))).Should().Contain(named);
        (await coordinator.GetFromJsonAsync<List<JsonElement>>("/api/plans"))!.Should().NotContain(p => p.GetProperty("studentId").GetGuid() == child.Value);
    }

    [Fact]
    public async Task Huge_numbers_of_sessions_cannot_wrap_round_to_a_valid_week()
    {
        var county = await _factory.LincangAsync();
        var coordinator = await county.As("coordinator");

        var (response, _) = await coordinator.CreatePlanAsync(await county.NewChildAsync(), county.Term,
            Api.WeeklyHomePlan() with { Mode = TeachingMode.Mixed, HomeVisitsPerWeek = int.MaxValue, RemoteSessionsPerWeek = int.MaxValue });

        (await FieldsAsync(response)).Should().Contain("plan.homeVisitsPerWeek");
    }

    [Fact]
    public async Task Long_text_keeps_its_line_breaks_and_tabs()
    {
        var county = await _factory.LincangAsync();
        var coordinator = await county.As("coordinator");

        var (response, plan) = await coordinator.CreatePlanAsync(await county.NewChildAsync(), county.Term, Api.WeeklyHomePlan() with { CoursePlan = "第一周：\n\t认识日常用品\r\n第二周：练习抓握" });

        response.StatusCode.Should().Be(HttpStatusCode.Created);
        plan!.Versions[^1].Plan.CoursePlan.Should().Contain("\n\t");
    }

    [Theory]
    [InlineData("[null]", "plan.windows")]
    [InlineData("""[{"day":2,"from":"25:00","to":"12:00"}]""", "plan.windows[0].from")]
    public async Task A_bad_change_to_a_draft_is_refused_and_the_draft_stays_as_it_was(string windows, string named)
    {
        var county = await _factory.LincangAsync();
        var coordinator = await county.As("coordinator");
        var (_, plan) = await coordinator.CreatePlanAsync(await county.NewChildAsync(), county.Term);
        var content = Content();
        content["windows"] = JsonNode.Parse(windows);
        content["coursePlan"] = "改过的计划";

        var response = await coordinator.SendAsync(new HttpRequestMessage(HttpMethod.Put, $"/api/plans/{plan!.Id}")
        {
            Content = new StringContent(content.ToJsonString(), Encoding.UTF8, "application/json"),
            Headers = { { "If-Match", plan.ETag } },
        });

        (await FieldsAsync(response)).Should().Contain(named);
        var after = await coordinator.GetPlanAsync(plan.Id);
        after.ETag.Should().Be(plan.ETag);
        after.Versions[^1].Plan.CoursePlan.Should().Be(Api.WeeklyHomePlan().CoursePlan);
    }

    [Theory]
    [InlineData("reject")]
    [InlineData("approve")]
    public async Task A_decision_with_a_huge_or_unprintable_opinion_is_refused_and_the_plan_awaits_a_decision(string action)
    {
        var county = await _factory.LincangAsync();
        var coordinator = await county.As("coordinator");
        var approver = await county.As("approver");
        var (_, draft) = await coordinator.CreatePlanAsync(await county.NewChildAsync(), county.Term);
        var plan = await (await coordinator.ActAsync(draft!, "submit")).ReadPlanAsync();

        (await FieldsAsync(await approver.ActAsync(plan, action, new { opinion = Huge }))).Should().Contain("opinion");
        (await FieldsAsync(await approver.ActAsync(plan, action, new { opinion = "同意\u0000" }))).Should().Contain("opinion");

        var after = await approver.GetPlanAsync(plan.Id);
        after.Status.Should().Be(PlanStatus.Submitted);
        after.ETag.Should().Be(plan.ETag);
    }

    [Fact]
    public async Task A_grade_exception_with_a_huge_reason_is_refused_and_nothing_is_recorded()
    {
        var county = await _factory.LincangAsync();
        var (_, plan) = await (await county.As("coordinator")).CreatePlanAsync(await county.NewChildAsync(grade: 4), county.Term);
        var approver = await county.As("approver");

        (await FieldsAsync(await approver.ActAsync(plan!, "grade-exception", new { reason = Huge }))).Should().Contain("reason");
        (await FieldsAsync(await approver.ActAsync(plan!, "grade-exception", new { reason = (string?)null }))).Should().Contain("reason");

        (await approver.GetPlanAsync(plan!.Id)).Versions[^1].GradeException.Should().BeNull();
    }

    [Theory]
    [InlineData("99")]
    [InlineData("x")]
    public async Task A_plan_status_that_does_not_exist_is_refused_naming_status(string status)
    {
        var county = await _factory.LincangAsync();

        (await FieldsAsync(await (await county.As("approver")).GetAsync(new Uri($"/api/plans?status={status}", UriKind.Relative)))).Should().Contain("status");
    }
}
