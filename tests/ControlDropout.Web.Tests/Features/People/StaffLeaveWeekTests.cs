using System.Xml.Linq;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Timetables;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;

namespace ControlDropout.Web.Tests.Features.People;

/// <summary>Issue 14 §9: a staff member's week marks leave days, shaded and labelled 请假 in the picture and the day list.</summary>
public sealed class StaffLeaveWeekTests : IClassFixture<ServiceFactory>
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private readonly ServiceFactory _factory;

    public StaffLeaveWeekTests(ServiceFactory factory)
    {
        factory.Settings["Access:LoginAttemptsPerMinute"] = "1000";
        _factory = factory;
    }

    [Fact]
    public void The_picture_shades_and_labels_a_day_of_leave()
    {
        var svg = XDocument.Parse(WeekPicture.Render("李老师", new DateOnly(2026, 9, 7), [], leave: new HashSet<DateOnly> { new(2026, 9, 9) }));

        var leave = svg.Descendants(Svg + "g").Where(g => g.Attribute("data-leave") is not null).ToList();
        leave.Should().ContainSingle().Which.Attribute("data-leave")!.Value.Should().Be("2026-09-09");
        leave[0].Element(Svg + "rect").Should().NotBeNull("the day is shaded");
        leave[0].Element(Svg + "text")!.Value.Should().Be("请假");
        svg.Descendants(Svg + "text").Select(t => t.Value).Should().Contain("周三 9/9 请假").And.Contain("周二 9/8");
    }

    [Fact]
    public async Task The_staff_page_marks_the_leave_days_of_the_week()
    {
        var county = await _factory.LincangAsync();
        using (var scope = _factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.Leave.Add(new StaffLeave
            {
                CountyCode = county.Code, StaffId = county.Teacher, FirstDay = new DateOnly(2026, 9, 9), LastDay = new DateOnly(2026, 9, 10), Reason = "病假",
                CreatedBy = "approver", CreatedAt = _factory.Clock.GetUtcNow(),
            });
            await db.SaveChangesAsync();
        }

        var html = await (await _factory.SignedInAsync(county, "approver")).GetStringAsync(new Uri($"/staff/{county.Teacher}?monday=2026-09-07", UriKind.Relative));

        html.Should().Contain("data-leave=\"2026-09-09\"").And.Contain("data-leave=\"2026-09-10\"").And.NotContain("data-leave=\"2026-09-08\"");
        html.Should().Contain("<li class=\"on-leave\">2026年9月9日 周三：请假</li>").And.Contain("<li>2026年9月8日 周二：无课</li>");
    }

    [Fact]
    public async Task The_teachers_own_week_marks_the_leave_days_even_with_nothing_to_teach()
    {
        var county = await _factory.OtherCountyAsync();
        using (var scope = _factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.Leave.Add(new StaffLeave
            {
                CountyCode = county.Code, StaffId = county.Teacher, FirstDay = new DateOnly(2026, 9, 9), LastDay = new DateOnly(2026, 9, 9), Reason = "病假",
                CreatedBy = "approver", CreatedAt = _factory.Clock.GetUtcNow(),
            });
            await db.SaveChangesAsync();
        }

        var html = await (await _factory.SignedInAsync(county, "teacher")).GetStringAsync(new Uri("/my/week?monday=2026-09-07", UriKind.Relative));

        html.Should().Contain("data-leave=\"2026-09-09\"", "the teacher's own week picture shades the day of leave").And.NotContain("data-leave=\"2026-09-10\"");
    }
}
