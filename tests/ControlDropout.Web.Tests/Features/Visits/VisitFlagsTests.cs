using ControlDropout.Scheduling.Travel;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Visits;
using FluentAssertions;

namespace ControlDropout.Web.Tests.Features.Visits;

/// <summary>Visit flags read the clock and the roads as the scheduler does (issue 10 §2).</summary>
public sealed class VisitFlagsTests
{
    private static readonly Guid Teacher = Guid.NewGuid();

    private static Student Child(double lat, double lon) => new()
    {
        Id = StudentId.New(), CountyCode = "530902", SchoolOfRecordId = SchoolId.New(), Name = "周某某", Gender = "女", BirthDate = new DateOnly(2015, 2, 1),
        DisabilityCategory = DisabilityCategory.Physical, DisabilityGrade = 1, VillageCode = "530902101201", HomeLat = lat, HomeLon = lon,
    };

    private static VisitRecord Visit(Student child, TimeOnly start, TimeOnly end, DateTimeOffset recordedAt) => new()
    {
        CountyCode = "530902", SessionKey = $"{child.Id}:home:0:2026-W37", StudentId = child.Id, Version = 1, Date = new DateOnly(2026, 9, 8),
        Start = start, End = end, StaffPresent = [Teacher], Mode = SessionModes.Home, Content = "抓握练习", GoalsAddressed = ["抓握"],
        RecordedBy = "teacher", RecordedAt = recordedAt,
    };

    private static VisitFlags.Context Context(IEnumerable<Student> children, IReadOnlyList<VisitRecord> sameDay) =>
        new(children.ToDictionary(c => c.Id), new Dictionary<Guid, Staff>(), [], _ => 0, sameDay);

    [Fact]
    public void A_gap_the_scheduler_would_plan_is_not_impossible_travel()
    {
        // Two homes whose road time is a little over a whole number of minutes: the scheduler rounds it down and plans exactly that gap.
        var first = Child(23.80, 100.10);
        var (lat, lon) = (23.80, 100.10);
        Student second;
        double raw;
        var step = 0;
        do
        {
            step++;
            (lat, lon) = (23.80 + step * 0.0007, 100.10);
            second = Child(lat, lon);
            raw = TravelTimes.GreatCircleKm(first.HomeLat, first.HomeLon, lat, lon) * Conventions.DetourFactor / Conventions.SpeedKmh * 60;
        }
        while (raw - Math.Floor(raw) is < 0.1 or > 0.4 || raw < 3);
        var minutes = Conventions.TravelMinutes(first.HomeLat, first.HomeLon, lat, lon);
        minutes.Should().Be((int)Math.Floor(raw));

        var recorded = new DateTimeOffset(2026, 9, 8, 6, 0, 0, TimeSpan.Zero);
        var a = Visit(first, new TimeOnly(9, 0), new TimeOnly(10, 0), recorded);
        var b = Visit(second, new TimeOnly(10, 0).AddMinutes(minutes), new TimeOnly(11, 30), recorded);
        // Issue 12 §4: the county's tolerance (default 10 minutes) is allowed below the road; a minute more is not.
        var tolerance = CountyPolicy.DefaultTravelToleranceMinutes;
        var within = Visit(second, new TimeOnly(10, 0).AddMinutes(minutes - tolerance), new TimeOnly(11, 30), recorded);
        var c = Visit(second, new TimeOnly(10, 0).AddMinutes(minutes - tolerance - 1), new TimeOnly(11, 30), recorded);

        VisitFlags.For(b, Context([first, second], [a, b])).Should().NotContain(VisitFlags.ImpossibleTravel, $"the scheduler plans {minutes} minutes for this road");
        VisitFlags.For(within, Context([first, second], [a, within])).Should().NotContain(VisitFlags.ImpossibleTravel, "within the tolerance of the road");
        VisitFlags.For(c, Context([first, second], [a, c])).Should().Contain(VisitFlags.ImpossibleTravel, "a minute more than the tolerance below the road is not possible");
        VisitFlags.Findings(c, Context([first, second], [a, c])).Single(f => f.Code == VisitFlags.ImpossibleTravel).Detail
            .Should().Be(VisitFlags.Detail(minutes, minutes - tolerance - 1)).And.StartWith($"路程约 {minutes} 分钟，");
    }

    [Fact]
    public void Late_is_measured_from_the_end_of_the_visit_in_china_time()
    {
        var child = Child(23.8, 100.1);
        // Ended 10:00 in China (02:00 UTC) on 8 September; 48 hours later is 02:00 UTC on 10 September.
        var inTime = Visit(child, new TimeOnly(9, 0), new TimeOnly(10, 0), new DateTimeOffset(2026, 9, 10, 1, 59, 0, TimeSpan.Zero));
        var late = Visit(child, new TimeOnly(9, 0), new TimeOnly(10, 0), new DateTimeOffset(2026, 9, 10, 2, 1, 0, TimeSpan.Zero));
        VisitFlags.For(inTime, Context([child], [inTime])).Should().NotContain(VisitFlags.Late);
        VisitFlags.For(late, Context([child], [late])).Should().Contain(VisitFlags.Late);
    }
}
