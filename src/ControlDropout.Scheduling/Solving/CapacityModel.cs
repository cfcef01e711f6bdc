using ControlDropout.Scheduling.Scenarios;
using Google.OrTools.Sat;

namespace ControlDropout.Scheduling.Solving;

/// <summary>
/// A relaxation of the week: a session goes to a day and to teamSize teachers who could each reach
/// it that day and whose skills cover the need; each teacher's load, and each teacher-day's time
/// (session minutes plus the cheapest travel into and out of each stop, halved), bound what fits.
/// Every constraint here is implied by the contract's rules (a real team is teamSize teachers who
/// each reach the child that day; a real route enters and leaves each stop, so its travel is at least
/// half the sum of each stop's cheapest way in and out), and the rules it leaves out (one shared
/// start, the order of visits, the start grid, the driving cap) only remove constraints: every real
/// timetable is a solution, so the most this model places bounds every timetable.
/// </summary>
internal sealed class CapacityModel
{
    private readonly SearchContext _ctx;
    private readonly Problem _p;
    private readonly CpModel _model = new();
    private readonly Dictionary<int, BoolVar> _placed = [];
    private readonly Dictionary<int, BoolVar> _loadGuard = [];
    public CapacityModel(SearchContext ctx)
    {
        _ctx = ctx;
        _p = ctx.Problem;
        Build();
    }

    private void Build()
    {
        var p = _p;
        var perTeacher = new Dictionary<int, List<(BoolVar Lit, int Day, int Minutes)>>();
        var perStudentDay = new Dictionary<(int, int), List<BoolVar>>();
        var homes = p.Demands.Where(q => q.Mode == SessionMode.Home && _ctx.KindOf[q.Index].Impossible is null).ToList();
        var nearest = NearestOtherHomes(homes);
        foreach (var q in p.Demands)
        {
            var kind = _ctx.KindOf[q.Index];
            if (kind.Impossible is not null)
            {
                continue;
            }
            var placed = _model.NewBoolVar($"placed{q.Index}");
            _placed[q.Index] = placed;
            var dayLits = new List<BoolVar>();
            foreach (var day in kind.FeasibleDays.Order())
            {
                var z = _model.NewBoolVar($"z{q.Index}_{day}");
                dayLits.Add(z);
                var key = (q.Student.Index, day);
                if (!perStudentDay.TryGetValue(key, out var sd))
                {
                    perStudentDay[key] = sd = [];
                }
                sd.Add(z);
                var members = new List<(TeacherInfo Teacher, BoolVar Lit)>();
                foreach (var t in p.Teachers)
                {
                    if (!Reach.CanReach(p, t, q, day))
                    {
                        continue;
                    }
                    var y = _model.NewBoolVar($"y{q.Index}_{day}_{t.Index}");
                    _model.AddImplication(y, z);
                    members.Add((t, y));
                    if (!perTeacher.TryGetValue(t.Index, out var list))
                    {
                        perTeacher[t.Index] = list = [];
                    }
                    list.Add((y, day, q.Duration + StopShare(t, q, nearest)));
                }
                _model.Add(LinearExpr.Sum(members.Select(m => m.Lit)) == q.Student.Source.TeamSize * z);
                foreach (var skill in q.Student.Source.RequiredSkills)
                {
                    _model.Add(LinearExpr.Sum(members.Where(m => m.Teacher.Skills.Contains(skill)).Select(m => m.Lit)) >= z);
                }
            }
            _model.Add(LinearExpr.Sum(dayLits) == placed);
        }
        foreach (var lits in perStudentDay.Values.Where(l => l.Count > 1))
        {
            _model.Add(LinearExpr.Sum(lits) <= 1);
        }
        foreach (var (t, list) in perTeacher)
        {
            var teacher = p.Teachers[t];
            var guard = _model.NewBoolVar($"load{t}");
            _loadGuard[t] = guard;
            _model.Add(LinearExpr.Sum(list.Select(x => x.Lit)) <= teacher.MaxSessions).OnlyEnforceIf(guard);
            foreach (var day in list.Select(x => x.Day).Distinct())
            {
                var capacity = Math.Min(teacher.Windows[day]!.Value.Length, teacher.MaxAway);
                _model.Add(LinearExpr.WeightedSum(list.Where(x => x.Day == day).Select(x => x.Lit), list.Where(x => x.Day == day).Select(x => (long)x.Minutes)) <= capacity).OnlyEnforceIf(guard);
            }
        }
    }

    /// <summary>
    /// Per child, the cheapest drive into its home from another child's home and out of it to one:
    /// computed once, so that a county week's model is built in well under a second rather than in
    /// homes² per teacher and day.
    /// </summary>
    private Dictionary<int, (int In, int Out)> NearestOtherHomes(List<Demand> homes)
    {
        var places = homes.Select(q => q.Student).Distinct().ToList();
        var result = new Dictionary<int, (int In, int Out)>();
        foreach (var s in places)
        {
            var cheapestIn = int.MaxValue;
            var cheapestOut = int.MaxValue;
            foreach (var o in places.Where(o => o != s))
            {
                cheapestIn = Math.Min(cheapestIn, _p.Tr(o.Place, s.Place));
                cheapestOut = Math.Min(cheapestOut, _p.Tr(s.Place, o.Place));
            }
            result[s.Index] = (cheapestIn, cheapestOut);
        }
        return result;
    }

    /// <summary>As <see cref="Reach.StopShare"/>: half the cheapest way in plus the cheapest way out, from the base or another home.</summary>
    private int StopShare(TeacherInfo t, Demand q, Dictionary<int, (int In, int Out)> nearest)
    {
        if (q.Mode == SessionMode.Remote)
        {
            return 0;
        }
        var place = q.Student.Place;
        var (fromHome, toHome) = nearest[q.Student.Index];
        return (Math.Min(_p.Tr(t.BasePlace, place), fromHome) + Math.Min(_p.Tr(place, t.BasePlace), toHome)) / 2;
    }

    /// <summary>
    /// The most sessions any timetable could place, as far as this relaxation can tell. Use each model
    /// for one question. <paramref name="counted"/> is the counting bound, already proven: capping the
    /// objective with it is sound, and CP-SAT then only has to reach it or prove less.
    /// </summary>
    public (CpSolverStatus Status, long Bound) MaxPlaced(int seed, double seconds, int counted)
    {
        foreach (var guard in _loadGuard.Values)
        {
            _model.Add(guard == 1);
        }
        _model.Add(LinearExpr.Sum(_placed.Values) <= counted);
        _model.Maximize(LinearExpr.Sum(_placed.Values));
        var solver = new CpSolver { StringParameters = Parameters(seed, seconds) };
        var status = Solve(solver);
        return (status, status == CpSolverStatus.Infeasible ? 0 : (long)Math.Floor(solver.BestObjectiveBound + 1e-6));
    }

    /// <summary>Asks every session to be placed and every load to hold; the core names who conflicts.</summary>
    public (List<string> Children, List<string> Teachers) Conflict(int seed, double seconds)
    {
        var assumptions = new List<ILiteral>();
        var names = new Dictionary<int, string>();
        foreach (var (q, lit) in _placed)
        {
            assumptions.Add(lit);
            names[lit.GetIndex()] = "s:" + _p.Demands[q].Student.Source.Id.Value;
        }
        foreach (var (t, lit) in _loadGuard)
        {
            assumptions.Add(lit);
            names[lit.GetIndex()] = "t:" + _p.Teachers[t].Source.Id.Value;
        }
        _model.AddAssumptions(assumptions);
        var solver = new CpSolver { StringParameters = Parameters(seed, seconds) };
        var status = Solve(solver);
        _model.ClearAssumptions();
        if (status != CpSolverStatus.Infeasible)
        {
            return ([], []);
        }
        var core = solver.SufficientAssumptionsForInfeasibility().Select(i => names.GetValueOrDefault(i, "")).ToList();
        return ([.. core.Where(n => n.StartsWith("s:", StringComparison.Ordinal)).Select(n => n[2..]).Distinct().Order(StringComparer.Ordinal)],
                [.. core.Where(n => n.StartsWith("t:", StringComparison.Ordinal)).Select(n => n[2..]).Distinct().Order(StringComparer.Ordinal)]);
    }

    private CpSolverStatus Solve(CpSolver solver)
    {
        if (_ctx.Budget.Deterministic)
        {
            return _ctx.Budget.Solve(solver, _model);
        }
        // Alongside the search on its own worker: the search's budget counts nothing of this.
        using var stop = _ctx.Budget.Cancellation.Register(solver.StopSearch);
        return solver.Solve(_model);
    }

    /// <summary>Deterministic work when the run must repeat exactly; wall-clock seconds otherwise (nothing else reads the clock).</summary>
    private string Parameters(int seed, double seconds) =>
        $"num_workers:1,random_seed:{seed},{(_ctx.Budget.Deterministic ? "max_deterministic_time" : "max_time_in_seconds")}:{seconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)}";
}
