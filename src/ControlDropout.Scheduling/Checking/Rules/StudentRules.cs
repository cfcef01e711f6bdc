using ControlDropout.Scheduling.Scenarios;
using static ControlDropout.Scheduling.Checking.CheckedWeek;

namespace ControlDropout.Scheduling.Checking;

// Rules 1–3: what each child gets, and when.
public static partial class TimetableChecker
{
    /// <summary>Every session names a student and teachers of the scenario.</summary>
    private static void KnownIds(CheckedWeek week)
    {
        for (var i = 0; i < week.Sessions.Length; i++)
        {
            var x = week.Sessions[i];
            if (!week.Students.ContainsKey(x.StudentId))
            {
                week.Add($"sessions[{i}]: unknown student '{x.StudentId}'");
            }
            foreach (var t in x.TeacherIds.Where(t => !week.Teachers.ContainsKey(t)))
            {
                week.Add($"sessions[{i}]: unknown teacher '{t}'");
            }
        }
    }

    /// <summary>Rule 1: each child's required sessions of each mode are placed or listed as unassigned, each exactly sessionMinutes long.</summary>
    private static void SessionsPerStudent(CheckedWeek week)
    {
        foreach (var s in week.Scenario.Students)
        {
            foreach (var (mode, required) in new[] { (SessionMode.Home, s.HomeVisitsPerWeek), (SessionMode.Remote, s.RemoteSessionsPerWeek) })
            {
                var placed = week.Sessions.Count(x => x.StudentId == s.Id && x.Mode == mode);
                var listed = week.Unassigned.Count(x => x.StudentId == s.Id && x.Mode == mode);
                if (placed + listed != required)
                {
                    week.Add($"rule 1: student '{s.Id}' needs {required} {Word(mode)} sessions; {placed} placed and {listed} unassigned");
                }
            }
        }
        for (var i = 0; i < week.Sessions.Length; i++)
        {
            var x = week.Sessions[i];
            var length = Minutes(x.End) - Minutes(x.Start);
            var required = week.Students[x.StudentId].SessionMinutes;
            if (length != required)
            {
                week.Add($"rule 1: {At(i, x)} lasts {length} minutes, not {required}");
            }
        }
    }

    /// <summary>Rule 2: each session lies on a scenario day, inside one of the child's windows for that day.</summary>
    private static void StudentWindows(CheckedWeek week)
    {
        for (var i = 0; i < week.Sessions.Length; i++)
        {
            var x = week.Sessions[i];
            var s = week.Students[x.StudentId];
            if (!week.Scenario.Days.Contains(x.Day))
            {
                week.Add($"rule 2: {At(i, x)} is on {x.Day}, not a scenario day");
            }
            if (!s.Availability.Any(w => w.Day == x.Day && w.From <= x.Start && x.End <= w.To))
            {
                week.Add($"rule 2: {At(i, x)} is outside every window of student '{s.Id}' on {x.Day}");
            }
        }
    }

    /// <summary>Rule 3: a child's sessions, of either mode, fall on pairwise different days.</summary>
    private static void DistinctDays(CheckedWeek week)
    {
        foreach (var group in week.Sessions.GroupBy(x => (x.StudentId, x.Day)).Where(g => g.Count() > 1))
        {
            week.Add($"rule 3: student '{group.Key.StudentId}' has {group.Count()} sessions on {group.Key.Day}");
        }
    }
}
