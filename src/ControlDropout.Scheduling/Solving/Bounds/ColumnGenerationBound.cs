using Google.OrTools.LinearSolver;

namespace ControlDropout.Scheduling.Solving.Bounds;

/// <summary>
/// The set-partitioning bound: a lower bound on the travel of any timetable that places the same
/// sessions, from the LP relaxation over teacher-day routes, solved by column generation. Each
/// teacher-day takes at most one route; every (student, mode) is visited teamSize times per placed
/// session; a team session has a member with each required skill; a child has at most teamSize
/// visitors on a day; a teacher takes at most their weekly load. Every real timetable is a 0/1
/// point of these rows, made of routes that <see cref="RoutePricing"/> prices, so the bound below
/// it holds.
///
/// The bound reported never relies on the LP being solved to optimality. For any duals π of the
/// right sign, L(π) = Σ π·rhs + Σ over teacher-days of min(0, cheapest route's travel − Σ π of its
/// rows) is a Lagrangian lower bound (the teacher-day choice is solved exactly, the other rows are
/// priced in); it needs only exact pricing, and equals the LP optimum once no column prices out.
/// Duals are smoothed towards the best L so far (Wentges) so that L climbs in few rounds.
/// </summary>
internal static class ColumnGenerationBound
{
    /// <summary>Cost of covering a row with no route at all: keeps the first LPs feasible and caps the duals.</summary>
    private const double ArtificialCost = 10_000;

    /// <summary>Weight of the best duals so far in the duals priced (Wentges smoothing).</summary>
    private const double Smoothing = 0.5;

    /// <summary>Stops each label extends to in the heuristic rounds that come before the exact ones.</summary>
    private const int HeuristicFanOut = 5;

    /// <summary>Share of the bound's budget after which pricing is exact even if the heuristic still finds columns: only exact rounds bound.</summary>
    private const double HeuristicShare = 0.4;

    /// <summary>
    /// One-stop routes per kind in the first LP when a week is known (its cheapest teacher-days): enough
    /// to keep the first duals near a visit's cost, few enough that the simplex stays cheap on large weeks.
    /// </summary>
    private const int SinglesPerKind = 10;

    /// <summary>Cheapest routes added per teacher-day and round.</summary>
    private const int RoutesPerRound = 4;

    /// <summary>Simplex iterations per LP solve: GLOP gets no wall-clock limit so that deterministic runs repeat.</summary>
    private const int MaxSimplexIterations = 20_000;

    /// <summary>
    /// Work units charged per simplex iteration and per row or column of the LP, and per row or column
    /// for each solve (GLOP reports iterations, not time). Measured so that a deterministic second of
    /// the bound is about a wall-clock second, like the search's units.
    /// </summary>
    private const double WorkPerIterationAndSize = 0.5;

    private const double WorkPerSolveAndSize = 50;

    /// <summary>Rounds of subset-row cuts added once the LP is solved over every route.</summary>
    private const int MaxCutRounds = 8;

    /// <summary>Cuts added per round at most (the most violated).</summary>
    private const int CutsPerRound = 30;

    private enum RowKind { Coverage, Skill, StudentDay, Load, Cut }

    private sealed record Column(Variable X, int Day, int[] Kinds);

    private sealed record Row(RowKind Kind, double Rhs, Constraint Constraint);

    /// <summary>The result: the bound (travel is whole minutes, so rounded up) and the rounds it took, or null when no round was exact.</summary>
    public sealed record Outcome(int Bound, double Lagrangian, double LpValue, int Rounds, int Columns, bool LpOptimal, int Cuts = 0);

    /// <summary>The bound for the sessions a timetable placed, its own routes seeding the first LP.</summary>
    public static Outcome? Bound(SearchContext ctx, WeekState state, double seconds, int? stopAt = null)
    {
        var p = ctx.Problem;
        var placed = p.Demands.Where(q => state.Placements[q.Index] is not null).ToList();
        var incumbent = new List<(int Teacher, int Day, int[] Demands)>();
        for (var t = 0; t < p.Teachers.Length; t++)
        {
            for (var d = 0; d < Problem.DayCount; d++)
            {
                if (state.Routes[t, d].Count > 0)
                {
                    incumbent.Add((t, d, [.. state.Routes[t, d].Select(v => v.Demand)]));
                }
            }
        }
        return Bound(ctx, placed, incumbent, seconds, stopAt);
    }

    /// <param name="ctx">The problem and the budget to charge.</param>
    /// <param name="placed">The sessions every timetable bounded must place.</param>
    /// <param name="incumbent">Known routes (teacher, day, demands in visiting order) to start from; any routes will do, none too.</param>
    /// <param name="seconds">The bound's own budget (deterministic seconds when the solve is deterministic).</param>
    /// <param name="stopAt">Stop as soon as the bound reaches this (the travel found: nothing better can be proven).</param>
    public static Outcome? Bound(SearchContext ctx, IReadOnlyList<Demand> placed, IEnumerable<(int Teacher, int Day, int[] Demands)> incumbent, double seconds, int? stopAt = null)
    {
        var p = ctx.Problem;
        var budget = new SearchBudget(seconds, ctx.Budget.Deterministic, ctx.Budget.Cancellation);
        var kinds = StopKind.Of(placed);
        if (kinds.Count == 0)
        {
            return new Outcome(0, 0, 0, 0, 0, true);
        }
        var days = TeacherDay.All(p, kinds);

        using var lp = Solver.CreateSolver("GLOP") ?? throw new InvalidOperationException("OR-Tools has no GLOP");
        lp.SetSolverSpecificParametersAsString($"max_number_of_iterations:{MaxSimplexIterations}");
        var objective = lp.Objective();
        objective.SetMinimization();
        var rows = new List<Row>();
        Row AddRow(RowKind kind, double lo, double hi, double rhs)
        {
            var row = new Row(kind, rhs, lp.MakeConstraint(lo, hi, ""));
            rows.Add(row);
            return row;
        }

        var coverage = kinds.Select(k => AddRow(RowKind.Coverage, k.TeamSize * k.Placed, double.PositiveInfinity, k.TeamSize * k.Placed)).ToArray();
        var skillRows = new Dictionary<(int Kind, string Skill), Row>();
        foreach (var k in kinds.Where(k => k.TeamSize > 1))
        {
            foreach (var skill in k.Student.Source.RequiredSkills)
            {
                skillRows[(k.Index, skill)] = AddRow(RowKind.Skill, k.Placed, double.PositiveInfinity, k.Placed);
            }
        }
        var studentDay = new Dictionary<(int Student, int Day), Row>();
        foreach (var td in days)
        {
            foreach (var k in td.Stops)
            {
                if (!studentDay.ContainsKey((k.Student.Index, td.Day)))
                {
                    studentDay[(k.Student.Index, td.Day)] = AddRow(RowKind.StudentDay, double.NegativeInfinity, k.TeamSize, k.TeamSize);
                }
            }
        }
        var load = new Dictionary<int, Row>();
        foreach (var t in days.Select(td => td.Teacher).Distinct())
        {
            load[t.Index] = AddRow(RowKind.Load, double.NegativeInfinity, t.MaxSessions, t.MaxSessions);
        }
        var convexity = days.Select(_ => lp.MakeConstraint(double.NegativeInfinity, 1, "")).ToArray();
        foreach (var row in rows.Where(r => r.Kind is RowKind.Coverage or RowKind.Skill))
        {
            var artificial = lp.MakeNumVar(0, double.PositiveInfinity, "");
            objective.SetCoefficient(artificial, ArtificialCost);
            row.Constraint.SetCoefficient(artificial, 1);
        }

        var rowIndex = rows.Select((r, i) => (r, i)).ToDictionary(x => x.r, x => x.i);
        // The rows each stop of each teacher-day touches, so that pricing and columns agree.
        var touches = days.Select(td => td.Stops.Select(k =>
        {
            var list = new List<Row> { coverage[k.Index], studentDay[(k.Student.Index, td.Day)], load[td.Teacher.Index] };
            list.AddRange(k.Student.Source.RequiredSkills.Where(s => k.TeamSize > 1 && td.Teacher.Skills.Contains(s)).Select(s => skillRows[(k.Index, s)]));
            return list.Select(r => rowIndex[r]).ToArray();
        }).ToArray()).ToArray();
        var columnList = new List<Column>();
        var cuts = new List<SubsetRowCut>();
        var cutRows = new List<int>();
        var cutSet = new HashSet<SubsetRowCut>();
        var eligible = kinds.Select(SubsetRowCut.Eligible).ToArray();
        var columns = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void AddColumn(TeacherDay td, int[] stops, int travel)
        {
            if (!seen.Add($"{td.Index}:{string.Join(',', stops)}"))
            {
                return;
            }
            var x = lp.MakeNumVar(0, double.PositiveInfinity, "");
            objective.SetCoefficient(x, travel);
            convexity[td.Index].SetCoefficient(x, 1);
            var coefficients = new SortedDictionary<int, double>();
            foreach (var stop in stops)
            {
                foreach (var row in touches[td.Index][stop])
                {
                    coefficients[row] = coefficients.GetValueOrDefault(row) + 1;
                }
            }
            var kindsVisited = stops.Select(j => td.Stops[j].Index).ToArray();
            for (var c = 0; c < cuts.Count; c++)
            {
                coefficients[cutRows[c]] = cuts[c].Coefficient(kindsVisited);
            }
            foreach (var (row, coefficient) in coefficients)
            {
                if (coefficient != 0)
                {
                    rows[row].Constraint.SetCoefficient(x, coefficient);
                }
            }
            columnList.Add(new Column(x, td.Index, kindsVisited));
            columns++;
        }

        foreach (var (stops, td) in IncumbentRoutes(p, incumbent, days, kinds))
        {
            AddColumn(td, stops, RouteTravel(td, stops));
        }
        // One-stop routes keep the first duals near the cost of a visit rather than the artificial cost:
        // every one when no week is known, else each kind's cheapest (all of them would only make every
        // simplex solve dearer on a large week; pricing finds the few that matter).
        var known = columns > 0;
        foreach (var kind in kinds)
        {
            var singles = days.SelectMany(td => Enumerable.Range(0, td.Stops.Length).Where(j => td.Stops[j].Index == kind.Index)
                .Select(j => (Td: td, Stop: j, Travel: td.FromBase[j] + td.ToBase[j]))).ToList();
            foreach (var single in known ? singles.OrderBy(x => x.Travel).ThenBy(x => x.Td.Index).Take(SinglesPerKind) : singles)
            {
                AddColumn(single.Td, [single.Stop], single.Travel);
            }
        }

        var bestL = double.NegativeInfinity;
        double[]? center = null;
        var lpValue = double.NaN;
        var rounds = 0;
        var lpOptimal = false;
        var smoothing = 0.0;
        var heuristic = false; // The first round is exact: columns at every teacher-day, and a first bound however large the week.
        var lastSimplex = 0.0;
        var cutRounds = 0;
        while (!budget.Exhausted && budget.Elapsed + lastSimplex <= budget.Seconds)
        {
            var before = budget.Elapsed;
            var status = lp.Solve();
            var size = rows.Count + days.Count + columns;
            var simplexWork = (long)(size * (lp.Iterations() * WorkPerIterationAndSize + WorkPerSolveAndSize));
            Charge(ctx, budget, simplexWork);
            lastSimplex = budget.Elapsed - before; // A solve the budget cannot afford is not started.
            if (status is not (Solver.ResultStatus.OPTIMAL or Solver.ResultStatus.FEASIBLE))
            {
                break;
            }
            lpValue = objective.Value();
            var lpDuals = rows.Select(r => Signed(r, r.Constraint.DualValue())).ToArray();
            var sigma = convexity.Select(c => Math.Min(0, c.DualValue())).ToArray();
            var priced = center is null || heuristic ? lpDuals : [.. lpDuals.Select((d, i) => smoothing * (i < center.Length ? center[i] : 0) + (1 - smoothing) * d)];
            rounds++;

            // Price every teacher-day at the smoothed duals; the round's L counts only if all are exact.
            var lagrangian = priced.Select((d, i) => d * rows[i].Rhs).Sum();
            var improving = 0;
            var penalties = cutRows.Select(r => -priced[r]).ToArray();
            var results = PriceAll(ctx, budget, days, touches, priced, sigma, heuristic ? HeuristicFanOut : 0, cuts, penalties);
            var allExact = results.All(r => r is { Exact: true });
            var found = new List<(TeacherDay Td, PricedRoute Route)>();
            foreach (var td in days)
            {
                if (results[td.Index] is { } pricing)
                {
                    lagrangian += Math.Min(0, pricing.MinReducedCost);
                    found.AddRange(pricing.Routes.Select(route => (td, route)));
                }
            }
            if (allExact && lagrangian > bestL)
            {
                bestL = lagrangian;
                center = priced;
            }
            if (stopAt is { } target && !double.IsNegativeInfinity(bestL) && Math.Max(0, Math.Ceiling(bestL - 1e-6)) >= target)
            {
                break;
            }
            foreach (var (td, route) in found)
            {
                // A column that prices out at the LP's own duals moves the LP; one that only does at the smoothed ones may not.
                var lpCost = route.Travel - route.Stops.Sum(j => touches[td.Index][j].Sum(r => lpDuals[r]))
                    - Enumerable.Range(0, cuts.Count).Sum(c => lpDuals[cutRows[c]] * cuts[c].Coefficient(route.Stops.Select(j => td.Stops[j].Index)));
                if (lpCost < sigma[td.Index] - 1e-6)
                {
                    improving++;
                }
                AddColumn(td, route.Stops, route.Travel);
            }
            // Cheap rounds while they find columns (and cuts while they find violated ones); an exact round,
            // which alone bounds, when they run dry, and from then on whenever they run dry again. Past
            // the heuristic share every round is exact.
            var late = budget.Elapsed > budget.Seconds * HeuristicShare;
            if (heuristic)
            {
                if (!late && (improving > 0 || (cutRounds < MaxCutRounds && AddCuts() > 0 && ++cutRounds > 0)))
                {
                    continue;
                }
                heuristic = false;
                smoothing = 0;
            }
            else if (improving == 0)
            {
                if (smoothing == 0 && allExact)
                {
                    // Nothing prices out at the LP's duals: the LP is solved over every route. Cut off its
                    // fractional point with subset-row cuts and go on, or stop.
                    if (cutRounds < MaxCutRounds && AddCuts() > 0)
                    {
                        cutRounds++;
                        heuristic = !late;
                        continue;
                    }
                    lpOptimal = true;
                    break;
                }
                smoothing = 0; // Mispricing: price at the LP's own duals next round.
                if (found.Count == 0 && !allExact)
                {
                    break;
                }
            }
            else
            {
                smoothing = Smoothing;
                heuristic = !late;
            }
        }
        if (double.IsNegativeInfinity(bestL))
        {
            return null;
        }
        return new Outcome(Math.Max(0, (int)Math.Ceiling(bestL - 1e-6)), bestL, lpValue, rounds, columns, lpOptimal, cuts.Count);

        int AddCuts()
        {
            long work = 0;
            var found = SubsetRowCut.Separate(
                columnList.Select(c => (c.Kinds, c.X.SolutionValue())).Where(c => c.Item2 > 1e-6),
                eligible, cutSet, CutsPerRound, ref work);
            foreach (var cut in found)
            {
                var row = AddRow(RowKind.Cut, double.NegativeInfinity, 1, 1);
                cuts.Add(cut);
                cutSet.Add(cut);
                cutRows.Add(rows.Count - 1);
                foreach (var column in columnList)
                {
                    work++;
                    if (cut.Coefficient(column.Kinds) is var coefficient and > 0)
                    {
                        row.Constraint.SetCoefficient(column.X, coefficient);
                    }
                }
            }
            Charge(ctx, budget, work);
            return found.Count;
        }
    }

    /// <summary>
    /// Prices every teacher-day (in parallel when the solve is not deterministic: each teacher-day is
    /// priced alone, so the results do not depend on the order). A teacher-day left unpriced because
    /// the budget ran out is null, and the round then bounds nothing.
    /// </summary>
    private static Pricing?[] PriceAll(SearchContext ctx, SearchBudget budget, List<TeacherDay> days, int[][][] touches, double[] duals, double[] sigma, int fanOut,
        List<SubsetRowCut> cuts, double[] penalties)
    {
        var results = new Pricing?[days.Count];
        void Price(int i)
        {
            if (budget.Exhausted)
            {
                return;
            }
            var td = days[i];
            var values = touches[i].Select(rows => rows.Sum(r => duals[r])).ToArray();
            long work = 0;
            var cutPrices = cuts.Count == 0 ? null : CutPrices.For(td, cuts, penalties);
            work += cuts.Count * td.Stops.Length / 4;
            results[i] = RoutePricing.Cheapest(td, values, RoutesPerRound, sigma[i] - 1e-6, ref work, fanOut, cutPrices);
            Charge(ctx, budget, work);
        }
        if (budget.Deterministic || ctx.Workers <= 1)
        {
            for (var i = 0; i < days.Count; i++)
            {
                Price(i);
            }
        }
        else
        {
            Parallel.For(0, days.Count, new ParallelOptions { MaxDegreeOfParallelism = ctx.Workers }, Price);
        }
        return results;
    }

    /// <summary>A dual of the sign its row allows (≥ rows non-negative, ≤ rows non-positive), as the Lagrangian bound needs.</summary>
    private static double Signed(Row row, double dual) =>
        row.Kind is RowKind.Coverage or RowKind.Skill ? Math.Max(0, dual) : Math.Min(0, dual); // Cut rows are ≤ 1.

    private static void Charge(SearchContext ctx, SearchBudget budget, long work)
    {
        budget.AddWork(work);
        ctx.Budget.AddWork(work);
    }

    public static int RouteTravel(TeacherDay td, int[] stops)
    {
        if (stops.Length == 0)
        {
            return 0;
        }
        var travel = td.FromBase[stops[0]] + td.ToBase[stops[^1]];
        for (var i = 1; i < stops.Length; i++)
        {
            travel += td.Between[stops[i - 1], stops[i]];
        }
        return travel;
    }

    /// <summary>Known routes as columns, so that the first LP already holds a real week.</summary>
    private static IEnumerable<(int[] Stops, TeacherDay Td)> IncumbentRoutes(Problem p, IEnumerable<(int Teacher, int Day, int[] Demands)> incumbent, List<TeacherDay> days, List<StopKind> kinds)
    {
        var kindOf = kinds.ToDictionary(k => (k.Student.Index, k.Mode), k => k.Index);
        var dayOf = days.ToDictionary(td => (td.Teacher.Index, td.Day));
        foreach (var (teacher, day, demands) in incumbent)
        {
            if (!dayOf.TryGetValue((teacher, day), out var td))
            {
                continue;
            }
            var local = td.Stops.Select((k, i) => (k.Index, i)).ToDictionary(x => x.Index, x => x.i);
            var stops = new List<int>();
            foreach (var q in demands.Select(d => p.Demands[d]))
            {
                if (kindOf.TryGetValue((q.Student.Index, q.Mode), out var kind) && local.TryGetValue(kind, out var j))
                {
                    stops.Add(j);
                }
            }
            if (stops.Count == demands.Length && stops.Count > 0)
            {
                yield return ([.. stops], td);
            }
        }
    }
}
