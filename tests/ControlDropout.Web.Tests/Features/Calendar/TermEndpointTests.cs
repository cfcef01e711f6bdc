using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;

namespace ControlDropout.Web.Tests.Features.Calendar;

public sealed class TermEndpointTests : IClassFixture<ServiceFactory>
{
    private static readonly int[] NoSuchWeekday = [0];

    private readonly ServiceFactory _factory;

    public TermEndpointTests(ServiceFactory factory) => _factory = factory;

    [Fact]
    public async Task An_approver_creates_a_term_and_reads_its_teaching_weeks_with_unpublished_years_flagged()
    {
        var county = await _factory.LincangAsync();
        var approver = await county.As("approver");

        var created = await approver.PostAsJsonAsync("/api/terms", new { name = "2026年秋季学期", firstDay = "2026-09-01", lastDay = "2027-01-22" });
        created.StatusCode.Should().Be(HttpStatusCode.Created);
        var id = (await created.ReadJsonAsync()).GetProperty("id").GetGuid();

        var calendar = await approver.GetFromJsonAsync<JsonElement>($"/api/terms/{id}/calendar");
        var weeks = calendar.GetProperty("weeks").EnumerateArray().ToDictionary(w => w.GetProperty("week").GetString()!);
        weeks["2026-W38"].GetProperty("teachingDays").GetInt32().Should().Be(6);
        weeks["2027-W03"].GetProperty("unconfirmed").GetBoolean().Should().BeTrue();
        calendar.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()).Should().ContainSingle(w => w!.StartsWith("2027年节假日安排尚未发布", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_closure_makes_its_days_closed_in_the_calendar()
    {
        var county = await _factory.LincangAsync();
        var approver = await county.As("approver");

        var added = await approver.PostAsJsonAsync($"/api/terms/{county.Term}/closures", new { firstDay = "2026-09-28", lastDay = "2026-09-30", reason = "山体滑坡，道路中断" });
        added.StatusCode.Should().Be(HttpStatusCode.Created);

        var calendar = await approver.GetFromJsonAsync<JsonElement>($"/api/terms/{county.Term}/calendar");
        var w40 = calendar.GetProperty("weeks").EnumerateArray().Single(w => w.GetProperty("week").GetString() == "2026-W40");
        w40.GetProperty("exempt").GetBoolean().Should().BeTrue();
    }

    [Fact]
    public async Task Bad_terms_and_closures_are_refused_with_the_field_named_and_coordinators_cannot_create_terms()
    {
        var county = await _factory.LincangAsync();
        var approver = await county.As("approver");

        var badTerm = await approver.PostAsJsonAsync("/api/terms", new { name = "", firstDay = "2026-09-01", lastDay = "2026-08-01", teachingWeekdays = NoSuchWeekday });
        badTerm.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var errors = (await badTerm.ReadJsonAsync()).GetProperty("errors");
        errors.GetProperty("name")[0].GetString().Should().Be("请填写学期名称");
        errors.GetProperty("lastDay")[0].GetString().Should().Be("学期结束日不能早于开始日");
        errors.GetProperty("teachingWeekdays")[0].GetString().Should().NotBeEmpty();

        // The request is checked whole at the door first; the township against the county's places after.
        var badClosure = await approver.PostAsJsonAsync($"/api/terms/{county.Term}/closures", new { townshipCode = "999999999", firstDay = "2026-10-12", lastDay = "2026-10-12", reason = "" });
        (await badClosure.ReadJsonAsync()).GetProperty("errors").GetProperty("reason")[0].GetString().Should().Be("请填写停课原因");
        var unknownTownship = await approver.PostAsJsonAsync($"/api/terms/{county.Term}/closures", new { townshipCode = "999999999", firstDay = "2026-10-12", lastDay = "2026-10-12", reason = "道路中断" });
        (await unknownTownship.ReadJsonAsync()).GetProperty("errors").GetProperty("townshipCode")[0].GetString().Should().Be("本县没有乡镇代码 999999999");

        var coordinator = await county.As("coordinator");
        (await coordinator.PostAsJsonAsync("/api/terms", new { name = "x", firstDay = "2026-09-01", lastDay = "2026-12-01" })).StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }
}
