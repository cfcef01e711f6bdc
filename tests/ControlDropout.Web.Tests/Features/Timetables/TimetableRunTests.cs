using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Timetables;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ControlDropout.Web.Tests.Features.Timetables;

public sealed class TimetableRunTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;

    public TimetableRunTests(ServiceFactory factory) => _factory = factory;

    private static async Task<JsonElement> RunToEndAsync(HttpClient client, TermId term)
    {
        var started = await client.PostAsJsonAsync("/api/timetables/runs", new { termId = term.Value });
        started.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var location = started.Headers.Location!.ToString();
        for (var i = 0; i < 600; i++)
        {
            var run = await client.GetFromJsonAsync<JsonElement>(location);
            if (run.GetProperty("status").GetString() is "Succeeded" or "Failed" or "Cancelled")
            {
                return run;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("the run did not finish");
    }

    [Fact]
    public async Task A_run_solves_the_terms_approved_plans_into_dated_sessions_that_skip_holidays()
    {
        var county = await _factory.LincangAsync();
        var children = await SchedulableCounty.AddAsync(county, children: 3);
        var approver = await county.As("approver");

        var run = await RunToEndAsync(approver, county.Term);

        run.GetProperty("status").GetString().Should().Be("Succeeded");
        run.GetProperty("placedSessions").GetInt32().Should().Be(3);
        var timetableId = run.GetProperty("timetableId").GetGuid();
        var timetable = await approver.GetFromJsonAsync<JsonElement>($"/api/timetables/{timetableId}");
        timetable.GetProperty("status").GetString().Should().Be("Draft");
        var listed = await approver.GetFromJsonAsync<List<JsonElement>>($"/api/timetables?termId={county.Term}");
        listed!.Select(t => t.GetProperty("id").GetGuid()).Should().Contain(timetableId);
        var sessions = await approver.GetFromJsonAsync<List<JsonElement>>($"/api/timetables/{timetableId}/sessions");
        var dates = sessions!.Select(s => DateOnly.Parse(s.GetProperty("date").GetString()!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        dates.Should().NotContain(d => d >= new DateOnly(2026, 10, 1) && d <= new DateOnly(2026, 10, 7), "nobody is taught on National Day");
        dates.Should().NotContain(new DateOnly(2026, 9, 25), "中秋节");
        foreach (var child in children)
        {
            var weeks = sessions!.Where(s => s.GetProperty("studentId").GetGuid() == child.Value).Select(s => s.GetProperty("week").GetString()).ToList();
            weeks.Should().OnlyHaveUniqueItems().And.Contain(["2026-W37", "2026-W40", "2026-W41"], "each child is taught once in every teaching week, holiday weeks included");
        }
    }

    [Fact]
    public async Task Publishing_needs_every_uncovered_child_acknowledged()
    {
        var county = await _factory.OtherCountyAsync();
        await SchedulableCounty.AddAsync(county, children: 1);
        var uncovered = (await SchedulableCounty.AddAsync(county, children: 1, skills: ["medical"])).Single();
        var approver = await county.As("approver");
        var run = await RunToEndAsync(approver, county.Term);
        var timetableId = run.GetProperty("timetableId").GetGuid();

        var refused = await approver.PostAsync($"/api/timetables/{timetableId}/publish", null);
        refused.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await refused.ReadJsonAsync()).GetProperty("errors")[0].GetProperty("code").GetString().Should().Be("NoQualifiedTeacher");

        (await approver.PostAsJsonAsync($"/api/timetables/{timetableId}/unassigned/{uncovered}/acknowledge", new { note = "已联系卫健局派医生" })).StatusCode.Should().Be(HttpStatusCode.OK);
        var published = await approver.PostAsync($"/api/timetables/{timetableId}/publish", null);

        published.StatusCode.Should().Be(HttpStatusCode.OK);
        (await published.ReadJsonAsync()).GetProperty("status").GetString().Should().Be("Published");
    }
}

/// <summary>Its own app, whose database fails half-way through writing a run's sessions, as a crash would.</summary>
public sealed class TimetableRunCrashTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;

    public TimetableRunCrashTests(ServiceFactory factory)
    {
        _factory = factory;
        _factory.ConfigureTestServices = services => services.AddSingleton<IInterceptor, CrashOnSessions>();
    }

    private sealed class CrashOnSessions : DbCommandInterceptor
    {
        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default) =>
            command.CommandText.Contains("INSERT INTO \"Sessions\"", StringComparison.Ordinal)
                ? throw new IOException("simulated crash while writing sessions")
                : base.ReaderExecutingAsync(command, eventData, result, cancellationToken);

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default) =>
            command.CommandText.Contains("INSERT INTO \"Sessions\"", StringComparison.Ordinal)
                ? throw new IOException("simulated crash while writing sessions")
                : base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
    }

    [Fact]
    public async Task A_run_cut_off_while_writing_leaves_no_partial_timetable()
    {
        var county = await _factory.LincangAsync();
        await SchedulableCounty.AddAsync(county, children: 2);
        var approver = await county.As("approver");

        var started = await approver.PostAsJsonAsync("/api/timetables/runs", new { termId = county.Term.Value });
        JsonElement run = default;
        for (var i = 0; i < 600; i++)
        {
            run = await approver.GetFromJsonAsync<JsonElement>(started.Headers.Location!.ToString());
            if (run.GetProperty("status").GetString() is "Failed" or "Succeeded")
            {
                break;
            }
            await Task.Delay(100);
        }

        run.GetProperty("status").GetString().Should().Be("Failed");
        using var scope = _factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        (await db.Timetables.CountAsync()).Should().Be(0);
        (await db.Sessions.CountAsync()).Should().Be(0);
    }
}
