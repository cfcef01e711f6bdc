using System.Net.Http.Json;
using System.Text.Json;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;

namespace ControlDropout.Web.Tests.Features.Coverage;

public sealed class CoverageTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;

    public CoverageTests(ServiceFactory factory) => _factory = factory;

    [Fact]
    public async Task Weekly_coverage_shows_met_at_risk_unscheduled_missed_and_exempt_weeks()
    {
        var county = await _factory.LincangAsync();
        var children = await SchedulableCounty.AddAsync(county, children: 3);
        var approver = await county.As("approver");
        // A landslide closes the county for what is left of National Day week 40 (28–30 September).
        (await approver.PostAsJsonAsync($"/api/terms/{county.Term}/closures", new { firstDay = "2026-09-28", lastDay = "2026-09-30", reason = "山体滑坡" })).EnsureSuccessStatusCode();
        var timetable = await approver.RunAndPublishAsync(county.Term);
        var sessions = (await approver.GetFromJsonAsync<List<JsonElement>>($"/api/timetables/{timetable}/sessions?week=2026-W37"))!;
        JsonElement SessionOf(Guid child) => sessions.Single(s => s.GetProperty("studentId").GetGuid() == child);

        var coordinator = await county.As("coordinator");
        var delivered = SessionOf(children[0].Value);
        await TermFacts.RecordAsync(county, coordinator, new
        {
            sessionKey = delivered.GetProperty("sessionKey").GetString(), date = delivered.GetProperty("date").GetString(), start = "09:00", end = "10:20",
            staffPresent = delivered.GetProperty("staffIds").EnumerateArray().Select(x => x.GetGuid()).ToArray(), place = "Home", content = "抓握练习", goalsAddressed = new[] { "抓握" }, guardianName = "周某",
        }, delivered.GetProperty("sessionKey").GetString()!, missed: false);
        var missed = SessionOf(children[1].Value);
        await TermFacts.RecordAsync(county, coordinator, new
        {
            sessionKey = missed.GetProperty("sessionKey").GetString(), date = missed.GetProperty("date").GetString(), start = "09:00", end = "10:20",
            place = "Home", missed = true, missedReason = "孩子住院", makeUpDate = "2026-09-15",
        }, missed.GetProperty("sessionKey").GetString()!, missed: true);
        async Task<Dictionary<Guid, string>> StatusesAsync(string week)
        {
            // A fresh login each time: tokens expire on the fake clock too.
            var coverage = await (await county.As("auditor")).GetFromJsonAsync<JsonElement>($"/api/coverage?termId={county.Term}&week={week}");
            return coverage.GetProperty("rows").EnumerateArray().ToDictionary(r => r.GetProperty("studentId").GetGuid(), r => r.GetProperty("status").GetString()!);
        }

        var running = await StatusesAsync("2026-W37");
        running[children[0].Value].Should().Be("Met");
        running[children[1].Value].Should().Be("Unscheduled", "the week is still running, but its one session was missed and nothing left would meet it");
        running[children[2].Value].Should().Be("AtRisk");

        _factory.Clock.Advance(TimeSpan.FromDays(7));
        var over = await StatusesAsync("2026-W37");
        over[children[0].Value].Should().Be("Met");
        over[children[1].Value].Should().Be("Missed", "a missed visit is not delivered");
        over[children[2].Value].Should().Be("Missed", "名在人不在: scheduled, never recorded");

        var holiday = await StatusesAsync("2026-W40");
        holiday.Values.Should().OnlyContain(s => s == "Exempt");
        var county37 = await (await county.As("auditor")).GetFromJsonAsync<JsonElement>($"/api/coverage?termId={county.Term}&week=2026-W37");
        county37.GetProperty("county").GetProperty("missed").GetInt32().Should().Be(2);
        county37.GetProperty("byStaff").GetArrayLength().Should().BePositive();

        // The term matrix: children × weeks, one status a cell.
        var matrix = await (await county.As("auditor")).GetFromJsonAsync<JsonElement>($"/api/coverage/matrix?termId={county.Term}");
        var weeks = matrix.GetProperty("weeks").EnumerateArray().Select(w => w.GetString()).ToList();
        var row = matrix.GetProperty("children").EnumerateArray().Single(c => c.GetProperty("studentId").GetGuid() == children[1].Value);
        row.GetProperty("statuses")[weeks.IndexOf("2026-W37")].GetString().Should().Be("Missed");
        row.GetProperty("statuses")[weeks.IndexOf("2026-W40")].GetString().Should().Be("Exempt");

        // The matrix is read once for the whole term; each of its columns is the weekly answer.
        foreach (var week in weeks.Take(8))
        {
            var weekly = await StatusesAsync(week!);
            foreach (var child in matrix.GetProperty("children").EnumerateArray())
            {
                var status = child.GetProperty("statuses")[weeks.IndexOf(week)].GetString();
                status.Should().Be(weekly.GetValueOrDefault(child.GetProperty("studentId").GetGuid(), "Exempt"), $"the matrix agrees with the weekly coverage of {week}");
            }
        }
    }
}
