using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlDropout.Web.Tests.Features.Plans;

/// <summary>Issue 14 §7: a remote plan's (or one session's) meeting link, https only, carried into the teacher's calendar feed.</summary>
public sealed class MeetingLinkTests : IClassFixture<ServiceFactory>
{
    private const string Room = "https://meeting.example.cn/j/2026-room";
    private readonly ServiceFactory _factory;

    public MeetingLinkTests(ServiceFactory factory) => _factory = factory;

    [Theory]
    [InlineData("http://meeting.example.cn/j/1")]
    [InlineData("javascript:alert(1)")]
    [InlineData("https://")]
    public async Task A_plan_link_that_is_not_https_is_refused_naming_the_field(string link)
    {
        var county = await _factory.LincangAsync();
        var coordinator = await county.As("coordinator");

        var (response, _) = await coordinator.CreatePlanAsync(await county.NewChildAsync(), county.Term, Api.WeeklyHomePlan() with { MeetingLink = link });

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var errors = (await response.ReadJsonAsync()).GetProperty("errors");
        errors.TryGetProperty("plan.meetingLink", out var messages).Should().BeTrue(errors.GetRawText());
        messages[0].GetString().Should().Contain("https://");
    }

    [Fact]
    public async Task An_https_link_is_kept_and_shown_back_with_the_plan_and_can_be_changed_in_a_new_version()
    {
        var county = await _factory.LincangAsync();
        var coordinator = await county.As("coordinator");

        var (response, plan) = await coordinator.CreatePlanAsync(await county.NewChildAsync(), county.Term, Api.WeeklyHomePlan() with { MeetingLink = "  " + Room + " " });

        response.StatusCode.Should().Be(HttpStatusCode.Created);
        plan!.Versions[^1].Plan.MeetingLink.Should().Be(Room);
        (await coordinator.GetPlanAsync(plan.Id)).Versions[^1].Plan.MeetingLink.Should().Be(Room);
    }

    /// <summary>One remote child (with the plan's link) and one home child, both taught by the county's teacher account; the teacher's feed URL.</summary>
    private static async Task<(TestCounty County, StudentId Remote, StudentId Home, string FeedPath)> PublishedAsync(ServiceFactory factory)
    {
        var county = await factory.LincangAsync();
        await SchedulableCounty.MakeTheTeacherSchedulableAsync(county);
        var children = await SchedulableCounty.AddAsync(county, children: 2);
        using (var scope = factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var plan = await db.Plans.Include(p => p.Versions).SingleAsync(p => p.StudentId == children[0]);
            var version = plan.Versions[0];
            (version.Mode, version.HomeVisitsPerWeek, version.RemoteSessionsPerWeek, version.MeetingLink) = (TeachingMode.Remote, 0, 1, Room);
            await db.SaveChangesAsync();
        }
        await (await county.As("approver")).RunAndPublishAsync(county.Term);
        var reset = await (await county.As("admin")).PostAsync(new Uri($"/api/staff/{county.Teacher}/feed/reset", UriKind.Relative), null);
        var url = (await reset.ReadJsonAsync()).GetProperty("url").GetString()!;
        return (county, children[0], children[1], new Uri(url).PathAndQuery);
    }

    private static IEnumerable<Ical.Net.CalendarComponents.CalendarEvent> EventsOf(string ics, StudentId child, IEnumerable<JsonElement> sessions)
    {
        var uids = sessions.Where(s => s.GetProperty("studentId").GetGuid() == child.Value)
            .Select(s => s.GetProperty("sessionKey").GetString()!.Replace(':', '-') + "@controldropout").ToHashSet();
        return Ical.Net.Calendar.Load(ics)!.Events.Where(e => uids.Contains(e.Uid!));
    }

    [Fact]
    public async Task The_feed_carries_the_link_of_a_remote_session_and_none_for_a_home_visit_and_a_sessions_own_link_replaces_it()
    {
        await using var factory = new ServiceFactory();
        var (county, remote, home, feedPath) = await PublishedAsync(factory);
        var approver = await county.As("approver");
        var timetable = (await approver.GetFromJsonAsync<List<JsonElement>>($"/api/timetables?termId={county.Term}"))!.Single(t => t.GetProperty("status").GetString() == "Published");
        var sessions = (await approver.GetFromJsonAsync<List<JsonElement>>($"/api/timetables/{timetable.GetProperty("id").GetGuid()}/sessions"))!;

        var ics = await factory.CreateClient().GetStringAsync(new Uri(feedPath, UriKind.Relative));

        var remoteEvents = EventsOf(ics, remote, sessions).ToList();
        remoteEvents.Should().NotBeEmpty().And.OnlyContain(e => e.Description!.Contains("会议链接：" + Room, StringComparison.Ordinal)
            && e.Properties.Any(p => p.Name == "CONFERENCE" && (string)p.Value! == Room));
        remoteEvents.Should().OnlyContain(e => e.Url!.AbsolutePath.StartsWith("/sessions/", StringComparison.Ordinal), "the event's URL stays the session's page");
        var homeEvents = EventsOf(ics, home, sessions).ToList();
        homeEvents.Should().NotBeEmpty().And.OnlyContain(e => !e.Description!.Contains("会议链接", StringComparison.Ordinal) && !e.Properties.Any(p => p.Name == "CONFERENCE"));

        // One remote session gets its own link from the school's coordinator; the feed shows it at once.
        var session = sessions.First(s => s.GetProperty("studentId").GetGuid() == remote.Value && s.GetProperty("status").GetString() == "Scheduled");
        var key = session.GetProperty("sessionKey").GetString()!;
        var coordinator = await county.As("coordinator");
        const string Own = "https://meeting.example.cn/j/own-room";
        var set = await coordinator.PutAsJsonAsync($"/api/sessions/{Uri.EscapeDataString(key)}/meeting-link", new { link = Own });
        set.StatusCode.Should().Be(HttpStatusCode.OK);
        (await set.ReadJsonAsync()).GetProperty("meetingLink").GetString().Should().Be(Own);

        var again = await factory.CreateClient().GetStringAsync(new Uri(feedPath, UriKind.Relative));
        var changed = Ical.Net.Calendar.Load(again)!.Events.Single(e => e.Uid == key.Replace(':', '-') + "@controldropout");
        changed.Description.Should().Contain("会议链接：" + Own).And.NotContain(Room);
        changed.Sequence.Should().Be(1);
    }

    [Fact]
    public async Task A_sessions_own_link_is_refused_when_not_https_on_a_home_visit_to_a_teacher_and_to_another_county()
    {
        await using var factory = new ServiceFactory();
        var (county, remote, home, _) = await PublishedAsync(factory);
        var approver = await county.As("approver");
        var timetable = (await approver.GetFromJsonAsync<List<JsonElement>>($"/api/timetables?termId={county.Term}"))!.Single(t => t.GetProperty("status").GetString() == "Published");
        var sessions = (await approver.GetFromJsonAsync<List<JsonElement>>($"/api/timetables/{timetable.GetProperty("id").GetGuid()}/sessions"))!;
        string KeyOf(StudentId child) => Uri.EscapeDataString(sessions.First(s => s.GetProperty("studentId").GetGuid() == child.Value).GetProperty("sessionKey").GetString()!);

        var bad = await approver.PutAsJsonAsync($"/api/sessions/{KeyOf(remote)}/meeting-link", new { link = "javascript:alert(1)" });
        bad.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await bad.ReadJsonAsync()).GetProperty("errors").TryGetProperty("link", out _).Should().BeTrue();

        var homeVisit = await approver.PutAsJsonAsync($"/api/sessions/{KeyOf(home)}/meeting-link", new { link = Room });
        homeVisit.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await homeVisit.ReadJsonAsync()).GetProperty("code").GetString().Should().Be("not_remote");

        (await (await county.As("teacher")).PutAsJsonAsync($"/api/sessions/{KeyOf(remote)}/meeting-link", new { link = Room })).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var other = await (await factory.OtherCountyAsync()).As("approver");
        (await other.PutAsJsonAsync($"/api/sessions/{KeyOf(remote)}/meeting-link", new { link = Room })).StatusCode.Should().Be(HttpStatusCode.NotFound);

        // Empty clears the session's own link back to the plan's.
        var cleared = await approver.PutAsJsonAsync($"/api/sessions/{KeyOf(remote)}/meeting-link", new { link = "" });
        cleared.StatusCode.Should().Be(HttpStatusCode.OK);
        (await cleared.ReadJsonAsync()).GetProperty("meetingLink").ValueKind.Should().Be(JsonValueKind.Null);

        // Each change is on the audit trail, as an event on the child, without the link itself.
        var trail = (await (await county.As("auditor")).GetFromJsonAsync<List<JsonElement>>("/api/audit"))!
            .Where(r => r.GetProperty("action").GetString() == "set-meeting-link").ToList();
        trail.Should().NotBeEmpty().And.OnlyContain(r => r.GetProperty("objectId").GetString() == remote.ToString());
        trail.Select(r => r.GetProperty("summary").GetString()).Should().NotContain(s => s!.Contains("https", StringComparison.Ordinal));

        // Once the session has ended, its event is the record of what happened: the link is not rewritten.
        factory.Clock.SetUtcNow(new DateTimeOffset(2027, 3, 1, 0, 0, 0, TimeSpan.Zero));
        var over = await (await county.As("approver")).PutAsJsonAsync($"/api/sessions/{KeyOf(remote)}/meeting-link", new { link = Room });
        over.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await over.ReadJsonAsync()).GetProperty("code").GetString().Should().Be("session_over");
    }

    private static Dictionary<string, string> EditorForm(TestCounty county, string token, string link)
    {
        var form = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["Form.TermId"] = county.Term.Value.ToString(), ["Form.CoursePlan"] = "远程康复训练",
            ["Form.Content"] = "视频指导家长练习抓握", ["Form.Goals"] = "能独立抓握勺子", ["Form.Mode"] = "Mixed", ["Form.HomeVisitsPerWeek"] = "1",
            ["Form.RemoteSessionsPerWeek"] = "1", ["Form.LessonsPerVisit"] = "2", ["Form.TeamSize"] = "1", ["Form.RequiredSkills"] = "special-education",
            ["Form.MeetingLink"] = link,
        };
        for (var d = 0; d < 7; d++)
        {
            (form[$"Form.Days[{d}].On"], form[$"Form.Days[{d}].From"], form[$"Form.Days[{d}].To"]) = (d < 5 ? "true" : "false", "09:00", "16:30");
        }
        return form;
    }

    [Fact]
    public async Task The_plan_editor_has_a_meeting_link_field_that_refuses_a_script_beside_the_field_and_keeps_an_https_link()
    {
        var county = await _factory.LincangAsync();
        var child = await county.NewChildAsync();
        var page = await PageBrowser.SignedInAsync(_factory, county, "coordinator");
        var url = new Uri($"/plans/edit?student={child}", UriKind.Relative);
        var html = await page.GetStringAsync(url);
        html.Should().Contain("name=\"Form.MeetingLink\"").And.Contain("会议链接");

        var refused = await page.PostAsync(url, new FormUrlEncodedContent(EditorForm(county, PageBrowser.TokenIn(html), "javascript:alert(1)")));
        refused.StatusCode.Should().Be(HttpStatusCode.OK);
        var answer = await refused.Content.ReadAsStringAsync();
        answer.Should().MatchRegex("id=\"MeetingLink-error\" class=\"error-text\">[^<]*https://");

        var saved = await page.PostAsync(url, new FormUrlEncodedContent(EditorForm(county, PageBrowser.TokenIn(answer), Room)));
        saved.StatusCode.Should().Be(HttpStatusCode.Redirect);
        var planId = Guid.Parse(saved.Headers.Location!.ToString().Split('/')[^1]);
        (await (await county.As("coordinator")).GetPlanAsync(planId)).Versions[^1].Plan.MeetingLink.Should().Be(Room);
        // The plan's page shows the link it keeps, as a link.
        (await page.GetStringAsync(new Uri($"/plans/{planId}", UriKind.Relative))).Should().Contain("会议链接").And.Contain($"href=\"{Room}\"");
    }
}
