using ControlDropout.Scheduling.Solving;
using ControlDropout.Scheduling.Solving.Bounds;
using FluentAssertions;

namespace ControlDropout.Scheduling.Tests.Solving.Bounds;

/// <summary>
/// The labelling finds the cheapest route of a teacher-day: on small weeks with random stop values
/// its minimum equals a brute-force enumeration of every visiting order (whenever that minimum is
/// below zero, the only case the bound uses), and every route it returns costs what it says.
/// </summary>
public class RoutePricingTests
{
    [Fact]
    public void The_labelling_minimum_equals_enumerating_every_route()
    {
        var compared = 0;
        for (var seed = 1; seed <= 30; seed++)
        {
            var p = new Problem(SmallWeeks.Build(seed, teams: seed % 2 == 0));
            var days = TeacherDay.All(p, StopKind.Of(p.Demands));
            var rng = new Random(seed);
            foreach (var day in days)
            {
                var values = day.Stops.Select(_ => rng.Next(0, 120) + rng.NextDouble()).ToArray();
                long work = 0;
                var pricing = RoutePricing.Cheapest(day, values, keep: 3, below: 0, ref work);
                pricing.Exact.Should().BeTrue();
                var expected = Math.Min(0, Enumerate(day, values));
                Math.Min(0, pricing.MinReducedCost).Should().BeApproximately(expected, 1e-9, $"week {seed}, teacher {day.Teacher.Index}, day {day.Day}");
                foreach (var route in pricing.Routes)
                {
                    route.Travel.Should().Be(ColumnGenerationBound.RouteTravel(day, route.Stops));
                    route.ReducedCost.Should().BeApproximately(route.Travel - route.Stops.Sum(j => values[j]), 1e-9);
                    route.Stops.Select(j => day.Stops[j].Student.Index).Should().OnlyHaveUniqueItems();
                }
                if (pricing.Routes.Count > 0)
                {
                    pricing.Routes[0].ReducedCost.Should().BeApproximately(pricing.MinReducedCost, 1e-9);
                }
                compared++;
            }
        }
        compared.Should().BeGreaterThan(30);
    }

    [Fact]
    public void Under_a_daily_driving_cap_the_labelling_minimum_equals_enumerating_every_route()
    {
        var compared = 0;
        var bites = 0;
        for (var seed = 1; seed <= 30; seed++)
        {
            var week = SmallWeeks.Build(seed);
            var free = new Problem(week);
            var p = new Problem(SmallWeeks.Capped(week, 90));
            var days = TeacherDay.All(p, StopKind.Of(p.Demands));
            var freeDays = TeacherDay.All(free, StopKind.Of(free.Demands));
            var rng = new Random(seed);
            foreach (var day in days)
            {
                var values = day.Stops.Select(_ => rng.Next(0, 120) + rng.NextDouble()).ToArray();
                long work = 0;
                var pricing = RoutePricing.Cheapest(day, values, keep: 3, below: 0, ref work);
                var expected = Math.Min(0, Enumerate(day, values, cap: 90));
                Math.Min(0, pricing.MinReducedCost).Should().BeApproximately(expected, 1e-9, $"week {seed}, teacher {day.Teacher.Index}, day {day.Day}");
                pricing.Routes.Where(r => r.Travel > 90).Should().BeEmpty();
                var uncapped = freeDays.Single(d => d.Teacher.Index == day.Teacher.Index && d.Day == day.Day);
                if (uncapped.Stops.Length == day.Stops.Length)
                {
                    bites += Math.Min(0, Enumerate(uncapped, values)) < expected - 1e-9 ? 1 : 0;
                }
                compared++;
            }
        }
        compared.Should().BeGreaterThan(30);
        bites.Should().BeGreaterThan(0, "the cap must change some cheapest route for this test to prove anything");
    }

    [Fact]
    public void With_subset_row_cuts_the_labelling_minimum_equals_enumerating_every_route()
    {
        // Random cuts on triples of the day's stops with random penalties: a route pays a cut's penalty
        // once per two visits to its stops, which the labelling tracks as a parity per cut and its
        // dominance must allow for.
        var compared = 0;
        var charged = 0;
        for (var seed = 1; seed <= 30; seed++)
        {
            var p = new Problem(SmallWeeks.Build(seed));
            var days = TeacherDay.All(p, StopKind.Of(p.Demands));
            var rng = new Random(seed * 7);
            foreach (var day in days.Where(d => d.Stops.Length >= 3))
            {
                var values = day.Stops.Select(_ => rng.Next(20, 140) + rng.NextDouble()).ToArray();
                var cutCount = 1 + rng.Next(4);
                var members = new ulong[day.Stops.Length];
                var penalties = new double[cutCount];
                for (var c = 0; c < cutCount; c++)
                {
                    penalties[c] = rng.Next(5, 80) + rng.NextDouble();
                    foreach (var j in Enumerable.Range(0, day.Stops.Length).OrderBy(_ => rng.Next()).Take(3))
                    {
                        members[j] |= 1UL << c;
                    }
                }
                var cuts = new CutPrices(penalties, members);
                double Penalty(IReadOnlyList<int> stops) => Enumerable.Range(0, cutCount)
                    .Sum(c => stops.Count(j => (members[j] >> c & 1) == 1) / 2 * penalties[c]);
                long work = 0;
                var pricing = RoutePricing.Cheapest(day, values, keep: 3, below: 0, ref work, cuts: cuts);
                pricing.Exact.Should().BeTrue();
                var expected = Math.Min(0, Enumerate(day, values, Penalty));
                Math.Min(0, pricing.MinReducedCost).Should().BeApproximately(expected, 1e-9, $"week {seed}, teacher {day.Teacher.Index}, day {day.Day}");
                foreach (var route in pricing.Routes)
                {
                    route.ReducedCost.Should().BeApproximately(route.Travel - route.Stops.Sum(j => values[j]) + Penalty(route.Stops), 1e-9);
                    charged += Penalty(route.Stops) > 0 ? 1 : 0;
                }
                compared++;
            }
        }
        compared.Should().BeGreaterThan(20);
        charged.Should().BeGreaterThan(0, "some cheapest routes pay a cut");
    }

    /// <summary>Every order of distinct children that fits the windows, the day, the load and the away-time relaxation.</summary>
    private static double Enumerate(TeacherDay day, double[] values, Func<IReadOnlyList<int>, double>? penalty = null, int cap = int.MaxValue)
    {
        var visited = new List<int>();
        var best = double.PositiveInfinity;
        void Extend(int at, int time, int away, int travel, double earned, int count, List<int> students)
        {
            if (at >= 0 && travel + day.ToBase[at] <= cap)
            {
                best = Math.Min(best, travel + day.ToBase[at] - earned + (penalty?.Invoke(visited) ?? 0));
            }
            if (count == day.Teacher.MaxSessions)
            {
                return;
            }
            for (var j = 0; j < day.Stops.Length; j++)
            {
                var student = day.Stops[j].Student;
                if (students.Contains(student.Index))
                {
                    continue;
                }
                var leg = at < 0 ? day.FromBase[j] : day.Between[at, j];
                var starts = student.Windows[day.Day]
                    .Select(w => (Start: Math.Max(time + leg, w.From), w.To))
                    .Where(x => x.Start + student.Duration <= x.To)
                    .Select(x => x.Start).ToList();
                if (starts.Count == 0)
                {
                    continue;
                }
                var end = starts.Min() + student.Duration;
                var spent = away + leg + student.Duration;
                if (end + day.ToBase[j] > day.Window.To || spent + day.ToBase[j] > day.Teacher.MaxAway)
                {
                    continue;
                }
                students.Add(student.Index);
                visited.Add(j);
                Extend(j, end, spent, travel + leg, earned + values[j], count + 1, students);
                visited.RemoveAt(visited.Count - 1);
                students.RemoveAt(students.Count - 1);
            }
        }
        Extend(-1, day.Window.From, 0, 0, 0, 0, []);
        return best;
    }
}
