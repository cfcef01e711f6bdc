using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ControlDropout.Web.Features.People;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;

namespace ControlDropout.Web.Tests.Features.People;

public sealed class StudentEndpointTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;

    public StudentEndpointTests(ServiceFactory factory) => _factory = factory;

    [Fact]
    public async Task Lists_and_details_mask_phones_and_certificate_numbers()
    {
        var county = await _factory.LincangAsync();
        var approver = await county.As("approver");

        var list = await approver.GetStringAsync("/api/students");
        var detail = await approver.GetStringAsync($"/api/students/{county.Eligible}");

        foreach (var body in new[] { list, detail })
        {
            body.Should().NotContain("13800001234", "phones are masked unless the role needs them");
            body.Should().Contain("138****1234");
            body.Should().NotContain("53090220150101002X41").And.Contain("530902**********2X41");
        }
    }

    [Fact]
    public async Task A_coordinator_sees_only_their_schools_children_and_a_teacher_only_those_they_teach()
    {
        var county = await _factory.LincangAsync();
        var other = await _factory.OtherCountyAsync();

        var coordinatorView = await (await county.As("coordinator")).GetFromJsonAsync<List<JsonElement>>("/api/students");
        coordinatorView!.Select(s => s.GetProperty("schoolOfRecordId").GetGuid()).Should().OnlyContain(id => id == county.School.Value);
        coordinatorView!.Select(s => s.GetProperty("id").GetGuid()).Should().NotContain(other.Eligible.Value);

        var teacherView = await (await county.As("teacher")).GetFromJsonAsync<List<JsonElement>>("/api/students");
        teacherView.Should().BeEmpty("no published timetable sends this teacher to any child yet");
    }

    [Fact]
    public async Task Registering_a_child_checks_each_field_and_names_it()
    {
        var county = await _factory.LincangAsync();
        var coordinator = await county.As("coordinator");

        var bad = await coordinator.PostAsJsonAsync("/api/students", new
        {
            name = "", gender = "x", birthDate = "2030-01-01", disabilityCategory = "Physical", disabilityGrade = 5,
            schoolOfRecordId = county.School.Value, villageCode = "110101001001", homeLat = 23.8, homeLon = 100.1,
            guardians = new[] { new { name = "张某", relation = "母亲", phone = "12345" } },
        });
        bad.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var errors = (await bad.ReadJsonAsync()).GetProperty("errors");
        errors.EnumerateObject().Select(p => p.Name).Should().BeEquivalentTo("name", "gender", "birthDate", "disabilityGrade", "idCardNo", "villageCode", "guardians[0].phone");

        var good = await coordinator.PostAsJsonAsync("/api/students", new
        {
            name = "吴某某", gender = "男", birthDate = "2016-05-04", disabilityCategory = "Intellectual", disabilityGrade = 1,
            schoolOfRecordId = county.School.Value, villageCode = "530902102201", homeLat = 23.8, homeLon = 100.1,
            guardians = new[] { new { name = "吴某", relation = "父亲", phone = "13912345678" } }, nationalStudentNo = EnrolmentTests.UniqueStudentNo(),
        });
        good.StatusCode.Should().Be(HttpStatusCode.Created);
        (await good.Content.ReadAsStringAsync()).Should().Contain("139****5678").And.NotContain("13912345678");
    }

    [Fact]
    public async Task Unmasked_reads_are_for_approvers_and_are_audited()
    {
        var county = await _factory.LincangAsync();

        (await (await county.As("coordinator")).GetAsync($"/api/students/{county.Eligible}?unmask=true")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var full = await (await county.As("approver")).GetStringAsync($"/api/students/{county.Eligible}?unmask=true");

        full.Should().Contain("13800001234").And.Contain("53090220150101002X41");
        var trail = await (await county.As("auditor")).GetFromJsonAsync<List<JsonElement>>("/api/audit");
        trail!.Should().Contain(e => e.GetProperty("action").GetString() == "read-unmasked" && e.GetProperty("objectId").GetString() == county.Eligible.ToString()
            && e.GetProperty("actor").GetString() == county.Accounts["approver"]);
    }

    [Theory]
    [InlineData("13912345678", "139****5678")]
    [InlineData("123", "***")]
    public void Masks_phones(string phone, string masked) => Masking.Phone(phone).Should().Be(masked);
}
