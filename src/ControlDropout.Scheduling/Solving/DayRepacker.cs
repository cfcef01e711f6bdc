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

    /// <summary>
    /// One neighbourhood's CP-SAT model under construction: the free sessions, each one's team-and-day
    /// choices, its start (a step count on the start grid, so every start lies on it), and the terms
    /// the objective sums.
    /// </summary>
    private sealed class NeighbourhoodModel(List<int> free)
    {
        public CpModel Model { get; } = new();
        public List<int> Free { get; } = free;
        public HashSet<int> FreeSet { get; } = [.. free];
        public Dictionary<int, List<(TeamOption Option, BoolVar Literal)>> Options { get; } = [];
        public Dictionary<int, IntVar> GridSteps { get; } = [];
        public Dictionary<int, LinearExpr> Starts { get; } = [];
        public Dictionary<int, LinearExpr> Placed { get; } = [];
        public List<LinearExpr> TravelTerms { get; } = [];
        public List<BoolVar> KeptBaseline { get; } = [];
        public List<LinearExpr> NonPreferred { get; } = [];
        public long MaxTravel { get; set; }
    }

    /// <summary>Re-optimises the sessions of <paramref name="teachers"/>; null when nothing better or no answer.</summary>
    private (WeekState? Result, bool Optimal) Solve(WeekState state, HashSet<int> teachers, double seconds)
    {
        var free = FreeSessions(state, teachers);
        if (free.Count == 0)
        {
            return (null, true);
        }
        var n = new NeighbourhoodModel(free);
        AddSessions(n, state, teachers);
        AddDistinctDays(n);
        AddTeacherDays(n, state, teachers);
        AddObjective(n, state);
        AddHints(n, state);

        var solver = new CpSolver { StringParameters = Parameters(seconds) };
        var status = ctx.Budget.Solve(solver, n.Model);
        if (status is not (CpSolverStatus.Optimal or CpSolverStatus.Feasible))
        {
            return (null, false);
        }
        var next = Decode(n, state, teachers, solver);
        return (next.Objective <= state.Objective ? next : null, status == CpSolverStatus.Optimal);
    }

    /// <summary>Each free session: a literal per team and day it may take, and a start on the grid inside the child's windows.</summary>
    private void AddSessions(NeighbourhoodModel n, WeekState state, HashSet<int> teachers)
    {
        var model = n.Model;
        var step = _p.StartStep;
        foreach (var q in n.Free)
        {
            var demand = _p.Demands[q];
            var list = new List<(TeamOption, BoolVar)>();
            foreach (var option in ctx.KindOf[q].Options)
            {
                if (option.Team.All(teachers.Contains) && !DayTaken(n, state, q, option.Day))
                {
                    list.Add((option, model.NewBoolVar($"x{q}_{option.Day}_{string.Join('_', option.Team)}")));
                }
            }
            n.Options[q] = list;
            // Starts counted in grid steps from the week's first midnight: a day is a whole number of steps.
            var intervals = new List<long[]>();
            foreach (var day in list.Select(x => x.Item1.Day).Distinct().Order())
            {
                foreach (var w in demand.Student.Windows[day])
                {
                    var from = _p.CeilToGrid(day * MinutesPerDay + w.From) / step;
                    var to = _p.FloorToGrid(day * MinutesPerDay + w.To - demand.Duration) / step;
                    if (from <= to)
                    {
                        intervals.Add([from, to]);
                    }
                }
            }
            if (intervals.Count == 0)
            {
                intervals.Add([0, 0]);
            }
            var steps = model.NewIntVarFromDomain(Domain.FromIntervals([.. intervals]), $"start{q}");
            n.GridSteps[q] = steps;
            var start = step * steps;
            n.Starts[q] = start;
            var placed = LinearExpr.Sum(list.Select(x => x.Item2));
            n.Placed[q] = placed;
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
    }

    /// <summary>Days a free session's student is already taught by sessions that stay.</summary>
    private bool DayTaken(NeighbourhoodModel n, WeekState state, int q, int day) => _p.Demands
        .Where(o => o.Student == _p.Demands[q].Student && o.Index != q && !n.FreeSet.Contains(o.Index))
        .Any(o => state.Placements[o.Index] is { } pl && pl.Day == day);

    /// <summary>Rule 3 among the free sessions of one student.</summary>
    private void AddDistinctDays(NeighbourhoodModel n)
    {
        foreach (var group in n.Free.GroupBy(q => _p.Demands[q].Student.Index).Where(g => g.Count() > 1))
        {
            for (var day = 0; day < Problem.DayCount; day++)
            {
                var lits = group.SelectMany(q => n.Options[q].Where(x => x.Option.Day == day).Select(x => x.Literal)).ToList();
                if (lits.Count > 1)
                {
                    n.Model.Add(LinearExpr.Sum(lits) <= 1);
                }
            }
        }
    }

    /// <summary>Per teacher: one circuit per day (rules 6, 7 and 10) and the week's remaining load.</summary>
    private void AddTeacherDays(NeighbourhoodModel n, WeekState state, HashSet<int> teachers)
    {
        var model = n.Model;
        foreach (var t in teachers)
        {
            var teacher = _p.Teachers[t];
            var fixedElsewhere = state.Load[t] - n.Free.Count(q => state.Placements[q] is { } pl && pl.Team.Contains(t));
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
                    if (!n.FreeSet.Contains(v.Demand))
                    {
                        nodes.Add(new Node(v.Demand, v.Place, v.End - v.Start, null, LinearExpr.Constant(day * MinutesPerDay + v.Start), true));
                    }
                }
                foreach (var q in n.Free)
                {
                    var mine = n.Options[q].Where(x => x.Option.Day == day && x.Option.Team.Contains(t)).Select(x => x.Literal).ToList();
                    if (mine.Count == 0)
                    {
                        continue;
                    }
                    var active = model.NewBoolVar($"m{q}_{t}_{day}");
                    model.Add(LinearExpr.Sum(mine) == active);
                    loadTerms.Add(active);
                    nodes.Add(new Node(q, _p.Demands[q].PlaceFor(teacher), _p.Demands[q].Duration, active, n.Starts[q], false));
                }
                if (nodes.Count == 0)
                {
                    continue;
                }
                var dayTravel = new List<LinearExpr>();
                n.MaxTravel += AddDay(model, teacher, day, window, nodes, dayTravel);
                if (teacher.MaxTravel != int.MaxValue)
                {
                    model.Add(LinearExpr.Sum(dayTravel) <= teacher.MaxTravel);
                }
                n.TravelTerms.AddRange(dayTravel);
            }
            if (loadTerms.Count > 0)
            {
                model.Add(LinearExpr.Sum(loadTerms) <= Math.Max(0, teacher.MaxSessions - fixedElsewhere));
            }
        }
    }

    /// <summary>
    /// The objective in the contract's order, with weights just large enough for this neighbourhood.
    /// With a change penalty a kept baseline session is worth that many minutes of travel, as in
    /// <see cref="ObjectiveWeights"/>, so CP-SAT and the search rank weeks the same way.
    /// </summary>
    private void AddObjective(NeighbourhoodModel n, WeekState state)
    {
        var model = n.Model;
        foreach (var q in n.Free)
        {
            var student = _p.Demands[q].Student;
            foreach (var (option, literal) in n.Options[q])
            {
                if (student.Preferred.Count > 0 && option.NonPreferred > 0)
                {
                    n.NonPreferred.Add(option.NonPreferred * literal);
                }
                foreach (var b in ctx.BaselineStarts(q, option.Day, option.Team))
                {
                    var kept = model.NewBoolVar($"kept{q}_{option.Day}_{b}");
                    model.AddImplication(kept, literal);
                    model.Add(n.Starts[q] == option.Day * MinutesPerDay + b).OnlyEnforceIf(kept);
                    n.KeptBaseline.Add(kept);
                }
            }
        }
        var penalty = ctx.ChangePenaltyMinutes;
        var wPreference = 1L;
        var unplaced = LinearExpr.Sum(n.Free.Where(q => state.Placements[q] is null).Select(q => 1 - n.Placed[q]));
        var travel = LinearExpr.Sum(n.TravelTerms);
        var keptBaseline = LinearExpr.Sum(n.KeptBaseline);
        var preference = LinearExpr.Sum(n.NonPreferred);
        if (penalty > 0)
        {
            var wMinute = wPreference * (n.Free.Count * 8 + 1);
            var wUnplaced = wMinute * (n.MaxTravel + (long)penalty * n.KeptBaseline.Count + 1);
            model.Minimize(wUnplaced * unplaced + wMinute * travel - wMinute * penalty * keptBaseline + wPreference * preference);
            return;
        }
        var wBaseline = wPreference * (n.Free.Count * 8 + 1);
        var wTravel = wBaseline * (n.KeptBaseline.Count + 1);
        var wUnplacedLex = wTravel * (n.MaxTravel + 1);
        model.Minimize(wUnplacedLex * unplaced + wTravel * travel - wBaseline * keptBaseline + wPreference * preference);
    }

    /// <summary>Starts from the current week so that CP-SAT only has to improve on it.</summary>
    private void AddHints(NeighbourhoodModel n, WeekState state)
    {
        foreach (var q in n.Free)
        {
            if (state.Placements[q] is { } pl)
            {
                n.Model.AddHint(n.GridSteps[q], (pl.Day * MinutesPerDay + pl.Start) / _p.StartStep);
                foreach (var (option, literal) in n.Options[q])
                {
                    n.Model.AddHint(literal, option.Day == pl.Day && option.Team.AsSpan().SequenceEqual(pl.Team));
                }
            }
        }
    }

    /// <summary>The week with the free sessions where CP-SAT put them.</summary>
    private static WeekState Decode(NeighbourhoodModel n, WeekState state, HashSet<int> teachers, CpSolver solver)
    {
        var next = state.Clone();
        foreach (var q in n.Free)
        {
            if (next.Placements[q] is not null)
            {
                next.Remove(q);
            }
        }
        foreach (var q in n.Free)
        {
            foreach (var (option, literal) in n.Options[q])
            {
                if (solver.BooleanValue(literal))
                {
                    var start = (int)(solver.Value(n.Starts[q]) - option.Day * MinutesPerDay);
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
        return next;
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
