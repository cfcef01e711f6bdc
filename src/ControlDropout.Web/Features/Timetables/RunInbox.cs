using ControlDropout.Web.Infrastructure;
using System.Threading.Channels;

namespace ControlDropout.Web.Features.Timetables;

/// <summary>Run ids waiting for the worker. Runs are also rows, so a restart loses nothing queued.</summary>
public sealed class RunInbox
{
    private readonly Channel<Guid> _channel = Channel.CreateUnbounded<Guid>(new UnboundedChannelOptions { SingleReader = true });

    public ValueTask EnqueueAsync(Guid runId, CancellationToken ct = default) => _channel.Writer.WriteAsync(runId, ct);

    public IAsyncEnumerable<Guid> ReadAllAsync(CancellationToken ct) => _channel.Reader.ReadAllAsync(ct);
}

/// <summary>How long and how wide the service lets the core solve.</summary>
[SharedRule]
public sealed class SchedulingOptions
{
    public double TimeLimitSeconds { get; set; } = 20;
    public double WeekTimeLimitSeconds { get; set; } = 2;
    public int Workers { get; set; }
    public int Seed { get; set; } = 1;
}
