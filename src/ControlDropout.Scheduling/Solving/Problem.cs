using System.Collections.Immutable;
using ControlDropout.Scheduling.Scenarios;
using ControlDropout.Scheduling.Travel;

namespace ControlDropout.Scheduling.Solving;

/// <summary>A span of minutes after midnight, <c>From</c> before <c>To</c>.</summary>
internal readonly record struct Span(int From, int To)
{
    public int Length => To - From;
}

internal sealed record TeacherInfo(
    int Index,
    Teacher Source,
    int BasePlace,
    HashSet<string> Skills,
    Span?[] Windows,
    int MaxSessions,
    int MaxAway,
    int MaxTravel);

internal sealed record StudentInfo(
    int Index,
    Student Source,
    int Place,
    int Duration,
    Span[][] Windows,
    HashSet<int> Preferred,
    HashSet<int>? Allowed);

/// <summary>One required session: the k-th home visit or remote session of a student.</summary>
internal sealed record Demand(int Index, StudentInfo Student, SessionMode Mode, int Ordinal)
{
    public int Duration => Student.Duration;

    /// <summary>Where a team member spends the session: the home, or their own base when remote.</summary>
    public int PlaceFor(TeacherInfo teacher) => Mode == SessionMode.Home ? Student.Place : teacher.BasePlace;
}

/// <summary>
/// The scenario converted once into integer minutes and dense indices — the only place where
/// <see cref="TimeOnly"/> becomes a number — so that every rule below works on plain ints.
/// </summary>
internal sealed class Problem
{
    public const int DayCount = 7;

    public Scenario Scenario { get; }
    public TravelTimes Travel { get; }
    public ImmutableArray<TeacherInfo> Teachers { get; }
    public ImmutableArray<StudentInfo> Students { get; }
    public ImmutableArray<Demand> Demands { get; }
    public bool[] DayOpen { get; } = new bool[DayCount];
    public Dictionary<TeacherId, int> TeacherIndex { get; }
    public Dictionary<StudentId, int> StudentIndex { get; }

    /// <summary>Rule 9: every chosen start is a multiple of this many minutes after midnight (pins are exempt).</summary>
    public int StartStep { get; }

    /// <param name="scenario">The week.</param>
    /// <param name="options">The run's options when they override the scenario's own (the start grid is read from them).</param>
    public Problem(Scenario scenario, SolveOptions? options = null)
    {
        Scenario = scenario;
        StartStep = Math.Max(1, (options ?? scenario.Options).StartTimeStepMinutes);
        Travel = TravelTimes.For(scenario);
        foreach (var day in scenario.Days)
        {
            DayOpen[(int)day] = true;
        }
        Teachers = [.. scenario.Teachers.Select((t, i) =>
        {
            var windows = new Span?[DayCount];
            foreach (var w in t.Availability)
            {
                windows[(int)w.Day] = DayOpen[(int)w.Day] ? new Span(Minutes(w.From), Minutes(w.To)) : null;
            }
            return new TeacherInfo(i, t, Travel.IndexOf(t.BasePlaceId), t.Skills.ToHashSet(StringComparer.Ordinal), windows,
                t.MaxSessionsPerWeek, t.MaxAwayMinutesPerDay ?? int.MaxValue, t.MaxTravelMinutesPerDay ?? int.MaxValue);
        })];
        TeacherIndex = Teachers.ToDictionary(t => t.Source.Id, t => t.Index);
        Students = [.. scenario.Students.Select((s, i) =>
        {
            var windows = new Span[DayCount][];
            for (var d = 0; d < DayCount; d++)
            {
                windows[d] = DayOpen[d]
                    ? [.. s.Availability.Where(w => (int)w.Day == d).Select(w => new Span(Minutes(w.From), Minutes(w.To))).OrderBy(w => w.From)]
                    : [];
            }
            return new StudentInfo(i, s, Travel.IndexOf(s.PlaceId), s.SessionMinutes, windows,
                s.PreferredTeacherIds.IsDefault ? [] : s.PreferredTeacherIds.Select(id => TeacherIndex[id]).ToHashSet(),
                s.AllowedTeacherIds?.Select(id => TeacherIndex[id]).ToHashSet());
        })];
        StudentIndex = Students.ToDictionary(s => s.Source.Id, s => s.Index);
        var demands = ImmutableArray.CreateBuilder<Demand>();
        foreach (var s in Students)
        {
            for (var k = 0; k < s.Source.HomeVisitsPerWeek; k++)
            {
                demands.Add(new Demand(demands.Count, s, SessionMode.Home, k));
            }
            for (var k = 0; k < s.Source.RemoteSessionsPerWeek; k++)
            {
                demands.Add(new Demand(demands.Count, s, SessionMode.Remote, k));
            }
        }
        Demands = demands.ToImmutable();
    }

    public static int Minutes(TimeOnly time) => time.Hour * 60 + time.Minute;

    public static TimeOnly Time(int minutes) => new(minutes / 60, minutes % 60);

    public int Tr(int from, int to) => Travel.Minutes(from, to);

    /// <summary>The first start on the grid at or after <paramref name="minutes"/>.</summary>
    public int CeilToGrid(int minutes) => -FloorToGrid(-minutes);

    /// <summary>The last start on the grid at or before <paramref name="minutes"/> (ranges may run below zero before they are found empty).</summary>
    public int FloorToGrid(int minutes) => minutes - (((minutes % StartStep) + StartStep) % StartStep);

    public bool OnGrid(int minutes) => minutes % StartStep == 0;
}
