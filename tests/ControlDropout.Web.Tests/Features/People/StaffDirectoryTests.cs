using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;

namespace ControlDropout.Web.Tests.Features.People;

/// <summary>Who sees the staff list (issue 10 §3): the county's planners and inspectors; a teacher only their own record.</summary>
public sealed class StaffDirectoryTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;

    public StaffDirectoryTests(ServiceFactory factory) => _factory = factory;

    [Fact]
    public async Task A_teacher_is_refused_the_staff_list()
    {
        var county = await _factory.LincangAsync();

        var response = await (await county.As("teacher")).GetAsync("/api/staff");

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await response.Content.ReadAsStringAsync()).Should().NotContain("李老师");
    }

    [Theory]
    [InlineData("admin")]
    [InlineData("approver")]
    [InlineData("coordinator")]
    [InlineData("auditor")]
    public async Task The_county_roles_list_the_countys_staff_and_no_other(string role)
    {
        var county = await _factory.LincangAsync();
        var other = await _factory.OtherCountyAsync();

        var staff = await (await county.As(role)).GetFromJsonAsync<List<JsonElement>>("/api/staff");

        staff!.Select(s => s.GetProperty("id").GetGuid()).Should().Contain(county.Teacher.Value).And.NotContain(other.Teacher.Value);
    }

    [Fact]
    public async Task A_teacher_reads_their_own_staff_record()
    {
        var county = await _factory.LincangAsync();

        var me = await (await county.As("teacher")).GetFromJsonAsync<JsonElement>("/api/staff/me");

        me.GetProperty("id").GetGuid().Should().Be(county.Teacher.Value);
        me.GetProperty("name").GetString().Should().Be("李老师");
    }

    [Theory]
    [InlineData("approver")]
    [InlineData("coordinator")]
    public async Task A_user_without_a_staff_record_has_no_own_record(string role)
    {
        var county = await _factory.LincangAsync();

        var response = await (await county.As(role)).GetAsync("/api/staff/me");

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await response.ReadJsonAsync()).GetProperty("code").GetString().Should().Be("not_found");
    }
}
