using ControlDropout.Scheduling.Scenarios;
using ControlDropout.Scheduling.Timetables;

namespace ControlDropout.Scheduling.Tests.Support;

/// <summary>
/// Replays a reason by brute force over every team, day and start minute, sharing nothing with the
/// solver, so that a reason the solver gives is checked to be true of the scenario.
/// </summary>
internal static class ReasonReplay
{
    public static bool IsTrue(Scenario scenario, UnassignedSession unassigned)
    {
        var s = scenario.Students.Single(x => x.Id == unassigned.StudentId);
        var mode = unassigned.Mode;
        var needed = s.HomeVisitsPerWeek + s.RemoteSessionsPerWeek;
        var teams = Teams(scenario, s).ToList();
        var skilled = teams.Where(t => Covers(t, s)).ToList();
        var qualified = skilled.Where(t => mode == SessionMode.Home || t.All(m => m.CanTeachRemotely)).ToList();
        return unassigned.Reason.Code switch
        {
            ReasonCodes.NoQualifiedTeacher => skilled.Count == 0,
            ReasonCodes.RemoteNotPossible => mode == SessionMode.Remote && skilled.Count > 0 && qualified.Count == 0,
            ReasonCodes.NoOverlappingWindow => qualified.Count > 0 && !Days(scenario).Any(d => qualified.Any(team => Starts(scenario, s, d).Any(t => team.All(m => Free(m, d, t, t + s.SessionMinutes))))),
            ReasonCodes.NoQualifiedTeacherInReach => qualified.Count > 0 && ReachableDays(scenario, s, mode).Count == 0
                && Days(scenario).Any(d => qualified.Any(team => Starts(scenario, s, d).Any(t => team.All(m => Free(m, d, t, t + s.SessionMinutes))))),
            ReasonCodes.TooFewDistinctDays => AllModesReachableDays(scenario, s).Count < needed,
            ReasonCodes.TeacherCapacityExhausted => ReachableDays(scenario, s, mode).Count > 0,
            ReasonCodes.TimeLimitReached => true,
            _ => false,
        };
    }

    private static HashSet<Weekday> AllModesReachableDays(Scenario scenario, Student s)
    {
        var days = new HashSet<Weekday>();
        if (s.HomeVisitsPerWeek > 0)
        {
            days.UnionWith(ReachableDays(scenario, s, SessionMode.Home));
        }
        if (s.RemoteSessionsPerWeek > 0)
        {
            days.UnionWith(ReachableDays(scenario, s, SessionMode.Remote));
        }
        return days;
    }

    /// <summary>Days on which some qualified team could go, teach the whole session and come back, on an empty week.</summary>
    public static HashSet<Weekday> ReachableDays(Scenario scenario, Student s, SessionMode mode)
    {
        var result = new HashSet<Weekday>();
        var teams = Teams(scenario, s).Where(t => Covers(t, s) && (mode == SessionMode.Home || t.All(m => m.CanTeachRemotely))).ToList();
        foreach (var d in Days(scenario))
        {
            foreach (var team in teams)
            {
                if (Starts(scenario, s, d).Any(t => team.All(m =>
                {
                    var place = mode == SessionMode.Home ? s.PlaceId : m.BasePlaceId;
                    var there = Travel(scenario, m.BasePlaceId, place);
                    var back = Travel(scenario, place, m.BasePlaceId);
                    return Free(m, d, t - there, t + s.SessionMinutes + back)
                        && (m.MaxAwayMinutesPerDay is not { } away || there + s.SessionMinutes + back <= away)
                        && (m.MaxTravelMinutesPerDay is not { } cap || there + back <= cap);
                })))
                {
                    result.Add(d);
                    break;
                }
            }
        }
        return result;
    }

    private static System.Collections.Immutable.ImmutableArray<Weekday> Days(Scenario scenario) => scenario.Days;

    /// <summary>Every start inside the child's windows on the scenario's start grid (rule 9).</summary>
    private static IEnumerable<int> Starts(Scenario scenario, Student s, Weekday d) =>
        s.Availability.Where(w => w.Day == d)
            .SelectMany(w => Enumerable.Range(Min(w.From), Math.Max(0, Min(w.To) - Min(w.From) - s.SessionMinutes + 1)))
            .Where(t => t % scenario.Options.StartTimeStepMinutes == 0);

    private static bool Free(Teacher m, Weekday d, int from, int to) =>
        m.Availability.Any(w => w.Day == d && Min(w.From) <= from && to <= Min(w.To));

    private static bool Covers(IReadOnlyList<Teacher> team, Student s) =>
        s.RequiredSkills.All(k => team.Any(m => m.Skills.Contains(k)));

    private static IEnumerable<IReadOnlyList<Teacher>> Teams(Scenario scenario, Student s)
    {
        var pool = scenario.Teachers.Where(t => s.AllowedTeacherIds is not { } allowed || allowed.Contains(t.Id)).ToList();
        return Subsets(pool, s.TeamSize, 0);
    }

    private static IEnumerable<IReadOnlyList<Teacher>> Subsets(List<Teacher> pool, int k, int from)
    {
        if (k == 0)
        {
            yield return [];
            yield break;
        }
        for (var i = from; i < pool.Count; i++)
        {
            foreach (var rest in Subsets(pool, k - 1, i + 1))
            {
                yield return [pool[i], .. rest];
            }
        }
    }

    private static int Travel(Scenario scenario, PlaceId a, PlaceId b)
    {
        var m = (MatrixTravel)scenario.Travel;
        return m.Minutes[m.PlaceIds.IndexOf(a)][m.PlaceIds.IndexOf(b)];
    }

    private static int Min(TimeOnly t) => t.Hour * 60 + t.Minute;
}
