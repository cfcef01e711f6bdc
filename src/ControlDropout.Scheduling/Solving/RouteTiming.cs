namespace ControlDropout.Scheduling.Solving;

/// <summary>
/// Times along one teacher's day with the order of visits given. Floating visits may wait and move
/// within the child's windows; fixed visits keep their start. Shared by insertion (what fits where)
/// and by the week (when each visit happens).
/// </summary>
internal static class RouteTiming
{
    public static int Travel(Problem p, TeacherInfo teacher, List<Visit> route)
    {
        if (route.Count == 0)
        {
            return 0;
        }
        var home = teacher.BasePlace;
        var cost = p.Tr(home, route[0].Place);
        for (var i = 1; i < route.Count; i++)
        {
            cost += p.Tr(route[i - 1].Place, route[i].Place);
        }
        return cost + p.Tr(route[^1].Place, home);
    }

    /// <summary>Earliest start on the grid at or after <paramref name="arrival"/> that fits a window whole; -1 if none.</summary>
    public static int EarliestStart(Problem p, Span[] windows, int arrival, int duration)
    {
        foreach (var w in windows)
        {
            var s = p.CeilToGrid(Math.Max(arrival, w.From));
            if (s + duration <= w.To)
            {
                return s;
            }
        }
        return -1;
    }

    /// <summary>Latest start on the grid whose end is at or before <paramref name="latestEnd"/> and fits a window whole; -1 if none.</summary>
    public static int LatestStart(Problem p, Span[] windows, int latestEnd, int duration)
    {
        for (var i = windows.Length - 1; i >= 0; i--)
        {
            var s = p.FloorToGrid(Math.Min(latestEnd, windows[i].To) - duration);
            if (s >= windows[i].From)
            {
                return s;
            }
        }
        return -1;
    }

    public static bool FitsWindow(Span[] windows, int start, int duration)
    {
        foreach (var w in windows)
        {
            if (w.From <= start && start + duration <= w.To)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>End of each visit when everything happens as early as possible; false when the day cannot hold the route.</summary>
    public static bool EarliestEnds(Problem p, TeacherInfo teacher, int day, List<Visit> route, Span<int> ends)
    {
        var window = teacher.Windows[day]!.Value;
        var time = window.From;
        var place = teacher.BasePlace;
        for (var j = 0; j < route.Count; j++)
        {
            var v = route[j];
            var arrival = time + p.Tr(place, v.Place);
            var duration = v.End - v.Start;
            int s;
            if (v.Fixed)
            {
                if (arrival > v.Start)
                {
                    return false;
                }
                s = v.Start;
            }
            else
            {
                s = EarliestStart(p, p.Demands[v.Demand].Student.Windows[day], arrival, duration);
                if (s < 0)
                {
                    return false;
                }
            }
            ends[j] = s + duration;
            time = ends[j];
            place = v.Place;
        }
        return route.Count == 0 || time + p.Tr(place, teacher.BasePlace) <= window.To;
    }

    /// <summary>Latest start of each visit such that the rest of the day still fits before <paramref name="limit"/> back at base.</summary>
    public static bool LatestStarts(Problem p, TeacherInfo teacher, int day, List<Visit> route, int limit, Span<int> starts)
    {
        var place = teacher.BasePlace;
        for (var j = route.Count - 1; j >= 0; j--)
        {
            var v = route[j];
            var latestEnd = limit - p.Tr(v.Place, place);
            var duration = v.End - v.Start;
            int s;
            if (v.Fixed)
            {
                if (v.Start + duration > latestEnd)
                {
                    return false;
                }
                s = v.Start;
            }
            else
            {
                s = LatestStart(p, p.Demands[v.Demand].Student.Windows[day], latestEnd, duration);
                if (s < 0)
                {
                    return false;
                }
            }
            starts[j] = s;
            limit = s;
            place = v.Place;
        }
        return true;
    }

    /// <summary>
    /// Times the day: the earliest possible return, then every floating visit as late as that return
    /// allows (so the teacher leaves as late as possible: least time away), except that a visit whose
    /// baseline start still fits keeps it. False when the day cannot hold the route, or when its
    /// driving exceeds the teacher's daily cap (rule 10: the order alone decides the driving).
    /// </summary>
    public static bool Schedule(Problem p, SearchContext ctx, TeacherInfo teacher, int day, List<Visit> route, Span<int> starts)
    {
        var k = route.Count;
        if (k == 0)
        {
            return true;
        }
        if (teacher.MaxTravel != int.MaxValue && Travel(p, teacher, route) > teacher.MaxTravel)
        {
            return false;
        }
        Span<int> ends = stackalloc int[k];
        if (!EarliestEnds(p, teacher, day, route, ends))
        {
            return false;
        }
        var earliestReturn = ends[k - 1] + p.Tr(route[k - 1].Place, teacher.BasePlace);
        if (!LatestStarts(p, teacher, day, route, earliestReturn, starts))
        {
            return false;
        }
        if (ctx.BaselineCount > 0)
        {
            Span<int> latest = stackalloc int[k];
            starts.CopyTo(latest);
            if (!KeepBaselineStarts(p, ctx, teacher, day, route, latest, starts))
            {
                latest.CopyTo(starts);
            }
        }
        var depart = starts[0] - p.Tr(teacher.BasePlace, route[0].Place);
        var ret = starts[k - 1] + (route[k - 1].End - route[k - 1].Start) + p.Tr(route[k - 1].Place, teacher.BasePlace);
        return ret - depart <= teacher.MaxAway;
    }

    /// <summary>
    /// Moves floating visits to their baseline start where it still fits between arrival and the
    /// latest start the rest of the day allows; the others keep their least-time-away start, or
    /// the earliest after a moved predecessor.
    /// </summary>
    private static bool KeepBaselineStarts(Problem p, SearchContext ctx, TeacherInfo teacher, int day, List<Visit> route, Span<int> leastAway, Span<int> starts)
    {
        var window = teacher.Windows[day]!.Value;
        Span<int> latest = stackalloc int[route.Count];
        if (!LatestStarts(p, teacher, day, route, window.To, latest))
        {
            return false;
        }
        var time = window.From;
        var place = teacher.BasePlace;
        var moved = false;
        for (var j = 0; j < route.Count; j++)
        {
            var v = route[j];
            var duration = v.End - v.Start;
            var arrival = time + p.Tr(place, v.Place);
            int s;
            if (v.Fixed)
            {
                s = v.Start;
            }
            else
            {
                var windows = p.Demands[v.Demand].Student.Windows[day];
                var earliest = EarliestStart(p, windows, arrival, duration);
                if (earliest < 0)
                {
                    return false;
                }
                s = Math.Max(earliest, leastAway[j]);
                foreach (var b in ctx.BaselineStarts(v.Demand, day, [teacher.Index]))
                {
                    if (b >= arrival && b <= latest[j] && FitsWindow(windows, b, duration))
                    {
                        moved |= b != s;
                        s = b;
                    }
                }
                if (s > latest[j])
                {
                    return false;
                }
            }
            starts[j] = s;
            time = s + duration;
            place = v.Place;
        }
        if (!moved)
        {
            return false;
        }
        var depart = starts[0] - p.Tr(teacher.BasePlace, route[0].Place);
        var ret = time + p.Tr(place, teacher.BasePlace);
        return ret <= window.To && ret - depart <= teacher.MaxAway;
    }
}
