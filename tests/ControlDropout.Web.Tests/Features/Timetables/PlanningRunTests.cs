using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Tests.Features.People;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlDropout.Web.Tests.Features.Timetables;

/// <summary>Runs plan as counties do: on the county's start grid, with the version in force as baseline, and the draft says what it changed and who drives.</summary>
public sealed class PlanningRunTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;

    public PlanningRunTests(ServiceFactory factory) => _factory = factory;

    private static async Task<Guid> RunToEndAsync(HttpClient client, TermId term)
    {
        var started = await client.PostAsJsonAsync("/api/timetables/runs", new { termId = term.Value });
        started.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var location = started.Headers.Location!.ToString();
        for (var i = 0; i < 600; i++)
        {
            var run = await client.GetFromJsonAsync<JsonElement>(location);
            if (run.GetProperty("status").GetString() is "Succeeded" or "Failed" or "Cancelled")
            {
                run.GetProperty("status").GetString().Should().Be("Succeeded", run.GetProperty("error").ToString());
                return run.GetProperty("timetableId").GetGuid();
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("the run did not finish");
    }

    private static async Task<List<JsonElement>> SessionsAsync(HttpClient client, Guid timetable) =>
        (await client.GetFromJsonAsync<List<JsonElement>>($"/api/timetables/{timetable}/sessions"))!;

    /// <summary>A session as a family knows it: which week's visit, on which day, when, with whom.</summary>
    private static string Visit(JsonElement s) =>
        $"{s.GetProperty("sessionKey").GetString()} {s.GetProperty("date").GetString()} {s.GetProperty("start").GetString()} " +
        string.Join(",", s.GetProperty("staffIds").EnumerateArray().Select(x => x.GetGuid()).Order());

    [Fact]
    public async Task A_runs_sessions_all_start_on_the_countys_five_minute_grid_by_default()
    {
        var county = await _factory.LincangAsync();
        await SchedulableCounty.AddAsync(county, children: 4);
        var approver = await county.As("approver");

        var draft = await RunToEndAsync(approver, county.Term);

        var starts = (await SessionsAsync(approver, draft)).Select(s => TimeOnly.Parse(s.GetProperty("start").GetString()!, CultureInfo.InvariantCulture)).ToList();
        starts.Should().NotBeEmpty().And.OnlyContain(t => (t.Hour * 60 + t.Minute) % CountyPolicy.DefaultStartTimeStepMinutes == 0);
    }

    [Fact]
    public async Task A_second_run_with_nothing_changed_keeps_every_session_and_says_it_changed_nothing()
    {
        var county = await _factory.OtherCountyAsync();
        await SchedulableCounty.AddAsync(county, children: 3);
        var approver = await county.As("approver");
        var first = await RunToEndAsync(approver, county.Term);
        (await approver.GetFromJsonAsync<JsonElement>($"/api/timetables/{first}")).GetProperty("baselineChanges").ValueKind
            .Should().Be(JsonValueKind.Null, "nothing was in force for the first run");
        (await approver.PostAsync($"/api/timetables/{first}/publish", null)).StatusCode.Should().Be(HttpStatusCode.OK);
        var published = await SessionsAsync(approver, first);
        _factory.Clock.Advance(TimeSpan.FromMinutes(5));

        var second = await RunToEndAsync(approver, county.Term);

        (await approver.GetFromJsonAsync<JsonElement>($"/api/timetables/{second}")).GetProperty("baselineChanges").GetInt32().Should().Be(0);
        var from = (await approver.GetFromJsonAsync<JsonElement>($"/api/timetables/{first}")).GetProperty("effectiveFrom").GetString()!;
        var drafted = await SessionsAsync(approver, second);
        drafted.Select(Visit).Should().BeEquivalentTo(published.Where(s => string.CompareOrdinal(s.GetProperty("date").GetString(), from) >= 0).Select(Visit),
            "the version in force is the baseline: the same children on the same days, times and teams");

        var page = await (await _factory.SignedInAsync(county, "approver")).GetStringAsync(new Uri("/timetable", UriKind.Relative));
        page.Should().Contain("调整 0 处").And.Contain("teacher-loads").And.Contain("单日最长驾车");
    }

    [Fact]
    public async Task A_child_whose_day_is_gone_is_moved_and_the_draft_page_shows_the_change_and_each_teachers_driving()
    {
        var county = await _factory.LincangAsync();
        var children = await SchedulableCounty.AddAsync(county, children: 3);
        var approver = await county.As("approver");
        var first = await RunToEndAsync(approver, county.Term);
        (await approver.PostAsync($"/api/timetables/{first}/publish", null)).StatusCode.Should().Be(HttpStatusCode.OK);
        var moved = children[0];
        var day = (await SessionsAsync(approver, first)).Where(s => s.GetProperty("studentId").GetGuid() == moved.Value)
            .Select(s => (int)DateOnly.Parse(s.GetProperty("date").GetString()!, CultureInfo.InvariantCulture).DayOfWeek)
            .GroupBy(d => d).OrderByDescending(g => g.Count()).First().Key;
        using (var scope = _factory.Services.CreateScope())
        {
            // The family can no longer receive the teacher on that weekday.
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var version = (await db.Plans.Include(p => p.Versions).SingleAsync(p => p.StudentId == moved)).Versions.Single();
            version.Windows = [.. version.Windows.Where(w => w.Day != day)];
            await db.SaveChangesAsync();
        }
        _factory.Clock.Advance(TimeSpan.FromMinutes(5));

        var second = await RunToEndAsync(approver, county.Term);

        (await approver.GetFromJsonAsync<JsonElement>($"/api/timetables/{second}")).GetProperty("baselineChanges").GetInt32().Should().BeGreaterThanOrEqualTo(1);
        var page = await (await _factory.SignedInAsync(county, "approver")).GetStringAsync(new Uri("/timetable", UriKind.Relative));
        page.Should().MatchRegex(@"调整 [1-9]\d* 处");
        var changes = page[page.IndexOf("solver-changes", StringComparison.Ordinal)..];
        changes[..changes.IndexOf("</table>", StringComparison.Ordinal)].Should().Contain($"data-student=\"{moved.Value}\"");
        var loads = page[page.IndexOf("teacher-loads", StringComparison.Ordinal)..];
        loads = loads[..loads.IndexOf("</table>", StringComparison.Ordinal)];
        loads.Should().Contain("驾车分钟").And.Contain("教师0").And.Contain("教师1");
    }
}
