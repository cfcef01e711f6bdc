using ControlDropout.Scheduling.Scenarios;
using ControlDropout.Scheduling.Timetables;

namespace ControlDropout.Scheduling.Checking;

/// <summary>
/// The independent checker behind <c>validate</c>: re-derives every hard rule, every route and every
/// metric from the scenario alone. It deliberately shares no code with the solver — not even travel
/// times — so that a bug in the model cannot hide itself. One line per violation, each starting with
/// the rule (<c>rule 9: …</c>) or the part of the timetable (<c>metrics.teachers: …</c>) it breaks.
/// One method per rule, named after it: <c>Rules/StudentRules.cs</c> (1–3), <c>Rules/TeamRules.cs</c>
/// (4–5), <c>Rules/TeacherRules.cs</c> (6, 7, 10), <c>Rules/PlanningRules.cs</c> (8–9), and the parts
/// derived from the sessions in <c>Derived/</c> (routes, metrics, changes, lower bound, reasons, status).
/// </summary>
public static partial class TimetableChecker
{
    /// <summary>Every violation of the contract by <paramref name="timetable"/>; empty when it is clean.</summary>
    public static IReadOnlyList<string> Check(Scenario scenario, Timetable timetable)
    {
        if (timetable.Status == TimetableStatus.Invalid)
        {
            return ["status: Invalid timetable for a valid scenario"];
        }
        var week = new CheckedWeek(scenario, timetable);
        // Every later rule looks sessions' students and teachers up: unknown ones end the check here.
        KnownIds(week);
        if (week.Violations.Count > 0)
        {
            return week.Violations;
        }
        SessionsPerStudent(week);
        StudentWindows(week);
        DistinctDays(week);
        Team(week);
        // Without a place the travel model knows, no teacher day can be re-derived.
        if (!Places(week))
        {
            return week.Violations;
        }
        TeacherDays(week);
        Load(week);
        Pinned(week);
        StartGrid(week);
        DrivingCap(week);

        Routes(week);
        if (Metrics(week))
        {
            BaselineChanges(week);
            LowerBound(week);
            Status(week);
        }
        Reasons(week);
        return week.Violations;
    }
}
