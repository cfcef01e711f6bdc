using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ControlDropout.Web.Tests.Features.Plans;

/// <summary>
/// Issue 11 on the pages: the plan editor and the decision form refuse what the API refuses, with the
/// validator's message beside the field, and store nothing.
/// </summary>
public sealed class PlanEditorInputTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;

    public PlanEditorInputTests(ServiceFactory factory)
    {
        factory.Settings["Access:LoginAttemptsPerMinute"] = "1000";
        _factory = factory;
    }

    private Task<HttpClient> SignedInAsync(TestCounty county, string role) => PageBrowser.SignedInAsync(_factory, county, role);

    private static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string page, string action, Dictionary<string, string> fields)
    {
        var token = PageBrowser.TokenIn(await client.GetStringAsync(new Uri(page, UriKind.Relative)));
        return await client.PostAsync(new Uri(action, UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = token }));
    }

    /// <summary>The text of the error span beside an input of the editor.</summary>
    private static string ErrorBeside(string html, string input) =>
        Regex.Match(html, $"<span id=\"{input}-error\"[^>]*>([^<]*)</span>").Groups[1].Value;

    [Fact]
    public async Task The_editor_shows_a_control_character_or_an_overlong_text_beside_its_field_and_saves_nothing()
    {
        var county = await _factory.LincangAsync();
        var child = await county.NewChildAsync();
        var client = await SignedInAsync(county, "coordinator");
        var fields = new Dictionary<string, string>
        {
            ["Form.TermId"] = county.Term.Value.ToString(), ["Form.CoursePlan"] = "生活\u0001适应", ["Form.Content"] = new string('长', 4001),
            ["Form.Goals"] = "能独立抓握勺子", ["Form.Mode"] = "Home", ["Form.HomeVisitsPerWeek"] = "1", ["Form.RemoteSessionsPerWeek"] = "0",
            ["Form.LessonsPerVisit"] = "2", ["Form.TeamSize"] = "1", ["Form.Days[1].On"] = "true", ["Form.Days[1].From"] = "09:00", ["Form.Days[1].To"] = "12:00",
            ["Form.RequiredSkills"] = "special-education",
        };

        var response = await PostFormAsync(client, $"/plans/edit?student={child}", $"/plans/edit?student={child}", fields);

        response.StatusCode.Should().Be(HttpStatusCode.OK, "the form comes back with the messages: " + await response.Content.ReadAsStringAsync());
        var html = await response.Content.ReadAsStringAsync();
        ErrorBeside(html, "CoursePlan").Should().Be("课程计划含有不可见的控制字符");
        ErrorBeside(html, "Content").Should().Be("授课内容不能超过 4000 个字");
        var plans = await (await county.As("coordinator")).GetFromJsonAsync<List<JsonElement>>("/api/plans");
        plans!.Should().NotContain(p => p.GetProperty("studentId").GetGuid() == child.Value);
    }

    [Fact]
    public async Task The_decision_form_shows_an_overlong_opinion_beside_it_and_the_plan_still_awaits_a_decision()
    {
        var county = await _factory.LincangAsync();
        var coordinator = await county.As("coordinator");
        var (_, draft) = await coordinator.CreatePlanAsync(await county.NewChildAsync(), county.Term);
        var plan = await (await coordinator.ActAsync(draft!, "submit")).ReadPlanAsync();
        var client = await SignedInAsync(county, "approver");

        var response = await PostFormAsync(client, $"/plans/{plan.Id}", $"/plans/{plan.Id}?handler=reject",
            new Dictionary<string, string> { ["etag"] = plan.ETag, ["Opinion"] = new string('否', 4001) });

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        ErrorBeside(await response.Content.ReadAsStringAsync(), "opinion").Should().Be("审批意见不能超过 4000 个字");
        (await coordinator.GetPlanAsync(plan.Id)).Status.Should().Be(PlanStatus.Submitted);
    }
}
