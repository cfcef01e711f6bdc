using System.Net;
using System.Net.Http.Json;
using System.Text;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;

namespace ControlDropout.Web.Tests.Features.Feeds;

/// <summary>
/// Two service instances on one database (one SQLite file, or one PostgreSQL database on the second pass): a feed
/// changed through one is served fresh by the other (issue 16 §2). A visit record marks its team's rows stale in the
/// database; whichever instance is asked next rebuilds the row once, and every instance then reads that row.
/// </summary>
public sealed class TwoInstanceFeedTests
{
    [Fact]
    public async Task A_visit_recorded_through_one_instance_is_in_the_feed_the_other_serves()
    {
        using var a = new ServiceFactory();
        var (county, path, timetable) = await FeedFacts.PublishedAsync(a);
        using var b = ServiceFactory.SecondInstanceOf(a);
        using var onB = new FeedBuildCount(b.Services);
        var first = await b.CreateClient().GetByteArrayAsync(path);
        first.Should().Equal((await FeedFacts.RowAsync(a, county.Teacher))!.Bytes);

        var session = (await FeedFacts.MineAsync(county, timetable)).First(s => string.CompareOrdinal(s.GetProperty("date").GetString(), "2026-09-07") >= 0);
        var recorded = await (await county.As("teacher")).PostAsJsonAsync("/api/visits", FeedFacts.VisitOf(county, session));
        recorded.StatusCode.Should().Be(HttpStatusCode.Created, await recorded.Content.ReadAsStringAsync());
        (await FeedFacts.RowAsync(a, county.Teacher))!.StaleAfter.Should().BeOnOrBefore(a.Clock.GetUtcNow(), "A marked the row stale in the database, where B reads it");

        var response = await b.CreateClient().GetAsync(path);
        var fresh = await response.Content.ReadAsByteArrayAsync();
        fresh.Should().NotEqual(first);
        var uid = session.GetProperty("sessionKey").GetString()!.Replace(':', '-') + "@controldropout";
        var recordedEvent = Ical.Net.Calendar.Load(Encoding.UTF8.GetString(fresh))!.Events.Single(e => e.Uid == uid);
        recordedEvent.Sequence.Should().Be(1, "the record raised the session's sequence");
        recordedEvent.Description.Should().Contain("状态：");
        fresh.Should().Equal((await FeedFacts.RowAsync(a, county.Teacher))!.Bytes, "B stored what it built, for every instance");
        onB.OnRequest.Should().Be(1, "the stale row was rebuilt once, by the instance asked");
        response.Headers.ETag!.Tag.Should().NotBe(null);

        (await a.CreateClient().GetByteArrayAsync(path)).Should().Equal(fresh, "A serves the row B rebuilt");
        (await b.CreateClient().GetByteArrayAsync(path)).Should().Equal(fresh);
        onB.OnRequest.Should().Be(1, "a fresh row is read, not built again");
    }
}
