using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ControlDropout.Scheduling.Solving;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Timetables;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;

namespace ControlDropout.Web.Tests.Features.Timetables;

/// <summary>
/// Runs whose solve the test controls: a stand-in for the core that reports half its budget spent and
/// then waits until it is cancelled, as a long solve would. So a run stays running as long as a test needs.
/// </summary>
public sealed class RunControlTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;

    public RunControlTests(ServiceFactory factory)
    {
        _factory = factory;
        _factory.ConfigureTestServices = services => services.AddSingleton<WeekSolve>(SolveUntilCancelled);
    }

    private static Scheduling.Timetables.Timetable SolveUntilCancelled(Scheduling.Scenarios.Scenario scenario, Scheduling.Scenarios.SolveOptions options,
        IProgress<SolveProgress>? progress, CancellationToken cancellation)
    {
        progress?.Report(new SolveProgress("search", 0.5, 0, 1, 0));
        // A generous ceiling so that a broken cancel fails the test instead of hanging it.
        cancellation.WaitHandle.WaitOne(TimeSpan.FromMinutes(2));
        cancellation.ThrowIfCancellationRequested();
        throw new TimeoutException("the run was never cancelled");
    }

    private static async Task<JsonElement> WaitForAsync(HttpClient client, string location, Func<JsonElement, bool> done)
    {
        for (var i = 0; i < 300; i++)
        {
            var run = await client.GetFromJsonAsync<JsonElement>(location);
            if (done(run))
            {
                return run;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("the run never got there");
    }

    [Fact]
    public async Task Twenty_parallel_starts_create_exactly_one_run_and_the_others_answer_409()
    {
        var county = await _factory.LincangAsync();
        await SchedulableCounty.AddAsync(county, children: 1);
        var approver = await county.As("approver");
        using var go = new ManualResetEventSlim();

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            go.Wait();
            return await approver.PostAsJsonAsync("/api/timetables/runs", new { termId = county.Term.Value });
        })).ToList().Also(() => go.Set()));

        answers.Select(a => a.StatusCode).Should().NotContain(HttpStatusCode.InternalServerError);
        answers.Count(a => a.StatusCode == HttpStatusCode.Accepted).Should().Be(1);
        answers.Count(a => a.StatusCode == HttpStatusCode.Conflict).Should().Be(19);
        foreach (var refused in answers.Where(a => a.StatusCode == HttpStatusCode.Conflict))
        {
            (await refused.ReadJsonAsync()).GetProperty("code").GetString().Should().Be("run_in_progress");
        }

        // The one run is cancelled, and then the county may start again.
        var location = answers.Single(a => a.StatusCode == HttpStatusCode.Accepted).Headers.Location!.ToString();
        (await approver.PostAsync(new Uri(location + "/cancel", UriKind.Relative), null)).StatusCode.Should().Be(HttpStatusCode.OK);
        await WaitForAsync(approver, location, r => r.GetProperty("status").GetString() == "Cancelled");
        var again = await approver.PostAsJsonAsync("/api/timetables/runs", new { termId = county.Term.Value });
        again.StatusCode.Should().Be(HttpStatusCode.Accepted);
        (await approver.PostAsync(new Uri(again.Headers.Location + "/cancel", UriKind.Relative), null)).StatusCode.Should().Be(HttpStatusCode.OK);
        await WaitForAsync(approver, again.Headers.Location!.ToString(), r => r.GetProperty("status").GetString() == "Cancelled");
    }

    [Fact]
    public async Task A_running_solve_shows_its_progress_and_stops_promptly_when_cancelled()
    {
        var county = await _factory.OtherCountyAsync();
        await SchedulableCounty.AddAsync(county, children: 1);
        var approver = await county.As("approver");
        var started = await approver.PostAsJsonAsync("/api/timetables/runs", new { termId = county.Term.Value });
        started.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var location = started.Headers.Location!.ToString();

        // The bar moves while the core is still solving (it reported half its budget spent).
        var running = await WaitForAsync(approver, location, r => r.GetProperty("status").GetString() == "Running" && r.GetProperty("progress").GetDouble() > 0.05);
        running.GetProperty("progress").GetDouble().Should().BeGreaterThan(0.05).And.BeLessThan(1);

        var clock = Stopwatch.StartNew();
        (await approver.PostAsync(new Uri(location + "/cancel", UriKind.Relative), null)).StatusCode.Should().Be(HttpStatusCode.OK);
        var cancelled = await WaitForAsync(approver, location, r => r.GetProperty("status").GetString() is "Cancelled" or "Failed" or "Succeeded");

        cancelled.GetProperty("status").GetString().Should().Be("Cancelled");
        cancelled.GetProperty("timetableId").ValueKind.Should().Be(JsonValueKind.Null);
        // The worker looks every quarter second; a generous bound for a busy 2-core machine.
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10));
    }
}

internal static class TaskListExtensions
{
    /// <summary>Runs an action once the list is built (here: opens the gate after every request is waiting).</summary>
    public static List<T> Also<T>(this List<T> list, Action action)
    {
        action();
        return list;
    }
}
