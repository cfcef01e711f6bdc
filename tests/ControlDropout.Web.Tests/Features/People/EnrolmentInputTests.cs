using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;

namespace ControlDropout.Web.Tests.Features.People;

/// <summary>
/// Issue 11: what careless or hostile clients send to the roll. Each request used to answer 500 or be
/// stored as sent; now it is a 400 naming the bad field by its JSON path, and nothing is stored.
/// </summary>
public sealed class EnrolmentInputTests : IClassFixture<ServiceFactory>
{
    private static readonly string Huge = new('长', 100_000);

    private readonly ServiceFactory _factory;

    public EnrolmentInputTests(ServiceFactory factory) => _factory = factory;

    private static JsonObject Child(TestCounty county) => new()
    {
        ["name"] = "钱某某", ["gender"] = "女", ["birthDate"] = "2016-02-10", ["disabilityCategory"] = "Intellectual", ["disabilityGrade"] = 1,
        ["schoolOfRecordId"] = county.School.Value, ["villageCode"] = county.Code + "101201", ["homeLat"] = 23.8, ["homeLon"] = 100.1,
        ["guardians"] = new JsonArray(new JsonObject { ["name"] = "钱某", ["relation"] = "母亲", ["phone"] = "13912345678" }),
        ["nationalStudentNo"] = EnrolmentTests.UniqueStudentNo(),
    };

    private static JsonObject Staff(TestCounty county) => new()
    {
        ["name"] = "孙老师", ["department"] = "Education", ["schoolId"] = county.School.Value, ["skills"] = new JsonArray("special-education"),
        ["baseName"] = "中心校", ["baseLat"] = 23.88, ["baseLon"] = 100.08, ["availability"] = new JsonArray(new JsonObject { ["day"] = 2, ["from"] = "08:00", ["to"] = "17:00" }),
        ["maxSessionsPerWeek"] = 6, ["maxAwayMinutesPerDay"] = 480, ["canTeachRemotely"] = false,
    };

    /// <summary>Each finding: a field of a valid child set to what a client sent, and the field the 400 must name.</summary>
    public static TheoryData<string, string, string> BadChildren() => new()
    {
        { "guardians", "[null]", "guardians" },
        { "guardians", """[{"phone":"13912345678"}]""", "guardians[0].name" },
        { "guardians", """[{"name":"钱某","phone":"13912345678"}]""", "guardians[0].relation" },
        { "name", JsonSerializer.Serialize(Huge), "name" },
        { "name", "\"钱\\u0000某\"", "name" },
        { "name", "\"钱\\u001b[31m某\"", "name" },
        { "disabilityCategory", "-1", "disabilityCategory" },
        { "disabilityGrade", "2147483647", "disabilityGrade" },
        { "birthDate", "\"0001-01-01\"", "birthDate" },
        { "birthDate", "\"9999-12-31\"", "birthDate" },
        { "disabilityCertificateNo", JsonSerializer.Serialize(Huge), "disabilityCertificateNo" },
        { "nationalStudentNo", "\"G\\u0001123\"", "nationalStudentNo" },
        { "ethnicity", JsonSerializer.Serialize(Huge), "ethnicity" },
        { "villageCode", "\"5309021012\\n1\"", "villageCode" },
        { "homeLat", "1e308", "homeLat" },
    };

    [Theory]
    [MemberData(nameof(BadChildren))]
    public async Task A_bad_child_is_refused_naming_the_field_and_nothing_is_stored(string field, string json, string named)
    {
        var county = await _factory.LincangAsync();
        var admin = await county.As("admin");
        var before = (await admin.GetFromJsonAsync<List<JsonElement>>("/api/students"))!.Count;
        var body = Child(county);
        body[field] = JsonNode.Parse(json);

        var response = await admin.PostAsJsonAsync("/api/students", body);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.ReadJsonAsync()).GetProperty("errors").EnumerateObject().Select(p => p.Name).Should().Contain(named);
        (await admin.GetFromJsonAsync<List<JsonElement>>("/api/students"))!.Count.Should().Be(before, "a refused child is not on the roll");
    }

    [Fact]
    public async Task The_valid_child_the_cases_start_from_is_enrolled()
    {
        var county = await _factory.LincangAsync();

        (await (await county.As("admin")).PostAsJsonAsync("/api/students", Child(county))).StatusCode.Should().Be(HttpStatusCode.Created);
    }

    [Fact]
    public async Task An_unpaired_surrogate_in_a_name_is_refused()
    {
        var county = await _factory.LincangAsync();
        var admin = await county.As("admin");
        var before = (await admin.GetFromJsonAsync<List<JsonElement>>("/api/students"))!.Count;
        var body = Child(county);
        body["name"] = "NAME";
        var json = body.ToJsonString().Replace("NAME", "\\ud800Qian", StringComparison.Ordinal);
        json.Should().Contain("\\ud800Qian");

        var response = await admin.PostAsync(new Uri("/api/students", UriKind.Relative), new StringContent(json, Encoding.UTF8, "application/json"));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.ReadJsonAsync()).GetProperty("errors").EnumerateObject().Select(p => p.Name).Should().Contain("name");
        (await admin.GetFromJsonAsync<List<JsonElement>>("/api/students"))!.Count.Should().Be(before);
    }

    public static TheoryData<string, string, string> BadStaff() => new()
    {
        { "skills", "[null]", "skills" },
        { "skills", "[\"\"]", "skills[0]" },
        { "availability", "[null]", "availability" },
        { "availability", """[{"day":2,"from":"08:00","to":"07:00"}]""", "availability[0]" },
        { "department", "-1", "department" },
        { "name", JsonSerializer.Serialize(Huge), "name" },
        { "name", "\"孙\\u0000\"", "name" },
        { "baseName", JsonSerializer.Serialize(Huge), "baseName" },
        { "maxSessionsPerWeek", "-2147483648", "maxSessionsPerWeek" },
    };

    [Theory]
    [MemberData(nameof(BadStaff))]
    public async Task A_bad_staff_member_is_refused_naming_the_field_and_nothing_is_stored(string field, string json, string named)
    {
        var county = await _factory.LincangAsync();
        var admin = await county.As("admin");
        var before = (await admin.GetFromJsonAsync<List<JsonElement>>("/api/staff"))!.Count;
        var body = Staff(county);
        body[field] = JsonNode.Parse(json);

        var response = await admin.PostAsJsonAsync("/api/staff", body);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.ReadJsonAsync()).GetProperty("errors").EnumerateObject().Select(p => p.Name).Should().Contain(named);
        (await admin.GetFromJsonAsync<List<JsonElement>>("/api/staff"))!.Count.Should().Be(before, "a refused staff member is not on the roll");
    }

    [Fact]
    public async Task The_valid_staff_member_the_cases_start_from_is_enrolled()
    {
        var county = await _factory.LincangAsync();

        (await (await county.As("admin")).PostAsJsonAsync("/api/staff", Staff(county))).StatusCode.Should().Be(HttpStatusCode.Created);
    }

    [Theory]
    [InlineData("""{"date":"0001-01-01","conclusion":"HomeTeaching"}""", "date")]
    [InlineData("""{"date":"2026-07-01","conclusion":-1}""", "conclusion")]
    [InlineData("""{"date":"2026-07-01","conclusion":99}""", "conclusion")]
    public async Task A_bad_assessment_is_refused_naming_the_field_and_nothing_is_stored(string json, string named)
    {
        var county = await _factory.LincangAsync();
        var child = await county.NewChildAsync(conclusion: null);
        var approver = await county.As("approver");

        var response = await approver.PostAsync(new Uri($"/api/students/{child}/assessments", UriKind.Relative), new StringContent(json, Encoding.UTF8, "application/json"));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.ReadJsonAsync()).GetProperty("errors").EnumerateObject().Select(p => p.Name).Should().Contain(named);
        (await approver.GetFromJsonAsync<JsonElement>($"/api/students/{child}")).GetProperty("assessments").GetArrayLength().Should().Be(0);
    }
}
