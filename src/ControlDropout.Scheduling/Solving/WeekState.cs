namespace ControlDropout.Scheduling.Solving;

/// <summary>
/// A session in one teacher's day. A fixed visit keeps its start (a team visit, whose members must
/// start together, or a pinned one); any other visit floats and is re-timed whenever its day changes.
/// </summary>
internal readonly record struct Visit(int Demand, int Start, int End, int Place, bool Fixed);

/// <summary>Where a demand was placed.</summary>
internal sealed record Placement(int Day, int Start, int[] Team);

/// <summary>The best way found to insert a demand: day, team, start and each member's position in their day.</summary>
internal readonly record struct Insertion(long Cost, int Day, int Start, int[] Team, int[] Positions, int TravelDelta);

/// <summary>
/// A week under construction: routes per teacher and day (visits in order), loads, and the days each
/// student is already taught. Mutated by the search; cloned to try a move.
/// </summary>
internal sealed class WeekState
{
    private readonly Problem _p;
    private readonly SearchContext _ctx;
    private readonly bool[] _pinned;
    public Placement?[] Placements { get; }
    public List<Visit>[,] Routes { get; }
    public int[] Load { get; }
    public int[,] StudentDays { get; }
    public int Travel { get; private set; }
    public int Unplaced { get; private set; }
    public int NonPreferred { get; private set; }
    public int BaselineKept { get; private set; }

    /// <summary>
    /// Minutes driven past teachers' daily caps, summed over days. Insertion never adds any, but on a
    /// travel matrix without the triangle inequality removing a visit can lengthen a day's drive; a
    /// week with any excess ranks below every week without, so it is never kept as the best.
    /// </summary>
    public int CapExcess { get; private set; }

    public WeekState(Problem p, SearchContext ctx)
    {
        _p = p;
        _ctx = ctx;
        _pinned = new bool[p.Demands.Length];
        Placements = new Placement?[p.Demands.Length];
        Routes = new List<Visit>[p.Teachers.Length, Problem.DayCount];
        for (var t = 0; t < p.Teachers.Length; t++)
        {
            for (var d = 0; d < Problem.DayCount; d++)
            {
                Routes[t, d] = [];
            }
        }
        Load = new int[p.Teachers.Length];
        StudentDays = new int[p.Students.Length, Problem.DayCount];
        Unplaced = p.Demands.Length;
    }

    private WeekState(WeekState other)
    {
        _p = other._p;
        _ctx = other._ctx;
        _pinned = other._pinned; // Pins are set before the first clone and never change.
        Placements = (Placement?[])other.Placements.Clone();
        Routes = new List<Visit>[_p.Teachers.Length, Problem.DayCount];
        for (var t = 0; t < _p.Teachers.Length; t++)
        {
            for (var d = 0; d < Problem.DayCount; d++)
            {
                Routes[t, d] = [.. other.Routes[t, d]];
            }
        }
        Load = (int[])other.Load.Clone();
        StudentDays = (int[,])other.StudentDays.Clone();
        Travel = other.Travel;
        Unplaced = other.Unplaced;
        NonPreferred = other.NonPreferred;
        BaselineKept = other.BaselineKept;
        CapExcess = other.CapExcess;
    }

    public WeekState Clone() => new(this);

    /// <summary>The objective in the contract's order, as one comparable number.</summary>
    public long Objective => CapExcess > 0
        ? BrokenCap
        : _ctx.Weights.Score(Unplaced, Travel, _ctx.BaselineCount - BaselineKept, NonPreferred);

    /// <summary>Worse than any week within the caps, with room left for differences without overflow.</summary>
    private const long BrokenCap = long.MaxValue / 4;

    private static int Excess(TeacherInfo teacher, int travel) => Math.Max(0, travel - teacher.MaxTravel);

    /// <summary>Whether a demand's visits keep their start: pinned, or taught by a team that must start together.</summary>
    public bool StartIsFixed(int q) => _pinned[q] || _p.Demands[q].Student.Source.TeamSize > 1;

    public int RouteCost(int t, int d) => RouteTiming.Travel(_p, _p.Teachers[t], Routes[t, d]);

    /// <summary>
    /// Places a demand. With <paramref name="positions"/> each member's visit goes at that index;
    /// otherwise in start order. With <paramref name="retime"/> false the caller re-times later
    /// (<see cref="Retime"/>), as when several visits come from one consistent CP-SAT answer.
    /// </summary>
    public void Insert(int q, int day, int start, int[] team, int[]? positions = null, bool pinned = false, bool retime = true)
    {
        if (pinned)
        {
            _pinned[q] = true;
        }
        var demand = _p.Demands[q];
        var isFixed = StartIsFixed(q);
        for (var m = 0; m < team.Length; m++)
        {
            var t = team[m];
            var teacher = _p.Teachers[t];
            var route = Routes[t, day];
            var before = RouteTiming.Travel(_p, teacher, route);
            Travel -= before;
            CapExcess -= Excess(teacher, before);
            int pos;
            if (positions is not null)
            {
                pos = positions[m];
            }
            else
            {
                pos = route.FindIndex(v => v.Start > start);
                pos = pos < 0 ? route.Count : pos;
            }
            route.Insert(pos, new Visit(q, start, start + demand.Duration, demand.PlaceFor(teacher), isFixed));
            var after = RouteTiming.Travel(_p, teacher, route);
            Travel += after;
            CapExcess += Excess(teacher, after);
            Load[t]++;
            if (!demand.Student.Preferred.Contains(t) && demand.Student.Preferred.Count > 0)
            {
                NonPreferred++;
            }
        }
        StudentDays[demand.Student.Index, day]++;
        Placements[q] = new Placement(day, start, team);
        Unplaced--;
        if (_ctx.IsBaselineKept(q, day, start, team))
        {
            BaselineKept++;
        }
        if (retime)
        {
            foreach (var t in team)
            {
                Retime(t, day);
            }
        }
    }

    public void Remove(int q)
    {
        var placement = Placements[q] ?? throw new InvalidOperationException("demand is not placed");
        var demand = _p.Demands[q];
        foreach (var t in placement.Team)
        {
            var route = Routes[t, placement.Day];
            var teacher = _p.Teachers[t];
            var before = RouteTiming.Travel(_p, teacher, route);
            Travel -= before;
            CapExcess -= Excess(teacher, before);
            route.RemoveAt(route.FindIndex(v => v.Demand == q));
            var after = RouteTiming.Travel(_p, teacher, route);
            Travel += after;
            CapExcess += Excess(teacher, after);
            Load[t]--;
            if (!demand.Student.Preferred.Contains(t) && demand.Student.Preferred.Count > 0)
            {
                NonPreferred--;
            }
        }
        StudentDays[demand.Student.Index, placement.Day]--;
        if (_ctx.IsBaselineKept(q, placement.Day, placement.Start, placement.Team))
        {
            BaselineKept--;
        }
        Placements[q] = null;
        Unplaced++;
        foreach (var t in placement.Team)
        {
            Retime(t, placement.Day);
        }
    }

    /// <summary>
    /// Gives the floating visits of a teacher's day their times (latest departure for the earliest
    /// return, or a baseline start where it fits). Removing a visit or inserting one into a gap the
    /// caller checked keeps the day feasible, so failure here is a bug, not a search outcome.
    /// </summary>
    public void Retime(int t, int day)
    {
        var route = Routes[t, day];
        if (route.Count == 0)
        {
            return;
        }
        Span<int> starts = stackalloc int[route.Count];
        if (!RouteTiming.Schedule(_p, _ctx, _p.Teachers[t], day, route, starts))
        {
            throw new InvalidOperationException($"teacher {_p.Teachers[t].Source.Id} cannot keep their day {day}");
        }
        for (var j = 0; j < route.Count; j++)
        {
            var v = route[j];
            if (v.Start == starts[j])
            {
                continue;
            }
            route[j] = v with { Start = starts[j], End = starts[j] + (v.End - v.Start) };
            var pl = Placements[v.Demand]!;
            if (_ctx.IsBaselineKept(v.Demand, day, pl.Start, pl.Team))
            {
                BaselineKept--;
            }
            Placements[v.Demand] = pl with { Start = starts[j] };
            if (_ctx.IsBaselineKept(v.Demand, day, starts[j], pl.Team))
            {
                BaselineKept++;
            }
        }
    }
}
