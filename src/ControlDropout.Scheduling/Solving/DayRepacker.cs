using ControlDropout.Scheduling.Scenarios;
using Google.OrTools.Sat;
using Google.OrTools.Util;

namespace ControlDropout.Scheduling.Solving;

/// <summary>
/// CP-SAT large-neighbourhood search: frees every session taught only by a few teachers and lets
/// CP-SAT re-decide who teaches them, on which day, in which order and at what time, with the rest of
/// the week fixed. Each teacher-day is a circuit through the base; travel, windows, load and the
/// away-time limit are exact, so the order of visits is optimised, not only the assignment. When one
/// neighbourhood holds the whole week and CP-SAT proves it optimal, travel is proven minimal.
/// </summary>
internal sealed class DayRepacker(SearchContext ctx, bool[] isFixed, Random rng)
{
    /// <summary>Sessions freed at once: small enough for CP-SAT to close in a fraction of a second.</summary>
    public const int MaxFreeSessions = 14;

    /// <summary>Deterministic seconds given to one neighbourhood.</summary>
    public const double NeighbourhoodDeterministicSeconds = 0.4;

    /// <summary>The whole week is tried in one model when it is this small.</summary>
    public const int WholeWeekMaxSessions = 18;

    private const int MinutesPerDay = 1440;
    private readonly Problem _p = ctx.Problem;

    /// <summary>
    /// Solves a small week whole. True when CP-SAT proved the result optimal for the whole objective
    /// (most sessions placed, then least travel, …) over every team and day there is.
    /// </summary>
    public (WeekState State, bool Proven) SolveWholeWeek(WeekState state, double seconds)
    {
        var all = Enumerable.Range(0, _p.Teachers.Length).ToHashSet();
        var (result, optimal) = Solve(state, all, seconds);
        return (result ?? state, optimal && !ctx.KindOf.Any(k => k.Truncated));
    }

    public WeekState Improve(WeekState state)
    {
        var budget = ctx.Budget;
        if (_p.Teachers.Length < 2)
        {
            return state;
        }
        var order = Enumerable.Range(0, _p.Teachers.Length).ToList();
        var failures = 0;
        while (!budget.Exhausted && failures < 4 * _p.Teachers.Length)
        {
            var seed = order[rng.Next(order.Count)];
            var teachers = Neighbourhood(state, seed);
            var (result, _) = Solve(state, teachers, Math.Min(NeighbourhoodDeterministicSeconds, budget.Remaining + 0.01));
            if (result is not null && result.Objective < state.Objective)
            {
                state = result;
                failures = 0;
            }
            else
            {
                failures++;
            }
        }
        return state;
    }

    /// <summary>The seed teacher plus teachers whose bases are nearest, or who share its team sessions.</summary>
    private HashSet<int> Neighbourhood(WeekState state, int seed)
    {
        var chosen = new HashSet<int> { seed };
        var partners = _p.Demands
            .Where(q => state.Placements[q.Index] is { } pl && pl.Team.Contains(seed))
            .SelectMany(q => state.Placements[q.Index]!.Team)
            .Where(t => t != seed)
            .Distinct()
            .ToList();
        var near = _p.Teachers
            .Where(t => t.Index != seed)
            .OrderBy(t => _p.Tr(_p.Teachers[seed].BasePlace, t.BasePlace) + rng.Next(30))
            .Select(t => t.Index);
        foreach (var t in partners.Concat(near))
        {
            if (chosen.Count >= 2 + rng.Next(2) || FreeSessions(state, chosen.Append(t).ToHashSet()).Count > MaxFreeSessions)
            {
                break;
            }
            chosen.Add(t);
        }
        return chosen;
    }

    private List<int> FreeSessions(WeekState state, HashSet<int> teachers) =>
    [
        .. Enumerable.Range(0, _p.Demands.Length).Where(q => !isFixed[q] && (state.Placements[q] is { } pl
            ? pl.Team.All(teachers.Contains)
            : ctx.KindOf[q].Impossible is null && ctx.KindOf[q].Options.Any(o => o.Team.All(teachers.Contains)))),
    ];

    private sealed record Node(int Demand, int Place, int Duration, BoolVar? Active, LinearExpr Start, bool Fixed);

    /// <summary>Re-optimises the sessions of <paramref name="teachers"/>; null when nothing better or no answer.</summary>
    private (WeekState? Result, bool Optimal) Solve(WeekState state, HashSet<int> teachers, double seconds)
    {
        var free = FreeSessions(state, teachers);
        if (free.Count == 0)
        {
            return (null, true);
        }
        var freeSet = free.ToHashSet();
        var model = new CpModel();
        var options = new Dictionary<int, List<(TeamOption Option, BoolVar Literal)>>();
        var starts = new Dictionary<int, IntVar>();
        var placedLits = new Dictionary<int, LinearExpr>();

        // Days a free session's student is already taught by sessions that stay.
        bool DayTaken(int q, int day) => _p.Demands
            .Where(o => o.Student == _p.Demands[q].Student && o.Index != q && !freeSet.Contains(o.Index))
            .Any(o => state.Placements[o.Index] is { } pl && pl.Day == day);

        foreach (var q in free)
        {
            var demand = _p.Demands[q];
            var list = new List<(TeamOption, BoolVar)>();
            foreach (var option in ctx.KindOf[q].Options)
            {
                if (option.Team.All(teachers.Contains) && !DayTaken(q, option.Day))
                {
                    list.Add((option, model.NewBoolVar($"x{q}_{option.Day}_{string.Join('_', option.Team)}")));
                }
            }
            options[q] = list;
            var intervals = new List<long[]>();
            foreach (var day in list.Select(x => x.Item1.Day).Distinct().Order())
            {
                foreach (var w in demand.Student.Windows[day])
                {
                    intervals.Add([day * MinutesPerDay + w.From, day * MinutesPerDay + w.To - demand.Duration]);
                }
            }
            if (intervals.Count == 0)
            {
                intervals.Add([0, 0]);
            }
            var start = model.NewIntVarFromDomain(Domain.FromIntervals([.. intervals]), $"start{q}");
            starts[q] = start;
            var placed = LinearExpr.Sum(list.Select(x => x.Item2));
            placedLits[q] = placed;
            if (state.Placements[q] is not null)
            {
                // Coverage already won is never traded away inside a neighbourhood.
                model.Add(placed == 1);
            }
            else
            {
                model.Add(placed <= 1);
            }
            foreach (var day in list.Select(x => x.Item1.Day).Distinct())
            {
                var onDay = list.Where(x => x.Item1.Day == day).Select(x => x.Item2).ToList();
                var dayLit = model.NewBoolVar($"d{q}_{day}");
                model.Add(LinearExpr.Sum(onDay) == dayLit);
                model.Add(start >= day * MinutesPerDay).OnlyEnforceIf(dayLit);
                model.Add(start <= day * MinutesPerDay + MinutesPerDay - 1).OnlyEnforceIf(dayLit);
            }
        }

        // Distinct days among a student's free sessions.
        foreach (var group in free.GroupBy(q => _p.Demands[q].Student.Index).Where(g => g.Count() > 1))
        {
            for (var day = 0; day < Problem.DayCount; day++)
            {
                var lits = group.SelectMany(q => options[q].Where(x => x.Option.Day == day).Select(x => x.Literal)).ToList();
                if (lits.Count > 1)
                {
                    model.Add(LinearExpr.Sum(lits) <= 1);
                }
            }
        }

        var travelTerms = new List<LinearExpr>();
        var maxTravel = 0L;
        foreach (var t in teachers)
        {
            var teacher = _p.Teachers[t];
            var fixedElsewhere = state.Load[t] - free.Count(q => state.Placements[q] is { } pl && pl.Team.Contains(t));
            var loadTerms = new List<BoolVar>();
            for (var day = 0; day < Problem.DayCount; day++)
            {
                if (teacher.Windows[day] is not { } window)
                {
                    continue;
                }
                var nodes = new List<Node>();
                foreach (var v in state.Routes[t, day])
                {
                    if (!freeSet.Contains(v.Demand))
                    {
                        nodes.Add(new Node(v.Demand, v.Place, v.End - v.Start, null, LinearExpr.Constant(day * MinutesPerDay + v.Start), true));
                    }
                }
                foreach (var q in free)
                {
                    var mine = options[q].Where(x => x.Option.Day == day && x.Option.Team.Contains(t)).Select(x => x.Literal).ToList();
                    if (mine.Count == 0)
                    {
                        continue;
                    }
                    var active = model.NewBoolVar($"m{q}_{t}_{day}");
                    model.Add(LinearExpr.Sum(mine) == active);
                    loadTerms.Add(active);
                    nodes.Add(new Node(q, _p.Demands[q].PlaceFor(teacher), _p.Demands[q].Duration, active, starts[q], false));
                }
                if (nodes.Count == 0)
                {
                    continue;
                }
                maxTravel += AddDay(model, teacher, day, window, nodes, travelTerms);
            }
            if (loadTerms.Count > 0)
            {
                model.Add(LinearExpr.Sum(loadTerms) <= Math.Max(0, teacher.MaxSessions - fixedElsewhere));
            }
        }

        // Objective in the contract's order, with weights just large enough for this neighbourhood.
        var preferenceTerms = new List<LinearExpr>();
        var baselineTerms = new List<BoolVar>();
        foreach (var q in free)
        {
            var student = _p.Demands[q].Student;
            foreach (var (option, literal) in options[q])
            {
                if (student.Preferred.Count > 0 && option.NonPreferred > 0)
                {
                    preferenceTerms.Add(option.NonPreferred * literal);
                }
                foreach (var b in ctx.BaselineStarts(q, option.Day, option.Team))
                {
                    var kept = model.NewBoolVar($"kept{q}_{option.Day}_{b}");
                    model.AddImplication(kept, literal);
                    model.Add(starts[q] == option.Day * MinutesPerDay + b).OnlyEnforceIf(kept);
                    baselineTerms.Add(kept);
                }
            }
        }
        var wPreference = 1L;
        var wBaseline = wPreference * (free.Count * 8 + 1);
        var wTravel = wBaseline * (baselineTerms.Count + 1);
        var wUnplaced = wTravel * (maxTravel + 1);
        var unplacedTerms = free.Where(q => state.Placements[q] is null).Select(q => 1 - placedLits[q]).ToList();
        model.Minimize(
            wUnplaced * LinearExpr.Sum(unplacedTerms)
            + wTravel * LinearExpr.Sum(travelTerms)
            - wBaseline * LinearExpr.Sum(baselineTerms)
            + wPreference * LinearExpr.Sum(preferenceTerms));

        // Start from the current week so that CP-SAT only has to improve on it.
        foreach (var q in free)
        {
            if (state.Placements[q] is { } pl)
            {
                model.AddHint(starts[q], pl.Day * MinutesPerDay + pl.Start);
                foreach (var (option, literal) in options[q])
                {
                    model.AddHint(literal, option.Day == pl.Day && option.Team.AsSpan().SequenceEqual(pl.Team));
                }
            }
        }

        var solver = new CpSolver { StringParameters = Parameters(seconds) };
        var status = ctx.Budget.Solve(solver, model);
        if (status is not (CpSolverStatus.Optimal or CpSolverStatus.Feasible))
        {
            return (null, false);
        }

        var next = state.Clone();
        foreach (var q in free)
        {
            if (next.Placements[q] is not null)
            {
                next.Remove(q);
            }
        }
        foreach (var q in free)
        {
            foreach (var (option, literal) in options[q])
            {
                if (solver.BooleanValue(literal))
                {
                    var start = (int)(solver.Value(starts[q]) - option.Day * MinutesPerDay);
                    next.Insert(q, option.Day, start, option.Team, retime: false);
                }
            }
        }
        // Every visit now stands where CP-SAT put it, so each day is feasible as a whole; only then re-time.
        foreach (var t in teachers)
        {
            for (var day = 0; day < Problem.DayCount; day++)
            {
                next.Retime(t, day);
            }
        }
        return (next.Objective <= state.Objective ? next : null, status == CpSolverStatus.Optimal);
    }

    /// <summary>One teacher-day as a circuit through the base (node 0); returns the largest travel it could add.</summary>
    private long AddDay(CpModel model, TeacherInfo teacher, int day, Span window, List<Node> nodes, List<LinearExpr> travelTerms)
    {
        var circuit = model.AddCircuit();
        var offset = day * MinutesPerDay;
        var depart = model.NewIntVar(offset + window.From, offset + window.To, $"dep{teacher.Index}_{day}");
        var ret = model.NewIntVar(offset + window.From, offset + window.To, $"ret{teacher.Index}_{day}");
        model.Add(ret >= depart);
        if (teacher.MaxAway != int.MaxValue)
        {
            model.Add(ret - depart <= teacher.MaxAway);
        }
        var empty = model.NewBoolVar($"empty{teacher.Index}_{day}");
        circuit.AddArc(0, 0, empty);
        var anyActive = new List<ILiteral>();
        long maxTravel = 0;
        for (var i = 0; i < nodes.Count; i++)
        {
            var node = nodes[i];
            var id = i + 1;
            if (node.Active is { } active)
            {
                circuit.AddArc(id, id, active.Not());
                model.AddImplication(active, empty.Not());
                anyActive.Add(active);
            }
            else
            {
                model.Add(empty == 0);
            }
            var there = _p.Tr(teacher.BasePlace, node.Place);
            var back = _p.Tr(node.Place, teacher.BasePlace);
            var outArc = model.NewBoolVar("");
            circuit.AddArc(0, id, outArc);
            model.Add(depart == node.Start - there).OnlyEnforceIf(outArc);
            travelTerms.Add(there * outArc);
            var inArc = model.NewBoolVar("");
            circuit.AddArc(id, 0, inArc);
            model.Add(ret == node.Start + node.Duration + back).OnlyEnforceIf(inArc);
            travelTerms.Add(back * inArc);
            var worst = Math.Max(there, back);
            for (var j = 0; j < nodes.Count; j++)
            {
                if (i == j)
                {
                    continue;
                }
                var other = nodes[j];
                var travel = _p.Tr(node.Place, other.Place);
                if (node.Fixed && other.Fixed)
                {
                    continue; // Fixed visits keep their order; the arc between them is decided by the free ones.
                }
                var arc = model.NewBoolVar("");
                circuit.AddArc(id, j + 1, arc);
                model.Add(other.Start >= node.Start + node.Duration + travel).OnlyEnforceIf(arc);
                travelTerms.Add(travel * arc);
                worst = Math.Max(worst, travel);
            }
            maxTravel += worst;
        }
        // Consecutive fixed visits may follow each other directly.
        var fixedNodes = nodes.Select((n, i) => (n, i)).Where(x => x.n.Fixed).ToList();
        for (var k = 0; k + 1 < fixedNodes.Count; k++)
        {
            var (a, ia) = fixedNodes[k];
            var (b, ib) = fixedNodes[k + 1];
            var arc = model.NewBoolVar("");
            circuit.AddArc(ia + 1, ib + 1, arc);
            travelTerms.Add(_p.Tr(a.Place, b.Place) * arc);
        }
        if (anyActive.Count > 0 && fixedNodes.Count == 0)
        {
            anyActive.Add(empty);
            model.AddBoolOr(anyActive);
        }
        return maxTravel;
    }

    private string Parameters(double seconds)
    {
        var workers = ctx.Budget.Deterministic ? 1 : Math.Max(1, ctx.Workers);
        var limit = ctx.Budget.Deterministic
            ? $"max_deterministic_time:{seconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)}"
            : $"max_time_in_seconds:{seconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)}";
        return $"num_workers:{workers},random_seed:{ctx.Seed},{limit},log_search_progress:false";
    }
}
