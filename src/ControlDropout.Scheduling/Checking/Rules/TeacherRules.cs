using ControlDropout.Scheduling.Scenarios;
using static ControlDropout.Scheduling.Checking.CheckedWeek;

namespace ControlDropout.Scheduling.Checking;

// Rules 6, 7 and 10: each teacher's days, judged on the routes re-derived from the sessions.
public static partial class TimetableChecker
{
    /// <summary>
    /// Rule 6: on a day with sessions the teacher has one window, leaves the base no earlier than its
    /// start, travels between consecutive sessions (so they never overlap) and is back by its end.
    /// </summary>
    private static void TeacherDays(CheckedWeek week)
    {
        foreach (var day in week.TeacherDays)
        {
            var id = day.Teacher.Id;
            var windows = day.Teacher.Availability.Where(w => w.Day == day.Day).ToList();
            if (windows.Count == 0)
            {
                week.Add($"rule 6: teacher '{id}' teaches on {day.Day} without an availability window");
            }
            else if (windows.Count > 1)
            {
                week.Add($"rule 6: teacher '{id}' has {windows.Count} availability windows on {day.Day}, not one");
            }
            else
            {
                var window = windows[0];
                if (day.Depart < Minutes(window.From))
                {
                    week.Add($"rule 6: teacher '{id}' must leave base at {Hm(day.Depart)} on {day.Day}, before the window opens at {TimeFormat.Format(window.From)}");
                }
                if (day.Return > Minutes(window.To))
                {
                    week.Add($"rule 6: teacher '{id}' is back at base at {Hm(day.Return)} on {day.Day}, after the window closes at {TimeFormat.Format(window.To)}");
                }
            }
            for (var k = 1; k < day.Visits.Count; k++)
            {
                var (before, after, leg) = (day.Visits[k - 1], day.Visits[k], day.Legs[k]);
                if (Minutes(before.End) + leg > Minutes(after.Start))
                {
                    week.Add($"rule 6: teacher '{id}' on {day.Day} cannot get from '{before.StudentId}' (ends {TimeFormat.Format(before.End)}) to '{after.StudentId}' (starts {TimeFormat.Format(after.Start)}): {leg} minutes of travel");
                }
            }
            if (day.Depart < 0 || day.Return >= MinutesPerDay)
            {
                week.Add($"rule 6: teacher '{id}' on {day.Day} would leave before midnight or return after it");
            }
        }
    }

    /// <summary>Rule 7: at most maxSessionsPerWeek sessions, and when maxAwayMinutesPerDay is set, return minus departure within it each day.</summary>
    private static void Load(CheckedWeek week)
    {
        foreach (var teacher in week.Scenario.Teachers)
        {
            var sessions = week.Sessions.Count(x => x.TeacherIds.Contains(teacher.Id));
            if (sessions > teacher.MaxSessionsPerWeek)
            {
                week.Add($"rule 7: teacher '{teacher.Id}' has {sessions} sessions, more than maxSessionsPerWeek {teacher.MaxSessionsPerWeek}");
            }
        }
        foreach (var day in week.TeacherDays)
        {
            if (day.Teacher.MaxAwayMinutesPerDay is { } maxAway && day.AwayMinutes > maxAway)
            {
                week.Add($"rule 7: teacher '{day.Teacher.Id}' is away {day.AwayMinutes} minutes on {day.Day}, more than maxAwayMinutesPerDay {maxAway}");
            }
        }
    }

    /// <summary>Rule 10: when maxTravelMinutesPerDay is set, each day's route (base → stops in start order → base) drives at most that.</summary>
    private static void DrivingCap(CheckedWeek week)
    {
        foreach (var day in week.TeacherDays)
        {
            if (day.Teacher.MaxTravelMinutesPerDay is { } cap && day.TravelMinutes > cap)
            {
                week.Add($"rule 10: teacher '{day.Teacher.Id}' drives {day.TravelMinutes} minutes on {day.Day}, more than maxTravelMinutesPerDay {cap}");
            }
        }
    }
}
