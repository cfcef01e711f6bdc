namespace ControlDropout.Scheduling.Solving;

/// <summary>
/// Large-neighbourhood search by ruin and recreate: take out a set of related sessions (near one
/// another, or strings of one teacher's day), put them and any unplaced ones back by cheapest
/// insertion, keep the result under simulated annealing. Classic VRP moves (relocate, exchange,
/// 2-opt*, cross-exchange) are special cases of one ruin followed by one recreate.
/// </summary>
internal sealed class RuinAndRecreate(SearchContext ctx, bool[] isFixed, Random rng)
{
    private const int MinRuin = 2;
    private const int MaxRuin = 30;
    private const double RuinShare = 0.15;
    /// <summary>Start temperature as a share of the average teacher-day's travel.</summary>
    private const double StartTemperatureShare = 0.3;
    private const double EndTemperatureMinutes = 0.05;

    private readonly Problem _p = ctx.Problem;


    public WeekState Construct(WeekState state)
    {
        var order = Enumerable.Range(0, _p.Demands.Length)
            .Where(q => state.Placements[q] is null && ctx.KindOf[q].Impossible is null)
            .OrderBy(q => ctx.KindOf[q].FeasibleDayCount - Needed(q))
            .ThenBy(q => ctx.KindOf[q].Options.Count)
            .ThenByDescending(q => _p.Demands[q].Student.Source.TeamSize)
            .ThenBy(q => q)
            .ToList();
        Recreate(state, order);
        return state;
    }

    private int Needed(int q) => _p.Demands[q].Student.Source.HomeVisitsPerWeek + _p.Demands[q].Student.Source.RemoteSessionsPerWeek;

    private WeekState? _current;
    private WeekState? _best;
    private double _startTemperature;

    /// <summary>
    /// Continues the search until <paramref name="untilElapsed"/>; the temperature falls over the
    /// whole phase (<paramref name="phaseBegin"/> to <paramref name="phaseEnd"/>), so calls in slices
    /// behave as one run. Returns the best week seen so far.
    /// </summary>
    public WeekState Improve(WeekState start, double untilElapsed, double phaseBegin, double phaseEnd)
    {
        if (_current is null)
        {
            _current = _best = start;
            _startTemperature = Math.Max(1.0, StartTemperatureShare * Math.Max(1, start.Travel) / Math.Max(1, CountRoutes(start)));
        }
        var current = _current;
        var best = _best!;
        var budget = ctx.Budget;
        // Copying the week and choosing what to ruin cost about this much work whatever the moves do.
        var iterationOverhead = 4L * (_p.Demands.Length + _p.Teachers.Length * Problem.DayCount) + 400;
        while (budget.Elapsed < untilElapsed && !budget.Exhausted)
        {
            budget.AddWork(iterationOverhead);
            var candidate = current.Clone();
            var removed = Ruin(candidate);
            if (removed.Count == 0 && candidate.Unplaced == 0)
            {
                break;
            }
            var toInsert = removed.Concat(Enumerable.Range(0, _p.Demands.Length)
                .Where(q => candidate.Placements[q] is null && !removed.Contains(q) && ctx.KindOf[q].Impossible is null));
            Recreate(candidate, Order(toInsert.ToList()));

            var progress = Math.Clamp((budget.Elapsed - phaseBegin) / Math.Max(1e-9, phaseEnd - phaseBegin), 0, 1);
            var temperature = _startTemperature * Math.Pow(EndTemperatureMinutes / _startTemperature, progress);
            if (Accept(candidate, current, temperature))
            {
                current = candidate;
                if (candidate.Objective < best.Objective)
                {
                    best = candidate;
                }
            }
        }
        _current = current;
        _best = best;
        return best;
    }

    private int CountRoutes(WeekState state)
    {
        var routes = 0;
        for (var t = 0; t < _p.Teachers.Length; t++)
        {
            for (var d = 0; d < Problem.DayCount; d++)
            {
                routes += state.Routes[t, d].Count > 0 ? 1 : 0;
            }
        }
        return routes;
    }

    private bool Accept(WeekState candidate, WeekState current, double temperature)
    {
        if (candidate.Unplaced != current.Unplaced)
        {
            return candidate.Unplaced < current.Unplaced;
        }
        var delta = (candidate.Objective - current.Objective) / (double)ctx.Weights.TravelMinute;
        return delta <= 0 || rng.NextDouble() < Math.Exp(-delta / temperature);
    }

    private List<int> Order(List<int> demands)
    {
        switch (rng.Next(4))
        {
            case 0:
                Shuffle(demands);
                return demands;
            case 1:
                return [.. demands.OrderBy(q => ctx.KindOf[q].Options.Count).ThenBy(q => q)];
            case 2:
                return [.. demands.OrderByDescending(q => ctx.KindOf[q].Options[0].StaticCost).ThenBy(q => q)];
            default:
                return [.. demands.OrderByDescending(q => _p.Demands[q].Student.Source.TeamSize).ThenByDescending(q => _p.Demands[q].Duration).ThenBy(q => q)];
        }
    }

    private void Shuffle(List<int> items)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = rng.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private void Recreate(WeekState state, List<int> demands)
    {
        foreach (var q in demands)
        {
            if (state.Placements[q] is not null)
            {
                continue;
            }
            if (InsertionSearch.Best(state, ctx, q) is { } best)
            {
                state.Insert(q, best.Day, best.Start, best.Team, best.Positions);
            }
        }
    }

    private HashSet<int> Ruin(WeekState state)
    {
        var movable = Enumerable.Range(0, _p.Demands.Length).Where(q => state.Placements[q] is not null && !isFixed[q]).ToList();
        var removed = new HashSet<int>();
        if (movable.Count == 0)
        {
            return removed;
        }
        var size = Math.Clamp((int)(movable.Count * RuinShare), MinRuin, MaxRuin);
        size = 1 + rng.Next(Math.Min(size, movable.Count));
        var seed = movable[rng.Next(movable.Count)];
        switch (rng.Next(3))
        {
            case 0:
                RemoveNear(state, seed, size, removed);
                break;
            case 1:
                RemoveStrings(state, seed, size, removed);
                break;
            default:
                for (var i = 0; i < size; i++)
                {
                    Take(state, movable[rng.Next(movable.Count)], removed);
                }
                break;
        }
        return removed;
    }

    private void Take(WeekState state, int q, HashSet<int> removed)
    {
        if (!isFixed[q] && state.Placements[q] is not null)
        {
            state.Remove(q);
            removed.Add(q);
        }
    }

    /// <summary>The seed and the sessions of the students nearest to it.</summary>
    private void RemoveNear(WeekState state, int seed, int size, HashSet<int> removed)
    {
        Take(state, seed, removed);
        var byStudent = DemandsByStudent();
        foreach (var s in ctx.NearStudents[_p.Demands[seed].Student.Index])
        {
            if (removed.Count >= size)
            {
                break;
            }
            foreach (var q in byStudent[s])
            {
                if (rng.NextDouble() < 0.7)
                {
                    Take(state, q, removed);
                }
            }
        }
    }

    /// <summary>Strings of consecutive visits from the days of teachers working near the seed (SISR).</summary>
    private void RemoveStrings(WeekState state, int seed, int size, HashSet<int> removed)
    {
        var byStudent = DemandsByStudent();
        var routesSeen = new HashSet<(int, int)>();
        foreach (var s in new[] { _p.Demands[seed].Student.Index }.Concat(ctx.NearStudents[_p.Demands[seed].Student.Index]))
        {
            if (removed.Count >= size)
            {
                break;
            }
            foreach (var q in byStudent[s])
            {
                if (state.Placements[q] is not { } placement || isFixed[q])
                {
                    continue;
                }
                var t = placement.Team[rng.Next(placement.Team.Length)];
                if (!routesSeen.Add((t, placement.Day)))
                {
                    continue;
                }
                var route = state.Routes[t, placement.Day];
                var at = route.FindIndex(v => v.Demand == q);
                var length = 1 + rng.Next(Math.Min(route.Count, 4));
                var first = Math.Clamp(at - rng.Next(length), 0, route.Count - length);
                var victims = route.Skip(first).Take(length).Select(v => v.Demand).ToList();
                foreach (var v in victims)
                {
                    Take(state, v, removed);
                }
            }
        }
    }

    private List<int>[]? _byStudent;

    private List<int>[] DemandsByStudent()
    {
        if (_byStudent is null)
        {
            _byStudent = new List<int>[_p.Students.Length];
            for (var s = 0; s < _byStudent.Length; s++)
            {
                _byStudent[s] = [];
            }
            foreach (var q in _p.Demands)
            {
                _byStudent[q.Student.Index].Add(q.Index);
            }
        }
        return _byStudent;
    }
}
