using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlDropout.Web.Tests.Features.Visits;

public sealed class VisitRecordTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;

    public VisitRecordTests(ServiceFactory factory) => _factory = factory;

    /// <summary>A published timetable in which the county's teacher account teaches; their sessions in date order.</summary>
    private async Task<(TestCounty County, HttpClient Teacher, List<JsonElement> Mine, List<JsonElement> Others)> PublishedAsync()
    {
        var county = await _factory.LincangAsync();
        await SchedulableCounty.AddAsync(county, children: 2);
        // Two children need rehabilitation, which only the teacher account has: their sessions are its own.
        await SchedulableCounty.AddAsync(county, children: 2, skills: ["rehabilitation"]);
        using (var scope = _factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var me = await db.Staff.SingleAsync(s => s.Id == county.Teacher);
            me.Availability = [.. Enumerable.Range(1, 5).Select(d => new WeeklyWindow { Day = d, From = new TimeOnly(8, 0), To = new TimeOnly(18, 0) })];
            me.BaseLat = 23.8868;
            me.BaseLon = 100.0925;
            // Two a week, so that the other teachers take the rest and someone else's session exists.
            me.MaxSessionsPerWeek = 2;
            me.Skills = ["special-education", "rehabilitation"];
            await db.SaveChangesAsync();
        }
        var approver = await county.As("approver");
        var timetable = await approver.RunAndPublishAsync(county.Term);
        var all = (await approver.GetFromJsonAsync<List<JsonElement>>($"/api/timetables/{timetable}/sessions"))!;
        bool Mine(JsonElement s) => s.GetProperty("staffIds").EnumerateArray().Any(x => x.GetGuid() == county.Teacher.Value);
        return (county, await county.As("teacher"), [.. all.Where(Mine)], [.. all.Where(s => !Mine(s))]);
    }

    private static string DateOf(JsonElement session) => session.GetProperty("date").GetString()!;

    /// <summary>A record of the session on its own date, or — with a reason — on another day (改期).</summary>
    private static object Body(JsonElement session, string date, string start, string end, Guid staff, string content = "练习抓握", string[]? goals = null, string? rescheduleReason = null) => new
    {
        sessionKey = session.GetProperty("sessionKey").GetString(), date, start, end, staffPresent = new[] { staff }, place = "Home",
        content, goalsAddressed = goals ?? ["能独立抓握勺子"], childResponse = "配合", guardianFeedback = "满意", guardianName = "周某", homeTask = "每天练习", rescheduleReason,
    };

    [Fact]
    public async Task Records_are_kept_once_corrected_by_version_and_flagged_when_they_look_wrong()
    {
        var (county, teacher, all, others) = await PublishedAsync();
        // From today on: a record of an earlier session would be late (补录) already.
        var sessions = all.Where(s => string.CompareOrdinal(DateOf(s), "2026-09-07") >= 0).ToList();
        sessions.Should().HaveCountGreaterThan(8);
        // The first session, then one at the other child's home, then the rest in order.
        var nearby = sessions.First(s => s.GetProperty("studentId").GetGuid() != sessions[0].GetProperty("studentId").GetGuid());
        var mine = new List<JsonElement> { sessions[0] };
        mine.AddRange(sessions.Skip(1).Where(s => !s.Equals(nearby)).Take(2));
        mine.Add(nearby);
        mine.AddRange(sessions.Skip(1).Where(s => !s.Equals(nearby)).Skip(2));
        var me = county.Teacher.Value;
        async Task<JsonElement> Post(object body, HttpStatusCode expected)
        {
            var response = await teacher.PostAsJsonAsync("/api/visits", body);
            response.StatusCode.Should().Be(expected, await response.Content.ReadAsStringAsync());
            return await response.ReadJsonAsync();
        }
        IEnumerable<string?> Flags(JsonElement visit) => visit.GetProperty("flags").EnumerateArray().Select(f => f.GetString());

        // A clean record: the plan's two 课时 of 40 minutes, content and a goal.
        var day = DateOf(mine[0]);
        var clean = await Post(Body(mine[0], day, "09:00", "10:20", me), HttpStatusCode.Created);
        Flags(clean).Should().BeEmpty();
        clean.GetProperty("recordedAt").GetDateTimeOffset().Should().Be(_factory.Clock.GetUtcNow(), "the server clock stamps the record");

        Flags(await Post(Body(mine[1], DateOf(mine[1]), "14:00", "15:20", me, content: "", goals: []), HttpStatusCode.Created)).Should().Contain("no_content");
        Flags(await Post(Body(mine[2], DateOf(mine[2]), "09:00", "09:30", me), HttpStatusCode.Created)).Should().Contain("short");
        // Moved to the clean visit's day (with a reason): starting 20 minutes before it ended, at the other child's home more than a
        // kilometre away — short of the road by more than the county's 10 minutes of tolerance (issue 12 §4; one minute after is within it).
        var moved = await Post(Body(mine[3], day, "10:00", "11:20", me, rescheduleReason: "家长要求提前"), HttpStatusCode.Created);
        Flags(moved).Should().Contain("impossible_travel");
        moved.GetProperty("flagDetails").GetProperty("impossible_travel").GetString().Should().MatchRegex("^路程约 \\d+ 分钟，两次记录时间重叠 20 分钟$");

        // Leave on a Saturday, when the teacher has no session to re-plan; a visit moved onto it is flagged.
        (await teacher.PostAsJsonAsync($"/api/staff/{me}/leave", new { firstDay = "2026-09-12", lastDay = "2026-09-12", reason = "事假" })).StatusCode.Should().Be(HttpStatusCode.Forbidden, "a teacher does not record leave");
        (await (await county.As("approver")).PostAsJsonAsync($"/api/staff/{me}/leave", new { firstDay = "2026-09-12", lastDay = "2026-09-12", reason = "事假" })).EnsureSuccessStatusCode();
        Flags(await Post(Body(mine[4], "2026-09-12", "09:00", "10:20", me, rescheduleReason: "周末补课"), HttpStatusCode.Created)).Should().Contain("during_leave").And.Contain("rescheduled");

        // Someone else's session, and the same visit twice.
        (await teacher.PostAsJsonAsync("/api/visits", Body(others[0], DateOf(others[0]), "09:00", "10:20", me))).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var twice = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => teacher.PostAsJsonAsync("/api/visits", Body(mine[5], DateOf(mine[5]), "09:00", "10:20", me))));
        twice.Select(r => r.StatusCode).Should().BeEquivalentTo([HttpStatusCode.Created, HttpStatusCode.Conflict]);
        using (var scope = _factory.Services.CreateScope())
        {
            var key = mine[5].GetProperty("sessionKey").GetString();
            (await scope.ServiceProvider.GetRequiredService<AppDbContext>().Visits.CountAsync(v => v.SessionKey == key)).Should().Be(1);
        }

        // Within 24 hours a correction edits the record; after them it is a new version with a reason.
        var id = clean.GetProperty("id").GetGuid();
        var fixedInPlace = await (await teacher.PutAsJsonAsync($"/api/visits/{id}", Body(mine[0], day, "09:00", "10:25", me))).ReadJsonAsync();
        fixedInPlace.GetProperty("version").GetInt32().Should().Be(1);
        _factory.Clock.Advance(TimeSpan.FromDays(3));
        teacher = await county.As("teacher");
        var noReason = await teacher.PutAsJsonAsync($"/api/visits/{id}", Body(mine[0], day, "09:00", "10:30", me));
        noReason.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var corrected = await (await teacher.PutAsJsonAsync($"/api/visits/{id}", new
        {
            sessionKey = "ignored", date = day, start = "09:00", end = "10:30", staffPresent = new[] { me }, place = "Home", content = "练习抓握",
            goalsAddressed = new[] { "能独立抓握勺子" }, guardianName = "周某", correctionReason = "结束时间记错",
        })).ReadJsonAsync();
        corrected.GetProperty("version").GetInt32().Should().Be(2);
        corrected.GetProperty("previousId").GetGuid().Should().Be(id);
        var history = await teacher.GetFromJsonAsync<List<JsonElement>>("/api/visits");
        history!.Single(v => v.GetProperty("id").GetGuid() == id).GetProperty("end").GetString().Should().Be("10:25", "the first version stays as it was");

        // Held (moved) on the Sunday before, recorded three and more days later: 补录.
        Flags(await Post(Body(mine[6], "2026-09-06", "09:00", "10:20", me, rescheduleReason: "提前上课"), HttpStatusCode.Created)).Should().Contain("late");
        (await (await county.As("auditor")).PostAsJsonAsync("/api/visits", Body(mine[7], DateOf(mine[7]), "09:00", "10:20", me))).StatusCode.Should().Be(HttpStatusCode.Forbidden, "auditors never write");
    }
}
