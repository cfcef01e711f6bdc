using ControlDropout.Scheduling.Scenarios;
using Google.OrTools.Sat;

namespace ControlDropout.Scheduling.Solving.Bounds;

/// <summary>
/// A CP-SAT relaxation whose optimum bounds from below the travel of any timetable that places the
/// same sessions. Each session goes to a day and to teamSize teachers who could each reach it; days,
/// loads and each teacher-day's time are respected as in the capacity model. A teacher-day's route
/// costs at least (a) the sum of its stops' shares of cheapest travel in and out, and (b) when travel
/// is haversine — a metric, up to half a minute of rounding per leg — the round trip to its farthest
/// home less that rounding. CP-SAT's proven objective bound is the travel bound reported.
/// </summary>
internal static class TravelBoundModel
{
    /// <summary>Costs are in 1/Scale minutes so that per-stop shares of a round trip stay whole numbers.</summary>
    private const int Scale = 12;

    public static int? Bound(SearchContext ctx, WeekState state, double seconds)
    {
        var p = ctx.Problem;
        var placed = p.Demands.Where(q => state.Placements[q.Index] is not null).ToList();
        var homes = placed.Where(q => q.Mode == SessionMode.Home).ToList();
        if (homes.Count == 0)
        {
            return 0;
        }
        var metric = p.Scenario.Travel is HaversineTravel;
        var model = new CpModel();
        var perTeacherDay = new Dictionary<(int T, int D), List<(BoolVar Y, Demand Q)>>();
        var perStudentDay = new Dictionary<(int S, int D), List<BoolVar>>();
        foreach (var q in placed)
        {
            var dayLits = new List<BoolVar>();
            for (var day = 0; day < Problem.DayCount; day++)
            {
                var able = p.Teachers.Where(t => Reach.CanReach(p, t, q, day)).ToList();
                if (able.Count < q.Student.Source.TeamSize)
                {
                    continue;
                }
                var z = model.NewBoolVar("");
                dayLits.Add(z);
                Add(perStudentDay, (q.Student.Index, day), z);
                var members = new List<(TeacherInfo T, BoolVar Y)>();
                foreach (var t in able)
                {
                    var y = model.NewBoolVar("");
                    model.AddImplication(y, z);
                    members.Add((t, y));
                    Add(perTeacherDay, (t.Index, day), (y, q));
                }
                model.Add(LinearExpr.Sum(members.Select(m => m.Y)) == q.Student.Source.TeamSize * z);
                foreach (var skill in q.Student.Source.RequiredSkills)
                {
                    model.Add(LinearExpr.Sum(members.Where(m => m.T.Skills.Contains(skill)).Select(m => m.Y)) >= z);
                }
            }
            if (dayLits.Count == 0)
            {
                return null; // Cannot happen for a placed session; no bound rather than a wrong one.
            }
            model.AddExactlyOne(dayLits);
        }
        foreach (var lits in perStudentDay.Values.Where(l => l.Count > 1))
        {
            model.AddAtMostOne(lits);
        }
        var routeCosts = new List<IntVar>();
        foreach (var t in p.Teachers)
        {
            var all = perTeacherDay.Where(kv => kv.Key.T == t.Index).SelectMany(kv => kv.Value).Select(x => x.Y).ToList();
            if (all.Count > 0)
            {
                model.Add(LinearExpr.Sum(all) <= t.MaxSessions);
            }
        }
        foreach (var ((ti, day), stops) in perTeacherDay)
        {
            var t = p.Teachers[ti];
            var window = Math.Min(t.Windows[day]!.Value.Length, t.MaxAway);
            var shares = stops.Select(x => Reach.StopShare(p, t, x.Q, homes)).ToList();
            model.Add(LinearExpr.WeightedSum(stops.Select(x => x.Y), stops.Select((x, i) => (long)(x.Q.Duration + shares[i]))) <= window);
            var homeStops = stops.Where(x => x.Q.Mode == SessionMode.Home).ToList();
            if (homeStops.Count == 0)
            {
                continue;
            }
            var worst = homeStops.Max(x => p.Tr(t.BasePlace, x.Q.Student.Place) + p.Tr(x.Q.Student.Place, t.BasePlace));
            var cost = model.NewIntVar(0, Scale * Math.Max(worst, shares.Sum()), "");
            routeCosts.Add(cost);
            model.Add(cost >= LinearExpr.WeightedSum(stops.Select(x => x.Y), shares.Select(s => (long)s * Scale)));
            if (metric)
            {
                // Legs b→…→v and v→…→b each lose at most half a minute of rounding per leg.
                var shortest = Math.Max(1, stops.Min(x => x.Q.Duration));
                var maxStops = Math.Min(t.MaxSessions, window / shortest);
                var slack = (maxStops + 3 + 1) / 2;
                var radial = new List<(BoolVar Y, long Share)>();
                foreach (var (y, q) in homeStops)
                {
                    var roundTrip = p.Tr(t.BasePlace, q.Student.Place) + p.Tr(q.Student.Place, t.BasePlace) - slack;
                    if (roundTrip <= 0)
                    {
                        continue;
                    }
                    // The route costs at least its farthest round trip, so at least roundTrip; and it
                    // holds at most `fit` stops once that far, so each stop carries at least roundTrip / fit.
                    model.Add(cost >= Scale * roundTrip * y);
                    var fit = Math.Clamp(1 + (window - roundTrip - q.Duration) / shortest, 1, maxStops);
                    radial.Add((y, Scale * roundTrip / fit));
                }
                if (radial.Count > 0)
                {
                    model.Add(cost >= LinearExpr.WeightedSum(radial.Select(r => r.Y), radial.Select(r => r.Share)));
                }
            }
        }
        model.Minimize(LinearExpr.Sum(routeCosts));
        var solver = new CpSolver
        {
            StringParameters = $"num_workers:{(ctx.Budget.Deterministic ? 1 : Math.Max(1, ctx.Workers))},random_seed:{ctx.Seed},"
                + (ctx.Budget.Deterministic ? "max_deterministic_time:" : "max_time_in_seconds:")
                + seconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture),
        };
        var status = ctx.Budget.Solve(solver, model);
        if (status is not (CpSolverStatus.Optimal or CpSolverStatus.Feasible or CpSolverStatus.Unknown))
        {
            return null;
        }
        return (int)Math.Ceiling(solver.BestObjectiveBound / Scale - 1e-6);
    }

    private static void Add<TKey, TValue>(Dictionary<TKey, List<TValue>> map, TKey key, TValue value) where TKey : notnull
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = [];
        }
        list.Add(value);
    }
}
