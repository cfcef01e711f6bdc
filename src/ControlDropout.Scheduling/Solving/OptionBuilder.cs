using ControlDropout.Scheduling.Scenarios;

namespace ControlDropout.Scheduling.Solving;

/// <summary>
/// Enumerates the teams and days that could deliver each student's sessions, and classifies a
/// student/mode with none into the contract's reason codes. Each test here is a necessary condition
/// checked on an empty week, so a reason reported from it is true whatever else is scheduled.
/// </summary>
internal static class OptionBuilder
{
    /// <summary>Caps the teams kept per student and mode; the cheapest (nearest) are kept.</summary>
    public const int MaxOptionsPerKind = 240;

    /// <summary>Caps team enumeration for large teams so that analysis stays linear in practice.</summary>
    private const int MaxTeamsEnumerated = 4000;

    public static DemandKind Build(Problem p, StudentInfo s, SessionMode mode)
    {
        var k = s.Source.TeamSize;
        var required = s.Source.RequiredSkills;
        var allowed = p.Teachers.Where(t => s.Allowed is null || s.Allowed.Contains(t.Index)).ToList();
        DemandKind Fail(string code, string message) => new() { Student = s, Mode = mode, Options = [], Impossible = (code, message) };

        if (!AnyTeam(allowed, k, required, _ => true))
        {
            var who = s.Allowed is null ? "the scenario's teachers" : "the allowed teachers";
            return Fail(Timetables.ReasonCodes.NoQualifiedTeacher,
                $"no team of {k} from {who} covers the skills [{string.Join(", ", required)}] needed by student '{s.Source.Id}'");
        }
        var pool = allowed;
        if (mode == SessionMode.Remote)
        {
            pool = [.. allowed.Where(t => t.Source.CanTeachRemotely)];
            if (!AnyTeam(pool, k, required, _ => true))
            {
                return Fail(Timetables.ReasonCodes.RemoteNotPossible,
                    $"no team of {k} teachers who can teach remotely covers the skills [{string.Join(", ", required)}] needed by student '{s.Source.Id}'");
            }
        }

        var overlapExists = false;
        for (var d = 0; d < Problem.DayCount && !overlapExists; d++)
        {
            foreach (var w in s.Windows[d])
            {
                if (AnyTeam(pool, k, required, t => OverlapRange(p, t, d, w, s.Duration)))
                {
                    overlapExists = true;
                    break;
                }
            }
        }
        if (!overlapExists)
        {
            return Fail(Timetables.ReasonCodes.NoOverlappingWindow,
                $"on no scenario day do the windows of student '{s.Source.Id}' and of a qualified team of {k} overlap for a whole {s.Duration}-minute session{GridClause(p)}");
        }

        var options = new List<TeamOption>();
        var enumerationCapped = false;
        var ordered = pool.OrderBy(t => RoundTrip(p, t, s, mode)).ThenBy(t => t.Index).ToList();
        for (var d = 0; d < Problem.DayCount; d++)
        {
            var day = d;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var w in s.Windows[d])
            {
                enumerationCapped |= EnumerateTeams(ordered, k, required, t => ReachRange(p, t, day, w, s, mode, withinDrivingCap: true), team =>
                {
                    Array.Sort(team);
                    if (seen.Add(string.Join(',', team)))
                    {
                        var cost = team.Sum(i => RoundTrip(p, p.Teachers[i], s, mode));
                        options.Add(new TeamOption(team, day, cost, team.Count(i => !s.Preferred.Contains(i))));
                    }
                });
            }
        }
        if (options.Count == 0)
        {
            return Fail(Timetables.ReasonCodes.NoQualifiedTeacherInReach, NotInReachMessage(p, s, mode, ordered));
        }
        var kept = options
            .OrderBy(o => o.StaticCost).ThenBy(o => o.NonPreferred).ThenBy(o => o.Day).ThenBy(o => string.Join(',', o.Team), StringComparer.Ordinal)
            .Take(MaxOptionsPerKind)
            .ToList();
        return new DemandKind
        {
            Student = s,
            Mode = mode,
            Options = kept,
            Impossible = null,
            FeasibleDays = [.. options.Select(o => o.Day)],
            Truncated = kept.Count < options.Count || enumerationCapped,
        };
    }

    /// <summary>Says the driving cap when it is what keeps every team away: the county can see which limit to lift.</summary>
    private static string NotInReachMessage(Problem p, StudentInfo s, SessionMode mode, List<TeacherInfo> pool)
    {
        var k = s.Source.TeamSize;
        var required = s.Source.RequiredSkills;
        var capped = false;
        for (var d = 0; d < Problem.DayCount && !capped; d++)
        {
            var day = d;
            capped = s.Windows[d].Any(w => AnyTeam(pool, k, required, t => ReachRange(p, t, day, w, s, mode, withinDrivingCap: false)));
        }
        var inside = $"teach student '{s.Source.Id}' for {s.Duration} minutes inside one of the student's windows{GridClause(p)}";
        return capped
            ? $"every qualified team of {k} that could {inside} would have a member drive more than their daily driving cap (maxTravelMinutesPerDay) on the round trip"
            : $"no qualified team of {k} can leave base, {inside} and be back inside their own window{(mode == SessionMode.Home ? " (travel included)" : "")}";
    }

    private static string GridClause(Problem p) => p.StartStep > 1 ? $", starting on the {p.StartStep}-minute grid" : "";

    private static int RoundTrip(Problem p, TeacherInfo t, StudentInfo s, SessionMode mode) =>
        mode == SessionMode.Remote ? 0 : p.Tr(t.BasePlace, s.Place) + p.Tr(s.Place, t.BasePlace);

    private static Span? OverlapRange(Problem p, TeacherInfo t, int day, Span w, int duration)
    {
        if (t.Windows[day] is not { } tw)
        {
            return null;
        }
        var from = p.CeilToGrid(Math.Max(tw.From, w.From));
        var to = p.FloorToGrid(Math.Min(tw.To, w.To) - duration);
        return from <= to ? new Span(from, to) : null;
    }

    /// <summary>
    /// Start times on the grid at which the teacher alone could go, teach and come back on that day
    /// (with <paramref name="withinDrivingCap"/>, the round trip within their daily driving cap).
    /// The range's ends are on the grid, so ranges intersected across a team still hold a grid start.
    /// </summary>
    private static Span? ReachRange(Problem p, TeacherInfo t, int day, Span w, StudentInfo s, SessionMode mode, bool withinDrivingCap)
    {
        if (t.Windows[day] is not { } tw)
        {
            return null;
        }
        var place = mode == SessionMode.Home ? s.Place : t.BasePlace;
        var there = p.Tr(t.BasePlace, place);
        var back = p.Tr(place, t.BasePlace);
        if (there + s.Duration + back > t.MaxAway || (withinDrivingCap && there + back > t.MaxTravel))
        {
            return null;
        }
        var from = p.CeilToGrid(Math.Max(tw.From + there, w.From));
        var to = p.FloorToGrid(Math.Min(tw.To - back, w.To) - s.Duration);
        return from <= to ? new Span(from, to) : null;
    }

    private static bool AnyTeam(List<TeacherInfo> pool, int k, IReadOnlyCollection<string> required, Func<TeacherInfo, bool> ok)
    {
        var found = false;
        EnumerateTeams(pool, k, required, t => ok(t) ? new Span(0, 0) : null, _ => found = true, stopAtFirst: true);
        return found;
    }

    private static bool AnyTeam(List<TeacherInfo> pool, int k, IReadOnlyCollection<string> required, Func<TeacherInfo, Span?> range)
    {
        var found = false;
        EnumerateTeams(pool, k, required, range, _ => found = true, stopAtFirst: true);
        return found;
    }

    /// <summary>
    /// Depth-first over k-subsets whose members' start ranges still intersect and whose skills can
    /// still cover what is required with the members left to choose.
    /// </summary>
    /// <returns>True when enumeration stopped at <see cref="MaxTeamsEnumerated"/>.</returns>
    private static bool EnumerateTeams(List<TeacherInfo> pool, int k, IReadOnlyCollection<string> required, Func<TeacherInfo, Span?> range, Action<int[]> found, bool stopAtFirst = false)
    {
        var candidates = pool.Select(t => (Teacher: t, Range: range(t))).Where(x => x.Range is not null).ToList();
        if (candidates.Count < k)
        {
            return false;
        }
        var chosen = new int[k];
        var count = 0;
        var stop = false;

        void Recurse(int from, int depth, Span window, HashSet<string> covered)
        {
            if (stop)
            {
                return;
            }
            if (depth == k)
            {
                if (required.All(covered.Contains))
                {
                    found((int[])chosen.Clone());
                    count++;
                    stop = stopAtFirst || count >= MaxTeamsEnumerated;
                }
                return;
            }
            for (var i = from; i <= candidates.Count - (k - depth) && !stop; i++)
            {
                var (teacher, r) = candidates[i];
                var from2 = Math.Max(window.From, r!.Value.From);
                var to2 = Math.Min(window.To, r.Value.To);
                if (from2 > to2)
                {
                    continue;
                }
                var added = teacher.Skills.Where(sk => required.Contains(sk) && !covered.Contains(sk)).ToList();
                // The last member must complete the skill set; earlier ones need not.
                if (depth == k - 1 && covered.Count + added.Count < required.Count)
                {
                    continue;
                }
                chosen[depth] = teacher.Index;
                foreach (var sk in added)
                {
                    covered.Add(sk);
                }
                Recurse(i + 1, depth + 1, new Span(from2, to2), covered);
                foreach (var sk in added)
                {
                    covered.Remove(sk);
                }
            }
        }

        Recurse(0, 0, new Span(int.MinValue / 4, int.MaxValue / 4), new HashSet<string>(StringComparer.Ordinal));
        return !stopAtFirst && count >= MaxTeamsEnumerated;
    }
}
