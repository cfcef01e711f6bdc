using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ControlDropout.Web.Infrastructure;
using ControlDropout.Web.Tests.Features.Visits;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace ControlDropout.Web.Tests.Infrastructure;

/// <summary>Our meter moves when a feed is served, a run ends and a visit is recorded; spans never carry a feed token; nothing without an endpoint.</summary>
public sealed class TelemetryTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;

    public TelemetryTests(ServiceFactory factory) => _factory = factory;

    /// <summary>Every measurement of our meter while it is alive (the meter is process-wide: other tests may add to it, never take away).</summary>
    private sealed class Measurements : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)> _seen = new();

        public Measurements()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == Telemetry.MeterName)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((i, value, tags, _) => Add(i, value, tags));
            _listener.SetMeasurementEventCallback<double>((i, value, tags, _) => Add(i, value, tags));
            _listener.Start();
        }

        private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var copy = new Dictionary<string, object?>();
            foreach (var (key, tag) in tags)
            {
                copy[key] = tag;
            }
            _seen.Enqueue((instrument.Name, value, copy));
        }

        public IReadOnlyList<double> Of(string instrument, string tag, object value) =>
            [.. _seen.Where(m => m.Instrument == instrument && Equals(m.Tags.GetValueOrDefault(tag), value)).Select(m => m.Value)];

        public IReadOnlyList<double> Of(string instrument) => [.. _seen.Where(m => m.Instrument == instrument).Select(m => m.Value)];

        public void Dispose() => _listener.Dispose();
    }

    [Fact]
    public async Task Feed_hits_are_counted_by_status()
    {
        using var measured = new Measurements();
        var county = await _factory.LincangAsync();
        var teacher = await county.As("teacher");
        var url = (await teacher.GetFromJsonAsync<JsonElement>("/api/staff/me/feed")).GetProperty("url").GetString()!;
        var path = new Uri(url).PathAndQuery;
        var anonymous = _factory.CreateClient();

        var first = await anonymous.GetAsync(new Uri(path, UriKind.Relative));
        first.StatusCode.Should().Be(HttpStatusCode.OK);
        using var again = new HttpRequestMessage(HttpMethod.Get, path) { Headers = { IfNoneMatch = { first.Headers.ETag! } } };
        (await anonymous.SendAsync(again)).StatusCode.Should().Be(HttpStatusCode.NotModified);
        (await anonymous.GetAsync(new Uri("/feeds/not-a-token-of-anyone-at-all.ics", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.NotFound);

        measured.Of("controldropout.feeds.requests", "status", 200).Should().NotBeEmpty();
        measured.Of("controldropout.feeds.requests", "status", 304).Should().NotBeEmpty();
        measured.Of("controldropout.feeds.requests", "status", 404).Should().NotBeEmpty();
    }

    [Fact]
    public async Task A_run_that_ends_is_counted_with_its_outcome_and_solve_time()
    {
        using var measured = new Measurements();
        var county = await _factory.OtherCountyAsync();
        await SchedulableCounty.AddAsync(county, children: 2);

        await (await county.As("approver")).RunAsync(county.Term);

        measured.Of("controldropout.runs.started").Should().NotBeEmpty();
        measured.Of("controldropout.runs.finished", "outcome", "succeeded").Should().NotBeEmpty();
        measured.Of("controldropout.runs.solve_duration", "outcome", "succeeded").Should().NotBeEmpty().And.OnlyContain(seconds => seconds >= 0);
    }

    [Fact]
    public async Task A_visit_record_written_is_counted()
    {
        using var measured = new Measurements();
        var seeded = await RecordsCountyOnce();
        _factory.Clock.SetUtcNow(new DateTimeOffset(2026, 9, 10, 3, 0, 0, TimeSpan.Zero));
        var teacher = await seeded.County.As("teacher");

        var response = await teacher.PostAsJsonAsync("/api/visits", LogsTests.VisitBody(seeded.UnrecordedSession, "2026-09-10", seeded.County.Teacher.Value));

        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        measured.Of("controldropout.visits.recorded", "kind", "first").Should().NotBeEmpty();
    }

    private RecordsCounty? _records;

    private async Task<RecordsCounty> RecordsCountyOnce() => _records ??= await RecordsCounty.SeedAsync(_factory);

    [Fact]
    public void Nothing_is_collected_or_exported_without_an_endpoint()
    {
        _factory.CreateClient().Dispose();
        _factory.Services.GetService<TracerProvider>().Should().BeNull();
        _factory.Services.GetService<MeterProvider>().Should().BeNull();
    }

    [Fact]
    public async Task A_feed_request_span_carries_the_route_never_the_token()
    {
        var spans = new List<Activity>();
        using var factory = new ServiceFactory();
        // Nothing listens there: the OTLP exporter's failures are its own; the in-memory one is what we read.
        factory.Settings[Telemetry.EndpointSetting] = "http://127.0.0.1:9";
        factory.ConfigureTestServices = services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans));
        var county = await factory.LincangAsync();
        var url = (await (await county.As("teacher")).GetFromJsonAsync<JsonElement>("/api/staff/me/feed")).GetProperty("url").GetString()!;
        var token = url[(url.LastIndexOf('/') + 1)..^".ics".Length];

        // The listener hears every test server in this process (other tests read feeds at the same time):
        // this request carries its own trace id, and only spans of that trace are ours.
        var trace = ActivityTraceId.CreateRandom();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(url).PathAndQuery, UriKind.Relative));
        request.Headers.Add("traceparent", $"00-{trace.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        (await factory.CreateClient().SendAsync(request)).StatusCode.Should().Be(HttpStatusCode.OK);
        // The server's span ends after the client has its answer: wait for it (real time, the test server's own pace).
        List<Activity> feedSpans = [];
        for (var tries = 0; tries < 100 && feedSpans.Count == 0; tries++)
        {
            factory.Services.GetRequiredService<TracerProvider>().ForceFlush();
            lock (spans)
            {
                feedSpans = [.. spans.Where(s => s.TraceId == trace && s.TagObjects.Any(t => t.Key == "http.route" && Equals(t.Value, "/feeds/{token}.ics")))];
            }
            if (feedSpans.Count == 0)
            {
                await Task.Delay(100);
            }
        }
        feedSpans.Should().ContainSingle();
        var span = feedSpans[0];
        span.GetTagItem("url.path").Should().Be(Telemetry.RedactedFeedPath);
        span.DisplayName.Should().NotContain(token);
        span.TagObjects.Select(t => Convert.ToString(t.Value, System.Globalization.CultureInfo.InvariantCulture)).Should().NotContain(v => v != null && v.Contains(token, StringComparison.Ordinal));
        factory.Services.GetService<MeterProvider>().Should().NotBeNull("metrics are exported too once an endpoint is set");
    }
}
