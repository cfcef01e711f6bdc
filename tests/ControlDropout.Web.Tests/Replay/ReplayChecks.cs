using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using ControlDropout.Web.Features.Calendar;

namespace ControlDropout.Web.Tests.Replay;

/// <summary>The facts checked after every step of the replay, each finding naming the step, the week and what is wrong.</summary>
public static class ReplayChecks
{
    /// <summary>Every record of the replay is made exactly as scheduled: none may carry <c>impossible_travel</c>.</summary>
    public static IEnumerable<string> NoFalseTravelFlags(Snapshot snapshot) =>
        snapshot.Visits.Where(v => v.GetProperty("flags").EnumerateArray().Any(f => f.GetString()!.Contains("impossible_travel", StringComparison.Ordinal)))
            .Select(v => $"[{snapshot.Step}] {TermCalendar.IsoWeekName(PastAnswers.DateOf(v))} · visit record {v.GetProperty("date").GetString()} {v.GetProperty("start").GetString()}–{v.GetProperty("end").GetString()} " +
                         $"(session {v.GetProperty("sessionKey").GetString()}), made as scheduled, is flagged: {string.Join("; ", v.GetProperty("flags").EnumerateArray().Select(f => f.GetString()))}");

    /// <summary>
    /// A past week outside a child's effective span (from its plan's <c>effectiveFrom</c>/<c>effectiveUntil</c>;
    /// while the plan answers none, from the day it was approved) is never <c>Missed</c>.
    /// </summary>
    public static async Task<IEnumerable<string>> NoMissOutsideTheSpanAsync(Snapshot snapshot, ReplayCounty replay, HttpClient approver)
    {
        var found = new List<string>();
        var spans = new Dictionary<Guid, (DateOnly From, DateOnly? Until)>();
        foreach (var child in replay.Children)
        {
            var plan = await approver.GetFromJsonAsync<JsonElement>($"/api/plans/{child.PlanId}");
            DateOnly? Date(string name) => plan.TryGetProperty(name, out var d) && d.ValueKind == JsonValueKind.String ? DateOnly.Parse(d.GetString()!, CultureInfo.InvariantCulture) : null;
            if (Date("effectiveFrom") is not { } from)
            {
                found.Add($"/api/plans/{{id}} answers no effectiveFrom for {child.Name}'s approved plan (checked against its approval day {PastAnswers.Day(child.ApprovedOn)})");
                from = child.ApprovedOn;
            }
            spans[child.Id] = (from, Date("effectiveUntil"));
        }
        foreach (var (week, row) in snapshot.CoverageRows)
        {
            if (!spans.TryGetValue(row.GetProperty("studentId").GetGuid(), out var span) || row.GetProperty("status").ToString() is not ("Missed" or "2"))
            {
                continue;
            }
            var monday = IsoWeekMonday(week);
            if (monday.AddDays(6) < span.From || (span.Until is { } until && monday > until))
            {
                var name = replay.Children.Single(c => c.Id == row.GetProperty("studentId").GetGuid()).Name;
                found.Add($"[{snapshot.Step}] {week} · coverage: {name} is Missed in a week outside the plan's span ({PastAnswers.Day(span.From)}–{(span.Until is { } u ? PastAnswers.Day(u) : "term end")})");
            }
        }
        return found;
    }

    private static DateOnly IsoWeekMonday(string week) =>
        DateOnly.FromDateTime(ISOWeek.ToDateTime(int.Parse(week[..4], CultureInfo.InvariantCulture), int.Parse(week[6..], CultureInfo.InvariantCulture), DayOfWeek.Monday));

    /// <summary>
    /// The teaching file states what was planned and what happened, and the two agree with the system: each
    /// past session in force appears on its day with its times and team; each record on its day with its times
    /// and the staff present; a record made as scheduled sits on a session in force with the same day, times
    /// and team; and no row of a day names times that neither a session nor a record of that day has.
    /// </summary>
    public static IEnumerable<string> TeachingFilesAgree(Snapshot snapshot, ReplayCounty replay)
    {
        var names = replay.StaffNames;
        string Team(JsonElement e, string property) => string.Join("、", e.GetProperty(property).EnumerateArray().Select(x => names.GetValueOrDefault(x.GetGuid(), "?")));
        static string Hm(JsonElement e, string property) => e.GetProperty(property).GetString()![..5];
        var records = PastAnswers.Latest(snapshot.Visits).ToList();
        foreach (var child in replay.Children)
        {
            if (!snapshot.TeachingFileRows.TryGetValue(child.Id, out var rows))
            {
                continue;
            }
            var sessions = snapshot.Sessions.Where(s => s.GetProperty("studentId").GetGuid() == child.Id && PastAnswers.DateOf(s) < snapshot.Today).ToList();
            var visits = records.Where(v => v.GetProperty("studentId").GetGuid() == child.Id && PastAnswers.DateOf(v) < snapshot.Today).ToList();
            string Where(DateOnly day) => $"[{snapshot.Step}] {TermCalendar.IsoWeekName(day)} · teaching file of {child.Name}, {PastAnswers.Day(day)}";
            bool Shows(DateOnly day, string start, string end, IEnumerable<string> team) =>
                rows.TryGetValue(day, out var texts) && texts.Any(t => t.Contains(start, StringComparison.Ordinal) && t.Contains(end, StringComparison.Ordinal) && team.All(n => t.Contains(n, StringComparison.Ordinal)));
            foreach (var s in sessions.Where(s => s.GetProperty("status").ToString() is not ("Cancelled" or "1")))
            {
                var day = PastAnswers.DateOf(s);
                var team = s.GetProperty("staffIds").EnumerateArray().Select(x => names.GetValueOrDefault(x.GetGuid(), "?")).ToList();
                if (!Shows(day, Hm(s, "start"), Hm(s, "end"), team))
                {
                    yield return $"{Where(day)}: the session in force {Hm(s, "start")}–{Hm(s, "end")} {Team(s, "staffIds")} is not planned in the file (rows: {string.Join(" // ", rows.GetValueOrDefault(day) ?? [])})";
                }
            }
            foreach (var v in visits)
            {
                var day = PastAnswers.DateOf(v);
                var present = v.GetProperty("staffPresent").EnumerateArray().Select(x => names.GetValueOrDefault(x.GetGuid(), "?")).ToList();
                if (!Shows(day, Hm(v, "start"), Hm(v, "end"), present))
                {
                    yield return $"{Where(day)}: the record {Hm(v, "start")}–{Hm(v, "end")} {Team(v, "staffPresent")} is not in the file (rows: {string.Join(" // ", rows.GetValueOrDefault(day) ?? [])})";
                }
                var key = v.GetProperty("sessionKey").GetString();
                var planned = sessions.Where(s => s.GetProperty("sessionKey").GetString() == key && s.GetProperty("status").ToString() is not ("Cancelled" or "1")).ToList();
                if (!planned.Any(s => PastAnswers.DateOf(s) == day && Hm(s, "start") == Hm(v, "start") && Hm(s, "end") == Hm(v, "end") && Team(s, "staffIds") == Team(v, "staffPresent")))
                {
                    yield return $"{Where(day)}: the record {Hm(v, "start")}–{Hm(v, "end")} {Team(v, "staffPresent")}, made as scheduled, sits on no session in force with that day, time and team " +
                                 $"(in force: {string.Join("; ", planned.Select(s => $"{s.GetProperty("date").GetString()} {Hm(s, "start")}–{Hm(s, "end")} {Team(s, "staffIds")}"))})";
                }
            }
            foreach (var (day, texts) in rows)
            {
                foreach (var text in texts)
                {
                    var times = System.Text.RegularExpressions.Regex.Matches(text, @"(?<!\d)\d{2}:\d{2}(?!\d)").Select(m => m.Value).ToList();
                    // A row of one day with a start and an end (the recording time "yyyy-MM-dd HH:mm" is a third).
                    if (times.Count < 2)
                    {
                        continue;
                    }
                    var (start, end) = (times[0], times[1]);
                    var known = sessions.Any(s => PastAnswers.DateOf(s) == day && Hm(s, "start") == start && Hm(s, "end") == end)
                        || visits.Any(v => PastAnswers.DateOf(v) == day && Hm(v, "start") == start && Hm(v, "end") == end);
                    if (!known)
                    {
                        yield return $"{Where(day)}: the row \"{Snapshot.Clip(text, 160)}\" names {start}–{end}, which no session in force nor record of that day has";
                    }
                }
            }
        }
    }
}
