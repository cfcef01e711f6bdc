using ControlDropout.Scheduling.Scenarios;

namespace ControlDropout.Scheduling.Solving;

/// <summary>Everything the search reads but never changes.</summary>
internal sealed class SearchContext
{
    private readonly Dictionary<(int Student, SessionMode Mode), List<(int Day, int Start, int[] Team)>> _baseline = [];

    public Problem Problem { get; }
    public DemandKind[] KindOf { get; }
    public ObjectiveWeights Weights { get; }

    /// <summary>Minutes of driving a baseline change is worth (0: changes only break ties in travel).</summary>
    public int ChangePenaltyMinutes { get; }
    public int BaselineCount { get; }
    public SearchBudget Budget { get; }
    public int Workers { get; }
    public int Seed { get; }

    /// <summary>For each student, the other students by travel between their places, nearest first.</summary>
    public int[][] NearStudents { get; }

    /// <param name="problem">The week.</param>
    /// <param name="budget">The search's budget.</param>
    /// <param name="workers">Cores the search may use.</param>
    /// <param name="seed">The run's random seed.</param>
    /// <param name="changePenaltyMinutes">Minutes of driving one baseline change is worth; 0 keeps stability below travel.</param>
    public SearchContext(Problem problem, SearchBudget budget, int workers, int seed, int changePenaltyMinutes = 0)
    {
        Problem = problem;
        ChangePenaltyMinutes = Math.Max(0, changePenaltyMinutes);
        Weights = ObjectiveWeights.For(ChangePenaltyMinutes);
        Budget = budget;
        Workers = workers;
        Seed = seed;
        var kinds = new Dictionary<(int, SessionMode), DemandKind>();
        KindOf = [.. problem.Demands.Select(q =>
        {
            var key = (q.Student.Index, q.Mode);
            if (!kinds.TryGetValue(key, out var kind))
            {
                kind = OptionBuilder.Build(problem, q.Student, q.Mode);
                kinds[key] = kind;
            }
            return kind;
        })];
        foreach (var b in problem.Scenario.Baseline)
        {
            if (!problem.StudentIndex.TryGetValue(b.StudentId, out var s))
            {
                continue;
            }
            var team = b.TeacherIds.Select(id => problem.TeacherIndex[id]).Order().ToArray();
            var key = (s, b.Mode);
            if (!_baseline.TryGetValue(key, out var list))
            {
                _baseline[key] = list = [];
            }
            list.Add(((int)b.Day, Problem.Minutes(b.Start), team));
            BaselineCount++;
        }
        var students = problem.Students;
        NearStudents = [.. students.Select(s => students
            .Where(o => o.Index != s.Index)
            .OrderBy(o => problem.Tr(s.Place, o.Place)).ThenBy(o => o.Index)
            .Select(o => o.Index).ToArray())];
    }

    public bool IsBaselineKept(int q, int day, int start, int[] team)
    {
        var demand = Problem.Demands[q];
        if (!_baseline.TryGetValue((demand.Student.Index, demand.Mode), out var list))
        {
            return false;
        }
        foreach (var b in list)
        {
            if (b.Day == day && b.Start == start && b.Team.AsSpan().SequenceEqual(team))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Baseline starts the search may still choose for this demand, day and team: those on the start
    /// grid (a pinned session keeps an off-grid start, but it is never chosen by the search).
    /// </summary>
    public IEnumerable<int> BaselineStarts(int q, int day, int[] team)
    {
        var demand = Problem.Demands[q];
        if (!_baseline.TryGetValue((demand.Student.Index, demand.Mode), out var list))
        {
            yield break;
        }
        foreach (var b in list)
        {
            if (b.Day == day && Problem.OnGrid(b.Start) && b.Team.AsSpan().SequenceEqual(team))
            {
                yield return b.Start;
            }
        }
    }
}
