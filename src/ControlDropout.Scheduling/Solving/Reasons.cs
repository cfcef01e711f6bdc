using System.Collections.Immutable;
using ControlDropout.Scheduling.Scenarios;
using ControlDropout.Scheduling.Timetables;
using Google.OrTools.Sat;

namespace ControlDropout.Scheduling.Solving;

/// <summary>
/// Gives every unplaced session a reason that is true of the scenario. Static reasons come from
/// <see cref="OptionBuilder"/> (necessary conditions on an empty week). Then two kinds of proof,
/// both relaxations of the real rules and so bounds on every timetable: the counting bounds
/// (<see cref="CountingBounds"/>, a group of sessions against what the teachers who could serve them
/// can take), and the CP-SAT capacity model (<see cref="CapacityProof"/>). When our timetable places
/// as many of a short group as the count allows, or as many sessions as the capacity model allows,
/// each session left out could only be placed by uncovering another: <c>TeacherCapacityExhausted</c>,
/// naming what is short and by how much. Otherwise we say so — <c>TimeLimitReached</c>, never a
/// guess — with the part that is proven.
/// </summary>
internal static class Reasons
{
    private const int MaxNamed = 8;

    public static ImmutableArray<UnassignedSession> Explain(SearchContext ctx, WeekState state, CountingBounds counting, CapacityProof proof)
    {
        var p = ctx.Problem;
        var unplaced = p.Demands.Where(q => state.Placements[q.Index] is null).ToList();
        if (unplaced.Count == 0)
        {
            return [];
        }
        var result = new List<UnassignedSession>();
        var open = new List<Demand>();
        foreach (var group in unplaced.GroupBy(q => q.Student.Index))
        {
            var s = p.Students[group.Key];
            var needed = s.Source.HomeVisitsPerWeek + s.Source.RemoteSessionsPerWeek;
            var possible = p.Demands.Where(q => q.Student == s && ctx.KindOf[q.Index].Impossible is null).ToList();
            var days = possible.SelectMany(q => ctx.KindOf[q.Index].FeasibleDays).Distinct().Count();
            // Only possible − days sessions can be blamed on the days; any more left out have another cause.
            var blameDays = Math.Max(0, possible.Count - days);
            foreach (var q in group)
            {
                if (ctx.KindOf[q.Index].Impossible is { } why)
                {
                    result.Add(new UnassignedSession(s.Source.Id, q.Mode, new Reason(why.Code, why.Message)));
                }
                else if (blameDays > 0)
                {
                    blameDays--;
                    result.Add(new UnassignedSession(s.Source.Id, q.Mode, new Reason(ReasonCodes.TooFewDistinctDays,
                        $"student '{s.Source.Id}' needs {needed} sessions on different days, but a session can be placed on only {days} day(s) of the week")));
                }
                else
                {
                    open.Add(q);
                }
            }
        }
        if (open.Count > 0)
        {
            result.AddRange(Capacity(ctx, state, open, counting, proof.Result()));
        }
        return [.. result.OrderBy(u => u.StudentId.Value, StringComparer.Ordinal).ThenBy(u => u.Mode)];
    }

    private static IEnumerable<UnassignedSession> Capacity(SearchContext ctx, WeekState state, List<Demand> open, CountingBounds counting, CapacityOutcome? proof)
    {
        var p = ctx.Problem;
        var placed = p.Demands.Length - state.Unplaced;
        int PlacedIn(ShortageGroup g) => g.Demands.Count(i => state.Placements[i] is not null);
        // A group is settled when the timetable places as many of it as any timetable can.
        var settled = counting.Groups.Where(g => PlacedIn(g) >= g.MostPlaceable).ToList();
        var provenByModel = proof?.Bound is { } bound && bound <= placed;
        var who = proof is { Children.Count: > 0 }
            ? $"; the children [{Names(proof.Children)}] compete for the teachers [{Names(proof.Teachers)}] (weekly load, time in the day, one session a day per child)"
            : "";
        foreach (var q in open)
        {
            var id = q.Student.Source.Id;
            // The largest shortage this session belongs to is true whatever the timetable: reported with any reason.
            var shortGroup = counting.Groups.FirstOrDefault(g => g.Demands.Contains(q.Index));
            if (settled.FirstOrDefault(g => g.Demands.Contains(q.Index)) is { } group)
            {
                yield return new UnassignedSession(id, q.Mode, new Reason(ReasonCodes.TeacherCapacityExhausted,
                    $"student '{id}' could be taught on its own, but {group.Describe()}, and the timetable places {PlacedIn(group)} of them: placing this one uncovers another; the children [{Names(group.Children)}] compete for the teachers [{Names(group.Teachers)}]",
                    group.Shortage));
            }
            else if (provenByModel)
            {
                var shortage = shortGroup is null ? "" : $"; counted alone, {shortGroup.Describe()}";
                yield return new UnassignedSession(id, q.Mode, new Reason(ReasonCodes.TeacherCapacityExhausted,
                    $"student '{id}' could be taught on its own, but no timetable places more than {placed} of the {p.Demands.Length} sessions: placing this one uncovers another{who}{shortage}",
                    shortGroup?.Shortage));
            }
            else if (shortGroup is not null)
            {
                // Every timetable leaves at least Short of the group out; the rest may be a search weakness.
                var left = open.Count(o => shortGroup.Demands.Contains(o.Index));
                yield return new UnassignedSession(id, q.Mode, new Reason(ReasonCodes.TimeLimitReached,
                    $"the search stopped without placing this session; at least {Math.Min(shortGroup.Short, left)} of these {left} cannot be placed by any timetable: {shortGroup.Describe()}",
                    shortGroup.Shortage));
            }
            else
            {
                var message = proof?.Bound is { } b
                    ? $"the search stopped without placing this session; the capacity model and the counts allow up to {b} of {p.Demands.Length} sessions and the timetable places {placed}, so it may be placeable"
                    : "the search stopped without placing this session and without proof either way";
                yield return new UnassignedSession(id, q.Mode, new Reason(ReasonCodes.TimeLimitReached, message));
            }
        }
    }

    private static string Names(IReadOnlyList<string> names) =>
        string.Join(", ", names.Take(MaxNamed)) + (names.Count > MaxNamed ? ", …" : "");
}
