using ControlDropout.Scheduling.Scenarios;
using ControlDropout.Scheduling.Timetables;
using static ControlDropout.Scheduling.Checking.CheckedWeek;

namespace ControlDropout.Scheduling.Checking;

// Objective level 3: changes against the baseline, re-derived from the contract's definition.
public static partial class TimetableChecker
{
    /// <summary>
    /// A baseline session is kept when the same student and mode keep the same day, start and team
    /// (each session of the timetable keeps at most one). <c>metrics.baselineChanges</c> counts the
    /// rest, and <c>changes</c> lists exactly those: each <c>was</c> an unkept baseline session, each
    /// <c>now</c> (when given) one of that child's sessions of that mode.
    /// </summary>
    private static void BaselineChanges(CheckedWeek week)
    {
        var baseline = OrEmpty(week.Scenario.Baseline);
        var changes = OrEmpty(week.Timetable.Changes);
        var reported = week.Timetable.Metrics!.BaselineChanges;
        if (baseline.IsEmpty)
        {
            if (reported is { } n && n != 0)
            {
                week.Add($"metrics.baselineChanges: {n} without a baseline");
            }
            if (!changes.IsEmpty)
            {
                week.Add($"changes: {changes.Length} listed without a baseline");
            }
            return;
        }

        var unkept = Unkept(baseline, week.Sessions);
        if (reported is not { } count)
        {
            week.Add($"metrics.baselineChanges: missing, but the sessions leave {unkept.Count} of {baseline.Length} baseline sessions unkept");
        }
        else if (count != unkept.Count)
        {
            week.Add($"metrics.baselineChanges: {count}, but the sessions leave {unkept.Count} of {baseline.Length} baseline sessions unkept");
        }
        if (changes.Length != unkept.Count)
        {
            week.Add($"changes: {changes.Length} listed, but the sessions leave {unkept.Count} baseline sessions unkept");
        }
        var notYetListed = unkept.ToList();
        for (var i = 0; i < changes.Length; i++)
        {
            var change = changes[i];
            if (change.StudentId != change.Was.StudentId || change.Mode != change.Was.Mode)
            {
                week.Add($"changes[{i}]: names {change.StudentId} {Word(change.Mode)} but was {Describe(change.Was)}");
            }
            var match = notYetListed.FindIndex(b => SameSlot(b, change.Was) && SameTeam(b, change.Was));
            if (match < 0)
            {
                week.Add($"changes[{i}]: was {Describe(change.Was)} is not an unkept baseline session");
            }
            else
            {
                notYetListed.RemoveAt(match);
            }
            if (change.Now is { } now && !week.Sessions.Any(x => SameSlot(x, now) && SameTeam(x, now) && x.StudentId == change.StudentId && x.Mode == change.Mode))
            {
                week.Add($"changes[{i}]: now {Describe(now)} is not a {Word(change.Mode)} session of student '{change.StudentId}' in the timetable");
            }
        }
    }

    /// <summary>Baseline sessions no timetable session keeps, matched one to one.</summary>
    private static List<SessionPlacement> Unkept(IEnumerable<SessionPlacement> baseline, IEnumerable<SessionPlacement> sessions)
    {
        var free = sessions.ToList();
        var unkept = new List<SessionPlacement>();
        foreach (var was in baseline)
        {
            var keeper = free.FindIndex(x => SameSlot(x, was) && SameTeam(x, was));
            if (keeper < 0)
            {
                unkept.Add(was);
            }
            else
            {
                free.RemoveAt(keeper);
            }
        }
        return unkept;
    }

    private static string Describe(SessionPlacement x) =>
        $"({x.StudentId} {Word(x.Mode)} {x.Day} {TimeFormat.Format(x.Start)} {string.Join('+', x.TeacherIds)})";
}
