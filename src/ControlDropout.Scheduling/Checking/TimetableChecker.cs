using System.Globalization;
using ControlDropout.Scheduling.Scenarios;
using ControlDropout.Scheduling.Timetables;

namespace ControlDropout.Scheduling.Checking;

/// <summary>
/// The independent checker behind <c>validate</c>: re-derives every hard rule, every route and every
/// metric from the scenario alone. It deliberately shares no code with the solver — not even travel
/// times — so that a bug in the model cannot hide itself. One line per violation.
/// </summary>
public static class TimetableChecker
{
    private static readonly HashSet<string> KnownReasons =
    [
        ReasonCodes.NoQualifiedTeacher, ReasonCodes.NoQualifiedTeacherInReach, ReasonCodes.NoOverlappingWindow,
        ReasonCodes.TeacherCapacityExhausted, ReasonCodes.TooFewDistinctDays, ReasonCodes.RemoteNotPossible,
        ReasonCodes.TimeLimitReached,
    ];

    /// <summary>Every violation of the contract by <paramref name="timetable"/>; empty when it is clean.</summary>
    public static IReadOnlyList<string> Check(Scenario scenario, Timetable timetable)
    {
        var v = new List<string>();
        if (timetable.Status == TimetableStatus.Invalid)
        {
            v.Add("status: Invalid timetable for a valid scenario");
            return v;
        }
        var students = scenario.Students.ToDictionary(s => s.Id);
        var teachers = scenario.Teachers.ToDictionary(t => t.Id);
        var places = scenario.Places.ToDictionary(p => p.Id);
        int Travel(PlaceId a, PlaceId b) => a == b ? 0 : TravelMinutes(scenario.Travel, places[a], places[b]);
        static string Hm(int m) => $"{m / 60:00}:{m % 60:00}";
        static int Min(TimeOnly t) => t.Hour * 60 + t.Minute;

        // Rule 1: sessions per student, exactly as required, the rest listed as unassigned.
        var sessions = timetable.Sessions;
        for (var i = 0; i < sessions.Length; i++)
        {
            if (!students.ContainsKey(sessions[i].StudentId))
            {
                v.Add($"sessions[{i}]: unknown student '{sessions[i].StudentId}'");
            }
            foreach (var t in sessions[i].TeacherIds.Where(t => !teachers.ContainsKey(t)))
            {
                v.Add($"sessions[{i}]: unknown teacher '{t}'");
            }
        }
        if (v.Count > 0)
        {
            return v;
        }
        foreach (var s in scenario.Students)
        {
            foreach (var (mode, required) in new[] { (SessionMode.Home, s.HomeVisitsPerWeek), (SessionMode.Remote, s.RemoteSessionsPerWeek) })
            {
                var placed = sessions.Count(x => x.StudentId == s.Id && x.Mode == mode);
                var listed = timetable.Unassigned.Count(x => x.StudentId == s.Id && x.Mode == mode);
                if (placed + listed != required)
                {
                    v.Add($"rule 1: student '{s.Id}' needs {required} {Word(mode)} sessions; {placed} placed and {listed} unassigned");
                }
            }
        }
        foreach (var u in timetable.Unassigned.Where(u => !KnownReasons.Contains(u.Reason.Code)))
        {
            v.Add($"unassigned: student '{u.StudentId}' has unknown reason code '{u.Reason.Code}'");
        }

        for (var i = 0; i < sessions.Length; i++)
        {
            var x = sessions[i];
            var s = students[x.StudentId];
            var start = Min(x.Start);
            var end = Min(x.End);
            var at = $"sessions[{i}] ({x.StudentId} {Word(x.Mode)} {x.Day} {Hm(start)})";
            if (end - start != s.SessionMinutes)
            {
                v.Add($"rule 1: {at} lasts {end - start} minutes, not {s.SessionMinutes}");
            }
            if (!scenario.Days.Contains(x.Day))
            {
                v.Add($"rule 2: {at} is on {x.Day}, not a scenario day");
            }
            // Rule 2: inside one of the student's windows.
            if (!s.Availability.Any(w => w.Day == x.Day && Min(w.From) <= start && end <= Min(w.To)))
            {
                v.Add($"rule 2: {at} is outside every window of student '{s.Id}' on {x.Day}");
            }
            // Rule 4: the team.
            if (x.TeacherIds.Length != s.TeamSize || x.TeacherIds.Distinct().Count() != x.TeacherIds.Length)
            {
                v.Add($"rule 4: {at} has {x.TeacherIds.Distinct().Count()} distinct teachers, not {s.TeamSize}");
            }
            var skills = x.TeacherIds.SelectMany(t => teachers[t].Skills).ToHashSet(StringComparer.Ordinal);
            foreach (var missing in s.RequiredSkills.Where(k => !skills.Contains(k)))
            {
                v.Add($"rule 4: {at} lacks skill '{missing}'");
            }
            foreach (var t in x.TeacherIds)
            {
                if (s.AllowedTeacherIds is { } allowed && !allowed.Contains(t))
                {
                    v.Add($"rule 4: {at} has teacher '{t}', who is not allowed");
                }
                if (x.Mode == SessionMode.Remote && !teachers[t].CanTeachRemotely)
                {
                    v.Add($"rule 4: {at} is remote but teacher '{t}' cannot teach remotely");
                }
            }
        }
        // Rule 3: distinct days.
        foreach (var group in sessions.GroupBy(x => (x.StudentId, x.Day)).Where(g => g.Count() > 1))
        {
            v.Add($"rule 3: student '{group.Key.StudentId}' has {group.Count()} sessions on {group.Key.Day}");
        }

        // Rules 5–7 per teacher and day; the routes are re-derived here and compared.
        var derivedRoutes = new List<TeacherRoute>();
        foreach (var teacher in scenario.Teachers)
        {
            var mine = sessions.Where(x => x.TeacherIds.Contains(teacher.Id)).ToList();
            if (mine.Count > teacher.MaxSessionsPerWeek)
            {
                v.Add($"rule 7: teacher '{teacher.Id}' has {mine.Count} sessions, more than maxSessionsPerWeek {teacher.MaxSessionsPerWeek}");
            }
            foreach (var day in mine.Select(x => x.Day).Distinct().OrderBy(d => d))
            {
                var visits = mine.Where(x => x.Day == day).OrderBy(x => x.Start).ToList();
                // Rule 5: a home session is at the student's place, a remote one at the teacher's base.
                PlaceId PlaceOf(SessionPlacement x) => x.Mode == SessionMode.Home ? students[x.StudentId].PlaceId : teacher.BasePlaceId;
                var window = teacher.Availability.Where(w => w.Day == day).ToList();
                var depart = Min(visits[0].Start) - Travel(teacher.BasePlaceId, PlaceOf(visits[0]));
                var ret = Min(visits[^1].End) + Travel(PlaceOf(visits[^1]), teacher.BasePlaceId);
                var travel = Travel(teacher.BasePlaceId, PlaceOf(visits[0])) + Travel(PlaceOf(visits[^1]), teacher.BasePlaceId);
                if (window.Count != 1)
                {
                    v.Add($"rule 6: teacher '{teacher.Id}' teaches on {day} without an availability window");
                }
                else
                {
                    if (depart < Min(window[0].From))
                    {
                        v.Add($"rule 6: teacher '{teacher.Id}' must leave base at {Hm(depart)} on {day}, before the window opens at {TimeFormat.Format(window[0].From)}");
                    }
                    if (ret > Min(window[0].To))
                    {
                        v.Add($"rule 6: teacher '{teacher.Id}' is back at base at {Hm(ret)} on {day}, after the window closes at {TimeFormat.Format(window[0].To)}");
                    }
                }
                for (var k = 1; k < visits.Count; k++)
                {
                    var leg = Travel(PlaceOf(visits[k - 1]), PlaceOf(visits[k]));
                    travel += leg;
                    if (Min(visits[k - 1].End) + leg > Min(visits[k].Start))
                    {
                        v.Add($"rule 6: teacher '{teacher.Id}' on {day} cannot get from '{visits[k - 1].StudentId}' (ends {TimeFormat.Format(visits[k - 1].End)}) to '{visits[k].StudentId}' (starts {TimeFormat.Format(visits[k].Start)}): {leg} minutes of travel");
                    }
                }
                if (teacher.MaxAwayMinutesPerDay is { } maxAway && ret - depart > maxAway)
                {
                    v.Add($"rule 7: teacher '{teacher.Id}' is away {ret - depart} minutes on {day}, more than maxAwayMinutesPerDay {maxAway}");
                }
                if (depart >= 0 && ret < 24 * 60)
                {
                    derivedRoutes.Add(new TeacherRoute(teacher.Id, day, new TimeOnly(depart / 60, depart % 60), new TimeOnly(ret / 60, ret % 60), travel));
                }
                else
                {
                    v.Add($"rule 6: teacher '{teacher.Id}' on {day} would leave before midnight or return after it");
                }
            }
        }

        // Rule 8: pinned sessions appear unchanged.
        for (var i = 0; i < scenario.Pinned.Length; i++)
        {
            var pin = scenario.Pinned[i];
            var team = pin.TeacherIds.OrderBy(t => t.Value, StringComparer.Ordinal).ToList();
            if (!sessions.Any(x => x.StudentId == pin.StudentId && x.Mode == pin.Mode && x.Day == pin.Day && x.Start == pin.Start
                && x.TeacherIds.OrderBy(t => t.Value, StringComparer.Ordinal).SequenceEqual(team)))
            {
                v.Add($"rule 8: pinned[{i}] ({pin.StudentId} {Word(pin.Mode)} {pin.Day} {TimeFormat.Format(pin.Start)}) does not appear unchanged");
            }
        }

        // Routes and metrics must agree exactly with the sessions.
        var given = timetable.Routes.Select(Key).ToHashSet(StringComparer.Ordinal);
        var derived = derivedRoutes.Select(Key).ToHashSet(StringComparer.Ordinal);
        foreach (var missing in derived.Except(given).Order(StringComparer.Ordinal))
        {
            v.Add($"routes: missing or different route {missing}");
        }
        foreach (var extra in given.Except(derived).Order(StringComparer.Ordinal))
        {
            v.Add($"routes: route {extra} does not follow from the sessions");
        }
        if (timetable.Metrics is not { } m)
        {
            v.Add("metrics: missing");
            return v;
        }
        var requiredTotal = scenario.Students.Sum(s => s.HomeVisitsPerWeek + s.RemoteSessionsPerWeek);
        Expect(v, "requiredSessions", m.RequiredSessions, requiredTotal);
        Expect(v, "placedSessions", m.PlacedSessions, sessions.Length);
        Expect(v, "studentsCovered", m.StudentsCovered, sessions.Select(x => x.StudentId).Distinct().Count());
        Expect(v, "students", m.Students, scenario.Students.Length);
        Expect(v, "totalTravelMinutes", m.TotalTravelMinutes, derivedRoutes.Sum(r => r.TravelMinutes));
        if (m.TravelLowerBound is { } lb && lb > m.TotalTravelMinutes)
        {
            v.Add($"metrics.travelLowerBound: {lb} is above the travel total {m.TotalTravelMinutes}");
        }
        var expectedStatus = sessions.Length == requiredTotal
            ? (timetable.Status == TimetableStatus.Optimal ? TimetableStatus.Optimal : TimetableStatus.Feasible)
            : sessions.Length == 0 ? TimetableStatus.Infeasible : TimetableStatus.Partial;
        if (timetable.Status != expectedStatus)
        {
            v.Add($"status: {timetable.Status} but the sessions make it {expectedStatus}");
        }
        return v;
    }

    private static void Expect(List<string> v, string name, int actual, int expected)
    {
        if (actual != expected)
        {
            v.Add($"metrics.{name}: {actual}, but the sessions give {expected}");
        }
    }

    private static string Key(TeacherRoute r) =>
        string.Create(CultureInfo.InvariantCulture, $"{r.TeacherId} {r.Day} {TimeFormat.Format(r.Depart)}-{TimeFormat.Format(r.Return)} travel {r.TravelMinutes}");

    private static string Word(SessionMode mode) => mode == SessionMode.Home ? "home" : "remote";

    /// <summary>Travel minutes re-derived from the contract's text, independent of the solver's table.</summary>
    private static int TravelMinutes(TravelModel model, Place a, Place b)
    {
        switch (model)
        {
            case HaversineTravel h:
                const double radiusKm = 6371.0088;
                var p1 = a.Lat * Math.PI / 180;
                var p2 = b.Lat * Math.PI / 180;
                var dp = p2 - p1;
                var dl = (b.Lon - a.Lon) * Math.PI / 180;
                var hav = Math.Pow(Math.Sin(dp / 2), 2) + Math.Cos(p1) * Math.Cos(p2) * Math.Pow(Math.Sin(dl / 2), 2);
                var km = 2 * radiusKm * Math.Asin(Math.Min(1, Math.Sqrt(hav)));
                return (int)Math.Round(km * h.DetourFactor / h.SpeedKmh * 60, MidpointRounding.AwayFromZero);
            case MatrixTravel m:
                var i = m.PlaceIds.IndexOf(a.Id);
                var j = m.PlaceIds.IndexOf(b.Id);
                return m.Minutes[i][j];
            default:
                throw new ArgumentException("unknown travel model", nameof(model));
        }
    }
}
