using System.Xml.Linq;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Timetables;
using FluentAssertions;

namespace ControlDropout.Web.Tests.Features.Timetables;

/// <summary>The roads behind a teacher's day, and the week picture drawn from them.</summary>
public sealed class DayRoutesTests
{
    private static readonly DateOnly Monday = new(2026, 9, 7);

    private static readonly Staff Teacher = new()
    {
        Id = StaffId.New(), CountyCode = "530902", Department = Department.Education, Name = "李老师", BaseName = "特殊教育学校", BaseLat = 23.8868, BaseLon = 100.0925,
    };

    private static Student Child(string name, double lat, double lon) => new()
    {
        Id = StudentId.New(), CountyCode = "530902", SchoolOfRecordId = SchoolId.New(), Name = name, Gender = "女", BirthDate = new DateOnly(2015, 1, 1),
        DisabilityCategory = DisabilityCategory.Physical, DisabilityGrade = 1, VillageCode = "530902102201", HomeLat = lat, HomeLon = lon,
    };

    private static TimetableSession Session(Student child, DateOnly date, int hour, string mode = "home") => new()
    {
        TimetableId = Guid.NewGuid(), SessionKey = $"{child.Id}:{mode}:0:2026-W37", StudentId = child.Id, Mode = mode, Week = "2026-W37",
        Date = date, Start = new TimeOnly(hour, 0), End = new TimeOnly(hour + 1, 20), StaffIds = [Teacher.Id.Value],
    };

    [Fact]
    public void Each_stop_says_when_to_leave_and_how_long_the_road_is()
    {
        var near = Child("张某某", 23.8868, 100.1925); // about 10 km east of the base
        var far = Child("王某某", 23.8868, 100.2925);
        var routes = DayRoutes.For(Teacher, [Session(far, Monday, 13), Session(near, Monday, 9)], new Dictionary<StudentId, Student> { [near.Id] = near, [far.Id] = far }, code => "某村");

        var day = routes.Should().ContainSingle().Subject;
        day.Stops.Select(s => s.ChildName).Should().Equal("张某某", "王某某");
        var first = day.Stops[0];
        // 10.2 km straight × 1.6 on mountain roads at 30 km/h: about 33 minutes.
        first.TravelMinutes.Should().BeInRange(30, 36);
        first.Depart.Should().Be(new TimeOnly(9, 0).AddMinutes(-first.TravelMinutes));
        day.Stops[1].TravelMinutes.Should().BeInRange(30, 36, "the second home is as far again");
        day.ReturnMinutes.Should().BeInRange(60, 70);
        day.TravelMinutes.Should().Be(day.Stops.Sum(s => s.TravelMinutes) + day.ReturnMinutes);
    }

    [Fact]
    public void A_remote_session_is_taught_from_the_base()
    {
        var child = Child("赵某某", 23.5, 100.5);
        var day = DayRoutes.For(Teacher, [Session(child, Monday, 10, "remote")], new Dictionary<StudentId, Student> { [child.Id] = child }, _ => "").Single();
        day.TravelMinutes.Should().Be(0);
        day.Stops[0].PlaceName.Should().Contain("远程");
    }

    [Fact]
    public void The_week_picture_is_well_formed_and_escapes_what_people_typed()
    {
        var child = Child("<script>alert(1)</script>", 23.8868, 100.1925);
        var routes = DayRoutes.For(Teacher, [Session(child, Monday.AddDays(1), 9)], new Dictionary<StudentId, Student> { [child.Id] = child }, _ => "某村 & 某组");
        var svg = WeekPicture.Render("李老师", Monday, routes);

        svg.Should().NotContain("<script>");
        var doc = XDocument.Parse(svg);
        XNamespace ns = "http://www.w3.org/2000/svg";
        doc.Root!.Attribute("role")!.Value.Should().Be("img");
        doc.Root.Attribute("aria-label")!.Value.Should().Contain("1 次课");
        doc.Descendants(ns + "title").Select(t => t.Value).Should().Contain(t => t.StartsWith("<script>alert(1)</script> 09:00", StringComparison.Ordinal));
        doc.Descendants(ns + "rect").Count(r => r.Attribute("fill")?.Value == "url(#road)").Should().Be(2, "the road there and the road back");
    }
}
