using System.Diagnostics.Metrics;

namespace ControlDropout.Web.Features.Feeds;

/// <summary>
/// Feed counters (meter <see cref="MeterName"/>): feeds served from their stored row, and feeds built, tagged by
/// why — <c>write</c> (a change that alters the feed) or <c>request</c> (a missing or stale row, built on its request).
/// </summary>
public sealed class FeedMetrics
{
    public const string MeterName = "ControlDropout.Feeds";
    public const string BuiltName = "controldropout.feeds.built";
    public const string ServedName = "controldropout.feeds.served";
    public const string BuiltOnWrite = "write";
    public const string BuiltOnRequest = "request";

    private readonly Counter<long> _built;
    private readonly Counter<long> _served;

    public FeedMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _built = meter.CreateCounter<long>(BuiltName, description: "Calendar feeds built, by why");
        _served = meter.CreateCounter<long>(ServedName, description: "Calendar feeds answered from their stored row");
    }

    public void Built(string why) => _built.Add(1, new KeyValuePair<string, object?>("why", why));

    public void Served() => _served.Add(1);
}
