using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ControlDropout.Web.Tests.Features.People;
using ControlDropout.Web.Tests.Features.Setup;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;

namespace ControlDropout.Web.Tests.Features.Policy;

/// <summary>The county's planning rules: the start grid (开始时间间隔) and what a change is worth (调整代价).</summary>
public sealed class PlanningPolicyTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;

    public PlanningPolicyTests(ServiceFactory factory) => _factory = factory;

    private static object Policy(int step, int penalty) => new
    {
        minSessionsPerTeachingWeek = 1, lessonMinutes = 40, remoteCountsTowardHomeMinimum = true, minAge = 6, maxAge = 15, maxDisabilityGrade = 4,
        startTimeStepMinutes = step, changePenaltyMinutes = penalty,
    };

    [Fact]
    public async Task A_five_minute_grid_and_an_hour_per_change_are_the_default_and_a_step_off_the_list_is_refused_by_its_field()
    {
        var county = await _factory.LincangAsync();
        var admin = await county.As("admin");
        var initial = await admin.GetFromJsonAsync<JsonElement>("/api/policy");
        (initial.GetProperty("startTimeStepMinutes").GetInt32(), initial.GetProperty("changePenaltyMinutes").GetInt32()).Should().Be((5, 60));

        var bad = await admin.PutAsJsonAsync("/api/policy", Policy(7, 1441));
        bad.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var body = await bad.ReadJsonAsync();
        body.GetProperty("code").GetString().Should().Be("invalid_request");
        body.GetProperty("errors").EnumerateObject().Select(p => p.Name).Should().BeEquivalentTo("startTimeStepMinutes", "changePenaltyMinutes");
        body.GetProperty("errors").GetProperty("startTimeStepMinutes")[0].GetString().Should().Contain("开始时间间隔");
        (await admin.PutAsJsonAsync("/api/policy", Policy(5, -1))).StatusCode.Should().Be(HttpStatusCode.BadRequest);

        var put = await admin.PutAsJsonAsync("/api/policy", Policy(10, 0));
        put.StatusCode.Should().Be(HttpStatusCode.OK);
        var now = await (await county.As("teacher")).GetFromJsonAsync<JsonElement>("/api/policy");
        (now.GetProperty("startTimeStepMinutes").GetInt32(), now.GetProperty("changePenaltyMinutes").GetInt32()).Should().Be((10, 0));
    }

    [Fact]
    public async Task The_policy_page_explains_the_rules_and_shows_a_refusal_in_chinese_beside_the_field()
    {
        var county = await _factory.OtherCountyAsync();
        var approver = await _factory.SignedInAsync(county, "approver");

        var page = await approver.GetStringAsync(new Uri("/policy", UriKind.Relative));
        page.Should().Contain("开始时间间隔").And.Contain("调整代价（分钟）")
            .And.Contain("课表调整一名学生的时间、日期或教师，须至少节省这么多分钟车程");

        var refused = await SetupPages.PostAsync(approver, "/policy", new() { ["Form.StartTimeStepMinutes"] = "7", ["Form.ChangePenaltyMinutes"] = "2000" });
        refused.StatusCode.Should().Be(HttpStatusCode.OK, "the page is shown again with the messages");
        var html = await refused.Content.ReadAsStringAsync();
        SetupPages.ErrorBeside(html, "StartTimeStepMinutes").Should().Be("开始时间间隔须为 1、5、10、15、30 分钟之一");
        SetupPages.ErrorBeside(html, "ChangePenaltyMinutes").Should().Be("调整代价须在 0 到 1440 分钟之间");

        var saved = await SetupPages.PostAsync(approver, "/policy", new() { ["Form.StartTimeStepMinutes"] = "15", ["Form.ChangePenaltyMinutes"] = "30" });
        saved.StatusCode.Should().Be(HttpStatusCode.Redirect);
        var now = await (await county.As("approver")).GetFromJsonAsync<JsonElement>("/api/policy");
        (now.GetProperty("startTimeStepMinutes").GetInt32(), now.GetProperty("changePenaltyMinutes").GetInt32(), now.GetProperty("maxAge").GetInt32())
            .Should().Be((15, 30, 15), "the page changes the planning rules only; the rest of the policy stays");

        var teacher = await _factory.SignedInAsync(county, "teacher");
        var denied = await teacher.GetAsync(new Uri("/policy", UriKind.Relative));
        denied.StatusCode.Should().NotBe(HttpStatusCode.OK);
    }
}
