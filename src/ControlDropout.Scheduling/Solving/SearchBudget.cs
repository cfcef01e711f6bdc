using System.Diagnostics;
using Google.OrTools.Sat;

namespace ControlDropout.Scheduling.Solving;

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
