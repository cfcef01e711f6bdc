namespace ControlDropout.Scheduling.Solving;

/// <summary>A session in one teacher's day.</summary>
internal readonly record struct Visit(int Demand, int Start, int End, int Place);

/// <summary>Where a demand was placed.</summary>
internal sealed record Placement(int Day, int Start, int[] Team);

/// <summary>The best way found to insert a demand into the current week.</summary>
internal readonly record struct Insertion(long Cost, int Day, int Start, int[] Team, int TravelDelta);

/// <summary>
/// A week under construction: routes per teacher and day (visits in start order), loads, and the
/// days each student is already taught. Mutated by the search; cloned to try a move.
/// </summary>
internal sealed class WeekState
{
    private readonly Problem _p;
    private readonly SearchContext _ctx;
    public Placement?[] Placements { get; }
    public List<Visit>[,] Routes { get; }
    public int[] Load { get; }
    public int[,] StudentDays { get; }
    public int Travel { get; private set; }
    public int Unplaced { get; private set; }
    public int NonPreferred { get; private set; }
    public int BaselineKept { get; private set; }

    public WeekState(Problem p, SearchContext ctx)
    {
        _p = p;
        _ctx = ctx;
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
    }

    public WeekState Clone() => new(this);

    /// <summary>The objective in the contract's order, as one comparable number.</summary>
    public long Objective => _ctx.Weights.Score(Unplaced, Travel, _ctx.BaselineCount - BaselineKept, NonPreferred);

    public int RouteCost(int t, int d)
    {
        var route = Routes[t, d];
        if (route.Count == 0)
        {
            return 0;
        }
        var home = _p.Teachers[t].BasePlace;
        var cost = _p.Tr(home, route[0].Place);
        for (var i = 1; i < route.Count; i++)
        {
            cost += _p.Tr(route[i - 1].Place, route[i].Place);
        }
        return cost + _p.Tr(route[^1].Place, home);
    }

    public void Insert(int q, int day, int start, int[] team)
    {
        var demand = _p.Demands[q];
        foreach (var t in team)
        {
            var teacher = _p.Teachers[t];
            var route = Routes[t, day];
            var before = RouteCost(t, day);
            var pos = 0;
            while (pos < route.Count && route[pos].Start < start)
            {
                pos++;
            }
            route.Insert(pos, new Visit(q, start, start + demand.Duration, demand.PlaceFor(teacher)));
            Travel += RouteCost(t, day) - before;
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
    }

    public void Remove(int q)
    {
        var placement = Placements[q] ?? throw new InvalidOperationException("demand is not placed");
        var demand = _p.Demands[q];
        foreach (var t in placement.Team)
        {
            var route = Routes[t, placement.Day];
            var before = RouteCost(t, placement.Day);
            route.RemoveAt(route.FindIndex(v => v.Demand == q));
            Travel += RouteCost(t, placement.Day) - before;
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
    }
}
