using System.Net.Http.Json;
using System.Text.Json;
using ControlDropout.Web.Data;
using ControlDropout.Web.Data.Demo;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlDropout.Web.Tests.Data;

public sealed class DemoSeederTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;

    public DemoSeederTests(ServiceFactory factory) => _factory = factory;

    [Fact]
    public async Task Seeds_a_demo_county_that_every_demo_user_can_sign_in_to_with_a_published_timetable()
    {
        _factory.CreateClient().Dispose();
        using (var scope = _factory.Services.CreateScope())
        {
            var seeder = scope.ServiceProvider.GetRequiredService<DemoSeeder>();
            (await seeder.SeedAsync(DemoSeeder.DefaultPassword, CancellationToken.None)).Should().BeTrue();
            (await seeder.SeedAsync(DemoSeeder.DefaultPassword, CancellationToken.None)).Should().BeFalse("a database with a county is never seeded again");
        }

        foreach (var user in DemoSeeder.DemoUsers)
        {
            var login = await _factory.CreateClient().PostAsJsonAsync("/api/auth/login", new { userName = user, password = DemoSeeder.DefaultPassword });
            login.IsSuccessStatusCode.Should().BeTrue($"demo user {user} signs in");
        }
        using var check = _factory.Services.CreateScope();
        var db = check.ServiceProvider.GetRequiredService<AppDbContext>();
        (await db.Townships.CountAsync(t => t.CountyCode == DemoSeeder.CountyCode)).Should().BeGreaterThan(5, "real 临翔区 townships come from data/");
        (await db.Students.CountAsync()).Should().Be(27);
        // Issue 14: the demo county asks for confirmation and check-in; all but one or two delivered records carry them.
        var visits = await db.Visits.AsNoTracking().ToListAsync();
        visits.Count(v => v.SignatureSvg is null || v.CheckInAt is null).Should().BeInRange(1, 2);
        visits.Where(v => v.SignatureSvg is not null).Should().OnlyContain(v => v.SignatureSvg!.StartsWith("<svg", StringComparison.Ordinal));
        (await db.PlanVersions.CountAsync(v => v.Status == PlanStatus.Submitted)).Should().Be(3, "the approver's queue has plans waiting");
        var published = await db.Timetables.Include(t => t.Sessions).SingleAsync(t => t.Status == TimetableStatus.Published);
        published.Sessions.Should().NotBeEmpty();
        published.Sessions.Select(s => s.StudentId).Distinct().Should().HaveCount(24 - published.Unassigned.Select(u => u.StudentId).Distinct().Count());
        (await db.Students.ToListAsync()).Should().OnlyContain(s => s.Name.EndsWith("某某", StringComparison.Ordinal), "demo children are synthetic");
    }

    [Fact]
    public void The_current_term_follows_the_school_year()
    {
        DemoSeeder.CurrentTerm(new DateOnly(2026, 11, 29)).FirstDay.Should().Be(new DateOnly(2026, 9, 1));
        DemoSeeder.CurrentTerm(new DateOnly(2027, 1, 10)).Name.Should().Be("2026年秋季学期");
        DemoSeeder.CurrentTerm(new DateOnly(2027, 4, 2)).FirstDay.Should().Be(new DateOnly(2027, 3, 1));
    }

    [Fact]
    public async Task The_demo_county_on_2_December_shows_no_false_missed_week_and_no_false_flag()
    {
        // The demo as a bureau first sees it, three months into term (issue 12).
        await using var factory = new ServiceFactory();
        factory.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 2, 1, 0, 0, TimeSpan.Zero));
        factory.CreateClient().Dispose();
        using (var scope = factory.Services.CreateScope())
        {
            (await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync(DemoSeeder.DefaultPassword, CancellationToken.None)).Should().BeTrue();
        }
        var login = await factory.CreateClient().PostAsJsonAsync("/api/auth/login", new { userName = "auditor", password = DemoSeeder.DefaultPassword });
        var token = (await login.ReadJsonAsync()).GetProperty("accessToken").GetString();
        var auditor = factory.CreateClient();
        auditor.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);

        // Every record was made as scheduled: none is flagged for impossible travel.
        var flagged = (await auditor.GetFromJsonAsync<List<JsonElement>>("/api/visits?flagged=true", ServiceFactory.Json))!;
        flagged.Should().NotBeEmpty("the demo has a late record and one without content");
        flagged.SelectMany(v => v.GetProperty("flags").EnumerateArray().Select(f => f.GetString())).Should().NotContain("impossible_travel");

        // A week is missed only when the child's sessions in force that week were not delivered.
        var matrix = await auditor.GetFromJsonAsync<JsonElement>("/api/coverage/matrix", ServiceFactory.Json);
        var weeks = matrix.GetProperty("weeks").EnumerateArray().Select(w => w.GetString()!).ToList();
        using var check = factory.Services.CreateScope();
        var db = check.ServiceProvider.GetRequiredService<AppDbContext>();
        var published = await db.Timetables.Include(t => t.Sessions).SingleAsync(t => t.Status == TimetableStatus.Published);
        var missedCells = 0;
        foreach (var child in matrix.GetProperty("children").EnumerateArray())
        {
            var id = new StudentId(child.GetProperty("studentId").GetGuid());
            var statuses = child.GetProperty("statuses").EnumerateArray().Select(x => x.GetString()).ToList();
            for (var i = 0; i < weeks.Count; i++)
            {
                if (statuses[i] != "Missed")
                {
                    continue;
                }
                missedCells++;
                published.Sessions.Where(x => x.StudentId == id && x.Week == weeks[i]).Should().NotContain(x => x.Status == SessionStatus.Delivered, $"{weeks[i]} of {id} was delivered");
                string.CompareOrdinal(weeks[i], "2026-W49").Should().BeNegative("only a past week can be missed");
            }
        }
        missedCells.Should().BeGreaterThan(0, "about one session in twelve of the demo was never recorded");
    }
}
