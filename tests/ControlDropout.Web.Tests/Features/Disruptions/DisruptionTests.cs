using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;

namespace ControlDropout.Web.Tests.Features.Disruptions;

public sealed class DisruptionTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;

    public DisruptionTests(ServiceFactory factory) => _factory = factory;

    private static async Task<List<JsonElement>> SessionsAsync(HttpClient client, Guid timetable) =>
        (await client.GetFromJsonAsync<List<JsonElement>>($"/api/timetables/{timetable}/sessions"))!;

    private static string Slot(JsonElement s) =>
        $"{s.GetProperty("date").GetString()} {s.GetProperty("start").GetString()} {string.Join(",", s.GetProperty("staffIds").EnumerateArray().Select(x => x.GetGuid()).Order())}";

    [Fact]
    public async Task Three_days_of_leave_re_plan_the_teachers_week_and_keep_every_child_covered()
    {
        var county = await _factory.LincangAsync();
        var children = await SchedulableCounty.AddAsync(county, children: 6);
        var approver = await county.As("approver");
        var before = await approver.RunAndPublishAsync(county.Term);
        var old = await SessionsAsync(approver, before);
        // The teacher with the most sessions on one day of week 45 takes three days off from that day.
        var (busiest, firstDay) = old.Where(s => s.GetProperty("week").GetString() == "2026-W45")
            .SelectMany(s => s.GetProperty("staffIds").EnumerateArray().Select(x => (Staff: x.GetGuid(), Date: DateOnly.Parse(s.GetProperty("date").GetString()!, System.Globalization.CultureInfo.InvariantCulture))))
            .GroupBy(x => x).OrderByDescending(g => g.Count()).ThenBy(g => g.Key.Date).First().Key;
        var leaveDays = new[] { firstDay, firstDay.AddDays(1), firstDay.AddDays(2) };

        var response = await approver.PostAsJsonAsync($"/api/staff/{busiest}/leave", new { firstDay = leaveDays[0].ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), lastDay = leaveDays[2].ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), reason = "病假" });

        response.StatusCode.Should().Be(HttpStatusCode.Created);
        var replan = (await response.ReadJsonAsync()).GetProperty("replan");
        replan.GetProperty("allCovered").GetBoolean().Should().BeTrue();
        var after = replan.GetProperty("timetableId").GetGuid();
        after.Should().NotBe(before);
        var fresh = await SessionsAsync(approver, after);

        // Nobody is sent to the teacher on leave, and every child still has its session that week.
        fresh.Where(s => leaveDays.Contains(DateOnly.Parse(s.GetProperty("date").GetString()!, System.Globalization.CultureInfo.InvariantCulture)))
            .Should().NotContain(s => s.GetProperty("staffIds").EnumerateArray().Any(x => x.GetGuid() == busiest));
        foreach (var child in children)
        {
            fresh.Count(s => s.GetProperty("week").GetString() == "2026-W45" && s.GetProperty("studentId").GetGuid() == child.Value).Should().Be(1);
        }
        // What the leave did not touch stays as it was.
        var touched = replan.GetProperty("moved").EnumerateArray().Select(m => m.GetProperty("sessionKey").GetString()).ToHashSet();
        touched.Should().NotBeEmpty();
        var oldByKey = old.ToDictionary(s => s.GetProperty("sessionKey").GetString()!);
        var unaffected = fresh.Where(s => !touched.Contains(s.GetProperty("sessionKey").GetString())).ToList();
        var unchanged = unaffected.Count(s => oldByKey.TryGetValue(s.GetProperty("sessionKey").GetString()!, out var o) && Slot(o) == Slot(s));
        ((double)unchanged / unaffected.Count).Should().BeGreaterThanOrEqualTo(0.9);
        fresh.Should().HaveCount(old.Count);

        var history = await approver.GetFromJsonAsync<JsonElement>($"/api/timetables/{before}");
        history.GetProperty("status").GetString().Should().Be("Superseded");

        // The calendar of whoever now teaches a moved session shows it under the same UID, one SEQUENCE higher.
        var first = replan.GetProperty("moved")[0];
        var newTeacher = first.GetProperty("toStaff")[0].GetGuid();
        var feedUrl = (await (await (await county.As("admin")).PostAsync($"/api/staff/{newTeacher}/feed/reset", null)).ReadJsonAsync()).GetProperty("url").GetString()!;
        var feed = Ical.Net.Calendar.Load(await _factory.CreateClient().GetStringAsync(new Uri(feedUrl).PathAndQuery))!;
        var moved = feed.Events.Single(e => e.Uid == first.GetProperty("sessionKey").GetString()!.Replace(':', '-') + "@controldropout");
        moved.Sequence.Should().Be(1);
    }

    [Fact]
    public async Task Leave_recorded_after_it_began_moves_only_sessions_from_tomorrow_and_the_past_stays_as_taught()
    {
        var county = await _factory.OtherCountyAsync();
        await SchedulableCounty.AddAsync(county, children: 4);
        var approver = await county.As("approver");
        var before = await approver.RunAndPublishAsync(county.Term);
        // Sick since last Wednesday, recorded on Monday: the leave runs from five days ago to the end of next week.
        var today = DateOnly.FromDateTime(_factory.Clock.GetUtcNow().UtcDateTime.AddHours(8)).AddDays(14);
        _factory.Clock.SetUtcNow(new DateTimeOffset(today.ToDateTime(new TimeOnly(1, 0)), TimeSpan.Zero));
        approver = await county.As("approver");
        var old = await SessionsAsync(approver, before);
        var teacher = old.SelectMany(s => s.GetProperty("staffIds").EnumerateArray().Select(x => x.GetGuid())).GroupBy(x => x).OrderByDescending(g => g.Count()).First().Key;
        var firstDay = today.AddDays(-5);
        var lastDay = today.AddDays(11);
        static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        static DateOnly DateOf(JsonElement s) => DateOnly.Parse(s.GetProperty("date").GetString()!, System.Globalization.CultureInfo.InvariantCulture);

        var response = await approver.PostAsJsonAsync($"/api/staff/{teacher}/leave", new { firstDay = Day(firstDay), lastDay = Day(lastDay), reason = "病假" });

        response.StatusCode.Should().Be(HttpStatusCode.Created);
        var replan = (await response.ReadJsonAsync()).GetProperty("replan");
        replan.GetProperty("moved").EnumerateArray().Should().NotBeEmpty().And.OnlyContain(m => DateOnly.Parse(m.GetProperty("fromDate").GetString()!, System.Globalization.CultureInfo.InvariantCulture) > today);
        var after = replan.GetProperty("timetableId").GetGuid();
        var fresh = await SessionsAsync(approver, after);
        // Up to today every session is what it was: the days of leave already past are recorded as they went.
        static string Answer(JsonElement s) => string.Join("|", s.EnumerateObject().Where(p => p.Name != "id").Select(p => $"{p.Name}={p.Value.GetRawText()}"));
        fresh.Where(s => DateOf(s) <= today).Select(Answer).Should().Equal(old.Where(s => DateOf(s) <= today).Select(Answer));
        // From tomorrow to the last day of leave nobody is sent to the teacher on leave.
        fresh.Where(s => DateOf(s) > today && DateOf(s) <= lastDay && s.GetProperty("status").GetString() != "Cancelled")
            .Should().NotContain(s => s.GetProperty("staffIds").EnumerateArray().Any(x => x.GetGuid() == teacher));
    }
}
