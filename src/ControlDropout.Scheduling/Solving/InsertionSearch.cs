namespace ControlDropout.Scheduling.Solving;

/// <summary>
/// Cheapest feasible insertion of one session into a week whose other sessions keep their times:
/// for every team and day that could deliver it, every gap in each member's day, intersected across
/// the team (both people present start to end) and with the child's windows.
/// </summary>
internal static class InsertionSearch
{
    private readonly record struct Gap(int Lo, int Hi, int Delta);

    public static Insertion? Best(WeekState state, SearchContext ctx, int q)
    {
        var p = ctx.Problem;
        var demand = p.Demands[q];
        var student = demand.Student;
        var kind = ctx.KindOf[q];
        var weights = ctx.Weights;
        Insertion? best = null;
        long work = 0;
        var gapsPerMember = new List<Gap>[student.Source.TeamSize];
        foreach (var option in kind.Options)
        {
            var day = option.Day;
            if (state.StudentDays[student.Index, day] > 0)
            {
                continue;
            }
            var full = false;
            foreach (var t in option.Team)
            {
                full |= state.Load[t] >= p.Teachers[t].MaxSessions;
            }
            if (full)
            {
                continue;
            }
            var empty = false;
            for (var m = 0; m < option.Team.Length && !empty; m++)
            {
                gapsPerMember[m] = Gaps(state, p, demand, option.Team[m], day);
                work += gapsPerMember[m].Count + 1;
                empty = gapsPerMember[m].Count == 0;
            }
            if (empty)
            {
                continue;
            }
            var loadTieBreak = 0;
            foreach (var t in option.Team)
            {
                loadTieBreak += state.Load[t];
            }
            var fixedCost = option.NonPreferred * (student.Preferred.Count > 0 ? weights.NonPreferred : 0) * 16 + loadTieBreak;
            Combine(gapsPerMember, option.Team.Length, 0, int.MinValue, int.MaxValue, 0, (lo, hi, delta) =>
            {
                foreach (var w in student.Windows[day])
                {
                    var from = Math.Max(lo, w.From);
                    var to = Math.Min(hi, w.To - demand.Duration);
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
                    if (best is null || cost < best.Value.Cost)
                    {
                        best = new Insertion(cost, day, start, option.Team, delta);
                    }
                }
            });
        }
        ctx.Budget.AddWork(work);
        return best;
    }

    private static void Combine(List<Gap>[] gaps, int members, int m, int lo, int hi, int delta, Action<int, int, int> emit)
    {
        if (m == members)
        {
            emit(lo, hi, delta);
            return;
        }
        foreach (var g in gaps[m])
        {
            var lo2 = Math.Max(lo, g.Lo);
            var hi2 = Math.Min(hi, g.Hi);
            if (lo2 <= hi2)
            {
                Combine(gaps, members, m + 1, lo2, hi2, delta + g.Delta, emit);
            }
        }
    }

    /// <summary>Start ranges at which the session fits between two visits of the teacher's day.</summary>
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
        var limited = teacher.MaxAway != int.MaxValue;
        var depart = k > 0 ? route[0].Start - p.Tr(home, route[0].Place) : 0;
        var ret = k > 0 ? route[k - 1].End + p.Tr(route[k - 1].Place, home) : 0;
        if (k == 0 && limited && p.Tr(home, place) + duration + p.Tr(place, home) > teacher.MaxAway)
        {
            return result;
        }
        for (var i = 0; i <= k; i++)
        {
            var prevPlace = i > 0 ? route[i - 1].Place : home;
            var prevEnd = i > 0 ? route[i - 1].End : window.From;
            var nextPlace = i < k ? route[i].Place : home;
            var nextStart = i < k ? route[i].Start : window.To;
            var lo = prevEnd + p.Tr(prevPlace, place);
            var hi = nextStart - p.Tr(place, nextPlace) - duration;
            if (limited && k > 0)
            {
                if (i == 0)
                {
                    lo = Math.Max(lo, ret + p.Tr(home, place) - teacher.MaxAway);
                }
                if (i == k)
                {
                    hi = Math.Min(hi, depart + teacher.MaxAway - duration - p.Tr(place, home));
                }
            }
            if (lo <= hi)
            {
                var delta = p.Tr(prevPlace, place) + p.Tr(place, nextPlace) - (k == 0 ? 0 : p.Tr(prevPlace, nextPlace));
                result.Add(new Gap(lo, hi, delta));
            }
        }
        return result;
    }
}
