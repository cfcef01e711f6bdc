using System.Net;
using System.Net.Http.Json;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlDropout.Web.Tests.Features.Disruptions;

/// <summary>Who may record leave and closures, checked by the use case whatever the way in.</summary>
public sealed class DisruptionAccessTests(ServiceFactory factory) : IClassFixture<ServiceFactory>
{
    private static readonly object Leave = new { firstDay = "2026-10-12", lastDay = "2026-10-13", reason = "病假" };

    [Fact]
    public async Task A_coordinator_records_leave_for_staff_of_their_school_only()
    {
        var county = await factory.LincangAsync();
        StaffId stranger;
        using (var scope = factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var school = new School { Id = SchoolId.New(), CountyCode = county.Code, TownshipCode = county.Code + "103", Name = "另一所学校", Kind = SchoolKind.Regular };
            db.Schools.Add(school);
            stranger = StaffId.New();
            db.Staff.Add(new Staff { Id = stranger, CountyCode = county.Code, SchoolId = school.Id, Department = Department.Education, Name = "王老师", BaseName = school.Name });
            await db.SaveChangesAsync();
        }
        var coordinator = await county.As("coordinator");

        (await coordinator.PostAsJsonAsync($"/api/staff/{stranger}/leave", Leave)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await coordinator.PostAsJsonAsync($"/api/staff/{county.Teacher}/leave", Leave)).StatusCode.Should().Be(HttpStatusCode.Created);

        using var check = factory.Services.CreateScope();
        (await check.ServiceProvider.GetRequiredService<AppDbContext>().Leave.CountAsync(l => l.StaffId == stranger)).Should().Be(0);
    }

    [Fact]
    public async Task Closures_are_the_bureaus_and_another_countys_term_is_not_found()
    {
        var county = await factory.LincangAsync();
        var other = await factory.OtherCountyAsync();
        var closure = new { firstDay = "2026-11-02", lastDay = "2026-11-03", reason = "道路中断" };

        (await (await county.As("coordinator")).PostAsJsonAsync($"/api/terms/{county.Term}/closures", closure)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await (await county.As("auditor")).PostAsJsonAsync($"/api/terms/{county.Term}/closures", closure)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await (await county.As("approver")).PostAsJsonAsync($"/api/terms/{other.Term}/closures", closure)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await (await county.As("approver")).GetAsync(new Uri($"/api/terms/{other.Term}/closures", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }
}
