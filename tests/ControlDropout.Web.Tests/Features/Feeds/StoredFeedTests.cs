using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Feeds;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ControlDropout.Web.Tests.Features.Feeds;

/// <summary>Counts one app's feed builds by why (its own <see cref="IMeterFactory"/>, so parallel apps do not mix in).</summary>
public sealed class FeedBuildCount : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _onWrite;
    private long _onRequest;

    public FeedBuildCount(IServiceProvider services)
    {
        var scope = services.GetRequiredService<IMeterFactory>();
        services.GetRequiredService<FeedMetrics>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Scope == scope && instrument.Name == FeedMetrics.BuiltName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "why" && (string?)tag.Value == FeedMetrics.BuiltOnRequest)
                {
                    Interlocked.Add(ref _onRequest, value);
                    return;
                }
            }
            Interlocked.Add(ref _onWrite, value);
        });
        _listener.Start();
    }

    public long OnWrite => Interlocked.Read(ref _onWrite);
    public long OnRequest => Interlocked.Read(ref _onRequest);

    public void Dispose() => _listener.Dispose();
}

/// <summary>What the stored-feed tests set up and read, stated once.</summary>
public static class FeedFacts
{
    /// <summary>The teacher with a working week, their feed link taken before anything is published, then a published term.</summary>
    public static async Task<(TestCounty County, string Path, Guid Timetable)> PublishedAsync(ServiceFactory factory)
    {
        var county = await factory.LincangAsync();
        using (var scope = factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var me = await db.Staff.SingleAsync(s => s.Id == county.Teacher);
            me.Availability = [.. Enumerable.Range(1, 5).Select(d => new WeeklyWindow { Day = d, From = new TimeOnly(8, 0), To = new TimeOnly(18, 0) })];
            me.BaseLat = 23.8868;
            me.BaseLon = 100.0925;
            await db.SaveChangesAsync();
        }
        await SchedulableCounty.AddAsync(county, children: 4);
        var teacher = await county.As("teacher");
        var url = (await teacher.GetFromJsonAsync<JsonElement>("/api/staff/me/feed")).GetProperty("url").GetString()!;
        var timetable = await (await county.As("approver")).RunAndPublishAsync(county.Term);
        return (county, new Uri(url).PathAndQuery, timetable);
    }

    public static async Task<FeedDocument?> RowAsync(ServiceFactory factory, StaffId staff)
    {
        using var scope = factory.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().FeedDocuments.AsNoTracking().SingleOrDefaultAsync(f => f.StaffId == staff);
    }

    public static string TokenOf(string path) => path["/feeds/".Length..^".ics".Length];

    /// <summary>A visit record of one of the teacher's sessions (as the sessions API lists it), as the teacher sends it.</summary>
    public static object VisitOf(TestCounty county, JsonElement session) => new
    {
        sessionKey = session.GetProperty("sessionKey").GetString(), date = session.GetProperty("date").GetString(), start = "09:00", end = "10:20",
        staffPresent = new[] { county.Teacher.Value }, place = "Home", content = "练习抓握", goalsAddressed = new[] { "能独立抓握勺子" },
        childResponse = "配合", guardianFeedback = "满意", guardianName = "周某", homeTask = "每天练习",
    };

    /// <summary>The teacher's sessions of a published version, from the API.</summary>
    public static async Task<List<JsonElement>> MineAsync(TestCounty county, Guid timetable)
    {
        var all = await (await county.As("approver")).GetFromJsonAsync<List<JsonElement>>($"/api/timetables/{timetable}/sessions");
        return [.. all!.Where(s => s.GetProperty("staffIds").EnumerateArray().Any(x => x.GetGuid() == county.Teacher.Value))];
    }
}

/// <summary>Feeds written when they change (issue 16 §3): a request only reads the stored row.</summary>
public sealed class StoredFeedTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;
    private static (TestCounty County, string Path, Guid Timetable)? _published;
    private static readonly SemaphoreSlim Once = new(1, 1);

    public StoredFeedTests(ServiceFactory factory) => _factory = factory;

    private async Task<(TestCounty County, string Path, Guid Timetable)> PublishedAsync()
    {
        await Once.WaitAsync();
        try
        {
            if (_published is { } done && done.County.Factory == _factory)
            {
                return done;
            }
            _published = await FeedFacts.PublishedAsync(_factory);
            return _published.Value;
        }
        finally
        {
            Once.Release();
        }
    }

    [Fact]
    public async Task Publishing_writes_the_feed_before_any_request_and_a_request_only_reads_it()
    {
        var (county, path, timetable) = await PublishedAsync();
        using var builds = new FeedBuildCount(_factory.Services);

        var row = await FeedFacts.RowAsync(_factory, county.Teacher);
        row.Should().NotBeNull("the publish wrote the feed");
        row!.TokenHash.Should().Be(FeedTokens.Hash(FeedFacts.TokenOf(path)));
        var response = await _factory.CreateClient().GetAsync(path);
        var bytes = await response.Content.ReadAsByteArrayAsync();

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        bytes.Should().Equal(row.Bytes);
        response.Headers.ETag!.Tag.Should().Be(row.ETag);
        builds.OnRequest.Should().Be(0, "the request read the stored bytes");
        builds.OnWrite.Should().Be(0);
        var mine = await FeedFacts.MineAsync(county, timetable);
        mine.Should().NotBeEmpty();
        Encoding.UTF8.GetString(bytes).Should().Contain(mine[^1].GetProperty("sessionKey").GetString()!.Replace(':', '-'));
    }

    [Fact]
    public async Task A_leave_re_plan_rewrites_the_feed_from_the_new_version()
    {
        var (county, path, timetable) = await PublishedAsync();
        var today = DateOnly.FromDateTime(_factory.Clock.GetUtcNow().UtcDateTime.AddHours(8));
        var current = await (await county.As("approver")).GetFromJsonAsync<List<JsonElement>>("/api/timetables");
        var published = current!.Single(t => t.GetProperty("status").GetString() == "Published").GetProperty("id").GetGuid();
        var day = (await FeedFacts.MineAsync(county, published)).Select(s => s.GetProperty("date").GetString()!)
            .Where(d => string.CompareOrdinal(d, today.AddDays(7).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)) > 0).Order(StringComparer.Ordinal).First();
        var before = await FeedFacts.RowAsync(_factory, county.Teacher);
        using var builds = new FeedBuildCount(_factory.Services);

        (await (await county.As("approver")).PostAsJsonAsync($"/api/staff/{county.Teacher}/leave", new { firstDay = day, lastDay = day, reason = "病假" })).EnsureSuccessStatusCode();

        var after = await FeedFacts.RowAsync(_factory, county.Teacher);
        after!.TimetableId.Should().NotBe(before!.TimetableId!.Value).And.NotBe(timetable);
        var text = Encoding.UTF8.GetString(after.Bytes);
        text.Should().Contain("李老师请假", "the moved or cancelled session says why");
        builds.OnWrite.Should().BeGreaterThan(0);
        (await _factory.CreateClient().GetByteArrayAsync(path)).Should().Equal(after.Bytes);
        builds.OnRequest.Should().Be(0);
    }

    [Fact]
    public async Task A_missing_or_stale_row_is_built_on_its_request_and_stored()
    {
        var (county, path, _) = await PublishedAsync();
        using (var scope = _factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            await db.FeedDocuments.Where(f => f.StaffId == county.Teacher).ExecuteDeleteAsync();
        }
        using var builds = new FeedBuildCount(_factory.Services);

        (await _factory.CreateClient().GetAsync(path)).StatusCode.Should().Be(HttpStatusCode.OK);
        builds.OnRequest.Should().Be(1, "an old database has no row: the first request builds it");
        var stored = await FeedFacts.RowAsync(_factory, county.Teacher);
        stored.Should().NotBeNull();
        stored!.StaleAfter.Should().BeAfter(_factory.Clock.GetUtcNow());
        (await _factory.CreateClient().GetAsync(path)).StatusCode.Should().Be(HttpStatusCode.OK);
        builds.OnRequest.Should().Be(1, "the second request read what the first stored");

        // The content depends on the clock (the 14-day window, a session turning missed): past its StaleAfter the next request rebuilds.
        _factory.Clock.Advance(stored.StaleAfter - _factory.Clock.GetUtcNow());
        (await _factory.CreateClient().GetAsync(path)).StatusCode.Should().Be(HttpStatusCode.OK);
        builds.OnRequest.Should().Be(2);
        (await FeedFacts.RowAsync(_factory, county.Teacher))!.StaleAfter.Should().BeAfter(_factory.Clock.GetUtcNow());
    }

    [Fact]
    public async Task A_row_whose_version_was_superseded_without_writing_feeds_is_rebuilt_on_its_request()
    {
        var (county, path, _) = await PublishedAsync();
        Guid stale;
        using (var scope = _factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            // A closed plan's new version is written by a path that writes no feeds: the row's version is superseded.
            var current = await db.Timetables.Include(t => t.Sessions).SingleAsync(t => t.CountyCode == county.Code && t.Status == TimetableStatus.Published);
            var today = DateOnly.FromDateTime(_factory.Clock.GetUtcNow().UtcDateTime.AddHours(8));
            db.Timetables.Add(Web.Features.Timetables.TimetableVersions.Without(current, StudentId.New(), today.AddDays(1), _factory.Clock.GetUtcNow(), "测试", "test"));
            await db.SaveChangesAsync();
            stale = current.Id;
        }
        (await FeedFacts.RowAsync(_factory, county.Teacher))!.TimetableId.Should().Be(stale);
        using var builds = new FeedBuildCount(_factory.Services);

        (await _factory.CreateClient().GetAsync(path)).StatusCode.Should().Be(HttpStatusCode.OK);

        builds.OnRequest.Should().Be(1);
        (await FeedFacts.RowAsync(_factory, county.Teacher))!.TimetableId.Should().NotBe(stale);
    }
}
