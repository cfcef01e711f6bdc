using System.Collections.Immutable;
using ControlDropout.Scheduling.Scenarios;
using ControlDropout.Web.Domain;
using Core = ControlDropout.Scheduling.Scenarios;

namespace ControlDropout.Web.Features.Timetables;

/// <summary>A plan version in force (approved or active) with its child.</summary>
public sealed record ApprovedPlan(Domain.Student Student, PlanVersion Version);

/// <summary>A child the service leaves out before solving (e.g. a team larger than the county's staff), with the core's reason code.</summary>
public sealed record ExcludedChild(Domain.StudentId StudentId, string Mode, string Code, string Message);

/// <summary>
/// Turns a county's approved plans and staff into a scenario-v1 week for the scheduling core. Only
/// approved or active versions reach here: nothing is scheduled from an unapproved plan.
/// </summary>
public static class ScenarioBuilder
{
    /// <summary>Mountain roads: straight-line km × 1.6 at 30 km/h, as the county's field staff estimate.</summary>
    public const double DetourFactor = 1.6;
    public const double SpeedKmh = 30;

    public static (Scenario Scenario, IReadOnlyList<ExcludedChild> Excluded) Build(
        string name, IReadOnlyList<ApprovedPlan> plans, IReadOnlyList<Staff> staff, CountyPolicy policy, SolveOptions options)
    {
        var places = ImmutableArray.CreateBuilder<Place>();
        var teachers = ImmutableArray.CreateBuilder<Teacher>();
        foreach (var s in staff.OrderBy(s => s.Id.Value))
        {
            var place = new PlaceId($"base-{s.Id}");
            places.Add(new Place(place, s.BaseName, s.BaseLat, s.BaseLon));
            teachers.Add(new Teacher(new TeacherId(s.Id.ToString()), s.Name, place, [.. s.Skills], s.CanTeachRemotely,
                [.. s.Availability.GroupBy(w => w.Day).Select(g => g.OrderBy(w => w.From).First()).Select(w => new Core.Window(Day(w.Day), w.From, w.To))],
                s.MaxSessionsPerWeek, s.MaxAwayMinutesPerDay));
        }
        var students = ImmutableArray.CreateBuilder<Core.Student>();
        var excluded = new List<ExcludedChild>();
        var staffIds = staff.Select(s => s.Id.Value).ToHashSet();
        foreach (var (child, version) in plans.OrderBy(p => p.Student.Id.Value))
        {
            if (version.TeamSize > staff.Count)
            {
                foreach (var mode in Modes(version))
                {
                    excluded.Add(new ExcludedChild(child.Id, mode, Scheduling.Timetables.ReasonCodes.NoQualifiedTeacher,
                        $"方案要求 {version.TeamSize} 人团队，本县只有 {staff.Count} 名送教人员"));
                }
                continue;
            }
            var home = new PlaceId($"home-{child.Id}");
            places.Add(new Place(home, child.VillageCode, child.HomeLat, child.HomeLon));
            students.Add(new Core.Student(
                new Core.StudentId(child.Id.ToString()), child.Name, home,
                version.HomeVisitsPerWeek, version.RemoteSessionsPerWeek,
                version.LessonsPerVisit * policy.LessonMinutes, version.TeamSize,
                [.. version.RequiredSkills],
                [.. version.Windows.Select(w => new Core.Window(Day(w.Day), w.From, w.To))],
                [.. version.PreferredStaffIds.Where(staffIds.Contains).Select(id => new TeacherId(id.ToString()))],
                null));
        }
        var scenario = new Scenario(name, "Asia/Shanghai",
            [Weekday.Mon, Weekday.Tue, Weekday.Wed, Weekday.Thu, Weekday.Fri, Weekday.Sat, Weekday.Sun],
            new HaversineTravel(SpeedKmh, DetourFactor), places.ToImmutable(), teachers.ToImmutable(), students.ToImmutable(), [], [], options);
        return (scenario, excluded);
    }

    private static IEnumerable<string> Modes(PlanVersion v)
    {
        if (v.HomeVisitsPerWeek > 0)
        {
            yield return "home";
        }
        if (v.RemoteSessionsPerWeek > 0)
        {
            yield return "remote";
        }
    }

    /// <summary>ISO day 1 (Monday) … 7 (Sunday) to the scenario's day.</summary>
    public static Weekday Day(int isoDay) => (Weekday)(isoDay - 1);
}
