using System.Net;
using System.Text;
using System.Text.Json;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace ControlDropout.Web.Tests.Fuzz;

/// <summary>The app in Development and in Production, each with the tests' second county (Development also seeds the demo county).</summary>
public sealed class BothEnvironments : IAsyncLifetime
{
    public Dictionary<string, (ServiceFactory Factory, TestCounty County)> Hosts { get; } = [];

    public async Task InitializeAsync()
    {
        foreach (var environment in new[] { "Development", "Production" })
        {
            var factory = new ServiceFactory();
            factory.Settings["environment"] = environment;
            factory.CreateClient().Dispose();
            factory.Services.GetRequiredService<IWebHostEnvironment>().EnvironmentName.Should().Be(environment);
            Hosts[environment] = (factory, await factory.OtherCountyAsync());
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var (factory, _) in Hosts.Values)
        {
            await factory.DisposeAsync();
        }
    }
}

/// <summary>
/// Issue 11: a request the framework cannot bind answers 400 naming the field, in every environment
/// (Development used to answer each of these with a 500).
/// </summary>
public sealed class BadRequestsTests(BothEnvironments hosts) : IClassFixture<BothEnvironments>
{
    private async Task<HttpClient> AsAsync(string environment, string role) => await hosts.Hosts[environment].County.As(role);

    private TestCounty County(string environment) => hosts.Hosts[environment].County;

    private static async Task<Dictionary<string, string[]>> ExpectRefusalAsync(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.BadRequest, string code = "unreadable_request")
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(status, text);
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json");
        var problem = JsonDocument.Parse(text).RootElement;
        problem.GetProperty("code").GetString().Should().Be(code, text);
        problem.TryGetProperty("exception", out _).Should().BeFalse("no stack trace in any environment");
        text.Should().NotContain("   at ", "no stack trace in any environment");
        return problem.GetProperty("errors").Deserialize<Dictionary<string, string[]>>()!;
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private string PlanBody(string environment, string plan) =>
        $$"""{"studentId":"{{County(environment).Eligible}}","termId":"{{County(environment).Term}}","plan":{{plan}}}""";

    private const string GoodPlan = """{"coursePlan":"生活适应","content":"认识日常用品","goals":["能独立抓握勺子"],"mode":"Home","homeVisitsPerWeek":1,"remoteSessionsPerWeek":0,"lessonsPerVisit":2,"windows":[{"day":2,"from":"09:00","to":"12:00"}],"requiredSkills":["special-education"],"teamSize":1,"preferredStaffIds":null}""";

    [Theory]
    [InlineData("Development")]
    [InlineData("Production")]
    public async Task Malformed_json_is_a_400_about_the_body(string environment)
    {
        var coordinator = await AsAsync(environment, "coordinator");
        var errors = await ExpectRefusalAsync(await coordinator.PostAsync(new Uri("/api/plans", UriKind.Relative), Json("{]")));
        errors.Should().ContainKey("").WhoseValue.Should().ContainSingle().Which.Should().Contain("JSON");
    }

    [Theory]
    [InlineData("Development")]
    [InlineData("Production")]
    public async Task Five_thousand_levels_of_nesting_are_a_400_naming_where(string environment)
    {
        var coordinator = await AsAsync(environment, "coordinator");
        var deep = new string('[', 5000) + new string(']', 5000);
        var errors = await ExpectRefusalAsync(await coordinator.PostAsync(new Uri("/api/plans", UriKind.Relative), Json(PlanBody(environment, GoodPlan.Replace("[\"能独立抓握勺子\"]", deep, StringComparison.Ordinal)))));
        errors.Keys.Should().ContainSingle().Which.Should().StartWith("plan.goals");
    }

    [Theory]
    [InlineData("Development")]
    [InlineData("Production")]
    public async Task A_wrong_type_inside_a_nested_list_names_its_json_path(string environment)
    {
        var coordinator = await AsAsync(environment, "coordinator");
        var errors = await ExpectRefusalAsync(await coordinator.PostAsync(new Uri("/api/plans", UriKind.Relative), Json(PlanBody(environment, GoodPlan.Replace("\"day\":2", "\"day\":\"x\"", StringComparison.Ordinal)))));
        errors.Keys.Should().Equal("plan.windows[0].day");
    }

    [Theory]
    [InlineData("Development")]
    [InlineData("Production")]
    public async Task An_unpaired_surrogate_is_a_400_naming_the_field(string environment)
    {
        var admin = await AsAsync(environment, "admin");
        var response = await admin.PostAsync(new Uri("/api/staff", UriKind.Relative), Json(
            """{"name":"李\ud800","department":"Education","schoolId":null,"skills":["special-education"],"baseName":"县特殊教育学校","baseLat":23.88,"baseLon":100.09,"availability":[],"maxSessionsPerWeek":8,"maxAwayMinutesPerDay":300,"canTeachRemotely":true}"""));
        (await ExpectRefusalAsync(response)).Keys.Should().Equal("name");
    }

    [Theory]
    [InlineData("Development", "auditor", "/api/audit?before=x", "before")]
    [InlineData("Production", "auditor", "/api/audit?before=x", "before")]
    [InlineData("Development", "approver", "/api/coverage?termId=x", "termId")]
    [InlineData("Production", "approver", "/api/coverage?termId=x", "termId")]
    [InlineData("Development", "approver", "/api/plans?status=x", "status")]
    [InlineData("Production", "approver", "/api/plans?status=x", "status")]
    [InlineData("Development", "approver", "/api/students/{id}?unmask=1", "unmask")]
    [InlineData("Production", "approver", "/api/students/{id}?unmask=1", "unmask")]
    [InlineData("Development", "approver", "/api/visits?from=2026-02-30", "from")]
    [InlineData("Production", "approver", "/api/visits?from=2026-02-30", "from")]
    public async Task A_bad_query_value_is_a_400_naming_the_parameter(string environment, string role, string path, string field)
    {
        var client = await AsAsync(environment, role);
        var response = await client.GetAsync(new Uri(path.Replace("{id}", County(environment).Eligible.ToString(), StringComparison.Ordinal), UriKind.Relative));
        (await ExpectRefusalAsync(response)).Keys.Should().Equal(field);
    }

    [Theory]
    [InlineData("Development")]
    [InlineData("Production")]
    public async Task A_body_that_is_not_json_is_refused_as_such(string environment)
    {
        var coordinator = await AsAsync(environment, "coordinator");
        var response = await coordinator.PostAsync(new Uri("/api/plans", UriKind.Relative), new StringContent(PlanBody(environment, GoodPlan), Encoding.UTF8, "text/plain"));
        (await ExpectRefusalAsync(response, HttpStatusCode.UnsupportedMediaType, "unsupported_media_type")).Should().ContainKey("");
    }

    [Theory]
    [InlineData("Development")]
    [InlineData("Production")]
    public async Task A_missing_body_is_a_400_about_the_body(string environment)
    {
        var coordinator = await AsAsync(environment, "coordinator");
        var response = await coordinator.PostAsync(new Uri("/api/plans", UriKind.Relative), Json(""));
        (await ExpectRefusalAsync(response)).Should().ContainKey("");
    }
}
