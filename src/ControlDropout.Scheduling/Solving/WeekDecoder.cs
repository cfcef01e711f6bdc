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
}
