using System.Text.Json;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Tests.Features.Coverage;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlDropout.Web.Tests.Features.Reports;

/// <summary>
/// Issue 14 §2: the monthly report's numbers are a recount of what the test made — the sessions of the published
/// timetable, the visits recorded through the API (one delivered on time, one missed, one delivered and recorded
/// late), the weeks as the coverage matrix states them and the flags as the visit list states them — for the
/// county, a township and a 残疾类别.
/// </summary>
public sealed class MonthlyReportTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;

    public MonthlyReportTests(ServiceFactory factory) => _factory = factory;

    [Fact]
    public async Task The_months_numbers_equal_a_recount_of_the_sessions_and_visit_records_for_the_county_a_township_and_a_category()
    {
        var county = await _factory.LincangAsync();
        var children = await SchedulableCounty.AddAsync(county, children: 3);
        // The third child lives in 博尚镇 (the others in 南美乡) and is 视力 (the others 肢体).
        await ReportFacts.MoveAsync(county, children[2], county.Code + "101201", DisabilityCategory.Visual);
        await (await county.As("approver")).RunAndPublishAsync(county.Term);
        var september = new Dictionary<StudentId, List<TimetableSession>>();
        foreach (var child in children)
        {
            september[child] = [.. (await TermFacts.SessionsAsync(county, child)).Where(s => s.Date.Month == 9 && s.Status != SessionStatus.Cancelled)];
            september[child].Should().NotBeEmpty("the run schedules each child in September");
        }
        // In date order, since the clock only moves forward: the first two recorded an hour after the session, the third three days late (补录).
        (TimetableSession Session, bool Missed, bool Late)[] visitsMade = [(september[children[0]][0], false, false), (september[children[1]][0], true, false), (september[children[2]][0], false, true)];
        var chosen = visitsMade
            .OrderBy(x => ReportFacts.EndOf(x.Session)).ToList();
        foreach (var (session, missed, late) in chosen)
        {
            var at = ReportFacts.EndOf(session).AddHours(late ? 72 : 1);
            if (at > _factory.Clock.GetUtcNow())
            {
                _factory.Clock.SetUtcNow(at);
            }
            await ReportFacts.RecordAsync(county, session, missed);
        }
        // A month later every September session is past its grace period: recorded, or missed for want of a record.
        _factory.Clock.SetUtcNow(new DateTimeOffset(2026, 10, 10, 1, 0, 0, TimeSpan.Zero));

        var report = await ReportFacts.ReadAsync<JsonElement>(county, "approver", "/api/reports/monthly?month=2026-09");

        report.GetProperty("firstDay").GetString().Should().Be("2026-09-01");
        report.GetProperty("lastDay").GetString().Should().Be("2026-09-30");
        report.GetProperty("unit").GetString().Should().Be("临翔区");
        report.GetProperty("issuedOn").GetString().Should().Be("2026-10-10");
        report.GetProperty("title").GetString().Should().Contain("2026年9月").And.Contain("月报");

        // The recount: the stored sessions and visit records of the children of each group.
        var matrix = await TermFacts.MatrixAsync(county);
        string[] septemberWeeks = ["2026-W36", "2026-W37", "2026-W38", "2026-W39"];
        var visits = await ReportFacts.ReadAsync<List<JsonElement>>(county, "approver", "/api/visits?from=2026-09-01&to=2026-09-30");
        var newest = visits.GroupBy(v => v.GetProperty("sessionKey").GetString()).Select(g => g.OrderByDescending(v => v.GetProperty("version").GetInt32()).First()).ToList();
        object Recount(IEnumerable<StudentId> group)
        {
            var ids = group.ToList();
            var sessions = ids.SelectMany(id => september[id]).ToList();
            var records = newest.Where(v => ids.Contains(new StudentId(v.GetProperty("studentId").GetGuid()))).ToList();
            var deliveredRecords = records.Where(v => !v.GetProperty("missed").GetBoolean() && sessions.Any(s => s.SessionKey == v.GetProperty("sessionKey").GetString())).ToList();
            static int Minutes(JsonElement v) => (int)(TimeOnly.Parse(v.GetProperty("end").GetString()!, System.Globalization.CultureInfo.InvariantCulture)
                - TimeOnly.Parse(v.GetProperty("start").GetString()!, System.Globalization.CultureInfo.InvariantCulture)).TotalMinutes;
            var weeks = ids.SelectMany(id => septemberWeeks.Select(w => matrix[id.Value][w])).Where(s => s is "Met" or "Missed").ToList();
            return new
            {
                Children = ids.Count, Planned = sessions.Count, Delivered = deliveredRecords.Count, Missed = sessions.Count - deliveredRecords.Count, Upcoming = 0,
                Lessons = deliveredRecords.Sum(v => (int)Math.Round(Minutes(v) / 40.0, MidpointRounding.AwayFromZero)),
                WeeksRequired = weeks.Count, WeeksMet = weeks.Count(s => s == "Met"),
                Flagged = records.Count(v => v.GetProperty("flags").GetArrayLength() > 0),
                StaffHours = Math.Round(deliveredRecords.Sum(v => Minutes(v) * Math.Max(1, v.GetProperty("staffPresent").GetArrayLength())) / 60.0, 1),
            };
        }
        static object Stated(JsonElement row) => new
        {
            Children = row.GetProperty("children").GetInt32(), Planned = row.GetProperty("planned").GetInt32(), Delivered = row.GetProperty("delivered").GetInt32(),
            Missed = row.GetProperty("missed").GetInt32(), Upcoming = row.GetProperty("upcoming").GetInt32(), Lessons = row.GetProperty("lessons").GetInt32(),
            WeeksRequired = row.GetProperty("weeksRequired").GetInt32(), WeeksMet = row.GetProperty("weeksMet").GetInt32(),
            Flagged = row.GetProperty("flagged").GetInt32(), StaffHours = row.GetProperty("staffHours").GetDouble(),
        };

        var total = report.GetProperty("county");
        Stated(total).Should().BeEquivalentTo(Recount(children), "the county's total is the recount of every child");
        total.GetProperty("delivered").GetInt32().Should().Be(2);
        total.GetProperty("lessons").GetInt32().Should().BePositive();
        total.GetProperty("flagged").GetInt32().Should().BePositive("the record made three days late is flagged 补录");
        total.GetProperty("coverageRate").GetDouble().Should().BeApproximately((double)total.GetProperty("weeksMet").GetInt32() / total.GetProperty("weeksRequired").GetInt32(), 0.0001);

        var townships = report.GetProperty("byTownship").EnumerateArray().ToDictionary(r => r.GetProperty("key").GetString()!);
        Stated(townships[county.Code + "101"]).Should().BeEquivalentTo(Recount([children[2]]), "博尚镇 is the third child");
        Stated(townships[county.Code + "102"]).Should().BeEquivalentTo(Recount([children[0], children[1]]), "南美乡 is the other two");
        townships[county.Code + "101"].GetProperty("name").GetString().Should().Be("博尚镇");
        var categories = report.GetProperty("byCategory").EnumerateArray().ToDictionary(r => r.GetProperty("key").GetString()!);
        Stated(categories["Visual"]).Should().BeEquivalentTo(Recount([children[2]]));
        Stated(categories["Physical"]).Should().BeEquivalentTo(Recount([children[0], children[1]]));
        categories["Visual"].GetProperty("name").GetString().Should().Be("视力残疾");

        // Flags as the visit list states them, by code.
        var flags = report.GetProperty("flags").EnumerateArray().ToDictionary(f => f.GetProperty("code").GetString()!, f => f.GetProperty("records").GetInt32());
        flags.Should().BeEquivalentTo(newest.SelectMany(v => v.GetProperty("flags").EnumerateArray().Select(f => f.GetString()!).Distinct())
            .GroupBy(f => f).ToDictionary(g => g.Key, g => g.Count()));
        flags.Should().ContainKey("late");

        // Staff hours summed per person, and the timetable's roads of their September sessions.
        var staff = report.GetProperty("staff").EnumerateArray().ToList();
        staff.Sum(s => s.GetProperty("delivered").GetInt32()).Should().Be(newest.Where(v => !v.GetProperty("missed").GetBoolean()).Sum(v => v.GetProperty("staffPresent").GetArrayLength()));
        report.GetProperty("travelMinutes").GetInt32().Should().BePositive("home visits take the road");

        // Month over month: August is before the term, all zeros.
        var previous = report.GetProperty("previousMonth");
        previous.GetProperty("planned").GetInt32().Should().Be(0);
        previous.GetProperty("children").GetInt32().Should().Be(0);
        // The trend by teaching week adds up to the month.
        report.GetProperty("trend").EnumerateArray().Sum(w => w.GetProperty("delivered").GetInt32()).Should().Be(total.GetProperty("delivered").GetInt32());

        // October's report has September beside it.
        var october = await ReportFacts.ReadAsync<JsonElement>(county, "auditor", "/api/reports/monthly?month=2026-10");
        Stated(october.GetProperty("previousMonth")).Should().BeEquivalentTo(Stated(total));

        // The same numbers in the term report's weeks: September's weeks there are September's here.
        var term = await ReportFacts.ReadAsync<JsonElement>(county, "approver", $"/api/reports/term?termId={county.Term}");
        term.GetProperty("trend").EnumerateArray().Where(w => septemberWeeks.Contains(w.GetProperty("week").GetString()))
            .Sum(w => w.GetProperty("weeksMet").GetInt32()).Should().Be(total.GetProperty("weeksMet").GetInt32());
    }

    [Fact]
    public async Task A_month_outside_every_term_is_a_report_of_zeros_with_a_note()
    {
        var county = await _factory.LincangAsync();

        var response = await ReportFacts.GetAsync(county, "approver", "/api/reports/monthly?month=2030-02");

        response.StatusCode.Should().Be(System.Net.HttpStatusCode.OK);
        var report = await response.ReadJsonAsync();
        report.GetProperty("note").GetString().Should().Contain("不在任何学期");
        report.GetProperty("terms").GetArrayLength().Should().Be(0);
        report.GetProperty("county").GetProperty("planned").GetInt32().Should().Be(0);
        report.GetProperty("county").GetProperty("coverageRate").ValueKind.Should().Be(JsonValueKind.Null);
    }
}
