using ControlDropout.Scheduling.Scenarios;

namespace ControlDropout.Scheduling.Solving;

/// <summary>Single-teacher feasibility on an empty day, shared by the relaxations that bound the week.</summary>
internal static class Reach
{
    /// <summary>
    /// Can the teacher alone go, teach the whole session inside one of the child's windows starting on
    /// the grid, and come back inside their own window and daily driving cap?
    /// </summary>
    public static bool CanReach(Problem p, TeacherInfo t, Demand q, int day)
    {
        var s = q.Student;
        if (s.Allowed is not null && !s.Allowed.Contains(t.Index))
        {
            return false;
        }
        if (q.Mode == SessionMode.Remote && !t.Source.CanTeachRemotely)
        {
            return false;
        }
        if (t.Windows[day] is not { } tw)
        {
            return false;
        }
        var place = q.PlaceFor(t);
        var there = p.Tr(t.BasePlace, place);
        var back = p.Tr(place, t.BasePlace);
        if (there + q.Duration + back > t.MaxAway || there + back > t.MaxTravel)
        {
            return false;
        }
        return s.Windows[day].Any(w => p.CeilToGrid(Math.Max(tw.From + there, w.From)) <= p.FloorToGrid(Math.Min(tw.To - back, w.To) - q.Duration));
    }

    /// <summary>
    /// Half the cheapest way into plus the cheapest way out of a home visit for this teacher, from
    /// their base or from another home: a share of any route's travel that this stop must carry.
    /// </summary>
    public static int StopShare(Problem p, TeacherInfo t, Demand q, IReadOnlyList<Demand> homes)
    {
        if (q.Mode == SessionMode.Remote)
        {
            return 0;
        }
        var place = q.Student.Place;
        var cheapestIn = p.Tr(t.BasePlace, place);
        var cheapestOut = p.Tr(place, t.BasePlace);
        foreach (var o in homes)
        {
            if (o.Student != q.Student)
            {
                cheapestIn = Math.Min(cheapestIn, p.Tr(o.Student.Place, place));
                cheapestOut = Math.Min(cheapestOut, p.Tr(place, o.Student.Place));
            }
        }
        return (cheapestIn + cheapestOut) / 2;
    }
}
