using System.Globalization;
using ControlDropout.Scheduling.Timetables;
using static ControlDropout.Scheduling.Checking.CheckedWeek;

namespace ControlDropout.Scheduling.Checking;

// The parts of a timetable that follow from its sessions: they must agree with them exactly.
public static partial class TimetableChecker
{
    /// <summary>The routes are exactly the teacher days re-derived from the sessions: departure, return and travel.</summary>
    private static void Routes(CheckedWeek week)
    {
        var given = OrEmpty(week.Timetable.Routes).Select(RouteKey).ToHashSet(StringComparer.Ordinal);
        var derived = week.TeacherDays
            .Where(d => d.Depart >= 0 && d.Return < MinutesPerDay)
            .Select(d => RouteKey(new TeacherRoute(d.Teacher.Id, d.Day, Time(d.Depart), Time(d.Return), d.TravelMinutes)))
            .ToHashSet(StringComparer.Ordinal);
        foreach (var missing in derived.Except(given).Order(StringComparer.Ordinal))
        {
            week.Add($"routes: missing or different route {missing}");
        }
        foreach (var extra in given.Except(derived).Order(StringComparer.Ordinal))
        {
            week.Add($"routes: route {extra} does not follow from the sessions");
        }
    }

    /// <summary>The totals and each teacher's load follow from the sessions; false when there are no metrics to judge.</summary>
    private static bool Metrics(CheckedWeek week)
    {
        if (week.Timetable.Metrics is not { } m)
        {
            week.Add("metrics: missing");
            return false;
        }
        var sessions = week.Sessions;
        Expect(week, "requiredSessions", m.RequiredSessions, week.Scenario.Students.Sum(s => s.HomeVisitsPerWeek + s.RemoteSessionsPerWeek));
        Expect(week, "placedSessions", m.PlacedSessions, sessions.Length);
        Expect(week, "studentsCovered", m.StudentsCovered, sessions.Select(x => x.StudentId).Distinct().Count());
        Expect(week, "students", m.Students, week.Scenario.Students.Length);
        Expect(week, "totalTravelMinutes", m.TotalTravelMinutes, week.TeacherDays.Sum(d => d.TravelMinutes));
        TeacherLoads(week, m);
        return true;
    }

    /// <summary>
    /// <c>metrics.teachers</c>: every teacher with a session is listed once, with the sessions,
    /// teaching minutes, driving minutes and longest day's driving the sessions give. A teacher
    /// with nothing to do may be left out.
    /// </summary>
    private static void TeacherLoads(CheckedWeek week, TimetableMetrics m)
    {
        var listed = new Dictionary<Scenarios.TeacherId, TeacherLoad>();
        foreach (var load in OrEmpty(m.Teachers))
        {
            if (!week.Teachers.ContainsKey(load.TeacherId))
            {
                week.Add($"metrics.teachers: unknown teacher '{load.TeacherId}'");
            }
            else if (!listed.TryAdd(load.TeacherId, load))
            {
                week.Add($"metrics.teachers: teacher '{load.TeacherId}' is listed twice");
            }
        }
        foreach (var teacher in week.Scenario.Teachers)
        {
            var mine = week.Sessions.Where(x => x.TeacherIds.Contains(teacher.Id)).ToList();
            var days = week.TeacherDays.Where(d => d.Teacher.Id == teacher.Id).ToList();
            var expected = new TeacherLoad(teacher.Id, mine.Count, mine.Sum(x => Minutes(x.End) - Minutes(x.Start)),
                days.Sum(d => d.TravelMinutes), days.Count == 0 ? 0 : days.Max(d => d.TravelMinutes));
            if (!listed.TryGetValue(teacher.Id, out var given))
            {
                if (expected.Sessions > 0)
                {
                    week.Add($"metrics.teachers: teacher '{teacher.Id}' is missing ({expected.Sessions} sessions)");
                }
                continue;
            }
            foreach (var (name, actual, derived) in new[]
            {
                ("sessions", given.Sessions, expected.Sessions),
                ("teachingMinutes", given.TeachingMinutes, expected.TeachingMinutes),
                ("travelMinutes", given.TravelMinutes, expected.TravelMinutes),
                ("maxDayTravelMinutes", given.MaxDayTravelMinutes, expected.MaxDayTravelMinutes),
            })
            {
                if (actual != derived)
                {
                    week.Add($"metrics.teachers: teacher '{teacher.Id}' has {name} {actual}, but the sessions give {derived}");
                }
            }
        }
    }

    /// <summary>
    /// <c>travelLowerBound</c> is a bound on the travel of the placed sessions, so never above the
    /// total; its method is a known one, and <c>exact</c> means the bound is the travel found.
    /// </summary>
    private static void LowerBound(CheckedWeek week)
    {
        var m = week.Timetable.Metrics!;
        if (m.TravelLowerBound is { } lb)
        {
            if (lb < 0)
            {
                week.Add($"metrics.travelLowerBound: {lb} is negative");
            }
            if (lb > m.TotalTravelMinutes)
            {
                week.Add($"metrics.travelLowerBound: {lb} is above the travel total {m.TotalTravelMinutes}");
            }
        }
        if (m.LowerBoundMethod is { } method)
        {
            if (!KnownBoundMethods.Contains(method))
            {
                week.Add($"metrics.lowerBoundMethod: unknown method '{method}'");
            }
            else if (m.TravelLowerBound is not { } bound)
            {
                week.Add($"metrics.lowerBoundMethod: '{method}' is given without a travelLowerBound");
            }
            else if (method == LowerBoundMethods.Exact && bound != m.TotalTravelMinutes)
            {
                week.Add($"metrics.lowerBoundMethod: exact, but the bound {bound} is not the travel total {m.TotalTravelMinutes}");
            }
        }
    }

    /// <summary>
    /// The status follows from the sessions: Partial or Infeasible when some are missing; Optimal only
    /// when every session is placed and the lower bound meets the travel total (that is the proof).
    /// </summary>
    private static void Status(CheckedWeek week)
    {
        var m = week.Timetable.Metrics!;
        var status = week.Timetable.Status;
        var required = week.Scenario.Students.Sum(s => s.HomeVisitsPerWeek + s.RemoteSessionsPerWeek);
        var expected = week.Sessions.Length == required
            ? (status == TimetableStatus.Optimal ? TimetableStatus.Optimal : TimetableStatus.Feasible)
            : week.Sessions.Length == 0 ? TimetableStatus.Infeasible : TimetableStatus.Partial;
        if (status != expected)
        {
            week.Add($"status: {status} but the sessions make it {expected}");
        }
        else if (status == TimetableStatus.Optimal && m.TravelLowerBound != m.TotalTravelMinutes)
        {
            var bound = m.TravelLowerBound is { } lb ? lb.ToString(CultureInfo.InvariantCulture) : "none";
            week.Add($"status: Optimal, but the lower bound ({bound}) does not prove the travel total {m.TotalTravelMinutes} minimal");
        }
    }

    private static readonly HashSet<string> KnownBoundMethods =
    [
        LowerBoundMethods.Exact, LowerBoundMethods.ColumnGeneration, LowerBoundMethods.CpSatRelaxation,
        LowerBoundMethods.StopShares, LowerBoundMethods.FarthestStops,
    ];

    private static void Expect(CheckedWeek week, string name, int actual, int expected)
    {
        if (actual != expected)
        {
            week.Add($"metrics.{name}: {actual}, but the sessions give {expected}");
        }
    }

    private static TimeOnly Time(int minutes) => new(minutes / 60, minutes % 60);

    private static string RouteKey(TeacherRoute r) =>
        string.Create(CultureInfo.InvariantCulture, $"{r.TeacherId} {r.Day} {Scenarios.TimeFormat.Format(r.Depart)}-{Scenarios.TimeFormat.Format(r.Return)} travel {r.TravelMinutes}");
}
