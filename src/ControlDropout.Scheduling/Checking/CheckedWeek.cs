using System.Collections.Immutable;
using ControlDropout.Scheduling.Scenarios;
using ControlDropout.Scheduling.Timetables;

namespace ControlDropout.Scheduling.Checking;

/// <summary>
/// What every rule of the checker reads: the scenario's lookups, the timetable, the violations found
/// so far, and each teacher's days as re-derived from the sessions (rules 6, 7 and 10, the routes and
/// the metrics all judge the same derivation, so it is made once).
/// </summary>
internal sealed class CheckedWeek
{
    public const int MinutesPerDay = 24 * 60;

    private IReadOnlyList<TeacherDay>? _teacherDays;

    public CheckedWeek(Scenario scenario, Timetable timetable)
    {
        Scenario = scenario;
        Timetable = timetable;
        Sessions = OrEmpty(timetable.Sessions);
        Unassigned = OrEmpty(timetable.Unassigned);
        Students = scenario.Students.ToDictionary(s => s.Id);
        Teachers = scenario.Teachers.ToDictionary(t => t.Id);
        Travel = new ContractTravel(scenario);
    }

    public Scenario Scenario { get; }
    public Timetable Timetable { get; }
    public ImmutableArray<SessionPlacement> Sessions { get; }
    public ImmutableArray<UnassignedSession> Unassigned { get; }
    public Dictionary<StudentId, Student> Students { get; }
    public Dictionary<TeacherId, Teacher> Teachers { get; }
    public ContractTravel Travel { get; }
    public List<string> Violations { get; } = [];

    public void Add(string violation) => Violations.Add(violation);

    /// <summary>Rule 5: a home session happens at the child's place, a remote one at each member's own base.</summary>
    public PlaceId PlaceOf(SessionPlacement session, Teacher member) =>
        session.Mode == SessionMode.Home ? Students[session.StudentId].PlaceId : member.BasePlaceId;

    /// <summary>Every teacher's days with sessions, in scenario order then day order.</summary>
    public IReadOnlyList<TeacherDay> TeacherDays => _teacherDays ??= DeriveTeacherDays();

    private List<TeacherDay> DeriveTeacherDays()
    {
        var days = new List<TeacherDay>();
        foreach (var teacher in Scenario.Teachers)
        {
            var mine = Sessions.Where(x => x.TeacherIds.Contains(teacher.Id)).ToList();
            foreach (var day in mine.Select(x => x.Day).Distinct().Order())
            {
                var visits = mine.Where(x => x.Day == day).OrderBy(x => x.Start).ToList();
                var stops = visits.Select(x => PlaceOf(x, teacher)).ToList();
                var legs = new List<int> { Travel.Minutes(teacher.BasePlaceId, stops[0]) };
                for (var k = 1; k < stops.Count; k++)
                {
                    legs.Add(Travel.Minutes(stops[k - 1], stops[k]));
                }
                legs.Add(Travel.Minutes(stops[^1], teacher.BasePlaceId));
                var depart = Minutes(visits[0].Start) - legs[0];
                var back = Minutes(visits[^1].End) + legs[^1];
                days.Add(new TeacherDay(teacher, day, visits, legs, depart, back));
            }
        }
        return days;
    }

    public static int Minutes(TimeOnly time) => time.Hour * 60 + time.Minute;

    public static string Hm(int minutes) => $"{minutes / 60:00}:{minutes % 60:00}";

    public static string Word(SessionMode mode) => mode == SessionMode.Home ? "home" : "remote";

    /// <summary>How a violation names a session: its index and what a coordinator would recognise.</summary>
    public static string At(int index, SessionPlacement x) =>
        $"sessions[{index}] ({x.StudentId} {Word(x.Mode)} {x.Day} {TimeFormat.Format(x.Start)})";

    public static ImmutableArray<T> OrEmpty<T>(ImmutableArray<T> items) => items.IsDefault ? [] : items;
}

/// <summary>
/// One teacher's day re-derived from the sessions: visits in start order, the legs base → first stop,
/// stop → stop, last stop → base (<c>Legs</c> has one more entry than <c>Visits</c>), and the times
/// the teacher must leave and is back, in minutes after midnight (outside 0–1439 when impossible).
/// </summary>
internal sealed record TeacherDay(Teacher Teacher, Weekday Day, IReadOnlyList<SessionPlacement> Visits, IReadOnlyList<int> Legs, int Depart, int Return)
{
    public int TravelMinutes => Legs.Sum();

    public int AwayMinutes => Return - Depart;
}
