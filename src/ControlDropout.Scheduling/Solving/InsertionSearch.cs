namespace ControlDropout.Scheduling.Solving;

/// <summary>
/// Cheapest feasible insertion of one session: for every team and day that could deliver it, every
/// gap in each member's day — where the visits around it may still move within their windows —
/// intersected across the team (both people present start to end) and with the child's windows.
/// The cheapest candidates are then re-timed exactly (away-time limits included) before one is taken.
/// </summary>
internal static class InsertionSearch
{
    /// <summary>Candidates kept for the exact check; more are examined only when all of these fail it.</summary>
    private const int Shortlist = 6;

    private readonly record struct Gap(int Position, int Lo, int Hi, int Delta);

    public static Insertion? Best(WeekState state, SearchContext ctx, int q)
    {
        var shortlist = new List<Insertion>(Shortlist + 1);
        var overflow = Collect(state, ctx, q, shortlist, Shortlist);
        foreach (var candidate in shortlist)
        {
            if (Verify(state, ctx, q, candidate))
            {
                return candidate;
            }
        }
        if (!overflow)
        {
            return null;
        }
        var all = new List<Insertion>();
        Collect(state, ctx, q, all, int.MaxValue);
        return all.Skip(shortlist.Count).Cast<Insertion?>().FirstOrDefault(c => Verify(state, ctx, q, c!.Value));
    }

    /// <summary>Gathers the cheapest candidates in cost order; true when some were left out.</summary>
    private static bool Collect(WeekState state, SearchContext ctx, int q, List<Insertion> best, int keep)
    {
        var p = ctx.Problem;
        var demand = p.Demands[q];
        var student = demand.Student;
        var weights = ctx.Weights;
        var floating = !state.StartIsFixed(q);
        var overflow = false;
        long work = 0;
        var gapsPerMember = new List<Gap>[student.Source.TeamSize];
        var chosen = new int[student.Source.TeamSize];
        foreach (var option in ctx.KindOf[q].Options)
        {
            var day = option.Day;
            if (state.StudentDays[student.Index, day] > 0)
            {
                continue;
            }
            var usable = true;
            for (var m = 0; m < option.Team.Length && usable; m++)
            {
                usable = state.Load[option.Team[m]] < p.Teachers[option.Team[m]].MaxSessions;
            }
            for (var m = 0; m < option.Team.Length && usable; m++)
            {
                gapsPerMember[m] = Gaps(state, p, demand, option.Team[m], day);
                work += gapsPerMember[m].Count + 1;
                usable = gapsPerMember[m].Count > 0;
            }
            if (!usable)
            {
                continue;
            }
            var loadTieBreak = option.Team.Sum(t => state.Load[t]);
            var fixedCost = (student.Preferred.Count > 0 ? option.NonPreferred * weights.NonPreferred * 16 : 0) + loadTieBreak;
            Combine(gapsPerMember, chosen, 0, int.MinValue, int.MaxValue, 0, (lo, hi, delta) =>
            {
                foreach (var w in student.Windows[day])
                {
                    var from = p.CeilToGrid(Math.Max(lo, w.From));
                    var to = p.FloorToGrid(Math.Min(hi, w.To - demand.Duration));
                    if (from > to)
                    {
                        continue;
                    }
                    var start = from;
                    var kept = false;
                    foreach (var b in ctx.BaselineStarts(q, day, option.Team))
                    {
                        if (b >= from && b <= to)
                        {
                            start = b;
                            kept = true;
                        }
                    }
                    var cost = delta * weights.TravelMinute + fixedCost - (kept ? weights.BaselineChange : 0);
                    var positions = new int[chosen.Length];
                    for (var m = 0; m < chosen.Length; m++)
                    {
                        positions[m] = gapsPerMember[m][chosen[m]].Position;
                    }
                    overflow |= Offer(best, new Insertion(cost, day, start, option.Team, positions, delta), keep);
                    if (floating)
                    {
                        break; // A floating visit needs only one window that fits; re-timing picks the time.
                    }
                }
            });
        }
        ctx.Budget.AddWork(work);
        return overflow;
    }

    /// <summary>Inserts in cost order, keeping at most <paramref name="keep"/>; true when one was dropped.</summary>
    private static bool Offer(List<Insertion> best, Insertion candidate, int keep)
    {
        var at = best.Count;
        while (at > 0 && best[at - 1].Cost > candidate.Cost)
        {
            at--;
        }
        if (at >= keep)
        {
            return true;
        }
        best.Insert(at, candidate);
        if (best.Count > keep)
        {
            best.RemoveAt(best.Count - 1);
            return true;
        }
        return false;
    }

    private static void Combine(List<Gap>[] gaps, int[] chosen, int m, int lo, int hi, int delta, Action<int, int, int> emit)
    {
        if (m == chosen.Length)
        {
            emit(lo, hi, delta);
            return;
        }
        for (var g = 0; g < gaps[m].Count; g++)
        {
            var gap = gaps[m][g];
            var lo2 = Math.Max(lo, gap.Lo);
            var hi2 = Math.Min(hi, gap.Hi);
            if (lo2 <= hi2)
            {
                chosen[m] = g;
                Combine(gaps, chosen, m + 1, lo2, hi2, delta + gap.Delta, emit);
            }
        }
    }

    /// <summary>
    /// Start ranges on the grid at which the session fits between two visits, the others free to move
    /// within their windows, and the day's driving stays within the teacher's cap.
    /// </summary>
    private static List<Gap> Gaps(WeekState state, Problem p, Demand demand, int t, int day)
    {
        var teacher = p.Teachers[t];
        var result = new List<Gap>(4);
        if (teacher.Windows[day] is not { } window)
        {
            return result;
        }
        var route = state.Routes[t, day];
        var home = teacher.BasePlace;
        var place = demand.PlaceFor(teacher);
        var duration = demand.Duration;
        var k = route.Count;
        if (p.Tr(home, place) + duration + p.Tr(place, home) > teacher.MaxAway)
        {
            return result;
        }
        var driving = RouteTiming.Travel(p, teacher, route);
        Span<int> earliestEnds = stackalloc int[k];
        Span<int> latestStarts = stackalloc int[k];
        if (k > 0 && (!RouteTiming.EarliestEnds(p, teacher, day, route, earliestEnds)
            || !RouteTiming.LatestStarts(p, teacher, day, route, window.To, latestStarts)))
        {
            return result;
        }
        for (var i = 0; i <= k; i++)
        {
            var prevPlace = i > 0 ? route[i - 1].Place : home;
            var nextPlace = i < k ? route[i].Place : home;
            var lo = p.CeilToGrid((i > 0 ? earliestEnds[i - 1] : window.From) + p.Tr(prevPlace, place));
            var hi = p.FloorToGrid((i < k ? latestStarts[i] : window.To) - p.Tr(place, nextPlace) - duration);
            if (lo > hi)
            {
                continue;
            }
            var delta = p.Tr(prevPlace, place) + p.Tr(place, nextPlace) - (k == 0 ? 0 : p.Tr(prevPlace, nextPlace));
            if ((long)driving + delta <= teacher.MaxTravel)
            {
                result.Add(new Gap(i, lo, hi, delta));
            }
        }
        return result;
    }

    /// <summary>Re-times each member's day with the visit in place: exact, away-time limits included.</summary>
    private static bool Verify(WeekState state, SearchContext ctx, int q, Insertion c)
    {
        var p = ctx.Problem;
        var demand = p.Demands[q];
        var isFixed = state.StartIsFixed(q);
        for (var m = 0; m < c.Team.Length; m++)
        {
            var teacher = p.Teachers[c.Team[m]];
            var route = new List<Visit>(state.Routes[c.Team[m], c.Day]);
            route.Insert(c.Positions[m], new Visit(q, c.Start, c.Start + demand.Duration, demand.PlaceFor(teacher), isFixed));
            var starts = new int[route.Count];
            ctx.Budget.AddWork(route.Count);
            if (!RouteTiming.Schedule(p, ctx, teacher, c.Day, route, starts))
            {
                return false;
            }
        }
        return true;
    }
}
