using ControlDropout.Scheduling.Scenarios;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Timetables;
using FluentAssertions;
using Core = ControlDropout.Scheduling.Scenarios;

namespace ControlDropout.Web.Tests.Features.Timetables;

/// <summary>The county's planning rules and each staff member's cap reach the scenario the core solves.</summary>
public sealed class ScenarioBuilderTests
{
    private const string County = "530902";

    private static readonly List<WeeklyWindow> Weekdays =
        [.. Enumerable.Range(1, 5).Select(d => new WeeklyWindow { Day = d, From = new TimeOnly(8, 0), To = new TimeOnly(17, 0) })];

    private static Staff Teacher(string name, int? cap) => new()
    {
        Id = StaffId.New(), CountyCode = County, Department = Department.Education, Name = name, BaseName = "县特殊教育学校", BaseLat = 23.8868, BaseLon = 100.0925,
        MaxSessionsPerWeek = 10, Skills = ["special-education"], Availability = [.. Weekdays], MaxTravelMinutesPerDay = cap,
    };

    private static ApprovedPlan Child()
    {
        var child = new Domain.Student
        {
            Id = Domain.StudentId.New(), CountyCode = County, SchoolOfRecordId = SchoolId.New(), Name = "周某某", Gender = "女", BirthDate = new DateOnly(2015, 2, 1),
            DisabilityCategory = DisabilityCategory.Physical, DisabilityGrade = 1, VillageCode = County + "102201", HomeLat = 23.8, HomeLon = 100.1,
        };
        var version = new PlanVersion
        {
            PlanId = PlanId.New(), Number = 1, Status = PlanStatus.Active, CreatedBy = "coordinator", CreatedAt = DateTimeOffset.UnixEpoch,
            HomeVisitsPerWeek = 1, LessonsPerVisit = 2, TeamSize = 1, RequiredSkills = ["special-education"],
            Windows = [.. Weekdays.Select(w => new WeeklyWindow { Day = w.Day, From = new TimeOnly(9, 0), To = new TimeOnly(16, 0) })],
        };
        return new ApprovedPlan(child, version);
    }

    [Fact]
    public void A_staff_members_daily_driving_cap_and_the_countys_grid_and_change_penalty_reach_the_scenario()
    {
        var capped = Teacher("李老师", 150);
        var free = Teacher("王老师", null);
        var policy = CountyPolicy.LincangDefault(County);
        policy.StartTimeStepMinutes = 10;
        policy.ChangePenaltyMinutes = 30;

        var (scenario, _) = ScenarioBuilder.Build("w", [Child()], [capped, free], policy, new SolveOptions(5, 7, 1));

        scenario.Teachers.Single(t => t.Id == CoreIds.Teacher(capped.Id)).MaxTravelMinutesPerDay.Should().Be(150);
        scenario.Teachers.Single(t => t.Id == CoreIds.Teacher(free.Id)).MaxTravelMinutesPerDay.Should().BeNull();
        scenario.Options.Should().Be(new SolveOptions(5, 7, 1, StartTimeStepMinutes: 10, ChangePenaltyMinutes: 30));
        scenario.Baseline.Should().BeEmpty();
    }

    [Fact]
    public void The_baseline_keeps_only_sessions_of_children_and_staff_still_in_the_week()
    {
        var teacher = Teacher("李老师", null);
        var gone = Teacher("已调走", null);
        var plan = Child();
        var kept = new SessionPlacement(CoreIds.Student(plan.Student.Id), SessionMode.Home, Weekday.Tue, new TimeOnly(9, 30), new TimeOnly(10, 50), [CoreIds.Teacher(teacher.Id)]);
        var ofAStaffMemberWhoLeft = kept with { Day = Weekday.Wed, TeacherIds = [CoreIds.Teacher(gone.Id)] };
        var ofAChildWhoLeft = kept with { StudentId = new Core.StudentId(Guid.NewGuid().ToString()) };

        var (scenario, _) = ScenarioBuilder.Build("w", [plan], [teacher], CountyPolicy.LincangDefault(County), new SolveOptions(5, 1, 1),
            [kept, ofAStaffMemberWhoLeft, ofAChildWhoLeft]);

        scenario.Baseline.Should().Equal(kept);
        scenario.Options.StartTimeStepMinutes.Should().Be(CountyPolicy.DefaultStartTimeStepMinutes);
        scenario.Options.ChangePenaltyMinutes.Should().Be(CountyPolicy.DefaultChangePenaltyMinutes);
    }
}
