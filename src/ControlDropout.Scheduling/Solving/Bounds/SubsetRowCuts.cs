using System.Numerics;

namespace ControlDropout.Scheduling.Solving.Bounds;

/// <summary>
/// A subset-row cut on three stop kinds (Jepsen et al. 2008): Σ_r ⌊½·|r ∩ S|⌋·x_r ≤ 1, where |r ∩ S|
/// counts the visits route r makes to the kinds of S. Only kinds visited exactly once in every
/// timetable bounded take part (<see cref="Eligible"/>): a one-person session of which one was placed.
/// In such a timetable the three kinds get three visits in all, each from one route, so the routes
/// holding two or three of them take at most ⌊3/2⌋ = 1 unit: the cut holds for every real week and
/// may be added to the LP. Fractional LP points that pick several routes each through two of the
/// three violate it.
/// </summary>
internal sealed record SubsetRowCut(int A, int B, int C)
{
    /// <summary>Kinds a cut may hold: one-person, placed once (visited exactly once by one route).</summary>
    public static bool Eligible(StopKind kind) => kind.TeamSize == 1 && kind.Placed == 1;

    public bool Holds(int kind) => kind == A || kind == B || kind == C;

    /// <summary>The cut's coefficient for a route visiting these kinds (a kind visited twice counts twice).</summary>
    public int Coefficient(IEnumerable<int> kinds) => kinds.Count(Holds) / 2;

    /// <summary>
    /// The most violated cuts at an LP point: every triple with two of its kinds in some route of
    /// positive value, scored by Σ ⌊½·|r ∩ S|⌋·x_r. Ordered by violation, then by the triple, so the
    /// choice repeats.
    /// </summary>
    /// <param name="routes">The routes of positive value, as the kinds they visit, with their values.</param>
    /// <param name="eligible">Which kinds may take part.</param>
    /// <param name="existing">Cuts already in the LP (not returned again).</param>
    /// <param name="max">How many to return at most.</param>
    /// <param name="work">Counts the triples scored.</param>
    public static List<SubsetRowCut> Separate(IEnumerable<(int[] Kinds, double Value)> routes, bool[] eligible, IReadOnlySet<SubsetRowCut> existing, int max, ref long work)
    {
        var lhs = new Dictionary<SubsetRowCut, double>();
        var inRoute = new HashSet<SubsetRowCut>();
        var kindsInAny = new SortedSet<int>();
        var list = routes.Select(r => (Kinds: r.Kinds.Where(k => eligible[k]).ToArray(), r.Value)).Where(r => r.Kinds.Length >= 2).ToList();
        foreach (var (kinds, _) in list)
        {
            kindsInAny.UnionWith(kinds);
        }
        foreach (var (kinds, value) in list)
        {
            inRoute.Clear();
            var distinct = kinds.Distinct().Order().ToArray();
            for (var i = 0; i < distinct.Length; i++)
            {
                for (var j = i + 1; j < distinct.Length; j++)
                {
                    // A third kind of the route's own or any other: the route holds two of the three at least.
                    foreach (var k in kindsInAny)
                    {
                        work++;
                        if (k == distinct[i] || k == distinct[j])
                        {
                            continue;
                        }
                        inRoute.Add(Sorted(distinct[i], distinct[j], k));
                    }
                }
            }
            foreach (var cut in inRoute)
            {
                lhs[cut] = lhs.GetValueOrDefault(cut) + cut.Coefficient(kinds) * value;
            }
        }
        return [.. lhs.Where(x => x.Value > 1 + MinViolation && !existing.Contains(x.Key))
            .OrderByDescending(x => x.Value).ThenBy(x => x.Key.A).ThenBy(x => x.Key.B).ThenBy(x => x.Key.C)
            .Take(max).Select(x => x.Key)];
    }

    /// <summary>Violation below which a cut is not worth a row.</summary>
    private const double MinViolation = 0.02;

    private static SubsetRowCut Sorted(int a, int b, int c)
    {
        Span<int> k = [a, b, c];
        k.Sort();
        return new SubsetRowCut(k[0], k[1], k[2]);
    }
}

/// <summary>
/// The cuts a teacher-day's labelling charges: each has a penalty (minus its dual, ≥ 0) paid by a
/// route once per second visit to its kinds; <see cref="Members"/>[j] has bit c when stop j's kind is
/// in local cut c. A label carries the parity of its visits per cut (one bit each).
/// </summary>
internal sealed record CutPrices(double[] Penalty, ulong[] Members)
{
    /// <summary>Cuts one teacher-day's labels can carry; further cuts are not charged (the price is then only lower, so the bound stays valid).</summary>
    public const int MaxLocal = 64;

    /// <summary>The cuts with a positive penalty and two kinds among the day's stops, largest penalty first, or null when none.</summary>
    public static CutPrices? For(TeacherDay day, IReadOnlyList<SubsetRowCut> cuts, IReadOnlyList<double> penalties)
    {
        var local = Enumerable.Range(0, cuts.Count)
            .Where(c => penalties[c] > 1e-9 && day.Stops.Count(k => cuts[c].Holds(k.Index)) >= 2)
            .OrderByDescending(c => penalties[c]).ThenBy(c => c)
            .Take(MaxLocal).ToArray();
        if (local.Length == 0)
        {
            return null;
        }
        var members = day.Stops.Select(k =>
        {
            ulong bits = 0;
            for (var c = 0; c < local.Length; c++)
            {
                if (cuts[local[c]].Holds(k.Index))
                {
                    bits |= 1UL << c;
                }
            }
            return bits;
        }).ToArray();
        return new CutPrices([.. local.Select(c => penalties[c])], members);
    }

    /// <summary>What the cuts in <paramref name="bits"/> cost together.</summary>
    public double Sum(ulong bits)
    {
        var sum = 0.0;
        while (bits != 0)
        {
            sum += Penalty[BitOperations.TrailingZeroCount(bits)];
            bits &= bits - 1;
        }
        return sum;
    }
}
