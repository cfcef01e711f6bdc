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
/// approved or active versions reach here: nothing is scheduled from an unapproved plan. The county's
/// policy sets the start grid and what a change against the baseline is worth; each staff member's
/// daily driving cap becomes the teacher's.
/// </summary>
public static class ScenarioBuilder
{
    /// <param name="baseline">
    /// The template week of the version in force (its core sessions), or none: a re-run keeps a child's day, start and team
    /// unless moving them saves more than the county's change penalty. Sessions of children or staff no longer in the week are dropped.
    /// </param>
    public static (Scenario Scenario, IReadOnlyList<ExcludedChild> Excluded) Build(
        string name, IReadOnlyList<ApprovedPlan> plans, IReadOnlyList<Staff> staff, CountyPolicy policy, SolveOptions options,
        IReadOnlyList<SessionPlacement>? baseline = null)
    {
        var places = ImmutableArray.CreateBuilder<Place>();
        var teachers = ImmutableArray.CreateBuilder<Teacher>();
        foreach (var s in staff.OrderBy(s => s.Id.Value))
        {
            var place = CoreIds.Base(s.Id);
            places.Add(new Place(place, s.BaseName, s.BaseLat, s.BaseLon));
            teachers.Add(new Teacher(CoreIds.Teacher(s.Id), s.Name, place, [.. s.Skills], s.CanTeachRemotely,
                [.. s.Availability.GroupBy(w => w.Day).Select(g => g.OrderBy(w => w.From).First()).Select(w => new Core.Window(CoreIds.Day(w.Day), w.From, w.To))],
                s.MaxSessionsPerWeek, s.MaxAwayMinutesPerDay, s.MaxTravelMinutesPerDay));
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
            var home = CoreIds.Home(child.Id);
            places.Add(new Place(home, child.VillageCode, child.HomeLat, child.HomeLon));
            students.Add(new Core.Student(
                CoreIds.Student(child.Id), child.Name, home,
                version.HomeVisitsPerWeek, version.RemoteSessionsPerWeek,
                version.LessonsPerVisit * policy.LessonMinutes, version.TeamSize,
                [.. version.RequiredSkills],
                [.. version.Windows.Select(w => new Core.Window(CoreIds.Day(w.Day), w.From, w.To))],
                [.. version.PreferredStaffIds.Where(staffIds.Contains).Select(CoreIds.Teacher)],
                null));
        }
        var inWeek = students.Select(s => s.Id).ToHashSet();
        var teacherIds = teachers.Select(t => t.Id).ToHashSet();
        var kept = (baseline ?? []).Where(b => inWeek.Contains(b.StudentId) && b.TeacherIds.All(teacherIds.Contains)).ToImmutableArray();
        var scenario = new Scenario(name, "Asia/Shanghai",
            [Weekday.Mon, Weekday.Tue, Weekday.Wed, Weekday.Thu, Weekday.Fri, Weekday.Sat, Weekday.Sun],
            Conventions.Travel, places.ToImmutable(), teachers.ToImmutable(), students.ToImmutable(), [], kept,
            PlanningOptions(options, policy));
        return (scenario, excluded);
    }

    /// <summary>The county's planning rules on a solve's options: its start grid (rule 9) and its change penalty.</summary>
    public static SolveOptions PlanningOptions(SolveOptions options, CountyPolicy policy) =>
        options with { StartTimeStepMinutes = policy.StartTimeStepMinutes, ChangePenaltyMinutes = policy.ChangePenaltyMinutes };

    /// <summary>
    /// What the county's records could still get wrong once built, checked on the scenario in memory
    /// (no JSON round trip): the core's reader checks files; plans and staff were checked on entry.
    /// </summary>
    public static IReadOnlyList<string> Check(Scenario scenario)
    {
        var problems = new List<string>();
        if (scenario.Teachers.IsEmpty)
        {
            problems.Add("本县没有送教人员");
        }
        foreach (var place in scenario.Places.Where(p => p.Lat is < -90 or > 90 || p.Lon is < -180 or > 180 || !double.IsFinite(p.Lat) || !double.IsFinite(p.Lon)))
        {
            problems.Add($"{place.Name} 的坐标不正确");
        }
        foreach (var t in scenario.Teachers.Where(t => t.Availability.Any(w => w.From >= w.To)))
        {
            problems.Add($"{t.Name} 的可工作时段开始不早于结束");
        }
        foreach (var s in scenario.Students)
        {
            if (s.HomeVisitsPerWeek + s.RemoteSessionsPerWeek == 0)
            {
                problems.Add($"{s.Name} 的方案每周没有课次");
            }
            if (s.SessionMinutes <= 0 || s.Availability.Any(w => w.From >= w.To))
            {
                problems.Add($"{s.Name} 的方案时段或课时不正确");
            }
        }
        return problems;
    }

    private static IEnumerable<string> Modes(PlanVersion v)
    {
        if (v.HomeVisitsPerWeek > 0)
        {
            yield return SessionModes.Home;
        }
        if (v.RemoteSessionsPerWeek > 0)
        {
            yield return SessionModes.Remote;
        }
    }
}
