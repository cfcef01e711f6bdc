using ControlDropout.Scheduling.Scenarios;

namespace ControlDropout.Scheduling.Solving.Bounds;

/// <summary>
/// What a route may cover: one (student, mode) of which the timetable placed <see cref="Placed"/>
/// sessions. The sessions of one student and mode are interchangeable, so the bound counts them.
/// </summary>
internal sealed record StopKind(int Index, StudentInfo Student, SessionMode Mode, int Placed, Demand Example)
{
    public int TeamSize => Student.Source.TeamSize;

    /// <summary>The (student, mode) pairs of the sessions the timetable placed, in demand order.</summary>
    public static List<StopKind> Of(IEnumerable<Demand> placed)
    {
        var kinds = new List<StopKind>();
        foreach (var group in placed.OrderBy(q => q.Index).GroupBy(q => (q.Student.Index, q.Mode)))
        {
            var first = group.First();
            kinds.Add(new StopKind(kinds.Count, first.Student, first.Mode, group.Count(), first));
        }
        return kinds;
    }
}

/// <summary>
/// One teacher on one day with every stop they could make: each placed (student, mode) they may
/// serve (allowed, remote-capable for remote, reachable on that day on their own, and, for a
/// one-person session, holding every required skill). Travel between the stops is tabulated once.
/// </summary>
internal sealed class TeacherDay
{
    public int Index { get; }
    public TeacherInfo Teacher { get; }
    public int Day { get; }
    public Span Window { get; }
    public StopKind[] Stops { get; }

    /// <summary>Where each stop happens: the home, or the teacher's own base for a remote session.</summary>
    public int[] Places { get; }

    /// <summary>Each stop's student numbered within this teacher-day: a route visits a student at most once (distinct days).</summary>
    public int[] LocalStudent { get; }

    /// <summary>Students a route must remember having visited once it reaches each stop: the stop's own and its nearest (ng-route memory).</summary>
    public UInt128[] Neighbourhood { get; }

    /// <summary>The cheapest way into each stop, from the base or any other stop (a lower bound on every leg into it).</summary>
    public int[] CheapestIn { get; }

    /// <summary>Whether the weekly load can never stop a route of this day: a day holds fewer sessions than the load anyway.</summary>
    public bool LoadNeverBinds { get; }

    /// <summary>The latest time a route can be anywhere and still go on to each stop (its last window, the way home, the cheapest way in).</summary>
    public int[] LatestEntry { get; }

    /// <summary>From the base (first) and from each stop, the nearest stops: where the heuristic pricing looks.</summary>
    public int[][] Nearest { get; }

    /// <summary>How many nearest stops the heuristic pricing considers from each place.</summary>
    public const int NearestCount = 16;

    /// <summary>The stops, latest entry first: the stops still open at a time are a prefix.</summary>
    public int[] ByLatestEntry { get; }

    /// <summary>The cheapest way home from any stop: the last leg of every route that goes on.</summary>
    public int MinToBase { get; }

    public int[] FromBase { get; }
    public int[] ToBase { get; }
    public int[,] Between { get; }

    private TeacherDay(int index, Problem p, TeacherInfo teacher, int day, StopKind[] stops)
    {
        Index = index;
        Teacher = teacher;
        Day = day;
        Window = teacher.Windows[day]!.Value;
        Stops = stops;
        Places = [.. stops.Select(k => k.Example.PlaceFor(teacher))];
        var students = new Dictionary<int, int>();
        LocalStudent = [.. stops.Select(k => students.TryGetValue(k.Student.Index, out var local) ? local : students[k.Student.Index] = students.Count)];
        FromBase = [.. Places.Select(place => p.Tr(teacher.BasePlace, place))];
        ToBase = [.. Places.Select(place => p.Tr(place, teacher.BasePlace))];
        Between = new int[stops.Length, stops.Length];
        for (var i = 0; i < stops.Length; i++)
        {
            for (var j = 0; j < stops.Length; j++)
            {
                Between[i, j] = p.Tr(Places[i], Places[j]);
            }
        }
        CheapestIn = [.. Enumerable.Range(0, stops.Length).Select(j => Enumerable.Range(0, stops.Length)
            .Where(i => i != j).Select(i => Between[i, j]).Append(FromBase[j]).Min())];
        Neighbourhood = [.. Enumerable.Range(0, stops.Length).Select(j => Enumerable.Range(0, stops.Length)
            .OrderBy(i => Between[i, j] + Between[j, i]).ThenBy(i => i)
            .Select(i => LocalStudent[i]).Distinct().Take(NeighbourhoodSize)
            .Aggregate(Bit(LocalStudent[j]), (set, local) => set | Bit(local)))];
        // The latest a route may leave a previous stop for stop j and still teach it: its last window's
        // close (or the day's, less the trip home) less the session and the cheapest way in.
        LatestEntry = [.. Enumerable.Range(0, stops.Length).Select(j =>
        {
            var duration = stops[j].Student.Duration;
            var close = stops[j].Student.Windows[day].Select(w => w.To).DefaultIfEmpty(int.MinValue / 2).Max();
            return Math.Min(close, Window.To - ToBase[j]) - duration - CheapestIn[j];
        })];
        Nearest = [.. Enumerable.Range(-1, stops.Length + 1).Select(i => Enumerable.Range(0, stops.Length).Where(j => j != i)
            .OrderBy(j => i < 0 ? FromBase[j] : Between[i, j]).ThenBy(j => j).Take(NearestCount).ToArray())];
        ByLatestEntry = [.. Enumerable.Range(0, stops.Length).OrderByDescending(j => LatestEntry[j]).ThenBy(j => j)];
        MinToBase = ToBase.Min();
        var shortest = stops.Min(k => k.Student.Duration);
        LoadNeverBinds = teacher.MaxSessions >= Window.Length / Math.Max(1, shortest);
    }

    /// <summary>The memory bit of a student numbered within this teacher-day (none beyond <see cref="MemoryBits"/>).</summary>
    public static UInt128 Bit(int local) => local < MemoryBits ? UInt128.One << local : UInt128.Zero;

    /// <summary>Students a label can remember: one bit each; further students are never remembered (the routes only get more, so the bound stays valid).</summary>
    public const int MemoryBits = 128;

    /// <summary>
    /// How many nearest students each stop's ng-memory keeps. Routes that revisit a student are
    /// allowed unless one of the stops in between is that student's near neighbour: a superset of the
    /// elementary routes (the bound stays valid) whose labels dominate each other far more often.
    /// </summary>
    public const int NeighbourhoodSize = 10;

    /// <summary>Every teacher-day with at least one possible stop, teachers then days in order.</summary>
    public static List<TeacherDay> All(Problem p, IReadOnlyList<StopKind> kinds)
    {
        var days = new List<TeacherDay>();
        foreach (var t in p.Teachers)
        {
            for (var day = 0; day < Problem.DayCount; day++)
            {
                if (!p.DayOpen[day] || t.Windows[day] is null)
                {
                    continue;
                }
                var stops = kinds.Where(k => MayServe(p, t, k, day)).ToArray();
                if (stops.Length > 0)
                {
                    days.Add(new TeacherDay(days.Count, p, t, day, stops));
                }
            }
        }
        return days;
    }

    /// <remarks>
    /// The daily driving cap is left to pricing, which holds it on the whole route: on a road network
    /// that breaks the triangle inequality a stop whose straight round trip is over the cap may still
    /// be reached within it through another stop.
    /// </remarks>
    private static bool MayServe(Problem p, TeacherInfo t, StopKind k, int day) =>
        Reach.CanReach(p, t with { MaxTravel = int.MaxValue }, k.Example, day)
        && (k.TeamSize > 1 || k.Student.Source.RequiredSkills.All(t.Skills.Contains));
}
