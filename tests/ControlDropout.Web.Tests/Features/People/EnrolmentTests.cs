using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;

namespace ControlDropout.Web.Tests.Features.People;

public sealed class EnrolmentTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;

    public EnrolmentTests(ServiceFactory factory) => _factory = factory;

    private static object NewChild(TestCounty county, string name = "周某某") => new
    {
        name, gender = "女", birthDate = "2016-02-10", disabilityCategory = "Intellectual", disabilityGrade = 1,
        schoolOfRecordId = county.School.Value, villageCode = county.Code + "101201", homeLat = 23.8, homeLon = 100.1,
        guardians = new[] { new { name = "周某", relation = "母亲", phone = "13912345678" } }, nationalStudentNo = UniqueStudentNo(),
    };

    /// <summary>A 全国学籍号 no other child of the test has (the roll refuses the same child twice).</summary>
    internal static string UniqueStudentNo() => $"G{Random.Shared.NextInt64(10_000_000_000, 99_999_999_999)}";

    [Fact]
    public async Task A_child_registered_through_the_api_is_assessed_and_its_plan_submitted()
    {
        var county = await _factory.LincangAsync();
        var coordinator = await county.As("coordinator");
        var created = await coordinator.PostAsJsonAsync("/api/students", NewChild(county));
        created.StatusCode.Should().Be(HttpStatusCode.Created);
        var child = new StudentId((await created.ReadJsonAsync()).GetProperty("id").GetGuid());

        var assessed = await coordinator.PostAsJsonAsync($"/api/students/{child}/assessments", new { date = "2026-08-20", conclusion = "HomeTeaching" });

        assessed.StatusCode.Should().Be(HttpStatusCode.Created, "an assessment of a new child is a new row, not an update of nothing");
        (await assessed.ReadJsonAsync()).GetProperty("assessments").EnumerateArray().Select(a => a.GetProperty("conclusion").GetString()).Should().Equal("HomeTeaching");
        var (_, plan) = await coordinator.CreatePlanAsync(child, county.Term);
        var unregistered = await coordinator.ActAsync(plan!, "submit");
        unregistered.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity, "the 残联 registration is a legal gate of 送教上门");
        (await unregistered.Content.ReadAsStringAsync()).Should().Contain("\"registration\"");

        var registered = await coordinator.PutAsJsonAsync($"/api/students/{child}/registration",
            new { certificateNo = "53090220160210002X41", category = "Intellectual", grade = 1, registeredOn = "2025-03-01" });
        registered.StatusCode.Should().Be(HttpStatusCode.OK);
        (await registered.ReadJsonAsync()).GetProperty("disabilityRegisteredOn").GetString().Should().Be("2025-03-01");
        var submitted = await coordinator.ActAsync(plan!, "submit");
        submitted.StatusCode.Should().Be(HttpStatusCode.OK);
        (await submitted.ReadPlanAsync()).Status.Should().Be(PlanStatus.Submitted);
    }

    [Fact]
    public async Task A_second_assessment_is_added_beside_the_first()
    {
        var county = await _factory.LincangAsync();
        var child = await county.NewChildAsync(conclusion: AssessmentConclusion.RegularClass);

        var response = await (await county.As("approver")).PostAsJsonAsync($"/api/students/{child}/assessments", new { date = "2026-09-01", conclusion = "RemoteTeaching" });

        response.StatusCode.Should().Be(HttpStatusCode.Created);
        (await response.ReadJsonAsync()).GetProperty("assessments").GetArrayLength().Should().Be(2);
    }

    [Fact]
    public async Task Only_roles_that_record_assessments_add_them_and_only_for_children_in_their_scope()
    {
        var county = await _factory.LincangAsync();
        var other = await _factory.OtherCountyAsync();
        var body = new { date = "2026-08-20", conclusion = "HomeTeaching" };

        foreach (var role in new[] { "auditor", "teacher" })
        {
            (await (await county.As(role)).PostAsJsonAsync($"/api/students/{county.Eligible}/assessments", body)).StatusCode.Should().Be(HttpStatusCode.Forbidden, $"a {role} records no assessment");
        }
        (await (await county.As("coordinator")).PostAsJsonAsync($"/api/students/{other.Eligible}/assessments", body)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await (await county.As("coordinator")).PostAsJsonAsync($"/api/students/{county.Eligible}/assessments", new { date = "2026-09-30", conclusion = "HomeTeaching" }))
            .StatusCode.Should().Be(HttpStatusCode.BadRequest, "an assessment cannot be dated after today");
    }

    [Fact]
    public async Task Children_and_staff_are_enrolled_by_coordinators_admins_and_the_bureau_only()
    {
        var county = await _factory.LincangAsync();
        foreach (var role in new[] { "auditor", "teacher" })
        {
            var client = await county.As(role);
            (await client.PostAsJsonAsync("/api/students", NewChild(county, "郑某某"))).StatusCode.Should().Be(HttpStatusCode.Forbidden, $"a {role} enrols nobody");
        }
        var students = await (await county.As("admin")).GetFromJsonAsync<List<JsonElement>>("/api/students");
        students!.Should().NotContain(s => s.GetProperty("name").GetString() == "郑某某", "a refused enrolment writes nothing");
        (await (await county.As("admin")).PostAsJsonAsync("/api/students", NewChild(county, "冯某某"))).StatusCode.Should().Be(HttpStatusCode.Created);
        (await (await county.As("approver")).PostAsJsonAsync("/api/students", NewChild(county, "褚某某"))).StatusCode.Should().Be(HttpStatusCode.Created, "the bureau enrols for the county");
    }

    [Fact]
    public async Task A_coordinator_cannot_enrol_a_child_into_another_countys_school()
    {
        var county = await _factory.LincangAsync();
        var other = await _factory.OtherCountyAsync();
        var body = new
        {
            name = "周某某", gender = "女", birthDate = "2016-02-10", disabilityCategory = "Intellectual", disabilityGrade = 1,
            schoolOfRecordId = other.School.Value, villageCode = county.Code + "101201", homeLat = 23.8, homeLon = 100.1, nationalStudentNo = UniqueStudentNo(),
        };

        (await (await county.As("coordinator")).PostAsJsonAsync("/api/students", body)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await (await county.As("admin")).PostAsJsonAsync("/api/students", body)).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }
}
