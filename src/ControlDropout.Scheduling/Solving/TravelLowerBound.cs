namespace ControlDropout.Scheduling.Solving;

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
    public static int For(Problem p, WeekState state)
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
