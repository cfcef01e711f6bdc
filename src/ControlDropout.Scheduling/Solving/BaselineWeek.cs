namespace ControlDropout.Scheduling.Solving;

/// <summary>
/// The last published week (the baseline), rebuilt where it still holds: every baseline session that
/// still fits is placed as it was (same day, start and team), the rest by the usual construction.
/// The search starts from whichever of this and the fresh construction scores better, so a re-run of
/// an unchanged week keeps every session, and with a change penalty the result is never worse than
/// keeping the baseline where the baseline is still feasible (the search only ever improves its best).
/// </summary>
internal static class BaselineWeek
{
    /// <summary>A copy of <paramref name="pinned"/> with every baseline session that still fits; null without a baseline.</summary>
    public static WeekState? Keep(SearchContext ctx, WeekState pinned)
    {
        if (ctx.BaselineCount == 0)
        {
            return null;
        }
        var p = ctx.Problem;
        var state = pinned.Clone();
        foreach (var b in p.Scenario.Baseline.OrderBy(b => b.Day).ThenBy(b => b.Start))
        {
            if (!p.StudentIndex.TryGetValue(b.StudentId, out var s))
            {
                continue;
            }
            var day = (int)b.Day;
            var start = Problem.Minutes(b.Start);
            var team = b.TeacherIds.Select(id => p.TeacherIndex[id]).Order().ToArray();
            var q = p.Demands.FirstOrDefault(d => d.Student.Index == s && d.Mode == b.Mode && state.Placements[d.Index] is null)?.Index;
            if (q is { } demand && StillFits(ctx, state, demand, day, start, team, out var positions))
            {
                state.Insert(demand, day, start, team, positions);
            }
        }
        return state;
    }

    /// <summary>Completes the kept baseline week by construction and returns the better start for the search.</summary>
    public static WeekState Better(SearchContext ctx, bool[] isFixed, WeekState constructed, WeekState? kept)
    {
        if (kept is null)
        {
            return constructed;
        }
        // Construction draws nothing at random, so this generator never changes the run's sequence.
        var completed = new RuinAndRecreate(ctx, isFixed, new Random(ctx.Seed)).Construct(kept);
        return completed.Objective < constructed.Objective ? completed : constructed;
    }

    /// <summary>
    /// The same tests as an insertion: a team and day the child may still have, the start on the grid
    /// and inside a window, load left, and each member's day re-timed with the visit in start order.
    /// </summary>
    private static bool StillFits(SearchContext ctx, WeekState state, int q, int day, int start, int[] team, out int[] positions)
    {
        var p = ctx.Problem;
        var demand = p.Demands[q];
        positions = new int[team.Length];
        if (!p.OnGrid(start) || state.StudentDays[demand.Student.Index, day] > 0
            || !RouteTiming.FitsWindow(demand.Student.Windows[day], start, demand.Duration)
            || !ctx.KindOf[q].Options.Any(o => o.Day == day && o.Team.AsSpan().SequenceEqual(team)))
        {
            return false;
        }
        for (var m = 0; m < team.Length; m++)
        {
            var teacher = p.Teachers[team[m]];
            if (state.Load[teacher.Index] >= teacher.MaxSessions)
            {
                return false;
            }
            var route = new List<Visit>(state.Routes[teacher.Index, day]);
            var at = route.FindIndex(v => v.Start > start);
            positions[m] = at < 0 ? route.Count : at;
            route.Insert(positions[m], new Visit(q, start, start + demand.Duration, demand.PlaceFor(teacher), state.StartIsFixed(q)));
            var starts = new int[route.Count];
            if (!RouteTiming.Schedule(p, ctx, teacher, day, route, starts))
            {
                return false;
            }
        }
        return true;
    }
}
