using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlDropout.Web.Tests.Features.Timetables;

/// <summary>
/// Issue 14 §5 and §4: before publishing, the draft says which children change teacher, day or time and which
/// teachers' weeks change; the approver's page shows the timetable as tables whose staff names are links.
/// </summary>
public sealed class TimetableChangesTests
{
    /// <summary>
    /// Two children, each with one fixed 80-minute window (so the solver has one place for each), both taught by
    /// 教师0 in the version in force (教师1 has only a skill nobody needs). Then the first child's plan asks for
    /// 教师1's skill, and the county runs again: that child — and only that child — moves to 教师1.
    /// </summary>
    private static async Task<(TestCounty County, StudentId Moved, StudentId Stays, StaffId From, StaffId To, Guid Draft)> MoveOneChildAsync(ServiceFactory factory)
    {
        var county = await factory.LincangAsync();
        var children = await SchedulableCounty.AddAsync(county, children: 2);
        StaffId from, to;
        using (var scope = factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var staff = await db.Staff.Where(s => s.CountyCode == county.Code && s.Name.StartsWith("教师")).OrderBy(s => s.Name).ToListAsync();
            (from, to) = (staff[0].Id, staff[1].Id);
            staff[1].Skills = ["speech-therapy"];
            for (var i = 0; i < 2; i++)
            {
                var plan = await db.Plans.Include(p => p.Versions).SingleAsync(p => p.StudentId == children[i]);
                plan.Versions[0].Windows = [new WeeklyWindow { Day = i == 0 ? 4 : 2, From = new TimeOnly(9, 0), To = new TimeOnly(10, 20) }];
            }
            await db.SaveChangesAsync();
        }
        var approver = await county.As("approver");
        await approver.RunAndPublishAsync(county.Term);
        using (var scope = factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var plan = await db.Plans.Include(p => p.Versions).SingleAsync(p => p.StudentId == children[0]);
            plan.Versions[0].RequiredSkills = ["speech-therapy"];
            await db.SaveChangesAsync();
        }
        var draft = await approver.RunAsync(county.Term);
        return (county, children[0], children[1], from, to, draft);
    }

    [Fact]
    public async Task A_second_run_that_moves_a_child_to_another_teacher_lists_that_child_and_both_teachers_and_not_the_unchanged_child()
    {
        await using var factory = new ServiceFactory();
        var (county, moved, stays, from, to, draft) = await MoveOneChildAsync(factory);
        var approver = await county.As("approver");

        var changes = await approver.GetFromJsonAsync<JsonElement>($"/api/timetables/{draft}/changes");

        changes.GetProperty("inForceId").ValueKind.Should().Be(JsonValueKind.String);
        var children = changes.GetProperty("children").EnumerateArray().ToList();
        children.Select(c => c.GetProperty("studentId").GetGuid()).Should().Equal(moved.Value);
        var child = children[0];
        child.GetProperty("kind").GetString().Should().Be("Changed");
        child.GetProperty("teamChanged").GetBoolean().Should().BeTrue();
        child.GetProperty("dayChanged").GetBoolean().Should().BeFalse();
        child.GetProperty("name").GetString().Should().Be("周某某");
        child.GetProperty("before")[0].GetProperty("staffIds")[0].GetGuid().Should().Be(from.Value);
        child.GetProperty("after")[0].GetProperty("staffIds")[0].GetGuid().Should().Be(to.Value);
        children.Should().NotContain(c => c.GetProperty("studentId").GetGuid() == stays.Value);

        var teachers = changes.GetProperty("teachers").EnumerateArray().ToDictionary(t => t.GetProperty("staffId").GetGuid());
        teachers.Keys.Should().BeEquivalentTo([from.Value, to.Value]);
        teachers[from.Value].GetProperty("sessionsBefore").GetInt32().Should().Be(2);
        teachers[from.Value].GetProperty("sessionsAfter").GetInt32().Should().Be(1);
        teachers[to.Value].GetProperty("sessionsBefore").GetInt32().Should().Be(0);
        teachers[to.Value].GetProperty("sessionsAfter").GetInt32().Should().Be(1);
        teachers[to.Value].GetProperty("minutesAfter").GetInt32().Should().Be(80);

        // The page says it above the publish button, with a link to the child, and shows the tables with staff links.
        var page = await PageBrowser.SignedInAsync(factory, county, "approver");
        var html = await page.GetStringAsync(new Uri("/timetable", UriKind.Relative));
        var changesAt = html.IndexOf("发布后有哪些变化", StringComparison.Ordinal);
        changesAt.Should().BePositive();
        changesAt.Should().BeLessThan(html.IndexOf("发布课表</button>", StringComparison.Ordinal));
        html.Should().Contain($"data-student=\"{moved.Value}\"").And.NotContain($"data-student=\"{stays.Value}\"").And.Contain("换老师");
        html.Should().Contain("按教师").And.Contain("按乡镇").And.Contain($"href=\"/staff/{from.Value}\"").And.Contain($"href=\"/staff/{to.Value}\"");
        html.Should().Contain($"href=\"/children/{stays.Value}\"");
    }

    [Fact]
    public async Task Another_countys_approver_gets_404_and_a_published_timetable_has_no_change_list()
    {
        await using var factory = new ServiceFactory();
        var (county, _, _, _, _, draft) = await MoveOneChildAsync(factory);
        var other = await (await factory.OtherCountyAsync()).As("approver");
        (await other.GetAsync(new Uri($"/api/timetables/{draft}/changes", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.NotFound);

        var approver = await county.As("approver");
        (await approver.PostAsync(new Uri($"/api/timetables/{draft}/publish", UriKind.Relative), null)).EnsureSuccessStatusCode();
        var published = await approver.GetAsync(new Uri($"/api/timetables/{draft}/changes", UriKind.Relative));
        published.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await published.ReadJsonAsync()).GetProperty("code").GetString().Should().Be("not_a_draft");
    }

    [Fact]
    public async Task The_travel_bars_name_each_teacher_as_a_link_to_their_week()
    {
        await using var factory = new ServiceFactory();
        var county = await factory.LincangAsync();
        await SchedulableCounty.AddAsync(county, children: 2);
        await (await county.As("approver")).RunAsync(county.Term);
        var page = await PageBrowser.SignedInAsync(factory, county, "approver");

        var html = await page.GetStringAsync(new Uri("/timetable", UriKind.Relative));

        var svg = html[html.IndexOf("<svg", StringComparison.Ordinal)..(html.IndexOf("</svg>", StringComparison.Ordinal) + 6)];
        svg.Should().Contain("<a href=\"/staff/");
        System.Xml.Linq.XDocument.Parse(svg).Should().NotBeNull();
    }
}
