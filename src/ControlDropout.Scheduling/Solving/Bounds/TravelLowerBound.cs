using ControlDropout.Scheduling.Timetables;

namespace ControlDropout.Scheduling.Solving.Bounds;

/// <summary>
/// A proven lower bound on the travel of any timetable that places the same sessions. Every member
/// of a home visit's team arrives there from somewhere and leaves to somewhere: the route total is
/// the sum of its arcs, and each arc enters one stop and leaves one, so the total is at least half
/// of (cheapest way in + cheapest way out) summed over every member of every home visit. "Somewhere"
/// is the base of a teacher the child may have, or another placed home visit's place. Remote
/// sessions need no travel. The bound uses no triangle inequality, so it holds for rounded
/// haversine minutes and for any matrix.
/// </summary>
internal static class TravelLowerBound
{
    /// <summary>The larger of the two counting bounds, and its method's name.</summary>
    public static (int Bound, string Method) For(Problem p, WeekState state)
    {
        var shares = StopShares(p, state);
        var farthest = FarthestStops(p, state);
        return farthest > shares ? (farthest, LowerBoundMethods.FarthestStops) : (shares, LowerBoundMethods.StopShares);
    }

    /// <summary>
    /// With haversine travel (a metric up to half a minute of rounding per leg) a teacher-day costs at
    /// least the round trip to its farthest home, less the rounding. Sort every member slot of every
    /// home visit by its cheapest round trip, farthest first; the cheapest way to share routes puts
    /// each farthest slot with the next ones in a route as full as the day allows after driving that
    /// far, so summing the first slot of each such group bounds every timetable from below.
    /// </summary>
    public static int FarthestStops(Problem p, WeekState state)
    {
        if (p.Scenario.Travel is not Scenarios.HaversineTravel)
        {
            return 0;
        }
        var slots = new List<(int RoundTrip, int Stops)>();
        var shortest = p.Demands.Min(q => q.Duration);
        var mostStops = p.Teachers.Max(t => Math.Min(t.MaxSessions, t.Windows.Max(w => w?.Length ?? 0) / Math.Max(1, shortest)));
        var slack = (mostStops + 3 + 1) / 2;
        foreach (var q in p.Demands)
        {
            if (state.Placements[q.Index] is null || q.Mode != Scenarios.SessionMode.Home)
            {
                continue;
            }
            var roundTrip = int.MaxValue;
            var stops = 1;
            foreach (var t in p.Teachers)
            {
                var longest = Math.Min(t.Windows.Max(w => w?.Length ?? 0), t.MaxAway);
                var trip = p.Tr(t.BasePlace, q.Student.Place) + p.Tr(q.Student.Place, t.BasePlace);
                if ((q.Student.Allowed is null || q.Student.Allowed.Contains(t.Index)) && trip + q.Duration <= longest)
                {
                    roundTrip = Math.Min(roundTrip, trip);
                    // Time left for other stops once this one and the drive are done (+ slack for rounding).
                    stops = Math.Max(stops, 1 + (longest - Math.Max(0, trip - slack) - q.Duration) / Math.Max(1, shortest));
                }
            }
            for (var m = 0; m < q.Student.Source.TeamSize && roundTrip != int.MaxValue; m++)
            {
                slots.Add((Math.Max(0, roundTrip - slack), Math.Min(stops, mostStops)));
            }
        }
        slots.Sort((a, b) => b.RoundTrip.CompareTo(a.RoundTrip));
        var bound = 0;
        for (var i = 0; i < slots.Count; i += slots[i].Stops)
        {
            bound += slots[i].RoundTrip;
        }
        return bound;
    }

    private static int StopShares(Problem p, WeekState state)
    {
        var homes = p.Demands
            .Where(q => state.Placements[q.Index] is not null && q.Mode == Scenarios.SessionMode.Home)
            .ToList();
        long twice = 0;
        foreach (var q in homes)
        {
            var home = q.Student.Place;
            var cheapestIn = int.MaxValue;
            var cheapestOut = int.MaxValue;
            foreach (var teacher in p.Teachers)
            {
                if (q.Student.Allowed is null || q.Student.Allowed.Contains(teacher.Index))
                {
                    cheapestIn = Math.Min(cheapestIn, p.Tr(teacher.BasePlace, home));
                    cheapestOut = Math.Min(cheapestOut, p.Tr(home, teacher.BasePlace));
                }
            }
            foreach (var other in homes)
            {
                if (other.Student.Index != q.Student.Index)
                {
                    cheapestIn = Math.Min(cheapestIn, p.Tr(other.Student.Place, home));
                    cheapestOut = Math.Min(cheapestOut, p.Tr(home, other.Student.Place));
                }
            }
            twice += (long)(cheapestIn + cheapestOut) * q.Student.Source.TeamSize;
        }
        return (int)((twice + 1) / 2);
    }
}
