using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.RegularExpressions;
using ControlDropout.Web.Domain;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ControlDropout.Web.Infrastructure;

/// <summary>
/// The service's own meter (<c>ControlDropout</c>) and its export over OTLP. Instruments are static so that a
/// feature records with one line and no constructor change; they cost nothing while no listener is attached,
/// which is the case unless <see cref="AddTelemetry"/> found an endpoint (or a test listens).
/// </summary>
public static partial class Telemetry
{
    public const string MeterName = "ControlDropout";
    public const string ServiceName = "ControlDropout";

    /// <summary>OpenTelemetry's standard variable; <see cref="EndpointSetting"/> is the same in appsettings.</summary>
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string EndpointSetting = "Telemetry:OtlpEndpoint";

    /// <summary>What a feed's path becomes in spans and logs: the token is the feed's only secret.</summary>
    public const string RedactedFeedPath = "/feeds/{token}.ics";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> RunsStarted = Meter.CreateCounter<long>("controldropout.runs.started", "{run}", "Timetable runs the worker began to solve");
    private static readonly Counter<long> RunsFinished = Meter.CreateCounter<long>("controldropout.runs.finished", "{run}", "Timetable runs that ended, by outcome");
    private static readonly Histogram<double> SolveSeconds = Meter.CreateHistogram<double>("controldropout.runs.solve_duration", "s", "Wall-clock time from a run's start to its end, by outcome");
    private static readonly Counter<long> FeedHits = Meter.CreateCounter<long>("controldropout.feeds.requests", "{request}", "Calendar feed requests, by status (200, 304, 404, 429)");
    private static readonly Counter<long> VisitsRecorded = Meter.CreateCounter<long>("controldropout.visits.recorded", "{record}", "Visit records written (first records and corrections)");

    /// <summary>A run begins solving; the timestamp it returns is handed back to <see cref="RunFinished"/>.</summary>
    public static long RunStarted()
    {
        RunsStarted.Add(1);
        return Stopwatch.GetTimestamp();
    }

    /// <summary>A run that had started ends (succeeded, cancelled or failed).</summary>
    public static void RunFinished(long started, RunStatus outcome)
    {
        // Real time, not the injected clock: this measures the machine's work, it records no instant.
        var tag = new KeyValuePair<string, object?>("outcome", outcome.ToString().ToLowerInvariant());
        RunsFinished.Add(1, tag);
        SolveSeconds.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tag);
    }

    public static void VisitRecorded(bool correction) =>
        VisitsRecorded.Add(1, new KeyValuePair<string, object?>("kind", correction ? "correction" : "first"));

    /// <summary>
    /// The feed route's filter: counts each answer by its status once the status is final (a 304 is decided
    /// inside the handler, a 404 for an unknown token too), whatever the handler does to reach it.
    /// </summary>
    public static async ValueTask<object?> CountFeedHit(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var response = context.HttpContext.Response;
        response.OnStarting(() =>
        {
            FeedHits.Add(1, new KeyValuePair<string, object?>("status", response.StatusCode));
            return Task.CompletedTask;
        });
        return await next(context).ConfigureAwait(false);
    }

    /// <summary>A path with any feed token replaced, for spans and log lines.</summary>
    public static string RedactPath(string text) => text.Contains("/feeds/", StringComparison.OrdinalIgnoreCase)
        ? FeedToken().Replace(text, RedactedFeedPath)
        : text;

    // A token is URL-safe base64 (FeedTokens); anything up to the extension is treated as one.
    [GeneratedRegex(@"/feeds/[^/?\s""]+?\.ics", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FeedToken();

    /// <summary>The OTLP endpoint, or null when none is configured (then nothing is collected or exported).</summary>
    public static Uri? Endpoint(IConfiguration configuration)
    {
        var configured = configuration[EndpointVariable] is { Length: > 0 } fromVariable ? fromVariable : configuration[EndpointSetting];
        if (string.IsNullOrWhiteSpace(configured))
        {
            return null;
        }
        return Uri.TryCreate(configured, UriKind.Absolute, out var uri)
            ? uri
            : throw new InvalidOperationException($"{EndpointSetting} (or {EndpointVariable}) must be an absolute address such as http://collector:4317, not '{configured}'.");
    }

    /// <summary>
    /// The logs (<see cref="Logs"/>), and traces (ASP.NET Core requests, feed tokens redacted) and metrics (ASP.NET Core's request duration and
    /// our meter) over OTLP, only when an endpoint is configured. The exporter reads the rest of the standard
    /// <c>OTEL_*</c> variables itself (protocol, headers, service name).
    /// </summary>
    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder)
    {
        builder.AddLogs();
        if (Endpoint(builder.Configuration) is not { } endpoint)
        {
            return builder;
        }
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName))
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(options => options.EnrichWithHttpRequest = (activity, request) => RedactFeed(activity, request.Path))
                .AddProcessor(new FeedRedaction())
                .AddOtlpExporter(options => options.Endpoint = endpoint))
            .WithMetrics(metrics => metrics
                .AddMeter(MeterName, Features.Feeds.FeedMetrics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel")
                .AddOtlpExporter(options => options.Endpoint = endpoint));
        return builder;
    }

    private static void RedactFeed(Activity activity, PathString path)
    {
        if (path.StartsWithSegments("/feeds"))
        {
            activity.SetTag("url.path", RedactedFeedPath);
        }
    }

    /// <summary>
    /// The last word on a finished span: whatever put the raw path into a tag or the name (the instrumentation,
    /// ASP.NET Core's own tags, a later library), the exported span carries the redacted one.
    /// </summary>
    private sealed class FeedRedaction : BaseProcessor<Activity>
    {
        public override void OnEnd(Activity data)
        {
            data.DisplayName = RedactPath(data.DisplayName);
            foreach (var (key, value) in data.TagObjects.ToList())
            {
                if (value is string text && RedactPath(text) is var redacted && !string.Equals(redacted, text, StringComparison.Ordinal))
                {
                    data.SetTag(key, redacted);
                }
            }
        }
    }
}
