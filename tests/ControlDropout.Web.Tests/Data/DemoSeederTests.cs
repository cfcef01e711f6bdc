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
}
