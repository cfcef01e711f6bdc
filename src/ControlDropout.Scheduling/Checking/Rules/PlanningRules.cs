using ControlDropout.Scheduling.Scenarios;
using static ControlDropout.Scheduling.Checking.CheckedWeek;

namespace ControlDropout.Scheduling.Checking;

// Rules 8–9: what a county fixes in advance — pinned sessions and the start grid.
public static partial class TimetableChecker
{
    /// <summary>Rule 8: every pinned session appears unchanged (student, mode, day, start, team).</summary>
    private static void Pinned(CheckedWeek week)
    {
        var pinned = CheckedWeek.OrEmpty(week.Scenario.Pinned);
        for (var i = 0; i < pinned.Length; i++)
        {
            var pin = pinned[i];
            if (!week.Sessions.Any(x => SameSlot(x, pin) && SameTeam(x, pin)))
            {
                week.Add($"rule 8: pinned[{i}] ({pin.StudentId} {Word(pin.Mode)} {pin.Day} {TimeFormat.Format(pin.Start)}) does not appear unchanged");
            }
        }
    }

    /// <summary>
    /// Rule 9: every start, in minutes after midnight, is a multiple of startTimeStepMinutes — except a
    /// pinned session's, which keeps the start it was given (a family already heard it).
    /// </summary>
    private static void StartGrid(CheckedWeek week)
    {
        var step = week.Scenario.Options.StartTimeStepMinutes;
        if (step <= 1)
        {
            return;
        }
        var pinned = CheckedWeek.OrEmpty(week.Scenario.Pinned);
        for (var i = 0; i < week.Sessions.Length; i++)
        {
            var x = week.Sessions[i];
            if (Minutes(x.Start) % step != 0 && !pinned.Any(pin => SameSlot(x, pin)))
            {
                week.Add($"rule 9: {At(i, x)} starts off the {step}-minute grid");
            }
        }
    }

    private static bool SameSlot(SessionPlacement a, SessionPlacement b) =>
        a.StudentId == b.StudentId && a.Mode == b.Mode && a.Day == b.Day && a.Start == b.Start;

    private static bool SameTeam(SessionPlacement a, SessionPlacement b) =>
        a.TeacherIds.Select(t => t.Value).Order(StringComparer.Ordinal).SequenceEqual(b.TeacherIds.Select(t => t.Value).Order(StringComparer.Ordinal));
}
