using ControlDropout.Scheduling.Scenarios;
using ControlDropout.Scheduling.Timetables;

namespace ControlDropout.Scheduling.Tests.Support;

/// <summary>
/// Rules 9 and 10 read straight off a timetable, for the tests of the start grid and the driving cap
/// (the independent checker re-derives them too once it knows them).
/// </summary>
internal static class Planning
{
    /// <summary>Sessions whose start is off the scenario's grid and that are not pinned as they are.</summary>
    public static IEnumerable<SessionPlacement> OffGrid(Scenario scenario, Timetable timetable)
    {
        var step = scenario.Options.StartTimeStepMinutes;
        return timetable.Sessions.Where(s => (s.Start.Hour * 60 + s.Start.Minute) % step != 0
            && !scenario.Pinned.Any(p => p.StudentId == s.StudentId && p.Mode == s.Mode && p.Day == s.Day && p.Start == s.Start));
    }

    /// <summary>Teacher-days whose route drives more than the teacher's daily cap.</summary>
    public static IEnumerable<TeacherRoute> OverCap(Scenario scenario, Timetable timetable) =>
        timetable.Routes.Where(r => scenario.Teachers.Single(t => t.Id == r.TeacherId).MaxTravelMinutesPerDay is { } cap && r.TravelMinutes > cap);

    /// <summary>
    /// A county-like small week on a straight road: <paramref name="students"/> homes spread over 0–70
    /// minutes from the origin, <paramref name="teachers"/> bases among them, windows starting off
    /// every grid (08:07, 13:13) so that rounding matters.
    /// </summary>
    public static Week RoadWeek(int teachers, int students, int seed)
    {
        var rng = new Random(seed);
        var week = new Week();
        for (var t = 1; t <= teachers; t++)
        {
            week.Place($"b{t}", rng.Next(70)).Teacher($"t{t}", $"b{t}", availability: Week.Every("07:43", "17:52"), max: 8);
        }
        for (var s = 1; s <= students; s++)
        {
            var morning = rng.Next(2) == 0;
            week.Place($"h{s}", rng.Next(70)).Student($"s{s}", $"h{s}", minutes: 60 + 15 * rng.Next(5),
                availability: morning ? Week.Every("08:07", "12:01") : Week.Every("13:13", "17:29"));
        }
        return week;
    }
}
