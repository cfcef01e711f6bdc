namespace ControlDropout.Scheduling.Solving.Bounds;

/// <summary>A route of one teacher-day: its stops in visiting order and its travel minutes.</summary>
internal sealed record PricedRoute(int[] Stops, int Travel, double ReducedCost);

/// <summary>
/// The cheapest route of a teacher-day at given stop values. <see cref="Exact"/> says whether
/// <see cref="MinReducedCost"/> is proven to be the minimum over every route (the labelling ran to
/// the end); only then may a Lagrangian bound use it.
/// </summary>
internal sealed record Pricing(double MinReducedCost, bool Exact, List<PricedRoute> Routes);

/// <summary>
/// Pricing by labelling: the minimum of travel − Σ values of the stops over every route of a
/// teacher-day that leaves the base no earlier than the day's window opens, visits each student at
/// most once, teaches each stop whole inside one of the child's windows, never overlaps, comes back
/// before the window closes, holds at most the weekly load, whose travel plus teaching fits the
/// away-time limit, and whose travel keeps the teacher's daily driving cap (rule 10). That set
/// contains every real route of the teacher that day (real routes also
/// meet the team's shared start, the start grid and the exact away time, which are relaxed here), so
/// its minimum is a valid price. A label is a partial route ending at a stop; one label dominates
/// another at the same stop when it ends no later, has spent no more away-time, costs no more and
/// has visited a subset of the students: every completion of the second is then open to the first,
/// no dearer. Only dominated labels are dropped, so the minimum is exact unless the label cap stops it.
/// </summary>
internal static class RoutePricing
{
    /// <summary>Labels one teacher-day may create before its pricing is declared inexact (the bound of that round is then not used).</summary>
    public const int LabelCap = 400_000;

    private const double Epsilon = 1e-9;

    /// <summary>Work units per extension tried (a dominance check costs one): keeps a deterministic second near a wall-clock one.</summary>
    private const int WorkPerExtension = 3;

    private struct Label
    {
        public int Node;
        public int End;
        public int Away;
        public int Travel;
        public int Count;
        public double Cost;
        public UInt128 Visited;
        public ulong Cuts;
        public int Parent;
        public bool Dead;
    }

    /// <param name="day">The teacher-day.</param>
    /// <param name="values">What visiting each stop earns (the duals of the rows it touches).</param>
    /// <param name="keep">How many of the cheapest routes to return.</param>
    /// <param name="below">Only routes whose reduced cost is below this are returned.</param>
    /// <param name="work">Counts extensions and dominance checks, the deterministic budget's units.</param>
    /// <param name="fanOut">When positive, a heuristic: each label extends only to this many feasible stops, the most
    /// attractive first (travel there less value) among the nearest. Cheap columns while the duals are far off; never exact.</param>
    /// <param name="cuts">Subset-row cuts to charge: a label carries its visits' parity per cut and pays the
    /// cut's penalty on every second visit to its kinds.</param>
    public static Pricing Cheapest(TeacherDay day, double[] values, int keep, double below, ref long work, int fanOut = 0, CutPrices? cuts = null)
    {
        var n = day.Stops.Length;
        var window = day.Window;
        var maxAway = day.Teacher.MaxAway;
        var maxStops = day.Teacher.MaxSessions;
        var maxTravel = day.Teacher.MaxTravel;
        var capped = maxTravel < int.MaxValue;
        var shortest = day.Stops.Min(k => k.Student.Duration);
        // What the rest of a route can still earn at most: with the stops still open at its time (a prefix
        // of ByLatestEntry), the most any k further stops could bring (each entered at its cheapest, however
        // visited), and the cheapest way home. A label that cannot get below zero even so is never
        // extended: the bound takes min(0, cheapest route) and columns must be negative.
        var most = Math.Min(maxStops, n);
        var mostGain = new double[n + 1][];
        var top = new List<double>();
        mostGain[0] = new double[most + 1];
        for (var p = 1; p <= n; p++)
        {
            var j = day.ByLatestEntry[p - 1];
            var gain = day.CheapestIn[j] - values[j];
            if (gain < 0)
            {
                var at = top.FindIndex(g => g > gain);
                top.Insert(at < 0 ? top.Count : at, gain);
                if (top.Count > most)
                {
                    top.RemoveAt(most);
                }
            }
            mostGain[p] = new double[most + 1];
            for (var k = 1; k <= most; k++)
            {
                mostGain[p][k] = mostGain[p][k - 1] + (k <= top.Count ? top[k - 1] : 0);
            }
        }
        work += n * most;
        var labels = new List<Label>();
        var atNode = new List<int>[n];
        for (var j = 0; j < n; j++)
        {
            atNode[j] = [];
        }
        var best = new List<(double Cost, int Label, int Travel)>();
        var min = 0.0; // the empty route: the teacher stays at the base.
        var exact = fanOut <= 0;
        var overflow = false;
        var successors = new int[n + 1][];
        for (var i = -1; i < n; i++)
        {
            var from = i;
            successors[i + 1] = fanOut <= 0
                ? day.ByLatestEntry
                : [.. day.Nearest[i + 1].OrderBy(j => (from < 0 ? day.FromBase[j] : day.Between[from, j]) - values[j]).ThenBy(j => j)];
        }
        if (fanOut > 0)
        {
            work += n * TeacherDay.NearestCount * 4 * WorkPerExtension; // n sorts of the nearest stops
        }

        for (var i = -1; i < labels.Count; i++)
        {
            Label from;
            if (i < 0)
            {
                from = new Label { Node = -1, End = window.From, Parent = -1 };
            }
            else
            {
                from = labels[i];
                if (from.Dead)
                {
                    continue;
                }
            }
            if (from.Count >= maxStops)
            {
                continue;
            }
            var taken = 0;
            foreach (var j in successors[from.Node + 1])
            {
                if (fanOut > 0 && taken >= fanOut)
                {
                    break;
                }
                if (fanOut <= 0 && day.LatestEntry[j] < from.End)
                {
                    break; // This stop and every later one closes before the route could get there.
                }
                work += WorkPerExtension;
                var bit = TeacherDay.Bit(day.LocalStudent[j]);
                if ((from.Visited & bit) != UInt128.Zero)
                {
                    continue;
                }
                var leg = from.Node < 0 ? day.FromBase[j] : day.Between[from.Node, j];
                var duration = day.Stops[j].Student.Duration;
                var start = EarliestStart(day.Stops[j].Student.Windows[day.Day], from.End + leg, duration);
                if (start < 0)
                {
                    continue;
                }
                var end = start + duration;
                var away = from.Away + leg + duration;
                if (end + day.ToBase[j] > window.To || away + day.ToBase[j] > maxAway)
                {
                    continue;
                }
                taken++;
                var members = cuts is null ? 0UL : cuts.Members[j];
                var label = new Label
                {
                    Node = j,
                    End = end,
                    Away = away,
                    Travel = from.Travel + leg,
                    Count = from.Count + 1,
                    Cost = from.Cost + leg - values[j] + (cuts is null ? 0 : cuts.Sum(from.Cuts & members)),
                    Visited = (from.Visited & day.Neighbourhood[j]) | bit,
                    Cuts = from.Cuts ^ members,
                    Parent = i,
                };
                if ((long)label.Travel + day.MinToBase > maxTravel)
                {
                    continue; // Over the daily driving cap however it goes home.
                }
                // Home straight from here, if that keeps the cap (on a road network that breaks the triangle
                // inequality a detour through another stop may be shorter: the label goes on either way).
                var done = (long)label.Travel + day.ToBase[j] <= maxTravel ? label.Cost + day.ToBase[j] : double.PositiveInfinity;
                if (done < min)
                {
                    min = done;
                }
                var room = Math.Min(maxStops - label.Count, (window.To - end) / Math.Max(1, shortest));
                if (room <= 0 || label.Cost + mostGain[Open(day, end)][Math.Min(room, most)] + day.MinToBase >= -Epsilon)
                {
                    // No completion can get below zero: kept only as a route, never extended.
                    label.Dead = true;
                }
                else if (!Survives(labels, atNode[j], label, day.LoadNeverBinds, capped, cuts, ref work))
                {
                    continue; // A label that dominates it was kept, and its route counted, before.
                }
                if (labels.Count >= LabelCap)
                {
                    exact = false;
                    overflow = true;
                    break;
                }
                if (!label.Dead)
                {
                    atNode[j].Add(labels.Count);
                }
                labels.Add(label);
                if (done < below)
                {
                    Keep(best, (done, labels.Count - 1, label.Travel + day.ToBase[j]), keep);
                }
            }
            if (overflow)
            {
                break;
            }
        }
        var routes = best.Select(b => new PricedRoute(Path(labels, b.Label), b.Travel, b.Cost)).ToList();
        return new Pricing(min, exact, routes);
    }

    /// <summary>How many stops a route at <paramref name="time"/> can still go on to (a prefix of <see cref="TeacherDay.ByLatestEntry"/>).</summary>
    private static int Open(TeacherDay day, int time)
    {
        int lo = 0, hi = day.ByLatestEntry.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (day.LatestEntry[day.ByLatestEntry[mid]] >= time)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return lo;
    }

    /// <summary>The earliest start at or after <paramref name="arrive"/> that fits the whole session in one of the windows (sorted by start), or −1.</summary>
    public static int EarliestStart(Span[] windows, int arrive, int duration)
    {
        foreach (var w in windows)
        {
            var start = Math.Max(arrive, w.From);
            if (start + duration <= w.To)
            {
                return start;
            }
        }
        return -1;
    }

    private static bool Survives(List<Label> labels, List<int> here, Label label, bool ignoreCount, bool capped, CutPrices? cuts, ref long work)
    {
        for (var k = 0; k < here.Count; k++)
        {
            work++;
            if (Dominates(labels[here[k]], label, ignoreCount, capped, cuts))
            {
                return false;
            }
        }
        // The new label is kept: drop the ones it dominates.
        for (var k = here.Count - 1; k >= 0; k--)
        {
            var other = labels[here[k]];
            if (Dominates(label, other, ignoreCount, capped, cuts))
            {
                other.Dead = true;
                labels[here[k]] = other;
                here.RemoveAt(k);
            }
        }
        return true;
    }

    /// <summary>
    /// Whether every completion of <paramref name="b"/> is open to <paramref name="a"/> and no dearer. A cut
    /// whose parity is odd in a but even in b may charge a once more on the way: a must be cheaper by that penalty.
    /// Under a daily driving cap the travel so far is a resource too.
    /// </summary>
    private static bool Dominates(Label a, Label b, bool ignoreCount, bool capped, CutPrices? cuts) =>
        a.End <= b.End && a.Away <= b.Away && (ignoreCount || a.Count <= b.Count) && (!capped || a.Travel <= b.Travel)
        && (a.Visited & ~b.Visited) == UInt128.Zero
        && a.Cost + (cuts is null ? 0 : cuts.Sum(a.Cuts & ~b.Cuts)) <= b.Cost + Epsilon;

    private static void Keep(List<(double Cost, int Label, int Travel)> best, (double Cost, int Label, int Travel) route, int keep)
    {
        var at = best.FindIndex(b => b.Cost > route.Cost);
        if (at < 0)
        {
            at = best.Count;
        }
        if (at < keep)
        {
            best.Insert(at, route);
            if (best.Count > keep)
            {
                best.RemoveAt(keep);
            }
        }
    }

    private static int[] Path(List<Label> labels, int label)
    {
        var stops = new List<int>();
        for (var i = label; i >= 0; i = labels[i].Parent)
        {
            stops.Add(labels[i].Node);
        }
        stops.Reverse();
        return [.. stops];
    }
}
