using System.Collections.Immutable;
using ControlDropout.Scheduling.Scenarios;
using ControlDropout.Scheduling.Tests.Support;

namespace ControlDropout.Scheduling.Tests.Solving.Bounds;

/// <summary>
/// Small random weeks from a fixed seed for the bound's proofs: 3–6 children (some twice a week,
/// some with a remote session), 1–3 teachers, 1–3 days, random windows and places, and on every
/// third week a travel matrix that breaks the triangle inequality (some direct roads are slower than
/// a detour through a home).
/// </summary>
internal static class SmallWeeks
{
    private static readonly Weekday[] AllDays = [Weekday.Mon, Weekday.Tue, Weekday.Wed];

    /// <param name="seed">The week's seed.</param>
    /// <param name="teams">Some children need a two-person team.</param>
    /// <param name="onceAWeek">5–7 children with one home visit each and at most two teachers: the weeks whose
    /// LPs subset-row cuts tighten, still small enough for the brute force.</param>
    public static Scenario Build(int seed, bool teams = false, bool onceAWeek = false)
    {
        var rng = new Random(seed);
        var days = AllDays.Take(1 + rng.Next(3)).ToArray();
        var week = new Week().Days(days);
        if (seed % 3 == 0)
        {
            // Asymmetric and non-metric: some arcs carry a detour the road network forces.
            week.Distance((a, b) => Math.Abs(a - b) + ((a * 7 + b * 13) % 5 == 0 ? 30 : 0));
        }
        var teachers = teams ? 2 + rng.Next(2) : onceAWeek ? 1 + rng.Next(2) : 1 + rng.Next(3);
        for (var t = 0; t < teachers; t++)
        {
            var basePlace = $"b{t}";
            week.Place(basePlace, rng.Next(0, 60));
            var skills = rng.Next(3) == 0 ? new[] { "special-education", "rehabilitation" } : t % 2 == 1 && teams ? ["rehabilitation"] : ["special-education"];
            var from = rng.Next(2) == 0 ? "08:00" : "09:00";
            var to = rng.Next(3) == 0 ? "15:00" : "18:00";
            var available = days.Where(_ => rng.Next(4) != 0).DefaultIfEmpty(days[0]).ToArray();
            week.Teacher($"t{t}", basePlace, skills, remote: rng.Next(3) != 0, availability: Week.Every(from, to, available), max: 2 + rng.Next(4));
        }
        var children = onceAWeek ? 5 + rng.Next(3) : 3 + rng.Next(4);
        var sessions = 0;
        for (var s = 0; s < children; s++)
        {
            var home = $"h{s}";
            week.Place(home, rng.Next(0, 90));
            var (visits, remote) = rng.Next(6) switch
            {
                0 => (2, 0),
                1 => (1, 1),
                _ => (1, 0),
            };
            if (onceAWeek || sessions + visits + remote > 7 || days.Length < visits + remote)
            {
                (visits, remote) = (1, 0);
            }
            sessions += visits + remote;
            var windows = ImmutableArray.CreateBuilder<Window>();
            foreach (var d in days)
            {
                switch (rng.Next(4))
                {
                    case 0:
                        windows.Add(Week.W(d, "08:30", "12:00"));
                        break;
                    case 1:
                        windows.Add(Week.W(d, "13:00", "17:30"));
                        break;
                    case 2:
                        windows.Add(Week.W(d, "08:30", "11:00"));
                        windows.Add(Week.W(d, "14:00", "17:00"));
                        break;
                    default:
                        windows.Add(Week.W(d, "09:00", "17:00"));
                        break;
                }
            }
            var team = teams && rng.Next(2) == 0 ? 2 : 1;
            var skills = team == 2 ? new[] { "special-education", "rehabilitation" } : rng.Next(5) == 0 ? ["rehabilitation"] : ["special-education"];
            week.Student($"s{s}", home, visits, remote, minutes: rng.Next(3) == 0 ? 120 : 60 + 30 * rng.Next(2), team: team,
                skills: skills, availability: windows.ToImmutable());
        }
        return week.Build();
    }

    /// <summary>The same week with every teacher's daily driving capped (rule 10) at <paramref name="minutes"/>.</summary>
    public static Scenario Capped(Scenario scenario, int minutes) =>
        scenario with { Teachers = [.. scenario.Teachers.Select(t => t with { MaxTravelMinutesPerDay = minutes })] };
}

/// <summary>
/// The least travel of any timetable placing every session of a week of one-teacher sessions, by
/// enumerating every assignment of sessions to teacher-days and every visiting order. Written from
/// the contract's rules, sharing no code with the solver: this is what the bound must never exceed.
/// </summary>
internal static class BruteForce
{
    private sealed record Session(Student Student, SessionMode Mode);

    /// <summary>The minimum travel, or null when no timetable places every session.</summary>
    public static int? MinimumTravel(Scenario scenario)
    {
        var matrix = (MatrixTravel)scenario.Travel;
        int Tr(PlaceId a, PlaceId b) => matrix.Minutes[matrix.PlaceIds.IndexOf(a)][matrix.PlaceIds.IndexOf(b)];
        static int Min(TimeOnly t) => t.Hour * 60 + t.Minute;

        var sessions = scenario.Students
            .SelectMany(s => Enumerable.Repeat(new Session(s, SessionMode.Home), s.HomeVisitsPerWeek)
                .Concat(Enumerable.Repeat(new Session(s, SessionMode.Remote), s.RemoteSessionsPerWeek)))
            .ToArray();
        if (sessions.Any(x => x.Student.TeamSize != 1))
        {
            throw new ArgumentException("the brute force covers one-teacher sessions only");
        }
        var teacherDays = scenario.Teachers
            .SelectMany((t, ti) => t.Availability.Where(w => scenario.Days.Contains(w.Day)).Select(w => (Teacher: t, Index: ti, Window: w)))
            .ToArray();

        // Cheapest feasible order of each set of sessions in each teacher-day (null: none feasible).
        var cost = new int?[teacherDays.Length, 1 << sessions.Length];
        for (var k = 0; k < teacherDays.Length; k++)
        {
            var (teacher, _, window) = teacherDays[k];
            for (var mask = 1; mask < 1 << sessions.Length; mask++)
            {
                var members = Enumerable.Range(0, sessions.Length).Where(i => (mask >> i & 1) == 1).ToArray();
                if (members.Length > teacher.MaxSessionsPerWeek)
                {
                    continue;
                }
                int? best = null;
                foreach (var order in Permutations(members))
                {
                    var time = Min(window.From);
                    var at = teacher.BasePlaceId;
                    var travel = 0;
                    var ok = true;
                    foreach (var i in order)
                    {
                        var x = sessions[i];
                        var place = x.Mode == SessionMode.Home ? x.Student.PlaceId : teacher.BasePlaceId;
                        var arrive = time + Tr(at, place);
                        travel += Tr(at, place);
                        var start = x.Student.Availability.Where(w => w.Day == window.Day)
                            .Select(w => Math.Max(arrive, Min(w.From)) + x.Student.SessionMinutes <= Min(w.To) ? Math.Max(arrive, Min(w.From)) : int.MaxValue)
                            .DefaultIfEmpty(int.MaxValue).Min();
                        if (start == int.MaxValue)
                        {
                            ok = false;
                            break;
                        }
                        time = start + x.Student.SessionMinutes;
                        at = place;
                    }
                    travel += Tr(at, teacher.BasePlaceId);
                    if (ok && time + Tr(at, teacher.BasePlaceId) <= Min(window.To) && travel <= (teacher.MaxTravelMinutesPerDay ?? int.MaxValue)
                        && (best is null || travel < best))
                    {
                        best = travel;
                    }
                }
                cost[k, mask] = best;
            }
        }

        // Every assignment of sessions to qualified teacher-days, distinct days per child, loads kept.
        var options = sessions.Select(x => Enumerable.Range(0, teacherDays.Length).Where(k =>
        {
            var t = teacherDays[k].Teacher;
            return x.Student.RequiredSkills.All(t.Skills.Contains)
                && (x.Student.AllowedTeacherIds is null || x.Student.AllowedTeacherIds.Value.Contains(t.Id))
                && (x.Mode == SessionMode.Home || t.CanTeachRemotely);
        }).ToArray()).ToArray();
        var masks = new int[teacherDays.Length];
        var load = new int[scenario.Teachers.Length];
        int? min = null;
        void Assign(int i)
        {
            if (i == sessions.Length)
            {
                var total = 0;
                for (var k = 0; k < teacherDays.Length; k++)
                {
                    if (masks[k] == 0)
                    {
                        continue;
                    }
                    if (cost[k, masks[k]] is not { } c)
                    {
                        return;
                    }
                    total += c;
                }
                min = min is null ? total : Math.Min(min.Value, total);
                return;
            }
            foreach (var k in options[i])
            {
                var (teacher, ti, window) = teacherDays[k];
                var sameChildSameDay = Enumerable.Range(0, i).Any(j => sessions[j].Student == sessions[i].Student
                    && Enumerable.Range(0, teacherDays.Length).Any(o => (masks[o] >> j & 1) == 1 && teacherDays[o].Window.Day == window.Day));
                if (sameChildSameDay || load[ti] >= teacher.MaxSessionsPerWeek)
                {
                    continue;
                }
                masks[k] |= 1 << i;
                load[ti]++;
                Assign(i + 1);
                masks[k] &= ~(1 << i);
                load[ti]--;
            }
        }
        Assign(0);
        return min;
    }

    private static IEnumerable<int[]> Permutations(int[] items)
    {
        if (items.Length <= 1)
        {
            yield return items;
            yield break;
        }
        for (var i = 0; i < items.Length; i++)
        {
            var rest = items.Where((_, j) => j != i).ToArray();
            foreach (var tail in Permutations(rest))
            {
                yield return [items[i], .. tail];
            }
        }
    }
}
