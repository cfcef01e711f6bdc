using System.Net.Http.Json;
using System.Text.Json;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Tests.Features.Coverage;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;

namespace ControlDropout.Web.Tests.Features.TeachingFile;

public sealed class TeachingFileTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;

    public TeachingFileTests(ServiceFactory factory) => _factory = factory;

    [Fact]
    public async Task A_childs_teaching_file_is_a_table_per_week_whose_planned_columns_are_the_sessions_and_delivered_columns_the_records()
    {
        var county = await _factory.LincangAsync();
        var child = (await SchedulableCounty.AddAsync(county, children: 1)).Single();
        var approver = await county.As("approver");
        var timetable = await approver.RunAndPublishAsync(county.Term);
        var session = (await approver.GetFromJsonAsync<List<JsonElement>>($"/api/timetables/{timetable}/sessions?week=2026-W37"))!.Single(s => s.GetProperty("studentId").GetGuid() == child.Value);
        var team = session.GetProperty("staffIds").EnumerateArray().Select(x => x.GetGuid()).ToArray();
        var coordinator = await county.As("coordinator");
        await TermFacts.RecordAsync(county, coordinator, new
        {
            sessionKey = session.GetProperty("sessionKey").GetString(), date = session.GetProperty("date").GetString(), start = "15:00", end = "16:20",
            staffPresent = team, place = "Home", content = "=1+1 <b>抓握</b>", goalsAddressed = new[] { "抓握" }, guardianName = "周某",
        }, session.GetProperty("sessionKey").GetString()!, missed: false);
        // Week 38: another teacher went in the team's place (代课). The visit door takes only the team, so the
        // record is stored as planned and then names the substitute, as records made before that check do.
        var next = (await approver.GetFromJsonAsync<List<JsonElement>>($"/api/timetables/{timetable}/sessions?week=2026-W38"))!.Single(s => s.GetProperty("studentId").GetGuid() == child.Value);
        await TermFacts.RecordAsync(county, coordinator, new
        {
            sessionKey = next.GetProperty("sessionKey").GetString(), date = next.GetProperty("date").GetString(), start = next.GetProperty("start").GetString()![..5], end = next.GetProperty("end").GetString()![..5],
            staffPresent = next.GetProperty("staffIds").EnumerateArray().Select(x => x.GetGuid()).ToArray(), place = "Home", content = "认知卡片", goalsAddressed = new[] { "认知" }, guardianName = "周某",
        }, next.GetProperty("sessionKey").GetString()!, missed: false);
        using (var scope = _factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var stored = await db.Visits.SingleAsync(v => v.SessionKey == next.GetProperty("sessionKey").GetString());
            stored.StaffPresent = [county.Teacher.Value];
            await db.SaveChangesAsync();
        }
        // Week 39: the visit did not happen.
        var third = (await approver.GetFromJsonAsync<List<JsonElement>>($"/api/timetables/{timetable}/sessions?week=2026-W39"))!.Single(s => s.GetProperty("studentId").GetGuid() == child.Value);
        await TermFacts.RecordAsync(county, coordinator, new
        {
            sessionKey = third.GetProperty("sessionKey").GetString(), date = third.GetProperty("date").GetString(), start = third.GetProperty("start").GetString()![..5], end = third.GetProperty("end").GetString()![..5],
            place = "Home", missed = true, missedReason = "孩子住院",
        }, third.GetProperty("sessionKey").GetString()!, missed: true);

        var xlsx = await approver.GetByteArrayAsync($"/api/students/{child}/teaching-file?termId={county.Term}");
        var html = await approver.GetStringAsync($"/api/students/{child}/teaching-file?termId={county.Term}&format=html");
        var json = await TermFacts.TeachingFileAsync(county, child);

        // No separate timetable sheet that could contradict the records: the plan, a table per week, the record history.
        var sheets = new MemoryStream(xlsx).GetSheetNames();
        sheets.First().Should().Be("方案");
        sheets.Last().Should().Be("送教记录");
        sheets.Should().NotContain("课表").And.Contain(["2026-W36", "2026-W37", "2026-W38"]);
        var plan = new MemoryStream(xlsx).Query(useHeaderRow: true, sheetName: "方案").Cast<IDictionary<string, object>>().ToDictionary(r => (string)r["项目"], r => (string)r["内容"]);
        plan["方案版本"].Should().Be("第1版");
        plan["审批人"].Should().Be("approver");
        plan["审批日期"].Should().Be("2026-08-20");
        plan["生效日期"].Should().Be("2026-09-01 至 2027-01-22");
        var week37 = new MemoryStream(xlsx).Query(useHeaderRow: true, sheetName: "2026-W37").Cast<IDictionary<string, object>>().Single();
        ((string)week37["授课内容"]).Should().Be("'=1+1 <b>抓握</b>", "a cell that would be a formula is neutralised");
        ((string)week37["差异"]).Should().Be("改期", "made at another time than planned");
        ((string)week37["记录人"]).Should().Be(county.Accounts["coordinator"]);
        html.Should().Contain("送教档案").And.Contain("=1+1 &lt;b&gt;抓握&lt;/b&gt;").And.NotContain("<b>抓握</b>").And.NotContain("'=1+1");

        // The planned columns ARE the sessions in force; the delivered columns ARE the newest records.
        var sessions = await TermFacts.SessionsAsync(county, child);
        var rows = TermFacts.Rows(json).ToList();
        rows.Select(r => (r.GetProperty("sessionKey").GetString(), r.GetProperty("plannedDate").GetString(), r.GetProperty("plannedStart").GetString(), r.GetProperty("plannedEnd").GetString(),
                string.Join(",", r.GetProperty("plannedStaffIds").EnumerateArray().Select(x => x.GetGuid()))))
            .Should().Equal(sessions.Select(s => ((string?)s.SessionKey, (string?)s.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                (string?)s.Start.ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture), (string?)s.End.ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture), string.Join(",", s.StaffIds))));
        json.GetProperty("weeks").EnumerateArray().Select(w => w.GetProperty("week").GetString()).Should().OnlyHaveUniqueItems("one table per week");
        JsonElement Row(JsonElement s) => rows.Single(r => r.GetProperty("sessionKey").GetString() == s.GetProperty("sessionKey").GetString());

        var first = Row(session);
        first.GetProperty("status").GetString().Should().Be("Delivered");
        first.GetProperty("start").GetString().Should().Be("15:00:00", "the delivered columns are the record's, not the plan's");
        first.GetProperty("end").GetString().Should().Be("16:20:00");
        first.GetProperty("content").GetString().Should().Be("=1+1 <b>抓握</b>");
        first.GetProperty("goalsAddressed").EnumerateArray().Select(g => g.GetString()).Should().Equal("抓握");
        first.GetProperty("recordedBy").GetString().Should().Be(county.Accounts["coordinator"]);
        first.GetProperty("staffPresent").EnumerateArray().Select(x => x.GetGuid()).Should().Equal(team);
        var substitute = Row(next);
        substitute.GetProperty("differences").EnumerateArray().Select(d => d.GetString()).Should().Equal("代课");
        substitute.GetProperty("staffPresent").EnumerateArray().Select(x => x.GetGuid()).Should().Equal(county.Teacher.Value);
        var missed = Row(third);
        missed.GetProperty("status").GetString().Should().Be("Missed");
        missed.GetProperty("statusText").GetString().Should().Be("缺课（孩子住院）");
        missed.GetProperty("differences").EnumerateArray().Select(d => d.GetString()).Should().Equal("缺课（孩子住院）");
        rows.Where(r => r.GetProperty("recordedBy").ValueKind == JsonValueKind.String).Should().HaveCount(3, "every record, and no other, fills the delivered columns");

        var trail = await (await county.As("auditor")).GetFromJsonAsync<List<JsonElement>>("/api/audit");
        trail!.Count(e => e.GetProperty("objectType").GetString() == "TeachingFile" && e.GetProperty("objectId").GetString() == child.ToString()).Should().Be(3, "every export is audited");
    }

    [Fact]
    public async Task A_plan_taking_effect_mid_term_lists_only_the_weeks_of_its_span()
    {
        var county = await _factory.LincangAsync();
        var child = (await SchedulableCounty.AddAsync(county, children: 1)).Single();
        await TermFacts.TakesEffectAsync(county, child, new DateOnly(2026, 10, 12));

        var json = await TermFacts.TeachingFileAsync(county, child);

        json.GetProperty("effectiveDates").GetString().Should().Be("2026-10-12 至 2027-01-22");
        var weeks = json.GetProperty("weeks").EnumerateArray().Select(w => w.GetProperty("week").GetString()!).ToList();
        weeks.First().Should().Be("2026-W42", "weeks before the plan took effect are not its weeks");
        json.GetProperty("weeks").EnumerateArray().Should().OnlyContain(w => w.GetProperty("coverage").GetString() != "Missed");
    }
}
