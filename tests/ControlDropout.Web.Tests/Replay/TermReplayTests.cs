using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Calendar;
using ControlDropout.Web.Tests.Support;
using Xunit.Abstractions;

namespace ControlDropout.Web.Tests.Replay;

/// <summary>
/// The term replay (issue 12): a fake clock stepped through a term — plans approved in week 1, a run
/// published, every session of weeks 1–5 recorded exactly as scheduled, two more plans approved and a
/// run published in week 6, leave in week 8, a township closure in week 9, a new run in week 10. After
/// every step every answer about the settled past reads byte for byte as before the step, no record made
/// as scheduled is flagged <c>impossible_travel</c>, no child is missed outside its plan's span, and the
/// teaching file's planned and delivered columns agree with the sessions and the records.
/// </summary>
public sealed class TermReplayTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;
    private readonly ITestOutputHelper _output;
    private readonly System.Diagnostics.Stopwatch _watch = System.Diagnostics.Stopwatch.StartNew();

    public TermReplayTests(ServiceFactory factory, ITestOutputHelper output)
    {
        _factory = factory;
        _output = output;
        // Each snapshot signs in on /login as the approver and each teacher, as a person would.
        factory.Settings["Access:LoginAttemptsPerMinute"] = "100000";
    }

    /// <summary>Week 1 of the replay is the clock's first week (Monday 7 September, the term's second ISO week).</summary>
    private static readonly DateOnly Week1 = new(2026, 9, 7);

    private static DateOnly MondayOfWeek(int n) => Week1.AddDays(7 * (n - 1));

    private readonly List<string> _failures = [];
    private Snapshot? _last;
    private ReplayCounty _replay = null!;
    private PastAnswers _answers = null!;

    [Fact]
    public async Task Stepping_through_a_term_never_changes_an_answer_about_the_past()
    {
        _replay = await ReplayCounty.SeedAsync(_factory);
        _answers = new PastAnswers(_replay);
        var approver = await _replay.County.As("approver");
        await StepAsync("start (week 1, Monday)");

        await _replay.ApproveNewChildrenAsync(["陈小一", "陈小二", "陈小三", "陈小四"]);
        await StepAsync("week 1: four plans approved");
        await approver.RunAndPublishAsync(_replay.County.Term);
        await StepAsync("week 1: first run published");

        for (var week = 1; week <= 5; week++)
        {
            if (week > 1)
            {
                await MoveToAsync(MondayOfWeek(week), new TimeOnly(9, 0));
                await StepAsync($"week {week}: Monday");
            }
            await RecordWeekAsync(week);
        }

        await MoveToAsync(MondayOfWeek(6), new TimeOnly(9, 0));
        await StepAsync("week 6: Monday");
        await _replay.ApproveNewChildrenAsync(["陈小五", "陈小六"]);
        await StepAsync("week 6: two more plans approved");
        await (await _replay.County.As("approver")).RunAndPublishAsync(_replay.County.Term);
        await StepAsync("week 6: second run published");

        await MoveToAsync(MondayOfWeek(7), new TimeOnly(9, 0));
        await StepAsync("week 7: Monday");

        await MoveToAsync(MondayOfWeek(8), new TimeOnly(9, 0));
        await StepAsync("week 8: Monday");
        var onLeave = _replay.StaffNames.Where(s => s.Key != _replay.County.Teacher.Value).OrderBy(s => s.Value, StringComparer.Ordinal).First().Key;
        var leave = await (await _replay.County.As("approver")).PostAsJsonAsync($"/api/staff/{onLeave}/leave",
            new { firstDay = PastAnswers.Day(MondayOfWeek(8).AddDays(1)), lastDay = PastAnswers.Day(MondayOfWeek(8).AddDays(3)), reason = "病假" });
        Require(leave, HttpStatusCode.Created, "week 8: leave");
        await StepAsync($"week 8: leave for {_replay.StaffNames[onLeave]} (Tuesday–Thursday)");

        await MoveToAsync(MondayOfWeek(9), new TimeOnly(9, 0));
        await StepAsync("week 9: Monday");
        var closure = await (await _replay.County.As("approver")).PostAsJsonAsync($"/api/terms/{_replay.County.Term.Value}/closures",
            new { townshipCode = ReplayCounty.TownshipA, firstDay = PastAnswers.Day(MondayOfWeek(9).AddDays(2)), lastDay = PastAnswers.Day(MondayOfWeek(9).AddDays(4)), reason = "道路塌方" });
        Require(closure, HttpStatusCode.Created, "week 9: closure");
        await StepAsync("week 9: township closure (Wednesday–Friday)");

        await MoveToAsync(MondayOfWeek(10), new TimeOnly(9, 0));
        await StepAsync("week 10: Monday");
        await (await _replay.County.As("approver")).RunAndPublishAsync(_replay.County.Term);
        await StepAsync("week 10: new run published");

        await MoveToAsync(MondayOfWeek(11), new TimeOnly(9, 0));
        await StepAsync("week 11: Monday");

        if (_failures.Count > 0)
        {
            Assert.Fail($"{_failures.Count} finding(s):\n" + string.Join("\n", _failures.Take(60)) + (_failures.Count > 60 ? $"\n… and {_failures.Count - 60} more" : ""));
        }
    }

    /// <summary>Every session in force of the week, in order: the clock moved past its end, then recorded by a teacher of its team exactly as scheduled.</summary>
    private async Task RecordWeekAsync(int week)
    {
        var approver = await _replay.County.As("approver");
        var published = (await approver.GetFromJsonAsync<List<JsonElement>>($"/api/timetables?termId={_replay.County.Term.Value}"))!
            .Single(t => t.GetProperty("status").ToString() is "Published" or "2").GetProperty("id").GetGuid();
        var name = TermCalendar.IsoWeekName(MondayOfWeek(week));
        var sessions = (await approver.GetFromJsonAsync<List<JsonElement>>($"/api/timetables/{published}/sessions?week={name}"))!
            .Where(s => s.GetProperty("status").ToString() is not ("Cancelled" or "1"))
            .OrderBy(s => s.GetProperty("date").GetString(), StringComparer.Ordinal).ThenBy(s => s.GetProperty("end").GetString(), StringComparer.Ordinal).ToList();
        if (sessions.Count == 0)
        {
            _failures.Add($"[week {week}] the published timetable has no session in {name} to record");
        }
        // A day's sessions are one step: each recorded after the clock has passed its end.
        var publishedBy = _factory.Clock.GetUtcNow();
        foreach (var day in sessions.GroupBy(PastAnswers.DateOf))
        {
            var recorded = new List<string>();
            foreach (var s in day)
            {
                var date = day.Key;
                var start = TimeOnly.Parse(s.GetProperty("start").GetString()!, CultureInfo.InvariantCulture);
                var end = TimeOnly.Parse(s.GetProperty("end").GetString()!, CultureInfo.InvariantCulture);
                if (new DateTimeOffset(date.ToDateTime(end), Conventions.ChinaOffset) <= publishedBy)
                {
                    _failures.Add($"[week {week}] session {s.GetProperty("sessionKey").GetString()} on {PastAnswers.Day(date)} ended before the week's recording began");
                    continue;
                }
                await MoveToAsync(date, end.AddMinutes(10));
                var team = s.GetProperty("staffIds").EnumerateArray().Select(x => x.GetGuid()).ToList();
                var teacher = await _factory.ClientAsAsync(_replay.AccountOfStaff[team[0]]);
                var child = _replay.Children.Single(c => c.Id == s.GetProperty("studentId").GetGuid());
                var response = await teacher.PostAsJsonAsync("/api/visits", new
                {
                    sessionKey = s.GetProperty("sessionKey").GetString(), date = PastAnswers.Day(date), start = start.ToString("HH:mm", CultureInfo.InvariantCulture),
                    end = end.ToString("HH:mm", CultureInfo.InvariantCulture), staffPresent = team, place = "Home", content = "认识日常用品，练习抓握",
                    goalsAddressed = new[] { "能独立抓握勺子" }, childResponse = "能配合", guardianFeedback = "满意", guardianName = "陈某", homeTask = "每天练习抓握", missed = false,
                });
                Require(response, HttpStatusCode.Created, $"week {week}: record {child.Name} {PastAnswers.Day(date)} {start:HH:mm}");
                recorded.Add($"{child.Name} {start:HH\\:mm}–{end:HH\\:mm}");
            }
            await StepAsync($"week {week}: the sessions of {PastAnswers.Day(day.Key)} recorded ({string.Join(", ", recorded)})");
        }
    }

    private void Require(HttpResponseMessage response, HttpStatusCode expected, string what)
    {
        if (response.StatusCode != expected)
        {
            throw new InvalidOperationException($"[{what}] answered {(int)response.StatusCode}: {response.Content.ReadAsStringAsync().GetAwaiter().GetResult()}\nfindings so far:\n{string.Join("\n", _failures.Take(30))}");
        }
    }

    private Task MoveToAsync(DateOnly day, TimeOnly time)
    {
        var at = new DateTimeOffset(day.ToDateTime(time), Conventions.ChinaOffset);
        if (at > _factory.Clock.GetUtcNow())
        {
            _factory.Clock.SetUtcNow(at);
        }
        return Task.CompletedTask;
    }

    /// <summary>One step done: read every answer about the past, compare with the step before, and check the facts.</summary>
    private async Task StepAsync(string step)
    {
        var snapshot = await _answers.TakeAsync(step);
        var found = new List<string>(snapshot.Problems);
        if (_last is { } before)
        {
            found.AddRange(Snapshot.Changes(before, snapshot));
        }
        found.AddRange(ReplayChecks.NoFalseTravelFlags(snapshot));
        found.AddRange(await ReplayChecks.NoMissOutsideTheSpanAsync(snapshot, _replay, await _replay.County.As("approver")));
        found.AddRange(ReplayChecks.TeachingFilesAgree(snapshot, _replay));
        // Coverage's maintained summary reads, after every step, exactly what the term record derives from scratch.
        found.AddRange(await Features.Coverage.SummaryAgreement.DisagreementsAsync(_factory, snapshot.Step));
        // A finding that persists (a week still shown missed) is listed once, under the first step that showed it.
        static string WithoutStep(string f) => f.StartsWith('[') && f.IndexOf("] ", StringComparison.Ordinal) is > 0 and var end ? f[(end + 2)..] : f;
        var fresh = found.Distinct().Where(f => !_failures.Any(seen => WithoutStep(seen) == WithoutStep(f))).ToList();
        _output.WriteLine($"{_watch.Elapsed.TotalSeconds,6:F1}s {snapshot.Step}: {snapshot.Answers.Count} answers about the past, {fresh.Count} new finding(s) [{string.Join(", ", snapshot.Timings)}]");
        foreach (var f in fresh.Take(5))
        {
            _output.WriteLine("    " + f.Replace("\n", "\n    ", StringComparison.Ordinal));
        }
        _failures.AddRange(fresh);
        _last = snapshot;
    }
}
