using System.Collections.Immutable;
using ControlDropout.Scheduling.Scenarios;

namespace ControlDropout.Scheduling.Tests.Support;

/// <summary>
/// Builds small scenarios where each test states only what matters. Places sit on a straight road:
/// <c>Place("h1", 30)</c> is 30 minutes from the origin, so travel between places is the difference.
/// </summary>
internal sealed class Week
{
    private readonly List<(string Id, int At)> _places = [];
    private readonly List<Teacher> _teachers = [];
    private readonly List<Student> _students = [];
    private readonly List<SessionPlacement> _pinned = [];
    private readonly List<SessionPlacement> _baseline = [];
    private ImmutableArray<Weekday> _days = [Weekday.Mon, Weekday.Tue, Weekday.Wed, Weekday.Thu, Weekday.Fri];
    private Func<int, int, int>? _distance;
    private SolveOptions _options = new(1, 1, 1);

    public static TimeOnly T(string hhmm) => TimeOnly.ParseExact(hhmm, "HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    public static Window W(Weekday day, string from, string to) => new(day, T(from), T(to));

    public static ImmutableArray<Window> Every(string from = "08:00", string to = "18:00", params Weekday[] days) =>
        [.. (days.Length == 0 ? [Weekday.Mon, Weekday.Tue, Weekday.Wed, Weekday.Thu, Weekday.Fri] : days).Select(d => W(d, from, to))];

    public Week Place(string id, int minutesFromOrigin)
    {
        _places.Add((id, minutesFromOrigin));
        return this;
    }

    public Week Days(params Weekday[] days)
    {
        _days = [.. days];
        return this;
    }

    /// <summary>Overrides the road: minutes between two places by their positions.</summary>
    public Week Distance(Func<int, int, int> distance)
    {
        _distance = distance;
        return this;
    }

    public Week Teacher(string id, string basePlace, string[]? skills = null, bool remote = true,
        ImmutableArray<Window>? availability = null, int max = 10, int? maxAway = null, int? maxTravel = null)
    {
        EnsurePlace(basePlace);
        _teachers.Add(new Teacher(new TeacherId(id), id + "老师", new PlaceId(basePlace), [.. skills ?? ["special-education"]], remote,
            availability ?? Every(), max, maxAway, maxTravel));
        return this;
    }

    /// <summary>The scenario's start grid (rule 9) and change penalty; the solve's limit and seed stay the test's.</summary>
    public Week Planning(int startStep = 1, int changePenalty = 0)
    {
        _options = _options with { StartTimeStepMinutes = startStep, ChangePenaltyMinutes = changePenalty };
        return this;
    }

    public Week Student(string id, string place, int home = 1, int remote = 0, int minutes = 60, int team = 1,
        string[]? skills = null, ImmutableArray<Window>? availability = null, string[]? preferred = null, string[]? allowed = null)
    {
        EnsurePlace(place);
        _students.Add(new Student(new StudentId(id), id + "某某", new PlaceId(place), home, remote, minutes, team,
            [.. skills ?? ["special-education"]], availability ?? Every(), [.. (preferred ?? []).Select(p => new TeacherId(p))],
            allowed is null ? null : [.. allowed.Select(a => new TeacherId(a))]));
        return this;
    }

    public Week Pin(string student, SessionMode mode, Weekday day, string start, string end, params string[] teachers)
    {
        _pinned.Add(new SessionPlacement(new StudentId(student), mode, day, T(start), T(end), [.. teachers.Select(t => new TeacherId(t))]));
        return this;
    }

    public Week Baseline(string student, SessionMode mode, Weekday day, string start, string end, params string[] teachers)
    {
        _baseline.Add(new SessionPlacement(new StudentId(student), mode, day, T(start), T(end), [.. teachers.Select(t => new TeacherId(t))]));
        return this;
    }

    private void EnsurePlace(string id)
    {
        if (_places.All(p => p.Id != id))
        {
            _places.Add((id, 0));
        }
    }

    public Scenario Build()
    {
        var ids = _places.Select(p => new PlaceId(p.Id)).ToImmutableArray();
        var distance = _distance ?? ((a, b) => Math.Abs(a - b));
        var minutes = _places.Select(a => _places.Select(b => a.Id == b.Id ? 0 : distance(a.At, b.At)).ToImmutableArray()).ToImmutableArray();
        var scenario = new Scenario("test week", "Asia/Shanghai", _days, new MatrixTravel(ids, minutes),
            [.. _places.Select(p => new Place(new PlaceId(p.Id), p.Id, 23.0, 100.0))],
            [.. _teachers], [.. _students], [.. _pinned], [.. _baseline], _options);
        var check = ScenarioReader.Validate(scenario);
        if (!check.IsValid)
        {
            throw new InvalidOperationException("test scenario is invalid: " + string.Join("; ", check.Errors));
        }
        return scenario;
    }
}
