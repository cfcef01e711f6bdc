using System.Collections.Immutable;
using ControlDropout.Scheduling.Scenarios;
using ControlDropout.Scheduling.Solving;
using ControlDropout.Web.Features.Calendar;
using CoreTimetable = ControlDropout.Scheduling.Timetables.Timetable;

namespace ControlDropout.Web.Features.Timetables;

/// <summary>A session on a date, before it is stored.</summary>
public sealed record DatedSession(string Key, Domain.StudentId StudentId, string Mode, string Week, DateOnly Date, TimeOnly Start, TimeOnly End, IReadOnlyList<Guid> StaffIds, string? MovedBecause);

/// <summary>
/// Lays the weekly template over every teaching week of the term from a first day on (a run's
/// sessions before today could never be published), and only on the days each child's plan is in
/// force: a week outside a child's span has no session of theirs, a week it starts or ends in is
/// re-planned onto the days inside it. Where a holiday or closure takes a
/// session's day, only that week is re-planned: the week's other sessions are pinned as they are and
/// the template is the baseline, so the displaced session lands as close to its usual slot as it can.
/// </summary>
public static class TermExpander
{
    public static (IReadOnlyList<DatedSession> Sessions, int Unplaced) Expand(
        Scenario template, CoreTimetable solved, IReadOnlyList<CalendarWeek> countyWeeks,
        Func<StudentId, IReadOnlyList<CalendarWeek>> weeksOfStudent, Func<StudentId, Domain.EffectiveSpan?> spanOf, DateOnly firstDay,
        SolveOptions weekOptions, CancellationToken ct = default)
    {
        var result = new List<DatedSession>();
        var unplaced = 0;
        var ordinals = Ordinals(solved.Sessions);
        var studentWeeks = template.Students.ToDictionary(s => s.Id, s => weeksOfStudent(s.Id).ToDictionary(w => w.Week));
        var spans = template.Students.ToDictionary(s => s.Id, s => spanOf(s.Id));
        foreach (var week in countyWeeks.Where(w => w.TeachingDays > 0 && w.Monday.AddDays(6) >= firstDay))
        {
            ct.ThrowIfCancellationRequested();
            bool Open(StudentId student, DateOnly date) => date >= firstDay && spans[student] is { } span && span.Contains(date);
            bool Teaching(StudentId student, Weekday day) =>
                Open(student, week.Monday.AddDays((int)day))
                && studentWeeks[student].TryGetValue(week.Week, out var w)
                && w.Days.FirstOrDefault(d => d.Date == week.Monday.AddDays((int)day)) is { IsTeaching: true };
            // A child with no day of this week open to them has nothing to place in it, rather than something displaced.
            bool InWeek(StudentId student) => Enumerable.Range(0, 7).Any(d => Open(student, week.Monday.AddDays(d)));

            var theWeek = solved.Sessions.Where(s => InWeek(s.StudentId)).ToList();
            var kept = theWeek.Where(s => Teaching(s.StudentId, s.Day)).ToList();
            var displaced = theWeek.Where(s => !Teaching(s.StudentId, s.Day)).ToList();
            var placed = kept;
            var moved = new HashSet<SessionPlacement>();
            if (displaced.Count > 0)
            {
                (placed, moved, var missing) = Replan(template, solved, week, kept, displaced, Teaching, InWeek, weekOptions, ct);
                unplaced += missing;
            }
            foreach (var s in placed)
            {
                var date = week.Monday.AddDays((int)s.Day);
                var ordinal = ordinals.TryGetValue(s, out var o) ? o : OrdinalFor(s, placed);
                result.Add(new DatedSession($"{s.StudentId}:{CoreIds.Mode(s.Mode)}:{ordinal}:{week.Week}", CoreIds.Student(s.StudentId), CoreIds.Mode(s.Mode), week.Week, date, s.Start, s.End,
                    [.. s.TeacherIds.Select(CoreIds.Staff)], moved.Contains(s) ? Reason(studentWeeks[s.StudentId][week.Week], displaced, s) : null));
            }
        }
        return (result, unplaced);
    }

    private static Dictionary<SessionPlacement, int> Ordinals(ImmutableArray<SessionPlacement> sessions)
    {
        var result = new Dictionary<SessionPlacement, int>(ReferenceEqualityComparer.Instance);
        foreach (var group in sessions.GroupBy(s => (s.StudentId, s.Mode)))
        {
            var i = 0;
            foreach (var s in group.OrderBy(s => s.Day))
            {
                result[s] = i++;
            }
        }
        return result;
    }

    private static int OrdinalFor(SessionPlacement s, List<SessionPlacement> placed) =>
        placed.Where(p => p.StudentId == s.StudentId && p.Mode == s.Mode).OrderBy(p => p.Day).ToList().IndexOf(s);

    private static string Reason(CalendarWeek week, List<SessionPlacement> displaced, SessionPlacement s)
    {
        var from = displaced.FirstOrDefault(d => d.StudentId == s.StudentId && d.Mode == s.Mode);
        var day = from is null ? null : week.Days.FirstOrDefault(d => d.Date == week.Monday.AddDays((int)from.Day));
        return day?.Note ?? "节假日或停课";
    }

    private static (List<SessionPlacement> Placed, HashSet<SessionPlacement> Moved, int Missing) Replan(
        Scenario template, CoreTimetable solved, CalendarWeek week, List<SessionPlacement> kept, List<SessionPlacement> displaced,
        Func<StudentId, Weekday, bool> teaching, Func<StudentId, bool> inWeek, SolveOptions options, CancellationToken ct)
    {
        // The week's scenario: only its teaching days, each child's windows cut to the days taught where the child lives.
        var days = Enum.GetValues<Weekday>().Where(d => week.Days.Any(x => x.Date == week.Monday.AddDays((int)d) && x.IsTeaching)).ToImmutableArray();
        var students = template.Students.Where(s => inWeek(s.Id)).Select(s => s with
        {
            Availability = [.. s.Availability.Where(w => teaching(s.Id, w.Day))],
        }).ToImmutableArray();
        var baseline = solved.Sessions.Where(s => inWeek(s.StudentId)).ToImmutableArray();
        var scenario = template with { Days = days.IsEmpty ? [Weekday.Mon] : days, Students = students, Pinned = [.. kept], Baseline = baseline, Options = options };
        var outcome = WeekSolver.Solve(scenario, options, null, ct);
        if (outcome.Status == Scheduling.Timetables.TimetableStatus.Invalid)
        {
            return (kept, [], displaced.Count);
        }
        var keptSet = kept.Select(Key).ToHashSet();
        var placed = outcome.Sessions.ToList();
        var moved = placed.Where(s => !keptSet.Contains(Key(s))).ToHashSet();
        return (placed, moved, Math.Max(0, baseline.Length - placed.Count));
    }

    private static string Key(SessionPlacement s) => $"{s.StudentId}|{s.Mode}|{s.Day}|{TimeFormat.Format(s.Start)}";
}
