namespace ControlDropout.Scheduling.Solving;

/// <summary>
/// Regret-k construction: of the sessions still out, insert next the one that would lose most by
/// waiting — whose best place beats its best places in k − 1 other teacher-days by the widest
/// margin — at its best place. A session with few ways in (tight days, a team, few teachers in
/// reach) has a large regret and goes early, before cheaper sessions take its only places. After each
/// insertion only the sessions that could use one of the changed teacher-days are re-priced.
/// </summary>
internal sealed class RegretInsertion
{
    /// <summary>A teacher-day that does not exist for a session weighs like this much extra driving: more than any real detour.</summary>
    private const int MissingRouteMinutes = 24 * 60;

    /// <summary>Regret bonus, in minutes of driving, for each extra member a session's team needs (hard to synchronise).</summary>
    private const int TeamMemberMinutes = 60;

    /// <summary>Children nearest a new visit whose sessions are re-priced at once; the others when they top the list.</summary>
    private const int NearRepriced = 12;

    /// <summary>A child with fewer spare days than this (days some team could come, less sessions needed) is urgent.</summary>
    private const int TightSpareDays = 2;

    private readonly SearchContext _ctx;
    private readonly Problem _p;

    /// <summary>For each teacher-day (t × 7 + day), the demands with an option that uses it.</summary>
    private readonly List<int>[] _demandsByTeacherDay;

    /// <summary>For each teacher, the demands with an option that uses them on any day.</summary>
    private readonly List<int>[] _demandsByTeacher;

    private readonly List<int>[] _demandsByStudent;

    public RegretInsertion(SearchContext ctx)
    {
        _ctx = ctx;
        _p = ctx.Problem;
        _demandsByTeacherDay = [.. Enumerable.Range(0, _p.Teachers.Length * Problem.DayCount).Select(_ => new List<int>())];
        _demandsByTeacher = [.. Enumerable.Range(0, _p.Teachers.Length).Select(_ => new List<int>())];
        _demandsByStudent = [.. Enumerable.Range(0, _p.Students.Length).Select(_ => new List<int>())];
        foreach (var demand in _p.Demands)
        {
            var q = demand.Index;
            _demandsByStudent[demand.Student.Index].Add(q);
            var teacherDays = new HashSet<int>();
            var teachers = new HashSet<int>();
            foreach (var option in ctx.KindOf[q].Options)
            {
                foreach (var t in option.Team)
                {
                    teacherDays.Add(t * Problem.DayCount + option.Day);
                    teachers.Add(t);
                }
            }
            foreach (var td in teacherDays.Order())
            {
                _demandsByTeacherDay[td].Add(q);
            }
            foreach (var t in teachers.Order())
            {
                _demandsByTeacher[t].Add(q);
            }
        }
    }

    /// <summary>
    /// Inserts every unplaced, possible session that fits, by regret-<paramref name="k"/>. With
    /// <paramref name="noise"/> each regret is scaled by a random factor in [1 − noise, 1 + noise]
    /// drawn from <paramref name="rng"/>, so pool members differ.
    /// </summary>
    public WeekState Construct(WeekState state, int k, double noise, Random rng)
    {
        var weights = _ctx.Weights;
        var missing = MissingRouteMinutes * weights.TravelMinute;
        var open = new List<int>();
        for (var q = 0; q < _p.Demands.Length; q++)
        {
            if (state.Placements[q] is null && _ctx.KindOf[q].Impossible is null)
            {
                open.Add(q);
            }
        }
        var best = new Insertion?[_p.Demands.Length];
        var score = new double[_p.Demands.Length];
        var dirty = new bool[_p.Demands.Length];
        var factor = new double[_p.Demands.Length];
        foreach (var q in open)
        {
            factor[q] = noise > 0 ? 1 + noise * (2 * rng.NextDouble() - 1) : 1;
        }
        for (var i = open.Count - 1; i >= 0; i--)
        {
            Price(state, open[i], k, missing, factor[open[i]], best, score);
            if (best[open[i]] is null)
            {
                open.RemoveAt(i);
            }
        }
        while (open.Count > 0 && !_ctx.Budget.Cancellation.IsCancellationRequested)
        {
            // A session's last score stands until it tops the list; then, if anything it could use
            // changed, it is re-priced and must top the list again before it goes in at a verified place.
            var pick = -1;
            for (var i = 0; i < open.Count; i++)
            {
                var q = open[i];
                if (pick < 0 || score[q] > score[pick] || (score[q] == score[pick] && q < pick))
                {
                    pick = q;
                }
            }
            if (dirty[pick])
            {
                Price(state, pick, k, missing, factor[pick], best, score);
                dirty[pick] = false;
                if (best[pick] is null)
                {
                    // Nothing fits now, and the week only fills up: it stays out.
                    open.Remove(pick);
                }
                continue;
            }
            var chosen = best[pick]!.Value;
            state.Insert(pick, chosen.Day, chosen.Start, chosen.Team, chosen.Positions);
            open.Remove(pick);
            MarkDirty(state, pick, chosen, dirty);
            // The children nearest the new visit are the ones whose price it may have cut: re-price them now.
            var student = _p.Demands[pick].Student.Index;
            foreach (var s in _ctx.NearStudents[student].Take(NearRepriced).Prepend(student))
            {
                foreach (var q in _demandsByStudent[s])
                {
                    if (dirty[q] && state.Placements[q] is null && best[q] is not null)
                    {
                        Price(state, q, k, missing, factor[q], best, score);
                        dirty[q] = false;
                        if (best[q] is null)
                        {
                            open.Remove(q);
                        }
                    }
                }
            }
        }
        return state;
    }

    /// <summary>The session's best place and its score: regret, a team's extra members, and a bonus when the child has few spare days.</summary>
    private void Price(WeekState state, int q, int k, long missing, double factor, Insertion?[] best, double[] score)
    {
        var (insertion, regret) = InsertionSearch.BestWithRegret(state, _ctx, q, k, missing);
        best[q] = insertion;
        var source = _p.Demands[q].Student.Source;
        var spareDays = _ctx.KindOf[q].FeasibleDayCount - (source.HomeVisitsPerWeek + source.RemoteSessionsPerWeek);
        var urgency = (source.TeamSize - 1) * TeamMemberMinutes * (double)_ctx.Weights.TravelMinute
            + Math.Max(0, TightSpareDays - spareDays) * (double)missing;
        score[q] = factor * (regret + urgency);
    }

    /// <summary>Every open session whose price may have changed: it could use a changed teacher-day, a teacher who is now full, or it is the same child's.</summary>
    private void MarkDirty(WeekState state, int placed, Insertion at, bool[] dirty)
    {
        foreach (var t in at.Team)
        {
            foreach (var q in _demandsByTeacherDay[t * Problem.DayCount + at.Day])
            {
                dirty[q] = true;
            }
            if (state.Load[t] >= _p.Teachers[t].MaxSessions)
            {
                foreach (var q in _demandsByTeacher[t])
                {
                    dirty[q] = true;
                }
            }
        }
        foreach (var q in _demandsByStudent[_p.Demands[placed].Student.Index])
        {
            dirty[q] = true;
        }
    }
}
