using System.Diagnostics;
using Google.OrTools.Sat;
using ControlDropout.Scheduling.Scenarios;

namespace ControlDropout.Scheduling.Solving;

/// <summary>
/// The objective's lexicographic order (coverage, travel, stability, preference) folded into one
/// number. Each weight exceeds the largest total the next criterion can reach in a week.
/// </summary>
internal sealed record ObjectiveWeights(long Unplaced, long TravelMinute, long BaselineChange, long NonPreferred)
{
    public static ObjectiveWeights Lexicographic { get; } = new(1_000_000_000_000, 1_000_000, 1_000, 1);

    public long Score(int unplaced, int travel, int baselineChanges, int nonPreferred) =>
        unplaced * Unplaced + travel * TravelMinute + baselineChanges * BaselineChange + nonPreferred * NonPreferred;
}

/// <summary>
/// Budget of the search. With one worker it counts work (route gaps examined, CP-SAT deterministic
/// time) so that the same input gives the same output on any machine; otherwise it is wall-clock.
/// A cancelled solve has no budget left: every search loop ends at its next check and CP-SAT is told to stop.
/// </summary>
internal sealed class SearchBudget(double seconds, bool deterministic, CancellationToken cancellation = default)
{
    /// <summary>Route gaps examined per deterministic second: about one second of wall-clock on the reference machine (2 cores).</summary>
    public const double WorkUnitsPerSecond = 32_000_000;

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _work;
    private double _cpSatDeterministic;

    public double Seconds { get; } = seconds;
    public bool Deterministic { get; } = deterministic;

    public void AddWork(long units) => Interlocked.Add(ref _work, units);

    public void AddCpSat(double deterministicSeconds) => _cpSatDeterministic += deterministicSeconds;

    public double Elapsed => Deterministic ? Interlocked.Read(ref _work) / WorkUnitsPerSecond + _cpSatDeterministic : _clock.Elapsed.TotalSeconds;

    public CancellationToken Cancellation { get; } = cancellation;

    public double Remaining => Cancellation.IsCancellationRequested ? 0 : Math.Max(0, Seconds - Elapsed);

    public bool Exhausted => Cancellation.IsCancellationRequested || Elapsed >= Seconds;

    /// <summary>Runs CP-SAT, stopping it when the solve is cancelled, and counts its deterministic time.</summary>
    public CpSolverStatus Solve(CpSolver solver, CpModel model)
    {
        using var stop = Cancellation.Register(solver.StopSearch);
        var status = solver.Solve(model);
        AddCpSat(solver.Response?.DeterministicTime ?? 0);
        return status;
    }

    public double WallSeconds => _clock.Elapsed.TotalSeconds;
}

/// <summary>Everything the search reads but never changes.</summary>
internal sealed class SearchContext
{
    private readonly Dictionary<(int Student, SessionMode Mode), List<(int Day, int Start, int[] Team)>> _baseline = [];

    public Problem Problem { get; }
    public DemandKind[] KindOf { get; }
    public ObjectiveWeights Weights { get; } = ObjectiveWeights.Lexicographic;
    public int BaselineCount { get; }
    public SearchBudget Budget { get; }
    public int Workers { get; }
    public int Seed { get; }

    /// <summary>For each student, the other students by travel between their places, nearest first.</summary>
    public int[][] NearStudents { get; }

    public SearchContext(Problem problem, SearchBudget budget, int workers, int seed)
    {
        Problem = problem;
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

    public IEnumerable<int> BaselineStarts(int q, int day, int[] team)
    {
        var demand = Problem.Demands[q];
        if (!_baseline.TryGetValue((demand.Student.Index, demand.Mode), out var list))
        {
            yield break;
        }
        foreach (var b in list)
        {
            if (b.Day == day && b.Team.AsSpan().SequenceEqual(team))
            {
                yield return b.Start;
            }
        }
    }
}
