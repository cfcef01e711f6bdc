using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ControlDropout.Scheduling.Solving;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Timetables;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ControlDropout.Web.Tests.Features.MultiInstance;

/// <summary>Solves that wait until cancelled, as a long solve would: a run stays running on its instance as long as a test needs.</summary>
internal static class LongSolve
{
    public static Scheduling.Timetables.Timetable UntilCancelled(Scheduling.Scenarios.Scenario scenario, Scheduling.Scenarios.SolveOptions options,
        IProgress<SolveProgress>? progress, CancellationToken cancellation)
    {
        progress?.Report(new SolveProgress("search", 0.5, 0, 1, 0));
        // A generous ceiling so that a broken cancel fails the test instead of hanging it.
        cancellation.WaitHandle.WaitOne(TimeSpan.FromMinutes(2));
        cancellation.ThrowIfCancellationRequested();
        throw new TimeoutException("the run was never cancelled");
    }

    public static RunWorker Worker(this ServiceFactory factory) => factory.Services.GetServices<IHostedService>().OfType<RunWorker>().Single();

    public static async Task<TimetableRun> WaitForAsync(ServiceFactory factory, Guid id, Func<TimetableRun, bool> done)
    {
        for (var i = 0; i < 600; i++)
        {
            using var scope = factory.Services.CreateScope();
            var run = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Runs.AsNoTracking().SingleAsync(r => r.Id == id);
            if (done(run))
            {
                return run;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("the run never got there");
    }
}

/// <summary>Instance A and instance B of the service, one PostgreSQL database between them.</summary>
public sealed class TwoInstances : IDisposable
{
    public ServiceFactory A { get; }

    public ServiceFactory B { get; }

    public TwoInstances()
    {
        A = new ServiceFactory { ConfigureTestServices = s => s.AddSingleton<WeekSolve>(LongSolve.UntilCancelled) };
        B = ServiceFactory.SecondInstanceOf(A);
        B.ConfigureTestServices = s => s.AddSingleton<WeekSolve>(LongSolve.UntilCancelled);
    }

    public void Dispose()
    {
        B.Dispose();
        A.Dispose();
    }
}

/// <summary>
/// Two instances of the service on one PostgreSQL database, as behind a proxy: requests land on either, and the
/// database is the one truth — one run per county, a cancel reaching the instance that solves, sign-ins valid on both.
/// </summary>
public sealed class TwoInstancesTests(TwoInstances two) : IClassFixture<TwoInstances>
{
    private ServiceFactory A => two.A;

    private ServiceFactory B => two.B;

    [PostgresFact]
    public async Task Twenty_starts_spread_over_both_make_one_run_and_a_cancel_through_the_other_instance_stops_it()
    {
        var county = await A.LincangAsync();
        await SchedulableCounty.AddAsync(county, children: 1);
        var onA = await A.ClientAsAsync(county.Accounts["approver"]);
        var onB = await B.ClientAsAsync(county.Accounts["approver"]);
        using var go = new ManualResetEventSlim();

        var starts = Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            go.Wait();
            return await (i % 2 == 0 ? onA : onB).PostAsJsonAsync("/api/timetables/runs", new { termId = county.Term.Value });
        })).ToList();
        go.Set();
        var answers = await Task.WhenAll(starts);

        answers.Select(a => a.StatusCode).Should().NotContain(HttpStatusCode.InternalServerError);
        answers.Count(a => a.StatusCode == HttpStatusCode.Accepted).Should().Be(1);
        answers.Count(a => a.StatusCode == HttpStatusCode.Conflict).Should().Be(19);
        var location = answers.Single(a => a.StatusCode == HttpStatusCode.Accepted).Headers.Location!.ToString();
        var id = Guid.Parse(location[(location.LastIndexOf('/') + 1)..]);

        // Whichever instance claimed it, the cancel goes to the other one.
        var running = await LongSolve.WaitForAsync(A, id, r => r.Status == RunStatus.Running && r.Progress > 0.05);
        running.ClaimedBy.Should().BeOneOf(A.Worker().InstanceId, B.Worker().InstanceId);
        var other = running.ClaimedBy == A.Worker().InstanceId ? onB : onA;
        (await other.PostAsync(new Uri(location + "/cancel", UriKind.Relative), null)).StatusCode.Should().Be(HttpStatusCode.OK);

        var cancelled = await LongSolve.WaitForAsync(B, id, r => r.Status is not (RunStatus.Queued or RunStatus.Running));
        cancelled.Status.Should().Be(RunStatus.Cancelled);
        cancelled.ClaimedBy.Should().Be(running.ClaimedBy, "the instance that solved it stopped it");
        using var scope = A.Services.CreateScope();
        (await scope.ServiceProvider.GetRequiredService<AppDbContext>().Runs.CountAsync(r => r.CountyCode == county.Code)).Should().Be(1);
    }

    [PostgresFact]
    public async Task A_bearer_token_issued_by_A_is_accepted_by_B()
    {
        var county = await A.OtherCountyAsync();
        using var login = A.CreateClient();
        var issued = await login.PostAsJsonAsync("/api/auth/login", new { userName = county.Accounts["approver"], password = ServiceFactory.Password });
        issued.EnsureSuccessStatusCode();
        var token = (await issued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;

        using var onB = B.CreateClient();
        onB.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var me = await onB.GetAsync(new Uri("/api/auth/me", UriKind.Relative));

        me.StatusCode.Should().Be(HttpStatusCode.OK);
        (await me.Content.ReadAsStringAsync()).Should().Contain(county.Accounts["approver"]);
        // And B checks it: a token B cannot unprotect is refused.
        onB.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token[..^8] + "AAAAAAAA");
        (await onB.GetAsync(new Uri("/api/auth/me", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [PostgresFact]
    public async Task A_page_sign_in_cookie_issued_by_A_is_accepted_by_B()
    {
        var county = await A.OtherCountyAsync();
        var noRedirects = new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false };
        using var onA = A.CreateClient(noRedirects);
        var form = await onA.GetAsync(new Uri("/login", UriKind.Relative));
        var antiforgery = Cookies(form);
        using var post = new HttpRequestMessage(HttpMethod.Post, "/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["UserName"] = county.Accounts["approver"], ["Password"] = ServiceFactory.Password,
                ["__RequestVerificationToken"] = PageBrowser.TokenIn(await form.Content.ReadAsStringAsync()),
            }),
        };
        post.Headers.Add("Cookie", antiforgery);
        var signedIn = await onA.SendAsync(post);
        signedIn.StatusCode.Should().Be(HttpStatusCode.Redirect);
        var session = Cookies(signedIn);
        session.Should().Contain("cd.session=");

        using var onB = B.CreateClient(noRedirects);
        using var withCookie = new HttpRequestMessage(HttpMethod.Get, "/terms");
        withCookie.Headers.Add("Cookie", session);
        var page = await onB.SendAsync(withCookie);

        page.StatusCode.Should().Be(HttpStatusCode.OK, "B reads the cookie A wrote with the key ring both keep in the database");
        (await onB.GetAsync(new Uri("/terms", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.Redirect, "without it B sends the visitor to sign in");
    }

    private static string Cookies(HttpResponseMessage response) =>
        string.Join("; ", response.Headers.TryGetValues("Set-Cookie", out var values) ? values.Select(v => v.Split(';')[0]) : []);
}

/// <summary>
/// Instance A dies while solving; instance B, on the same database, finds the run's heartbeat older than the lease
/// and solves it again from the start. A's solve never ends by itself (as a long one would); B's is the real core.
/// </summary>
public sealed class DeadInstanceTests
{
    private const int LeaseSeconds = 5;

    [PostgresFact]
    public async Task A_run_whose_instance_dies_mid_solve_is_finished_by_the_other_instance_after_the_lease()
    {
        // B owns the database and outlives A; B's host starts only after A has claimed the run.
        using var b = new ServiceFactory { Settings = { ["Scheduling:RunLeaseSeconds"] = $"{LeaseSeconds}" } };
        var a = ServiceFactory.SecondInstanceOf(b);
        a.ConfigureTestServices = s => s.AddSingleton<WeekSolve>(LongSolve.UntilCancelled);
        a.Settings["Scheduling:RunLeaseSeconds"] = $"{LeaseSeconds}";
        Guid id;
        try
        {
            var county = await a.LincangAsync();
            await SchedulableCounty.AddAsync(county, children: 2);
            var approver = await county.As("approver");
            var started = await approver.PostAsJsonAsync("/api/timetables/runs", new { termId = county.Term.Value });
            started.StatusCode.Should().Be(HttpStatusCode.Accepted);
            var location = started.Headers.Location!.ToString();
            id = Guid.Parse(location[(location.LastIndexOf('/') + 1)..]);
            var running = await LongSolve.WaitForAsync(a, id, r => r.Status == RunStatus.Running && r.Progress > 0.05);
            running.ClaimedBy.Should().Be(a.Worker().InstanceId);

            // B comes up while A is alive and heartbeating: the run is A's, B leaves it alone.
            (await b.Worker().ClaimNextAsync(CancellationToken.None)).Should().BeNull();
        }
        finally
        {
            // A dies mid-solve: its host stops, its heartbeat with it; the row still says Running, claimed by A.
            a.Dispose();
        }
        var orphan = await LongSolve.WaitForAsync(b, id, _ => true);
        orphan.Status.Should().Be(RunStatus.Running);

        // The lease passes on B's clock (its own fake clock; A's heartbeat was written on A's, the same instant).
        b.Clock.Advance(TimeSpan.FromSeconds(LeaseSeconds + 1));
        b.Services.GetRequiredService<RunInbox>().Nudge();
        var finished = await LongSolve.WaitForAsync(b, id, r => r.Status is not (RunStatus.Queued or RunStatus.Running));

        finished.Status.Should().Be(RunStatus.Succeeded);
        finished.ClaimedBy.Should().Be(b.Worker().InstanceId);
        finished.TakeOvers.Should().Be(1);
        finished.TimetableId.Should().NotBeNull();
        using var scope = b.Services.CreateScope();
        (await scope.ServiceProvider.GetRequiredService<AppDbContext>().Timetables.CountAsync(t => t.RunId == id)).Should().Be(1, "one result, B's");
    }
}
