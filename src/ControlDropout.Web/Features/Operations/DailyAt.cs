using System.Globalization;
using ControlDropout.Web.Domain;

namespace ControlDropout.Web.Features.Operations;

/// <summary>
/// A time of day in China (UTC+8, no daylight saving) at which a job runs, once a day. The next run is counted
/// from the previous one, not from "now": a job that ran late, or a clock moved by a test before the job waited
/// again, still gets every day's run, and a day is never run twice.
/// </summary>
public readonly record struct DailyAt(TimeOnly Time)
{
    public static DailyAt Parse(string? text, TimeOnly fallback) =>
        new(TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) ? at : fallback);

    /// <summary>The first run after <paramref name="after"/>, as an instant.</summary>
    public DateTimeOffset NextAfter(DateTimeOffset after)
    {
        var local = after.ToOffset(Conventions.ChinaOffset);
        var candidate = new DateTimeOffset(DateOnly.FromDateTime(local.DateTime).ToDateTime(Time), Conventions.ChinaOffset);
        return candidate > after ? candidate : candidate.AddDays(1);
    }

    /// <summary>
    /// Runs <paramref name="job"/> at each day's time until stopped. A failing run is the job's to report; the next day's
    /// run still comes.
    /// </summary>
    public async Task RunAsync(TimeProvider clock, Func<DateTimeOffset, CancellationToken, Task> job, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(job);
        var due = NextAfter(clock.GetUtcNow());
        while (!ct.IsCancellationRequested)
        {
            var wait = due - clock.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, clock, ct).ConfigureAwait(false);
            }
            await job(due, ct).ConfigureAwait(false);
            due = NextAfter(due);
        }
    }
}
