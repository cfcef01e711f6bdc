using System.Collections.Immutable;
using ControlDropout.Scheduling.Scenarios;
using ControlDropout.Scheduling.Tests.Support;
using ControlDropout.Scheduling.Timetables;
using static ControlDropout.Scheduling.Tests.Support.Week;

namespace ControlDropout.Scheduling.Tests.Checking;

/// <summary>
/// Hand-made timetables for the checker's tests: the sessions a test states, with routes, metrics
/// and teacher loads worked out here from the scenario's matrix (a third derivation, neither the
/// solver's nor the checker's), so that a test breaks exactly the one rule it is about.
/// </summary>
internal static class HandMade
{
    /// <summary>
    /// The scenario every checker test starts from: a road base(0) — h1(30) — h2(60), Mon and Tue;
    /// t1 (special education, remote, 08–12, 2 a week, 240 min away a day), t2 (rehabilitation, not
    /// remote); s1 needs one home visit at h1 (09–11), s2 one remote session (08–12), 60 minutes each.
    /// </summary>
    public static readonly Scenario TwoChildren = new Week().Place("base", 0).Place("h1", 30).Place("h2", 60)
        .Days(Weekday.Mon, Weekday.Tue)
        .Teacher("t1", "base", availability: Every("08:00", "12:00", Weekday.Mon, Weekday.Tue), max: 2, maxAway: 240)
        .Teacher("t2", "base", skills: ["rehabilitation"], remote: false, availability: Every("08:00", "12:00", Weekday.Mon, Weekday.Tue))
        .Student("s1", "h1", home: 1, minutes: 60, availability: Every("09:00", "11:00", Weekday.Mon, Weekday.Tue))
        .Student("s2", "h2", home: 0, remote: 1, minutes: 60, availability: Every("08:00", "12:00", Weekday.Mon, Weekday.Tue))
        .Build();

    /// <summary>s1 at home on Monday morning, s2 over video on Tuesday: every rule holds.</summary>
    public static readonly SessionPlacement[] Clean =
    [
        S("s1", SessionMode.Home, Weekday.Mon, "09:00", "10:00", "t1"),
        S("s2", SessionMode.Remote, Weekday.Tue, "08:00", "09:00", "t1"),
    ];

    public static SessionPlacement S(string student, SessionMode mode, Weekday day, string start, string end, params string[] teachers) =>
        new(new StudentId(student), mode, day, T(start), T(end), [.. teachers.Select(t => new TeacherId(t))]);

    public static Scenario WithTeacher(this Scenario scenario, string id, Func<Teacher, Teacher> edit) =>
        scenario with { Teachers = [.. scenario.Teachers.Select(t => t.Id.Value == id ? edit(t) : t)] };

    /// <summary>
    /// An honest timetable of <paramref name="sessions"/>: required sessions not given are listed as
    /// unassigned (unless <paramref name="listMissing"/> is false), status Feasible, Partial or Infeasible.
    /// </summary>
    public static Timetable Honest(Scenario scenario, IEnumerable<SessionPlacement> sessions, bool listMissing = true)
    {
        var placed = sessions.ToImmutableArray();
        var matrix = (MatrixTravel)scenario.Travel;
        int Minutes(PlaceId a, PlaceId b) => matrix.Minutes[matrix.PlaceIds.IndexOf(a)][matrix.PlaceIds.IndexOf(b)];
        static int Clock(TimeOnly t) => t.Hour * 60 + t.Minute;

        var routes = new List<TeacherRoute>();
        var loads = new List<TeacherLoad>();
        foreach (var teacher in scenario.Teachers)
        {
            var mine = placed.Where(x => x.TeacherIds.Contains(teacher.Id)).ToList();
            var days = new List<TeacherRoute>();
            foreach (var day in mine.Select(x => x.Day).Distinct().Order())
            {
                var visits = mine.Where(x => x.Day == day).OrderBy(x => x.Start).ToList();
                var stops = visits.Select(x => x.Mode == SessionMode.Home ? scenario.Students.Single(s => s.Id == x.StudentId).PlaceId : teacher.BasePlaceId).ToList();
                var path = new[] { teacher.BasePlaceId }.Concat(stops).Append(teacher.BasePlaceId).ToList();
                var travel = path.Zip(path.Skip(1)).Sum(leg => Minutes(leg.First, leg.Second));
                var depart = Clock(visits[0].Start) - Minutes(teacher.BasePlaceId, stops[0]);
                var back = Clock(visits[^1].End) + Minutes(stops[^1], teacher.BasePlaceId);
                days.Add(new TeacherRoute(teacher.Id, day, new TimeOnly(depart / 60, depart % 60), new TimeOnly(back / 60, back % 60), travel));
            }
            routes.AddRange(days);
            loads.Add(new TeacherLoad(teacher.Id, mine.Count, mine.Sum(x => Clock(x.End) - Clock(x.Start)),
                days.Sum(d => d.TravelMinutes), days.Count == 0 ? 0 : days.Max(d => d.TravelMinutes)));
        }

        var unassigned = new List<UnassignedSession>();
        var required = 0;
        foreach (var s in scenario.Students)
        {
            foreach (var (mode, count) in new[] { (SessionMode.Home, s.HomeVisitsPerWeek), (SessionMode.Remote, s.RemoteSessionsPerWeek) })
            {
                required += count;
                var missing = count - placed.Count(x => x.StudentId == s.Id && x.Mode == mode);
                for (var k = 0; listMissing && k < missing; k++)
                {
                    unassigned.Add(new UnassignedSession(s.Id, mode, new Reason(ReasonCodes.TimeLimitReached, "not placed in this test")));
                }
            }
        }
        var status = placed.Length == required ? TimetableStatus.Feasible : placed.IsEmpty ? TimetableStatus.Infeasible : TimetableStatus.Partial;
        var metrics = new TimetableMetrics(required, placed.Length, placed.Select(x => x.StudentId).Distinct().Count(), scenario.Students.Length,
            routes.Sum(r => r.TravelMinutes), TravelLowerBound: 0, SolveSeconds: 0, LowerBoundMethod: LowerBoundMethods.StopShares,
            BaselineChanges: scenario.Baseline.IsDefaultOrEmpty ? null : 0, Teachers: [.. loads]);
        return new Timetable(scenario.Name, status, placed, [.. unassigned], [.. routes], metrics, [], null, []);
    }

    public static Timetable Honest(params SessionPlacement[] sessions) => Honest(TwoChildren, sessions);
}
