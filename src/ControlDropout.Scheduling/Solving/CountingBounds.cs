using ControlDropout.Scheduling.Scenarios;
using ControlDropout.Scheduling.Timetables;

namespace ControlDropout.Scheduling.Solving;

/// <summary>
/// A group of sessions that the teachers who could serve them cannot all take in a week: what is
/// short (a skill, an area within reach, some days, team members) and by how many sessions.
/// </summary>
/// <param name="Kind">One of <see cref="CountingBounds.Skill"/>, <see cref="CountingBounds.Area"/>, <see cref="CountingBounds.Day"/>, <see cref="CountingBounds.Team"/>.</param>
/// <param name="Name">What is short, for people: the skill, the homes, the days.</param>
/// <param name="Demands">The sessions of the group (never one that is impossible on its own).</param>
/// <param name="Children">Ids of the children whose sessions they are, in order.</param>
/// <param name="Teachers">Ids of every teacher who could serve one of them, in order.</param>
/// <param name="Needed">How many of them could be placed if teachers were unlimited (one a day per child).</param>
/// <param name="MostPlaceable">How many of them any timetable places at most.</param>
/// <param name="WeekBound">How many sessions of the whole week any timetable places at most, by this group.</param>
internal sealed record ShortageGroup(string Kind, string Name, IReadOnlySet<int> Demands, IReadOnlyList<string> Children, IReadOnlyList<string> Teachers, int Needed, int MostPlaceable, int WeekBound)
{
    public int Short => Needed - MostPlaceable;

    /// <summary>What the timetable reports: the resource and how many sessions a week it lacks.</summary>
    public Shortage Shortage => new(Kind, Name, Short);

    /// <summary>"special-education teachers who can reach these children take at most 393 of the 425 sessions a week".</summary>
    public string Describe()
    {
        var who = Kind switch
        {
            CountingBounds.Skill => $"the '{Name}' teachers who can reach these children",
            CountingBounds.Area => $"the only teachers who can reach {Name}",
            CountingBounds.Day => $"the teachers free on {Name}, the only days these children can be taught,",
            _ => "the teachers who can reach these children, counted as team members,",
        };
        var s = Short == 1 ? "" : "s";
        var what = Kind switch
        {
            CountingBounds.Skill => $"{Name} session{s}",
            CountingBounds.Area => $"session{s} in that area",
            CountingBounds.Day => $"session{s} on {Name}",
            _ => $"two-person-team session{s}",
        };
        return $"{who} can take at most {MostPlaceable} of the {Needed} sessions a week: short by {Short} {what} a week";
    }
}

/// <summary>
/// Hall-type counting bounds, computed before the search in milliseconds: for a group of sessions,
/// the team-member slots they need against what the teachers who could serve them can take in a
/// week. Each count is a relaxation of the real rules — a teacher's capacity is counted as if the
/// group had the teacher to itself, travel between stops, starts shared by a team, the start grid
/// and the driving cap are ignored, and each day holds at most its window (or away limit) divided
/// by the shortest session — so a shortfall found here is a shortfall of every timetable.
/// </summary>
internal sealed class CountingBounds
{
    public const string Skill = ShortageKinds.Skill;
    public const string Area = ShortageKinds.Area;
    public const string Day = ShortageKinds.Day;
    public const string Team = ShortageKinds.Team;

    /// <summary>An area is a set of children reached by at most this many teachers ("a far township only 2 teachers reach").</summary>
    public const int AreaMaxTeachers = 8;

    private const int NamedPlaces = 3;

    private readonly Problem _p;
    private readonly SearchContext _ctx;

    /// <summary>For each demand and teacher, the days on which the teacher could serve in its team (bit per day); 0 for impossible demands.</summary>
    private readonly byte[][] _reach;
    private readonly int[] _possible;
    private readonly int[] _days;

    /// <summary>Per teacher, the cheapest drive from base to any home and from any home back.</summary>
    private readonly (int Out, int In)[] _cheapestDrive;

    /// <summary>Groups with a shortfall, largest first.</summary>
    public IReadOnlyList<ShortageGroup> Groups { get; }

    /// <summary>At most this many sessions of the week are placed by any timetable.</summary>
    public int MaxPlaceable { get; }

    private CountingBounds(SearchContext ctx)
    {
        _ctx = ctx;
        _p = ctx.Problem;
        _reach = [.. _p.Demands.Select(Reachability)];
        var homes = _p.Students.Where(s => s.Source.HomeVisitsPerWeek > 0).Select(s => s.Place).Distinct().ToList();
        _cheapestDrive = [.. _p.Teachers.Select(t => homes.Count == 0 ? (0, 0)
            : (homes.Min(h => _p.Tr(t.BasePlace, h)), homes.Min(h => _p.Tr(h, t.BasePlace))))];
        _possible = new int[_p.Students.Length];
        var dayMask = new int[_p.Students.Length];
        foreach (var q in _p.Demands.Where(IsPossible))
        {
            _possible[q.Student.Index]++;
            dayMask[q.Student.Index] |= Mask(_ctx.KindOf[q.Index].FeasibleDays);
        }
        _days = [.. dayMask.Select(m => System.Numerics.BitOperations.PopCount((uint)m))];
        var groups = SkillGroups().Concat(TeamGroups()).Concat(AreaGroups()).Concat(DayGroups()).OfType<ShortageGroup>().ToList();
        Groups = [.. groups.OrderByDescending(g => g.Short).ThenBy(g => KindOrder(g.Kind)).ThenBy(g => g.Name, StringComparer.Ordinal)];
        MaxPlaceable = groups.Select(g => g.WeekBound).Append(Enumerable.Range(0, _p.Students.Length).Sum(Effective)).Min();
    }

    public static CountingBounds For(SearchContext ctx) => new(ctx);

    private bool IsPossible(Demand q) => _ctx.KindOf[q.Index].Impossible is null;

    /// <summary>A child places at most one session a day: no more than the days on which one could be taught.</summary>
    private int Effective(int student) => Math.Min(_possible[student], _days[student]);

    private static int Mask(IEnumerable<int> days) => days.Aggregate(0, (m, d) => m | (1 << d));

    private static int KindOrder(string kind) => kind switch { Skill => 0, Team => 1, Area => 2, _ => 3 };

    private byte[] Reachability(Demand q)
    {
        var result = new byte[_p.Teachers.Length];
        var kind = _ctx.KindOf[q.Index];
        if (kind.Impossible is not null)
        {
            return result;
        }
        var required = q.Student.Source.RequiredSkills;
        foreach (var t in _p.Teachers)
        {
            // Alone, a teacher must cover every skill; in a team, any member may lack some.
            if (q.Student.Source.TeamSize == 1 && !required.All(t.Skills.Contains))
            {
                continue;
            }
            foreach (var d in kind.FeasibleDays)
            {
                if (Reach.CanReach(_p, t, q, d))
                {
                    result[t.Index] |= (byte)(1 << d);
                }
            }
        }
        return result;
    }

    /// <summary>Each session needing a skill needs at least one member with it.</summary>
    private IEnumerable<ShortageGroup?> SkillGroups()
    {
        var skills = _p.Demands.Where(IsPossible).SelectMany(q => q.Student.Source.RequiredSkills).Distinct().Order(StringComparer.Ordinal);
        foreach (var skill in skills)
        {
            var group = _p.Demands.Where(q => IsPossible(q) && q.Student.Source.RequiredSkills.Contains(skill)).Select(q => q.Index).ToList();
            yield return Evaluate(Skill, skill, group, t => t.Skills.Contains(skill), 0x7F, _ => 1);
        }
    }

    /// <summary>Two-person sessions need two member slots each.</summary>
    private IEnumerable<ShortageGroup?> TeamGroups()
    {
        var group = _p.Demands.Where(q => IsPossible(q) && q.Student.Source.TeamSize > 1).Select(q => q.Index).ToList();
        if (group.Count > 0)
        {
            yield return Evaluate(Team, "two-person teams", group, _ => true, 0x7F, q => q.Student.Source.TeamSize);
        }
    }

    /// <summary>
    /// Homes reached by the same few teachers: every session whose possible teachers all lie in that
    /// set competes for those teachers alone.
    /// </summary>
    private IEnumerable<ShortageGroup?> AreaGroups()
    {
        var possible = _p.Demands.Where(IsPossible).ToList();
        var sets = possible.ToDictionary(q => q.Index, q => Enumerable.Range(0, _p.Teachers.Length).Where(t => _reach[q.Index][t] != 0).ToHashSet());
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var q in possible.Where(q => q.Mode == SessionMode.Home))
        {
            var area = sets[q.Index];
            if (area.Count == 0 || area.Count > AreaMaxTeachers || area.Count == _p.Teachers.Length || !seen.Add(string.Join(',', area.Order())))
            {
                continue;
            }
            var group = possible.Where(o => sets[o.Index].IsSubsetOf(area)).Select(o => o.Index).ToList();
            var places = group.Select(i => _p.Demands[i]).Where(o => o.Mode == SessionMode.Home)
                .Select(o => _p.Scenario.Places.First(pl => pl.Id == o.Student.Source.PlaceId).Name).Distinct().Order(StringComparer.Ordinal).ToList();
            var name = string.Join(", ", places.Take(NamedPlaces)) + (places.Count > NamedPlaces ? $" and {places.Count - NamedPlaces} more" : "");
            yield return Evaluate(Area, name, group, t => area.Contains(t.Index), 0x7F, o => o.Student.Source.TeamSize);
        }
    }

    /// <summary>Children who can be taught only on some days compete for the teachers free on those days.</summary>
    private IEnumerable<ShortageGroup?> DayGroups()
    {
        var possible = _p.Demands.Where(IsPossible).ToList();
        foreach (var days in possible.Select(q => Mask(_ctx.KindOf[q.Index].FeasibleDays)).Distinct().Order())
        {
            var group = possible.Where(q => (Mask(_ctx.KindOf[q.Index].FeasibleDays) & ~days) == 0).Select(q => q.Index).ToList();
            var name = string.Join(", ", Enumerable.Range(0, Problem.DayCount).Where(d => (days & (1 << d)) != 0).Select(d => ((Weekday)d).ToString()));
            yield return Evaluate(Day, name, group, _ => true, days, q => q.Student.Source.TeamSize);
        }
    }

    /// <summary>
    /// The sessions of the group placeable at most: member slots needed (weight each) against the
    /// slots the eligible teachers offer on the allowed days; null when nothing is short.
    /// </summary>
    private ShortageGroup? Evaluate(string kind, string name, List<int> group, Func<TeacherInfo, bool> eligible, int dayMask, Func<Demand, int> slots)
    {
        if (group.Count == 0)
        {
            return null;
        }
        var members = group.ToHashSet();
        var capacity = 0L;
        var teachers = new List<string>();
        foreach (var t in _p.Teachers.Where(eligible))
        {
            var load = 0;
            for (var d = 0; d < Problem.DayCount; d++)
            {
                if ((dayMask & (1 << d)) != 0)
                {
                    load += DayCapacity(t, d, group);
                }
            }
            if (load > 0)
            {
                teachers.Add(t.Source.Id.Value);
                capacity += Math.Min(load, t.MaxSessions);
            }
        }
        // Per child: sessions of the group, at most one a day on the days the group's sessions allow.
        var weights = new List<int>();
        var needed = 0;
        var rest = 0;
        foreach (var bychild in _p.Demands.Where(IsPossible).GroupBy(q => q.Student.Index))
        {
            var inGroup = bychild.Where(q => members.Contains(q.Index)).ToList();
            var days = System.Numerics.BitOperations.PopCount((uint)Mask(inGroup.SelectMany(q => _ctx.KindOf[q.Index].FeasibleDays)));
            var count = Math.Min(inGroup.Count, days);
            needed += count;
            weights.AddRange(inGroup.Take(count).Select(slots));
            rest += Math.Min(bychild.Count() - inGroup.Count, Effective(bychild.Key));
        }
        // The most sessions whose slots fit: cheapest first.
        weights.Sort();
        var placeable = 0;
        var used = 0L;
        foreach (var w in weights)
        {
            if (used + w > capacity)
            {
                break;
            }
            used += w;
            placeable++;
        }
        return placeable >= needed ? null : new ShortageGroup(kind, name, members,
            [.. group.Select(i => _p.Demands[i].Student.Source.Id.Value).Distinct().Order(StringComparer.Ordinal)], [.. teachers.Order(StringComparer.Ordinal)], needed, placeable, placeable + rest);
    }

    /// <summary>
    /// How many of the group's sessions the teacher could take that day: at most one per child who
    /// could be served then, and no more than fit end to end in the window (or the away limit) after
    /// the cheapest drive out and back, when every candidate is a home visit.
    /// </summary>
    private int DayCapacity(TeacherInfo t, int day, List<int> group)
    {
        if (t.Windows[day] is not { } window)
        {
            return 0;
        }
        var children = new HashSet<int>();
        var shortest = int.MaxValue;
        var anyRemote = false;
        foreach (var i in group)
        {
            if ((_reach[i][t.Index] & (1 << day)) == 0)
            {
                continue;
            }
            var q = _p.Demands[i];
            children.Add(q.Student.Index);
            shortest = Math.Min(shortest, q.Duration);
            anyRemote |= q.Mode == SessionMode.Remote;
        }
        if (children.Count == 0)
        {
            return 0;
        }
        // A day with a home visit drives out to some home and back from some home; without the
        // triangle inequality the first stop may be any home, so the cheapest over all of them.
        var drive = anyRemote ? 0 : _cheapestDrive[t.Index].Out + _cheapestDrive[t.Index].In;
        var minutes = Math.Min(window.Length, t.MaxAway) - drive;
        return Math.Min(children.Count, Math.Max(0, minutes / shortest));
    }
}
