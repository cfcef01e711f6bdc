using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ControlDropout.Web.Tests.Fuzz;

/// <summary>
/// The real app in a named environment (Development or Production, not the tests' "Testing"), a
/// county with something of every kind to aim at (plans in several states, a published and a draft
/// timetable, sessions of the teacher account, a visit record), a bearer client and a signed-in
/// browser per role, and the errors the app logged.
/// </summary>
/// <remarks>
/// In Development the app seeds the demo county (临翔区, 530902) into its empty database at start;
/// that is left on (it is what <c>dotnet run</c> does) and the fuzz county is the tests' second
/// county (530927), so both live side by side and the demo's ids are one more county to stay out of.
/// </remarks>
internal sealed partial class FuzzHost : IAsyncDisposable
{
    public const string Anonymous = "anonymous";

    /// <summary>A second approver: the account whose sessions the fuzz may end (logout, password, sign-out-everywhere).</summary>
    public const string Expendable = "approver2";

    public static readonly string[] Roles = [.. Web.Data.Roles.All];

    private FuzzHost(string environment, ServiceFactory factory, ErrorLog errors)
    {
        Environment = environment;
        Factory = factory;
        Errors = errors;
    }

    public string Environment { get; }

    public ServiceFactory Factory { get; }

    public ErrorLog Errors { get; }

    public TestCounty County { get; private set; } = null!;

    /// <summary>Real values by JSON property or parameter name (<c>studentId</c>, <c>sessionKey</c>, …).</summary>
    public Dictionary<string, string[]> Values { get; } = [];

    /// <summary>Fields that belong together, as JSON: a visit's session key with that session's date, times and team.</summary>
    public List<Dictionary<string, string>> SessionRows { get; } = [];

    /// <summary>Real ids for a route's <c>{id}</c> by the path before it (<c>/api/plans/</c>).</summary>
    public Dictionary<string, string[]> RouteIds { get; } = [];

    /// <summary>A bearer client per role, the expendable approver and an anonymous one.</summary>
    public Dictionary<string, HttpClient> Api { get; } = [];

    /// <summary>A browser signed in with the cookie, per role.</summary>
    public Dictionary<string, HttpClient> Browsers { get; } = [];

    public static async Task<FuzzHost> StartAsync(string environment)
    {
        var errors = new ErrorLog();
        var factory = new ServiceFactory();
        // The environment is a host setting: this one comes after ServiceFactory's "Testing" and wins.
        factory.Settings["environment"] = environment;
        // The fuzz posts to the login endpoint too: neither the flood cap nor the guessing throttle may lock the roles out.
        factory.Settings["Access:LoginAttemptsPerMinute"] = "1000000";
        factory.Settings["Access:FreeFailuresPerAddress"] = "1000000";
        factory.ConfigureTestServices = services => services.AddSingleton<ILoggerProvider>(errors);
        var host = new FuzzHost(environment, factory, errors);
        try
        {
            factory.CreateClient().Dispose();
            factory.Services.GetRequiredService<IWebHostEnvironment>().EnvironmentName.Should().Be(environment);
            await host.SeedAsync();
            await host.SignInAsync();
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    private async Task SeedAsync()
    {
        County = await Factory.OtherCountyAsync();
        await SchedulableCounty.AddAsync(County, 2);
        // A child whose plan needs a skill nobody has: left unassigned, to be acknowledged.
        var unplaceable = (await SchedulableCounty.AddAsync(County, 1, ["sign-language"]))[0];
        var coordinator = await County.As("coordinator");
        var (draft, _) = await coordinator.CreatePlanAsync(County.Eligible, County.Term);
        var (toSubmit, submitted) = await coordinator.CreatePlanAsync(County.SecondEligible, County.Term);
        draft.EnsureSuccessStatusCode();
        toSubmit.EnsureSuccessStatusCode();
        (await coordinator.ActAsync(submitted!, "submit")).EnsureSuccessStatusCode();
        // Real timetables from the solver (their scenarios read back): one published, one draft after it.
        var approver = await County.As("approver");
        var (_, published) = await RunAsync(approver);
        (await approver.PostAsJsonAsync($"/api/timetables/{published}/unassigned/{unplaceable}/acknowledge", new { note = "本学期无手语教师" })).EnsureSuccessStatusCode();
        (await approver.PostAsync(new Uri($"/api/timetables/{published}/publish", UriKind.Relative), null)).EnsureSuccessStatusCode();
        var (run, draftTimetable) = await RunAsync(approver);

        using var scope = Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        // The teacher account becomes the solver's busiest teacher (before it signs in), so that its visit records reach the handlers.
        var sessions = await db.Sessions.Where(s => s.TimetableId == published).OrderBy(s => s.Date).ToListAsync();
        sessions.Should().NotBeEmpty("the solver placed the children");
        var teacher = sessions.SelectMany(s => s.StaffIds).GroupBy(id => id).OrderByDescending(g => g.Count()).First().Key;
        sessions = [.. sessions.Where(s => s.StaffIds.Contains(teacher))];
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<AppUser>>();
        var account = (await users.FindByNameAsync(County.Accounts["teacher"]))!;
        account.StaffId = new StaffId(teacher);
        (await users.UpdateAsync(account)).Succeeded.Should().BeTrue();
        // The timetable takes effect on the next teaching day: the fuzz runs just after its first session, which is recorded.
        var recorded = sessions.OrderBy(s => s.Date).ThenBy(s => s.Start).First();
        var recordedAt = new DateTimeOffset(recorded.Date.ToDateTime(recorded.End), TimeSpan.FromHours(8)).AddHours(1);
        Factory.Clock.SetUtcNow(recordedAt);
        var visit = new VisitRecord
        {
            CountyCode = County.Code, SessionKey = recorded.SessionKey, StudentId = recorded.StudentId, Version = 1, Date = recorded.Date,
            Start = recorded.Start, End = recorded.End, StaffPresent = [teacher], Mode = recorded.Mode, Content = "认识日常用品",
            RecordedBy = County.Accounts["teacher"], RecordedAt = recordedAt,
        };
        db.Visits.Add(visit);
        recorded.Status = SessionStatus.Delivered;
        await db.SaveChangesAsync();

        var code = County.Code;
        var students = (await db.Students.Where(s => s.CountyCode == code).Select(s => s.Id).ToListAsync()).Select(id => id.Value.ToString()).ToArray();
        var staff = (await db.Staff.Where(s => s.CountyCode == code).Select(s => s.Id).ToListAsync()).Select(id => id.Value.ToString()).ToArray();
        var plans = (await db.Plans.Where(p => p.CountyCode == code).Select(p => p.Id).ToListAsync()).Select(id => id.Value.ToString()).ToArray();
        var expendable = (await users.FindByNameAsync(County.Accounts[Expendable]))!.Id;
        Values["studentId"] = students;
        Values["termId"] = [County.Term.Value.ToString()];
        Values["schoolId"] = Values["schoolOfRecordId"] = [County.School.Value.ToString()];
        Values["staffPresent"] = Values["preferredStaffIds"] = staff;
        // Every session of the term: each can be recorded once, so many fresh ones keep the fuzz past "already recorded".
        Values["sessionKey"] = [.. sessions.Select(s => s.SessionKey)];
        foreach (var session in sessions)
        {
            static string Quote(string text) => JsonSerializer.Serialize(text);
            SessionRows.Add(new()
            {
                ["sessionKey"] = Quote(session.SessionKey),
                ["date"] = Quote(session.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)),
                ["start"] = Quote(session.Start.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture)),
                ["end"] = Quote(session.End.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture)),
                ["staffPresent"] = "[" + Quote(teacher.ToString()) + "]",
                ["missed"] = "false",
            });
        }
        Values["villageCode"] = [code + "101201", code + "102201"];
        Values["townshipCode"] = Values["township"] = [code + "101", code + "102"];
        RouteIds["/api/plans/"] = plans;
        RouteIds["/api/students/"] = students;
        RouteIds["/api/terms/"] = [County.Term.Value.ToString()];
        RouteIds["/api/timetables/runs/"] = [run.ToString()];
        RouteIds["/api/timetables/"] = [published.ToString(), draftTimetable.ToString()];
        RouteIds["/api/staff/"] = staff;
        RouteIds["/api/visits/"] = [visit.Id.ToString()];
        RouteIds["/api/users/"] = [expendable];
    }

    /// <summary>Runs the solver for the term and waits for it: (run id, draft timetable id).</summary>
    private async Task<(Guid Run, Guid Timetable)> RunAsync(HttpClient approver)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        HttpResponseMessage started;
        // The first run may still be finishing its bookkeeping (409 run_in_progress) for a moment.
        while ((started = await approver.PostAsJsonAsync("/api/timetables/runs", new { termId = County.Term.Value })).StatusCode == HttpStatusCode.Conflict && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
        started.EnsureSuccessStatusCode();
        JsonElement run;
        do
        {
            await Task.Delay(100);
            run = await approver.GetFromJsonAsync<JsonElement>(started.Headers.Location!.ToString());
        }
        while (run.GetProperty("status").GetString() is "Queued" or "Running" && DateTime.UtcNow < deadline);
        run.GetProperty("status").GetString().Should().Be("Succeeded");
        return (run.GetProperty("id").GetGuid(), run.GetProperty("timetableId").GetGuid());
    }

    private async Task SignInAsync()
    {
        foreach (var role in Roles.Append(Expendable))
        {
            Api[role] = await County.As(role);
        }
        Api[Anonymous] = Factory.CreateClient();
        foreach (var role in Roles)
        {
            Browsers[role] = await BrowserAsync(County.Accounts[role]);
        }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    /// <summary>A browser signed in through the sign-in page, with its cookie.</summary>
    public async Task<HttpClient> BrowserAsync(string userName)
    {
        var client = Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var html = await client.GetStringAsync(new Uri("/login", UriKind.Relative));
        var response = await client.PostAsync(new Uri("/login", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = userName, ["Password"] = ServiceFactory.Password, ["__RequestVerificationToken"] = TokenField().Match(html).Groups[1].Value,
        }));
        response.StatusCode.Should().Be(HttpStatusCode.Redirect, $"{userName} signs in on the page");
        return client;
    }

    /// <summary>
    /// Who may call each route, from its own authorization metadata (roles of its policies); a route
    /// without roles is open to every signed-in role, one that allows anonymous callers to nobody else.
    /// Keyed "METHOD /path/{param}" as the OpenAPI document spells it.
    /// </summary>
    public async Task<Dictionary<string, string[]>> CallersByRouteAsync()
    {
        var policies = Factory.Services.GetRequiredService<IAuthorizationPolicyProvider>();
        var callers = new Dictionary<string, string[]>();
        foreach (var endpoint in Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = RouteParameter().Replace("/" + endpoint.RoutePattern.RawText!.TrimStart('/'), m => "{" + m.Groups[1].Value + "}");
            string[] roles;
            if (endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null)
            {
                roles = [Anonymous];
            }
            else
            {
                var policy = await AuthorizationPolicy.CombineAsync(policies, endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>(), endpoint.Metadata.GetOrderedMetadata<AuthorizationPolicy>());
                roles = Roles;
                foreach (var requirement in policy?.Requirements.OfType<RolesAuthorizationRequirement>() ?? [])
                {
                    roles = [.. roles.Intersect(requirement.AllowedRoles)];
                }
            }
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            {
                callers[$"{method} {pattern}"] = roles;
            }
        }
        return callers;
    }

    [GeneratedRegex(@"\{([^}:?=]+)[^}]*\}")]
    private static partial Regex RouteParameter();

    public async ValueTask DisposeAsync()
    {
        foreach (var client in Api.Values.Concat(Browsers.Values))
        {
            client.Dispose();
        }
        await Factory.DisposeAsync();
        Errors.Dispose();
    }
}

/// <summary>The exceptions the app logged (unhandled ones, background ones), so that a 500 can be reported with its cause.</summary>
internal sealed class ErrorLog : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _entries = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    /// <summary>What was logged since the last call.</summary>
    public List<string> Drain()
    {
        var drained = new List<string>();
        while (_entries.TryDequeue(out var entry))
        {
            drained.Add(entry);
        }
        return drained;
    }

    public void Dispose() => _entries.Clear();

    /// <summary>"Type: first line of the message (inner: Type: …) at the app's first frame".</summary>
    public static string Describe(Exception exception)
    {
        static string FirstLine(string text) => text.Split('\n')[0].Trim();
        var text = $"{exception.GetType().Name}: {FirstLine(exception.Message)}";
        var inner = exception;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }
        if (!ReferenceEquals(inner, exception))
        {
            text += $" (inner {inner.GetType().Name}: {FirstLine(inner.Message)})";
        }
        var frame = exception.ToString().Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("at ControlDropout.", StringComparison.Ordinal));
        return frame is null ? text : $"{text} {frame}";
    }

    private sealed class Logger(ErrorLog log) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (exception is not null && logLevel >= LogLevel.Error)
            {
                log._entries.Enqueue(Describe(exception));
            }
        }
    }
}
