using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Ical.Net.CalendarComponents;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlDropout.Web.Tests.Features.Feeds;

/// <summary>The secret calendar feed as a calendar app reads it.</summary>
public sealed class FeedTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;

    public FeedTests(ServiceFactory factory) => _factory = factory;

    /// <summary>The county's teacher account gets a working week, the county a published timetable.</summary>
    private async Task<(TestCounty County, HttpClient Teacher, string Url)> PublishedAsync()
    {
        var county = await _factory.LincangAsync();
        using (var scope = _factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            if (await db.Timetables.AnyAsync(t => t.Status == Domain.TimetableStatus.Published))
            {
                var teacherClient = await county.As("teacher");
                var existing = await teacherClient.GetFromJsonAsync<JsonElement>("/api/staff/me/feed");
                return (county, teacherClient, existing.GetProperty("url").GetString()!);
            }
            var me = await db.Staff.SingleAsync(s => s.Id == county.Teacher);
            me.Availability = [.. Enumerable.Range(1, 5).Select(d => new WeeklyWindow { Day = d, From = new TimeOnly(8, 0), To = new TimeOnly(18, 0) })];
            me.BaseLat = 23.8868;
            me.BaseLon = 100.0925;
            await db.SaveChangesAsync();
        }
        await SchedulableCounty.AddAsync(county, children: 4);
        var approver = await county.As("approver");
        var started = await approver.PostAsJsonAsync("/api/timetables/runs", new { termId = county.Term.Value });
        JsonElement run = default;
        for (var i = 0; i < 600 && run.ValueKind == JsonValueKind.Undefined | (run.ValueKind != JsonValueKind.Undefined && run.GetProperty("status").GetString() is "Queued" or "Running"); i++)
        {
            await Task.Delay(100);
            run = await approver.GetFromJsonAsync<JsonElement>(started.Headers.Location!.ToString());
        }
        (await approver.PostAsync($"/api/timetables/{run.GetProperty("timetableId").GetGuid()}/publish", null)).EnsureSuccessStatusCode();
        var teacher = await county.As("teacher");
        var links = await teacher.GetFromJsonAsync<JsonElement>("/api/staff/me/feed");
        return (county, teacher, links.GetProperty("url").GetString()!);
    }

    private static async Task<string> PublishedTimetableIdAsync(HttpClient teacher)
    {
        var timetables = await teacher.GetFromJsonAsync<List<JsonElement>>("/api/timetables");
        var published = timetables!.Single(t => t.GetProperty("status").GetString() == "Published").GetProperty("id").GetGuid();
        return published.ToString();
    }

    [Fact]
    public async Task The_feed_is_valid_icalendar_with_the_teachers_sessions_in_Asia_Shanghai()
    {
        var (_, teacher, url) = await PublishedAsync();
        var anonymous = _factory.CreateClient();

        var response = await anonymous.GetAsync(new Uri(url).PathAndQuery);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.ToString().Should().Be("text/calendar; charset=utf-8");
        response.Headers.CacheControl!.Private.Should().BeTrue();
        // Calendar apps keep the feed and revalidate it with its ETag (304); no shared cache keeps it.
        response.Headers.CacheControl.NoCache.Should().BeTrue();
        response.Headers.GetValues("Referrer-Policy").Should().Equal("no-referrer");
        response.Headers.ETag!.IsWeak.Should().BeFalse();
        var text = await response.Content.ReadAsStringAsync();
        var calendar = Ical.Net.Calendar.Load(text)!;
        calendar.Properties["X-WR-CALNAME"]!.Value.Should().Be("送教课表 · 李老师");
        calendar.TimeZones.Select(z => z.TzId).Should().Equal("Asia/Shanghai");

        var timetable = await PublishedTimetableIdAsync(teacher);
        var sessions = await teacher.GetFromJsonAsync<List<JsonElement>>($"/api/timetables/{timetable}/sessions");
        var today = DateOnly.FromDateTime(_factory.Clock.GetUtcNow().UtcDateTime.AddHours(8));
        // Every session not cancelled is in the feed as confirmed, delivered, missed or still to come.
        var expected = sessions!
            .Where(s => s.GetProperty("status").GetString() != "Cancelled")
            .Where(s => DateOnly.Parse(s.GetProperty("date").GetString()!, System.Globalization.CultureInfo.InvariantCulture) >= today.AddDays(-14)).ToList();
        expected.Should().NotBeEmpty();
        calendar.Events.Where(e => e.Status == "CONFIRMED").Should().HaveCount(expected.Count);
        calendar.Events.Select(e => e.Uid).Should().OnlyHaveUniqueItems();
        foreach (var s in expected)
        {
            var e = calendar.Events.Single(e => e.Uid == s.GetProperty("sessionKey").GetString()!.Replace(':', '-') + "@controldropout");
            e.DtStart!.TzId.Should().Be("Asia/Shanghai");
            e.DtStart.Date.Should().Be(DateOnly.Parse(s.GetProperty("date").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
            e.DtStart.Time.Should().Be(TimeOnly.Parse(s.GetProperty("start").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
            e.Status.Should().Be("CONFIRMED");
        }
    }

    [Fact]
    public async Task Mozillas_ical_js_reads_the_feed_with_every_start_as_published()
    {
        var (_, teacher, url) = await PublishedAsync();
        var file = Path.Combine(Path.GetTempPath(), $"controldropout-feed-{Guid.NewGuid():N}.ics");
        await File.WriteAllBytesAsync(file, await _factory.CreateClient().GetByteArrayAsync(new Uri(url).PathAndQuery));
        try
        {
            var parsed = (await IcalJs.ReadAsync(file)).GetProperty(file).EnumerateArray().ToList();

            var timetable = await PublishedTimetableIdAsync(teacher);
            var sessions = (await teacher.GetFromJsonAsync<List<JsonElement>>($"/api/timetables/{timetable}/sessions"))!
                .ToDictionary(s => s.GetProperty("sessionKey").GetString()!.Replace(':', '-') + "@controldropout");
            parsed.Should().NotBeEmpty();
            foreach (var e in parsed)
            {
                var session = sessions[e.GetProperty("uid").GetString()!];
                e.GetProperty("tzid").GetString().Should().Be("Asia/Shanghai");
                e.GetProperty("start").GetString().Should().Be($"{session.GetProperty("date").GetString()}T{session.GetProperty("start").GetString()![..5]}");
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task The_feed_is_strict_RFC_5545_and_names_no_child_in_full()
    {
        var (_, _, url) = await PublishedAsync();

        var bytes = await _factory.CreateClient().GetByteArrayAsync(new Uri(url).PathAndQuery);
        var text = Encoding.UTF8.GetString(bytes);

        text.Should().Contain("\r\n").And.NotContainAny("\r\r", "\n\n");
        text.Replace("\r\n", "", StringComparison.Ordinal).Should().NotContain("\n", "every line ends in CRLF");
        foreach (var line in text.Split("\r\n"))
        {
            Encoding.UTF8.GetByteCount(line).Should().BeLessThanOrEqualTo(75, $"line '{line}' must be folded at 75 octets");
        }
        Encoding.UTF8.GetString(bytes).Should().NotContain("\uFFFD", "folding never splits a UTF-8 character");
        text.Should().NotContain("周某某", "a child's full name never appears").And.Contain("周同学");
        text.Should().NotContain("1380000").And.NotContain("13800001234");
        text.Should().Contain("REFRESH-INTERVAL;VALUE=DURATION:PT1H").And.Contain("X-PUBLISHED-TTL:PT1H").And.Contain("X-WR-TIMEZONE:Asia/Shanghai");
    }

    [Fact]
    public async Task The_subscription_page_gives_webcal_download_and_a_qr_code_and_only_to_staff()
    {
        var (county, teacher, url) = await PublishedAsync();

        var links = await teacher.GetFromJsonAsync<JsonElement>("/api/staff/me/feed");
        links.GetProperty("webcalUrl").GetString().Should().Be("webcal://" + url["http://".Length..]);
        links.GetProperty("downloadUrl").GetString().Should().Be(url + "?download=true");
        var download = await _factory.CreateClient().GetAsync(new Uri(links.GetProperty("downloadUrl").GetString()!).PathAndQuery);
        download.Content.Headers.ContentDisposition!.DispositionType.Should().Be("attachment");
        var qr = await teacher.GetAsync(links.GetProperty("qrCodeSvgUrl").GetString());
        qr.Content.Headers.ContentType!.MediaType.Should().Be("image/svg+xml");
        (await qr.Content.ReadAsStringAsync()).Should().StartWith("<svg");

        (await (await county.As("approver")).GetAsync("/api/staff/me/feed")).StatusCode.Should().Be(HttpStatusCode.NotFound, "an approver has no staff record and so no feed");
        (await (await county.As("approver")).PostAsync($"/api/staff/{county.Teacher}/feed/reset", null)).StatusCode.Should().Be(HttpStatusCode.NotFound, "only the staff member or an admin resets a feed");
    }

    [Fact]
    public async Task An_unchanged_feed_answers_304_and_is_byte_identical()
    {
        var (_, _, url) = await PublishedAsync();
        var client = _factory.CreateClient();

        var first = await client.GetAsync(new Uri(url).PathAndQuery);
        var second = await client.GetByteArrayAsync(new Uri(url).PathAndQuery);
        var conditional = new HttpRequestMessage(HttpMethod.Get, new Uri(url).PathAndQuery) { Headers = { IfNoneMatch = { first.Headers.ETag! } } };

        second.Should().Equal(await first.Content.ReadAsByteArrayAsync());
        (await client.SendAsync(conditional)).StatusCode.Should().Be(HttpStatusCode.NotModified);
    }

    [Fact]
    public async Task A_reset_kills_the_old_url_with_the_same_404_as_an_unknown_token()
    {
        var (county, teacher, url) = await PublishedAsync();
        var anonymous = _factory.CreateClient();

        var reset = await teacher.PostAsync($"/api/staff/{county.Teacher}/feed/reset", null);
        reset.StatusCode.Should().Be(HttpStatusCode.OK);
        var fresh = (await reset.ReadJsonAsync()).GetProperty("url").GetString()!;

        var old = await anonymous.GetAsync(new Uri(url).PathAndQuery);
        var unknown = await anonymous.GetAsync("/feeds/AAAAAAAAAAAAAAAAAAAAAA.ics");
        old.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await old.Content.ReadAsByteArrayAsync()).Should().Equal(await unknown.Content.ReadAsByteArrayAsync());
        old.Content.Headers.ContentType.Should().Be(unknown.Content.Headers.ContentType);
        (await anonymous.GetAsync(new Uri(fresh).PathAndQuery)).StatusCode.Should().Be(HttpStatusCode.OK);
        fresh.Should().NotBe(url);
    }

    [Fact]
    public async Task A_changed_session_keeps_its_uid_and_raises_its_sequence_and_a_cancelled_one_leaves_after_14_days()
    {
        var (county, teacher, _) = await PublishedAsync();
        TimetableSession moved;
        TimetableSession cancelled;
        using (var scope = _factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var published = await db.Timetables.SingleAsync(t => t.Status == Domain.TimetableStatus.Published);
            var mine = (await db.Sessions.Where(s => s.TimetableId == published.Id).ToListAsync())
                .Where(s => s.StaffIds.Contains(county.Teacher.Value) && s.Date > DateOnly.FromDateTime(_factory.Clock.GetUtcNow().UtcDateTime).AddDays(30))
                .OrderBy(s => s.Date).ToList();
            mine.Should().HaveCountGreaterThan(1, "the teacher has sessions later in the term");
            // As a re-plan writes them: one session an hour later with a higher SEQUENCE, one cancelled now.
            (moved, cancelled) = (mine[0], mine[1]);
            moved.Start = moved.Start.AddHours(1);
            moved.End = moved.End.AddHours(1);
            moved.Sequence++;
            moved.ChangedAt = _factory.Clock.GetUtcNow();
            cancelled.Status = SessionStatus.Cancelled;
            cancelled.Sequence++;
            cancelled.ChangedAt = _factory.Clock.GetUtcNow();
            await db.SaveChangesAsync();
        }
        // A reset gives a fresh URL, so the feed is built anew from what was just written.
        var url = (await (await teacher.PostAsync($"/api/staff/{county.Teacher}/feed/reset", null)).ReadJsonAsync()).GetProperty("url").GetString()!;
        var path = new Uri(url).PathAndQuery;
        var movedUid = moved.SessionKey.Replace(':', '-') + "@controldropout";
        var cancelledUid = cancelled.SessionKey.Replace(':', '-') + "@controldropout";

        var events = Ical.Net.Calendar.Load(await _factory.CreateClient().GetStringAsync(path))!.Events;
        var movedEvent = events.Single(e => e.Uid == movedUid);
        movedEvent.Sequence.Should().Be(1);
        movedEvent.DtStart!.Time.Should().Be(moved.Start);
        var cancelledEvent = events.Single(e => e.Uid == cancelledUid);
        cancelledEvent.Status.Should().Be("CANCELLED");
        cancelledEvent.Summary.Should().StartWith("[已取消] ");

        _factory.Clock.Advance(TimeSpan.FromDays(15));
        var later = Ical.Net.Calendar.Load(await _factory.CreateClient().GetStringAsync(path))!.Events;
        later.Should().NotContain(e => e.Uid == cancelledUid, "a cancellation stays in the feed for 14 days");
        later.Should().Contain(e => e.Uid == movedUid);
    }
}

/// <summary>Its own app, so that the miss limiter's window is not shared.</summary>
public sealed class FeedGuessingTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;

    public FeedGuessingTests(ServiceFactory factory) => _factory = factory;

    [Fact]
    public async Task Guessing_tokens_is_slowed_down_with_429_and_retry_after()
    {
        var client = _factory.CreateClient();
        HttpResponseMessage? last = null;
        for (var i = 0; i <= Web.Features.Feeds.FeedMissLimiter.MissesPerMinute; i++)
        {
            last = await client.GetAsync($"/feeds/guess{i:0000000000000000}.ics");
        }

        last!.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        last.Headers.RetryAfter.Should().NotBeNull();
    }
}
