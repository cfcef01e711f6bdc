using System.Net.Http.Json;
using System.Text.Json;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Ical.Net.CalendarComponents;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlDropout.Web.Tests.Features.Feeds;

/// <summary>
/// Feeds say what changed (issue 12 §7): a session a newly published run drops is sent as CANCELLED under
/// the same UID with a higher SEQUENCE, stamped when the version was published, for 14 days; the past stays
/// as it was.
/// </summary>
public sealed class FeedCancellationTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;

    public FeedCancellationTests(ServiceFactory factory) => _factory = factory;

    private async Task<List<CalendarEvent>> FeedAsync(TestCounty county)
    {
        var teacher = await county.As("teacher");
        var url = (await teacher.GetFromJsonAsync<JsonElement>("/api/staff/me/feed")).GetProperty("url").GetString()!;
        return [.. Ical.Net.Calendar.Load(await _factory.CreateClient().GetStringAsync(new Uri(url).PathAndQuery))!.Events];
    }

    [Fact]
    public async Task A_session_a_new_run_drops_is_sent_as_cancelled_with_a_higher_sequence_for_14_days()
    {
        var county = await _factory.LincangAsync();
        using (var scope = _factory.Services.CreateScope())
        {
            // The teacher account is the county's only teacher with working hours: every session is theirs, and in their feed.
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var me = await db.Staff.SingleAsync(s => s.Id == county.Teacher);
            me.Availability = [.. Enumerable.Range(1, 5).Select(d => new WeeklyWindow { Day = d, From = new TimeOnly(8, 0), To = new TimeOnly(18, 0) })];
            (me.BaseLat, me.BaseLon, me.MaxSessionsPerWeek, me.MaxAwayMinutesPerDay) = (23.8868, 100.0925, 10, 600);
            me.Skills = [.. SchedulableCounty.SpecialEducation];
            await db.SaveChangesAsync();
        }
        var children = await SchedulableCounty.AddAsync(county, children: 3);
        await (await county.As("approver")).RunAndPublishAsync(county.Term);
        var closedChild = children[0].Value.ToString();
        var first = await FeedAsync(county);
        var theirs = first.Where(e => e.Uid!.StartsWith(closedChild, StringComparison.Ordinal)).ToDictionary(e => e.Uid!);
        theirs.Should().NotBeEmpty().And.OnlyContain(e => e.Value.Status == "CONFIRMED");

        // Wednesday 14 October: the child's plan closes today; the county runs and publishes again (in force from the next teaching day).
        var publishedAt = new DateTimeOffset(2026, 10, 14, 1, 0, 0, TimeSpan.Zero);
        _factory.Clock.SetUtcNow(publishedAt);
        using (var scope = _factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            (await db.Plans.SingleAsync(p => p.StudentId == children[0])).EffectiveUntil = new DateOnly(2026, 10, 14);
            await db.SaveChangesAsync();
        }
        await (await county.As("approver")).RunAndPublishAsync(county.Term);
        var effective = new DateOnly(2026, 10, 15);

        var second = (await FeedAsync(county)).Where(e => e.Uid!.StartsWith(closedChild, StringComparison.Ordinal)).ToList();
        var dropped = second.Where(e => e.DtStart!.Date >= effective).ToList();
        dropped.Should().NotBeEmpty().And.OnlyContain(e => e.Status == "CANCELLED" && e.Summary!.StartsWith("[已取消] ", StringComparison.Ordinal));
        dropped.Should().OnlyContain(e => theirs.ContainsKey(e.Uid!) && e.Sequence == theirs[e.Uid!].Sequence + 1, "the same event, one sequence on");
        dropped.Should().OnlyContain(e => e.DtStamp!.AsUtc == publishedAt.UtcDateTime, "stamped when the new version was published");
        dropped.Should().OnlyContain(e => e.Description!.Contains("新课表已取消该次课", StringComparison.Ordinal));
        dropped.Should().OnlyContain(e => e.Alarms.Count == 0, "no reminder for a visit that will not happen");
        // The weeks before the new version's first day are what they were.
        second.Where(e => e.DtStart!.Date < effective)
            .Should().NotBeEmpty().And.OnlyContain(e => e.Status == "CONFIRMED" && e.Sequence == theirs[e.Uid!].Sequence);

        // Fourteen days on the cancellations are still there; a day later they have left the feed.
        _factory.Clock.SetUtcNow(publishedAt.AddDays(14).AddMinutes(-1));
        (await FeedAsync(county)).Select(e => e.Uid).Should().Contain(dropped.Select(e => e.Uid));
        _factory.Clock.SetUtcNow(publishedAt.AddDays(15));
        (await FeedAsync(county)).Select(e => e.Uid).Should().NotContain(dropped.Select(e => e.Uid));
    }
}
