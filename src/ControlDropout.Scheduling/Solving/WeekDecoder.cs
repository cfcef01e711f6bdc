using System.Collections.Immutable;
using ControlDropout.Scheduling.Scenarios;
using ControlDropout.Scheduling.Timetables;

namespace ControlDropout.Scheduling.Solving;

/// <summary>Turns a week of the search into the contract's sessions, routes and metrics.</summary>
internal static class WeekDecoder
{
    public static ImmutableArray<SessionPlacement> Sessions(Problem p, WeekState state) =>
    [
        .. p.Demands
            .Where(q => state.Placements[q.Index] is not null)
            .Select(q =>
            {
                var placement = state.Placements[q.Index]!;
                return new SessionPlacement(q.Student.Source.Id, q.Mode, (Weekday)placement.Day,
                    Problem.Time(placement.Start), Problem.Time(placement.Start + q.Duration),
                    [.. placement.Team.Order().Select(t => p.Teachers[t].Source.Id)]);
            })
            .OrderBy(s => s.Day).ThenBy(s => s.Start).ThenBy(s => s.StudentId.Value, StringComparer.Ordinal).ThenBy(s => s.Mode),
    ];

    public static ImmutableArray<TeacherRoute> Routes(Problem p, WeekState state)
    {
        var routes = ImmutableArray.CreateBuilder<TeacherRoute>();
        foreach (var teacher in p.Teachers)
        {
            for (var d = 0; d < Problem.DayCount; d++)
            {
                var route = state.Routes[teacher.Index, d];
                if (route.Count == 0)
                {
                    continue;
                }
                var depart = route[0].Start - p.Tr(teacher.BasePlace, route[0].Place);
                var ret = route[^1].End + p.Tr(route[^1].Place, teacher.BasePlace);
                routes.Add(new TeacherRoute(teacher.Source.Id, (Weekday)d, Problem.Time(depart), Problem.Time(ret), state.RouteCost(teacher.Index, d)));
            }
        }
        return routes.ToImmutable();
    }

    /// <summary>Each teacher's sessions, teaching minutes, driving minutes and longest day of driving, in scenario order.</summary>
    public static ImmutableArray<TeacherLoad> Loads(Problem p, WeekState state)
    {
        var loads = ImmutableArray.CreateBuilder<TeacherLoad>(p.Teachers.Length);
        foreach (var teacher in p.Teachers)
        {
            int sessions = 0, teaching = 0, travel = 0, maxDay = 0;
            for (var d = 0; d < Problem.DayCount; d++)
            {
                var route = state.Routes[teacher.Index, d];
                sessions += route.Count;
                teaching += route.Sum(v => v.End - v.Start);
                var day = state.RouteCost(teacher.Index, d);
                travel += day;
                maxDay = Math.Max(maxDay, day);
            }
            loads.Add(new TeacherLoad(teacher.Source.Id, sessions, teaching, travel, maxDay));
        }
        return loads.MoveToImmutable();
    }

    /// <summary>
    /// Baseline sessions the timetable did not keep, each paired with the child's new session of the
    /// same mode that keeps no baseline session (in day order), or none when fewer are placed now.
    /// </summary>
    public static ImmutableArray<SessionChange> Changes(Scenario scenario, ImmutableArray<SessionPlacement> sessions)
    {
        if (scenario.Baseline.IsDefaultOrEmpty)
        {
            return [];
        }
        static bool Same(SessionPlacement a, SessionPlacement b) =>
            a.Day == b.Day && a.Start == b.Start && a.TeacherIds.OrderBy(t => t.Value, StringComparer.Ordinal).SequenceEqual(b.TeacherIds.OrderBy(t => t.Value, StringComparer.Ordinal));
        var changes = ImmutableArray.CreateBuilder<SessionChange>();
        foreach (var group in scenario.Baseline.GroupBy(b => (b.StudentId, b.Mode)))
        {
            var now = sessions.Where(s => s.StudentId == group.Key.StudentId && s.Mode == group.Key.Mode).ToList();
            var lost = new List<SessionPlacement>();
            foreach (var was in group.OrderBy(b => b.Day).ThenBy(b => b.Start))
            {
                var kept = now.FindIndex(s => Same(s, was));
                if (kept >= 0)
                {
                    now.RemoveAt(kept);
                }
                else
                {
                    lost.Add(was);
                }
            }
            for (var i = 0; i < lost.Count; i++)
            {
                changes.Add(new SessionChange(group.Key.StudentId, group.Key.Mode, lost[i], i < now.Count ? now[i] : null));
            }
        }
        return [.. changes.OrderBy(c => c.StudentId.Value, StringComparer.Ordinal).ThenBy(c => c.Mode).ThenBy(c => c.Was.Day).ThenBy(c => c.Was.Start)];
    }
}
