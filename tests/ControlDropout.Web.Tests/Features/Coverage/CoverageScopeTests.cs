using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ControlDropout.Web.Tests.Features.Visits;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;

namespace ControlDropout.Web.Tests.Features.Coverage;

/// <summary>Who reads weekly coverage (issue 10 §3): the county's roles the county, a coordinator their school, a teacher nothing.</summary>
public sealed class CoverageScopeTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;

    public CoverageScopeTests(ServiceFactory factory) => _factory = factory;

    [Fact]
    public async Task A_coordinator_sees_coverage_only_for_children_of_their_school_and_a_teacher_none()
    {
        var records = await RecordsCounty.SeedAsync(_factory);
        var term = records.County.Term;
        async Task<List<Guid>> ChildrenAsync(string role, string path)
        {
            var body = await (await records.County.As(role)).GetFromJsonAsync<JsonElement>(path);
            return [.. body.GetProperty(path.Contains("matrix", StringComparison.Ordinal) ? "children" : "rows").EnumerateArray().Select(r => r.GetProperty("studentId").GetGuid())];
        }

        foreach (var path in new[] { $"/api/coverage?termId={term}&week=2026-W37", $"/api/coverage/matrix?termId={term}" })
        {
            (await ChildrenAsync("coordinator", path)).Should().Contain(records.Ours.Value).And.NotContain(records.Theirs.Value, $"{path}: another school's child");
            (await ChildrenAsync("auditor", path)).Should().Contain([records.Ours.Value, records.Theirs.Value], $"{path}: an auditor reads the county");
            var teacher = await (await records.County.As("teacher")).GetAsync(new Uri(path, UriKind.Relative));
            teacher.StatusCode.Should().Be(HttpStatusCode.Forbidden, $"{path}: coverage is not a teacher's to read");
        }
        var week = await (await records.County.As("coordinator")).GetFromJsonAsync<JsonElement>($"/api/coverage?termId={term}&week=2026-W37");
        week.GetProperty("bySchool").EnumerateArray().Select(r => r.GetProperty("key").GetString()).Should().Equal(records.County.School.ToString());
    }

    [Fact]
    public async Task A_bad_week_is_a_validation_problem_and_another_countys_term_is_not_found()
    {
        var county = await _factory.LincangAsync();
        var other = await _factory.OtherCountyAsync();
        var auditor = await county.As("auditor");
        var bad = await auditor.GetAsync(new Uri($"/api/coverage?termId={county.Term}&week=37", UriKind.Relative));
        bad.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await bad.ReadJsonAsync()).GetProperty("errors").EnumerateObject().Select(p => p.Name).Should().Equal("week");
        (await auditor.GetAsync(new Uri($"/api/coverage/matrix?termId={other.Term}", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }
}
