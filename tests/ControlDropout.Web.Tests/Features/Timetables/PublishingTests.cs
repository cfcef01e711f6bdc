using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlDropout.Web.Tests.Features.Timetables;

/// <summary>Publishing a new version replaces only the future: the past stays as it was published and taught.</summary>
public sealed class PublishingTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;

    public PublishingTests(ServiceFactory factory) => _factory = factory;

    private static DateOnly DateOf(JsonElement s) => DateOnly.Parse(s.GetProperty("date").GetString()!, CultureInfo.InvariantCulture);

    private static async Task<List<JsonElement>> SessionsAsync(HttpClient client, Guid timetable) =>
        (await client.GetFromJsonAsync<List<JsonElement>>($"/api/timetables/{timetable}/sessions"))!;

    /// <summary>A session as an inspector reads it, without the storage row of the version that holds it.</summary>
    private static string Answer(JsonElement s) =>
        string.Join("|", s.EnumerateObject().Where(p => p.Name != "id").Select(p => $"{p.Name}={p.Value.GetRawText()}"));

    [Fact]
    public async Task A_new_version_mid_term_keeps_every_past_session_and_cancels_what_it_drops_from_its_effective_day()
    {
        var county = await _factory.LincangAsync();
        var children = await SchedulableCounty.AddAsync(county, children: 4);
        var approver = await county.As("approver");
        // Monday 7 September, 09:00: the first version takes effect on the next teaching day.
        var first = await approver.RunAndPublishAsync(county.Term);
        var v1 = await approver.GetFromJsonAsync<JsonElement>($"/api/timetables/{first}");
        v1.GetProperty("effectiveFrom").GetString().Should().Be("2026-09-08");
        var firstSessions = await SessionsAsync(approver, first);
        firstSessions.Should().NotBeEmpty().And.OnlyContain(s => DateOf(s) >= new DateOnly(2026, 9, 8));

        // Wednesday 14 October: one child's plan closes today, and the county runs again.
        _factory.Clock.SetUtcNow(new DateTimeOffset(2026, 10, 14, 1, 0, 0, TimeSpan.Zero));
        using (var scope = _factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var plan = await db.Plans.SingleAsync(p => p.StudentId == children[0]);
            plan.EffectiveUntil = new DateOnly(2026, 10, 14);
            await db.SaveChangesAsync();
        }
        // Five weeks on, the approver signs in again.
        approver = await county.As("approver");
        var pastBefore = (await SessionsAsync(approver, first)).Where(s => DateOf(s) < new DateOnly(2026, 10, 19)).Select(Answer).ToList();
        var draft = await approver.RunAsync(county.Term);

        var refused = await approver.PostAsJsonAsync($"/api/timetables/{draft}/publish", new { effectiveFrom = "2026-10-14" });
        refused.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await refused.ReadJsonAsync()).GetProperty("errors").TryGetProperty("effectiveFrom", out _).Should().BeTrue();

        var published = await approver.PostAsJsonAsync($"/api/timetables/{draft}/publish", new { effectiveFrom = "2026-10-19" });
        published.StatusCode.Should().Be(HttpStatusCode.OK);
        var second = await SessionsAsync(approver, draft);

        // Every answer about a day before 19 October is what it was, down to the version that made it.
        second.Where(s => DateOf(s) < new DateOnly(2026, 10, 19)).Select(Answer).Should().Equal(pastBefore);
        second.Where(s => DateOf(s) < new DateOnly(2026, 10, 19)).Should().OnlyContain(s => s.GetProperty("createdByVersion").GetGuid() == first);
        // The closed child's future sessions are sent as cancelled, with a higher sequence; nothing of theirs is scheduled after.
        var closed = second.Where(s => s.GetProperty("studentId").GetGuid() == children[0].Value && DateOf(s) >= new DateOnly(2026, 10, 19)).ToList();
        closed.Should().NotBeEmpty().And.OnlyContain(s => s.GetProperty("status").GetString() == "Cancelled");
        // The other children's future is the new version's, and none of theirs is cancelled.
        second.Where(s => s.GetProperty("studentId").GetGuid() != children[0].Value && DateOf(s) >= new DateOnly(2026, 10, 19))
            .Should().NotBeEmpty().And.OnlyContain(s => s.GetProperty("status").GetString() == "Scheduled");

        using (var scope = _factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var before = await db.Sessions.AsNoTracking().Where(s => s.TimetableId == first && s.StudentId == children[0]).ToDictionaryAsync(s => s.SessionKey);
            var after = await db.Sessions.AsNoTracking().Where(s => s.TimetableId == draft && s.StudentId == children[0] && s.Status == SessionStatus.Cancelled).ToListAsync();
            after.Should().OnlyContain(s => s.Sequence == before[s.SessionKey].Sequence + 1 && s.OriginTimetableId == draft);
        }

        // The teacher's calendar is told: the dropped sessions come as CANCELLED under their UIDs, one SEQUENCE higher.
        var dropped = closed.First();
        var teacher = dropped.GetProperty("staffIds")[0].GetGuid();
        var feedUrl = (await (await (await county.As("admin")).PostAsync(new Uri($"/api/staff/{teacher}/feed/reset", UriKind.Relative), null)).ReadJsonAsync()).GetProperty("url").GetString()!;
        var feed = Ical.Net.Calendar.Load(await _factory.CreateClient().GetStringAsync(new Uri(feedUrl).PathAndQuery))!;
        var cancelled = feed.Events.Single(e => e.Uid == dropped.GetProperty("sessionKey").GetString()!.Replace(':', '-') + "@controldropout");
        cancelled.Status.Should().Be("CANCELLED");
        cancelled.Sequence.Should().Be(1);
    }

    [Fact]
    public async Task A_run_places_a_child_only_inside_the_plans_effective_span()
    {
        var factory = _factory;
        var county = await factory.OtherCountyAsync();
        var children = await SchedulableCounty.AddAsync(county, children: 3);
        using (var scope = factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var late = await db.Plans.SingleAsync(p => p.StudentId == children[1]);
            late.EffectiveFrom = new DateOnly(2026, 11, 4);
            var early = await db.Plans.SingleAsync(p => p.StudentId == children[2]);
            early.EffectiveUntil = new DateOnly(2026, 10, 30);
            await db.SaveChangesAsync();
        }
        var approver = await county.As("approver");
        var timetable = await approver.RunAsync(county.Term);
        var sessions = await SessionsAsync(approver, timetable);

        sessions.Where(s => s.GetProperty("studentId").GetGuid() == children[1].Value).Should().NotBeEmpty()
            .And.OnlyContain(s => DateOf(s) >= new DateOnly(2026, 11, 4));
        sessions.Where(s => s.GetProperty("studentId").GetGuid() == children[2].Value).Should().NotBeEmpty()
            .And.OnlyContain(s => DateOf(s) <= new DateOnly(2026, 10, 30));
        // Nothing before the day of the run: a run never proposes the past.
        var today = DateOnly.FromDateTime(factory.Clock.GetUtcNow().UtcDateTime.AddHours(8));
        sessions.Should().OnlyContain(s => DateOf(s) >= today);
    }

    [Fact]
    public async Task Closing_a_plan_cancels_the_childs_sessions_from_tomorrow_in_a_new_version_and_keeps_the_past()
    {
        await using var factory = new ServiceFactory();
        var county = await factory.LincangAsync();
        var children = await SchedulableCounty.AddAsync(county, children: 3);
        var first = await (await county.As("approver")).RunAndPublishAsync(county.Term);
        // Two weeks on, the child moves away and the approver closes the plan.
        factory.Clock.SetUtcNow(new DateTimeOffset(2026, 9, 21, 1, 0, 0, TimeSpan.Zero));
        var approver = await county.As("approver");
        var before = (await SessionsAsync(approver, first)).Where(s => DateOf(s) <= new DateOnly(2026, 9, 21)).Select(Answer).ToList();
        Guid planId;
        using (var scope = factory.Services.CreateScope())
        {
            planId = (await scope.ServiceProvider.GetRequiredService<AppDbContext>().Plans.SingleAsync(p => p.StudentId == children[0])).Id.Value;
        }

        (await approver.ActAsync(await approver.GetPlanAsync(planId), "close")).StatusCode.Should().Be(HttpStatusCode.OK);

        var timetables = (await approver.GetFromJsonAsync<List<JsonElement>>($"/api/timetables?termId={county.Term}"))!;
        var current = timetables.Single(t => t.GetProperty("status").GetString() == "Published");
        current.GetProperty("previousId").GetGuid().Should().Be(first);
        var after = await SessionsAsync(approver, current.GetProperty("id").GetGuid());
        after.Where(s => DateOf(s) <= new DateOnly(2026, 9, 21)).Select(Answer).Should().Equal(before);
        after.Where(s => s.GetProperty("studentId").GetGuid() == children[0].Value && DateOf(s) > new DateOnly(2026, 9, 21))
            .Should().NotBeEmpty().And.OnlyContain(s => s.GetProperty("status").GetString() == "Cancelled" && s.GetProperty("movedBecause").GetString() == "送教方案已关闭");
        after.Where(s => s.GetProperty("studentId").GetGuid() != children[0].Value && DateOf(s) > new DateOnly(2026, 9, 21))
            .Should().NotBeEmpty().And.OnlyContain(s => s.GetProperty("status").GetString() == "Scheduled");
    }
}
