using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlDropout.Web.Tests.Features.Visits;

/// <summary>
/// Delivered and missed are facts of the session (issue 12 §3): a stored or corrected record sets the
/// published session's status, changed now and one sequence on, in the same save; a past session with no
/// record is missed once the county's grace period has passed; the session page, the teacher's week, the
/// staff member's picture and the feed all say the same.
/// </summary>
public sealed partial class SessionFactsTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;

    public SessionFactsTests(ServiceFactory factory) => _factory = factory;

    [GeneratedRegex("<h2 class=\"day-heading\">[^<]*9月10日[^<]*</h2>\\s*<ol class=\"sessions\">(.*?)</ol>", RegexOptions.Singleline)]
    private static partial Regex TenthSeptember();

    private async Task<TimetableSession> SessionAsync(string key)
    {
        using var scope = _factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await db.Sessions.AsNoTracking().SingleAsync(s => s.SessionKey == key);
    }

    private async Task<string> FeedEventAsync(HttpClient teacher, string key)
    {
        var url = (await teacher.GetFromJsonAsync<JsonElement>("/api/staff/me/feed")).GetProperty("url").GetString()!;
        var events = Ical.Net.Calendar.Load(await _factory.CreateClient().GetStringAsync(new Uri(url).PathAndQuery))!.Events;
        var e = events.Single(x => x.Uid == key.Replace(':', '-') + "@controldropout");
        return $"SEQUENCE:{e.Sequence} STATUS:{e.Status}\n{e.Description}";
    }

    [Fact]
    public async Task A_record_makes_its_session_delivered_or_missed_and_an_unrecorded_one_is_missed_after_the_grace_period_on_every_page_and_the_feed()
    {
        var seeded = await RecordsCounty.SeedAsync(_factory);
        var county = seeded.County;
        var key = seeded.UnrecordedSession;
        using (var scope = _factory.Services.CreateScope())
        {
            // The seeded record of the other session was stored behind the use case's back: state its fact as the use case now does.
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var recorded = await db.Sessions.SingleAsync(s => s.SessionKey == seeded.OurSession);
            recorded.Status = SessionStatus.Delivered;
            await db.SaveChangesAsync();
        }
        var before = await SessionAsync(key);
        before.Status.Should().Be(SessionStatus.Scheduled);
        // The session: Thursday 10 September 09:00–10:20 in China, 02:20 UTC; 48 hours of grace end at 02:20 UTC on the 12th.
        var graceEnds = new DateTimeOffset(2026, 9, 12, 2, 20, 0, TimeSpan.Zero);

        _factory.Clock.SetUtcNow(graceEnds.AddMinutes(-1));
        var teacherPages = await PageBrowser.SignedInAsync(_factory, county, "teacher");
        (await teacherPages.GetStringAsync($"/sessions/{Uri.EscapeDataString(key)}")).Should().Contain("<dt>状态</dt><dd>待送教").And.NotContain("逾期无送教记录");

        _factory.Clock.SetUtcNow(graceEnds);
        (await teacherPages.GetStringAsync($"/sessions/{Uri.EscapeDataString(key)}")).Should().Contain("<dt>状态</dt><dd>缺课（逾期无送教记录）");
        var week = TenthSeptember().Match(await teacherPages.GetStringAsync("/my/week?monday=2026-09-07"));
        week.Success.Should().BeTrue();
        week.Groups[1].Value.Should().Contain("缺课（逾期无送教记录）").And.Contain("记录本次送教", "a late record (补录) is still possible");
        var approverPages = await PageBrowser.SignedInAsync(_factory, county, "approver");
        var staffPage = await approverPages.GetStringAsync($"/staff/{county.Teacher.Value}?monday=2026-09-07");
        staffPage.Should().Contain("data-status=\"Missed\"").And.Contain("缺课（逾期无送教记录）").And.Contain("data-status=\"Delivered\"");
        var teacher = await county.As("teacher");
        var feed = await FeedEventAsync(teacher, key);
        feed.Should().StartWith("SEQUENCE:0 STATUS:CONFIRMED").And.Contain("状态：缺课（逾期无送教记录）");

        // Recorded late: the session is delivered, changed now and one sequence on.
        var body = new
        {
            sessionKey = key, date = "2026-09-10", start = "09:00", end = "10:20", staffPresent = new[] { county.Teacher.Value }, place = "Home",
            content = "练习抓握", goalsAddressed = new[] { "能独立抓握勺子" }, guardianName = "吴某",
        };
        var created = await teacher.PostAsJsonAsync("/api/visits", body);
        created.StatusCode.Should().Be(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var delivered = await SessionAsync(key);
        (delivered.Status, delivered.Sequence, delivered.ChangedAt).Should().Be((SessionStatus.Delivered, 1, graceEnds));
        (await teacher.PostAsJsonAsync("/api/visits", body)).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await SessionAsync(key)).Sequence.Should().Be(1, "a refused record changes nothing");

        (await teacherPages.GetStringAsync($"/sessions/{Uri.EscapeDataString(key)}")).Should().Contain("<dt>状态</dt><dd>已送教");
        TenthSeptember().Match(await teacherPages.GetStringAsync("/my/week?monday=2026-09-07")).Groups[1].Value
            .Should().Contain("✓ 已记录 · 已送教").And.NotContain("逾期无送教记录").And.NotContain("记录本次送教");
        (await approverPages.GetStringAsync($"/staff/{county.Teacher.Value}?monday=2026-09-07")).Should().NotContain("data-status=\"Missed\"");
        (await FeedEventAsync(teacher, key)).Should().StartWith("SEQUENCE:1 STATUS:CONFIRMED").And.Contain("状态：已送教");

        // Corrected within 24 hours to "not delivered": the session is missed, as the record says.
        _factory.Clock.Advance(TimeSpan.FromHours(1));
        var id = (await created.ReadJsonAsync()).GetProperty("id").GetGuid();
        var corrected = await teacher.PutAsJsonAsync($"/api/visits/{id}", new
        {
            date = "2026-09-10", start = "09:00", end = "10:20", staffPresent = Array.Empty<Guid>(), place = "Home", missed = true, missedReason = "学生发烧",
        });
        corrected.StatusCode.Should().Be(HttpStatusCode.OK, await corrected.Content.ReadAsStringAsync());
        var missed = await SessionAsync(key);
        (missed.Status, missed.Sequence, missed.ChangedAt).Should().Be((SessionStatus.Missed, 2, graceEnds.AddHours(1)));
        (await teacherPages.GetStringAsync($"/sessions/{Uri.EscapeDataString(key)}")).Should().Contain("<dt>状态</dt><dd>缺课");
        (await FeedEventAsync(teacher, key)).Should().StartWith("SEQUENCE:2 STATUS:CONFIRMED").And.Contain("状态：缺课");
    }
}
