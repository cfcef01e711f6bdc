using System.Collections.Immutable;
using ControlDropout.Scheduling.Scenarios;
using ControlDropout.Scheduling.Timetables;
using Google.OrTools.Sat;

namespace ControlDropout.Scheduling.Solving;

/// <summary>
/// Gives every unplaced session a reason that is true of the scenario. Static reasons come from
/// <see cref="OptionBuilder"/> (necessary conditions on an empty week). Otherwise a CP-SAT capacity
/// model — a relaxation of the real rules (team members need not share one start; travel is counted
/// at its cheapest) — bounds how many sessions any timetable can place. When our timetable reaches
/// that bound, every session left out could only be placed by uncovering another, and the model's
/// unsatisfiable core names the children and teachers in the conflict. When it does not, we say so:
/// <c>TimeLimitReached</c>, never a guess.
/// </summary>
internal static class Reasons
{
    /// <summary>At most this many seconds for each of the two capacity solves.</summary>
    public const double MaxProofSeconds = 5;

    /// <summary>At least this many, even when the search has used its whole budget.</summary>
    public const double MinProofSeconds = 0.5;

    private const int MaxNamed = 8;

    public static ImmutableArray<UnassignedSession> Explain(SearchContext ctx, WeekState state)
    {
        var p = ctx.Problem;
        var unplaced = p.Demands.Where(q => state.Placements[q.Index] is null).ToList();
        if (unplaced.Count == 0)
        {
            return [];
        }
        var result = new List<UnassignedSession>();
        var open = new List<Demand>();
        foreach (var group in unplaced.GroupBy(q => q.Student.Index))
        {
            var s = p.Students[group.Key];
            var needed = s.Source.HomeVisitsPerWeek + s.Source.RemoteSessionsPerWeek;
            var days = p.Demands.Where(q => q.Student == s).SelectMany(q => ctx.KindOf[q.Index].FeasibleDays).Distinct().Count();
            // Only needed − days sessions can be blamed on the days; any more left out have another cause.
            var blameDays = Math.Max(0, needed - days);
            foreach (var q in group)
            {
                if (ctx.KindOf[q.Index].Impossible is { } why)
                {
                    result.Add(new UnassignedSession(s.Source.Id, q.Mode, new Reason(why.Code, why.Message)));
                }
                else if (blameDays > 0)
                {
                    blameDays--;
                    result.Add(new UnassignedSession(s.Source.Id, q.Mode, new Reason(ReasonCodes.TooFewDistinctDays,
                        $"student '{s.Source.Id}' needs {needed} sessions on different days, but a session can be placed on only {days} day(s) of the week")));
                }
                else
                {
                    open.Add(q);
                }
            }
        }
        if (open.Count > 0)
        {
            result.AddRange(Capacity(ctx, state, open));
        }
        return [.. result.OrderBy(u => u.StudentId.Value, StringComparer.Ordinal).ThenBy(u => u.Mode)];
    }

    private static IEnumerable<UnassignedSession> Capacity(SearchContext ctx, WeekState state, List<Demand> open)
    {
        var p = ctx.Problem;
        var placed = p.Demands.Length - state.Unplaced;
        var seconds = Math.Clamp(ctx.Budget.Seconds * WeekSolver.ProofShare / (1 - WeekSolver.ProofShare) / 2, MinProofSeconds, MaxProofSeconds);
        var (status, bound) = new CapacityModel(ctx, seconds).MaxPlaced(ctx.Seed);
        var provenTight = (status is CpSolverStatus.Optimal or CpSolverStatus.Feasible) && bound <= placed;
        if (!provenTight)
        {
            var message = status is CpSolverStatus.Optimal or CpSolverStatus.Feasible
                ? $"the search stopped without placing this session; the capacity model allows up to {bound} of {p.Demands.Length} sessions and the timetable places {placed}, so it may be placeable"
                : "the search stopped without placing this session and without proof either way";
            return open.Select(q => new UnassignedSession(q.Student.Source.Id, q.Mode, new Reason(ReasonCodes.TimeLimitReached, message)));
        }
        var (children, teachers) = new CapacityModel(ctx, seconds).Conflict(ctx.Seed);
        var who = children.Count > 0
            ? $"; the children [{string.Join(", ", children.Take(MaxNamed))}{(children.Count > MaxNamed ? ", …" : "")}] compete for the teachers [{string.Join(", ", teachers.Take(MaxNamed))}{(teachers.Count > MaxNamed ? ", …" : "")}] (weekly load, time in the day, one session a day per child)"
            : "";
        return open.Select(q => new UnassignedSession(q.Student.Source.Id, q.Mode, new Reason(ReasonCodes.TeacherCapacityExhausted,
            $"student '{q.Student.Source.Id}' could be taught on its own, but no timetable places more than {placed} of the {p.Demands.Length} sessions: placing this one uncovers another{who}")));
    }
}

/// <summary>
/// A relaxation of the week: a session goes to a day and to teamSize teachers who could each reach
/// it that day and whose skills cover the need; each teacher's load, and each teacher-day's time
/// (session minutes plus the cheapest travel into and out of each stop, halved), bound what fits.
/// </summary>
internal sealed class CapacityModel
{
    private readonly SearchContext _ctx;
    private readonly Problem _p;
    private readonly CpModel _model = new();
    private readonly Dictionary<int, BoolVar> _placed = [];
    private readonly Dictionary<int, BoolVar> _loadGuard = [];
    private readonly double _seconds;

    public CapacityModel(SearchContext ctx, double seconds)
    {
        _ctx = ctx;
        _seconds = seconds;
        _p = ctx.Problem;
        Build();
    }

    private void Build()
    {
        var p = _p;
        var perTeacher = new Dictionary<int, List<(BoolVar Lit, int Day, int Minutes)>>();
        var perStudentDay = new Dictionary<(int, int), List<BoolVar>>();
        var homes = p.Demands.Where(q => q.Mode == SessionMode.Home && _ctx.KindOf[q.Index].Impossible is null).ToList();
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
                    list.Add((y, day, q.Duration + Reach.StopShare(p, t, q, homes)));
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

    /// <summary>The most sessions any timetable could place, as far as this relaxation can tell. Use each model for one question.</summary>
    public (CpSolverStatus Status, long Bound) MaxPlaced(int seed)
    {
        foreach (var guard in _loadGuard.Values)
        {
            _model.Add(guard == 1);
        }
        _model.Maximize(LinearExpr.Sum(_placed.Values));
        var solver = new CpSolver { StringParameters = Parameters(seed) };
        var status = _ctx.Budget.Solve(solver, _model);
        return (status, status == CpSolverStatus.Infeasible ? 0 : (long)Math.Floor(solver.BestObjectiveBound + 1e-6));
    }

    /// <summary>Asks every session to be placed and every load to hold; the core names who conflicts.</summary>
    public (List<string> Children, List<string> Teachers) Conflict(int seed)
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
        var solver = new CpSolver { StringParameters = Parameters(seed) };
        var status = _ctx.Budget.Solve(solver, _model);
        _model.ClearAssumptions();
        if (status != CpSolverStatus.Infeasible)
        {
            return ([], []);
        }
        var core = solver.SufficientAssumptionsForInfeasibility().Select(i => names.GetValueOrDefault(i, "")).ToList();
        return ([.. core.Where(n => n.StartsWith("s:", StringComparison.Ordinal)).Select(n => n[2..]).Distinct().Order(StringComparer.Ordinal)],
                [.. core.Where(n => n.StartsWith("t:", StringComparison.Ordinal)).Select(n => n[2..]).Distinct().Order(StringComparer.Ordinal)]);
    }

    private string Parameters(int seed) =>
        $"num_workers:1,random_seed:{seed},max_deterministic_time:{_seconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)}";
}
