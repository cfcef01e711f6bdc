using ControlDropout.Web.Infrastructure;

namespace ControlDropout.Web.Features.Timetables;

/// <summary>
/// A nudge to this instance's worker that a run was just queued, so that it looks at once instead of at its next
/// poll. The runs themselves are rows: any instance's worker may claim one, nudged or not, and a nudge lost to a
/// restart costs only the poll interval.
/// </summary>
public sealed class RunInbox : IDisposable
{
    // At most one nudge waits: however many runs were queued meanwhile, one look claims them one after another.
    private readonly SemaphoreSlim _nudge = new(0, 1);

    public void Nudge()
    {
        try
        {
            _nudge.Release();
        }
        catch (SemaphoreFullException)
        {
            // A nudge is already waiting; one is enough.
        }
    }

    /// <summary>Waits for a nudge or the poll interval, whichever comes first.</summary>
    public Task WaitAsync(TimeSpan poll, CancellationToken ct) => _nudge.WaitAsync(poll, ct);

    public void Dispose() => _nudge.Dispose();
}

/// <summary>How long and how wide the service lets the core solve, and how instances share the runs.</summary>
[SharedRule]
public sealed class SchedulingOptions
{
    public double TimeLimitSeconds { get; set; } = 20;
    public double WeekTimeLimitSeconds { get; set; } = 2;
    public int Workers { get; set; }
    public int Seed { get; set; } = 1;

    /// <summary>How often an idle worker looks for a queued run (or one left by a dead instance) that nobody nudged it about.</summary>
    public double RunPollSeconds { get; set; } = 2;

    /// <summary>
    /// A running run whose heartbeat is older than this belongs to an instance that died (heartbeats come every
    /// quarter second). Instances' clocks must agree to well within it (NTP).
    /// </summary>
    public double RunLeaseSeconds { get; set; } = 30;
}
