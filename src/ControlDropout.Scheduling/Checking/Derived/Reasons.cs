using ControlDropout.Scheduling.Timetables;

namespace ControlDropout.Scheduling.Checking;

// Why sessions are unassigned: codes a program can act on, shortages a bureau can act on.
public static partial class TimetableChecker
{
    private static readonly HashSet<string> KnownReasons =
    [
        ReasonCodes.NoQualifiedTeacher, ReasonCodes.NoQualifiedTeacherInReach, ReasonCodes.NoOverlappingWindow,
        ReasonCodes.TeacherCapacityExhausted, ReasonCodes.TooFewDistinctDays, ReasonCodes.RemoteNotPossible,
        ReasonCodes.TimeLimitReached,
    ];

    private static readonly HashSet<string> KnownShortages =
        [ShortageKinds.Skill, ShortageKinds.Area, ShortageKinds.Day, ShortageKinds.Team];

    /// <summary>Every unassigned session has a known reason code; a shortage names a known kind of resource and a positive number of sessions a week.</summary>
    private static void Reasons(CheckedWeek week)
    {
        for (var i = 0; i < week.Unassigned.Length; i++)
        {
            var u = week.Unassigned[i];
            if (!KnownReasons.Contains(u.Reason.Code))
            {
                week.Add($"unassigned: student '{u.StudentId}' has unknown reason code '{u.Reason.Code}'");
            }
            if (u.Reason.Shortage is not { } shortage)
            {
                continue;
            }
            if (!KnownShortages.Contains(shortage.Kind))
            {
                week.Add($"unassigned[{i}]: shortage kind '{shortage.Kind}' is not one of {string.Join(", ", KnownShortages)}");
            }
            if (string.IsNullOrWhiteSpace(shortage.Name))
            {
                week.Add($"unassigned[{i}]: shortage of kind '{shortage.Kind}' names no resource");
            }
            if (shortage.SessionsPerWeek <= 0)
            {
                week.Add($"unassigned[{i}]: shortage of '{shortage.Name}' is {shortage.SessionsPerWeek} sessions a week; a shortage is more than 0");
            }
        }
    }
}
