using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Visits;
using ControlDropout.Web.Tests.Support;
using CsCheck;
using FluentAssertions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlDropout.Web.Tests.Features.Visits;

/// <summary>
/// One travel model for scheduling and for flags (issue 12 §4): a visit made as scheduled is never
/// flagged <c>impossible_travel</c>; a gap shorter than the scheduler's road minutes less the county's
/// tolerance always is, and the flag states both times. Cases are drawn by CsCheck from fixed seeds,
/// so that every run checks the same ones.
/// </summary>
public sealed class TravelFlagPropertyTests : IClassFixture<ServiceFactory>
{
    private const string DaysSeed = "0000000000012";
    private const string WeeksSeed = "0000000000013";
    private static readonly DateOnly Day = new(2026, 9, 8);

    private readonly ServiceFactory _factory;

    public TravelFlagPropertyTests(ServiceFactory factory) => _factory = factory;

    /// <summary>One visit of a teacher's day: a home near 临翔区 (or online, from the teacher's base), how long, and the slack after the road before it.</summary>
    private sealed record Stop(double Lat, double Lon, bool Online, int Minutes, int Slack);

    /// <summary>A day: its visits, the county's tolerance, which consecutive pair is then squeezed and by how much more than the tolerance.</summary>
    private sealed record DayCase(Stop[] Stops, int Tolerance, int Squeezed, int Shortfall);

    private static readonly Gen<Stop> StopGen = Gen.Select(Gen.Double[23.75, 23.95], Gen.Double[100.0, 100.2], Gen.Int[0, 4], Gen.Int[30, 90], Gen.Int[0, 20])
        .Select((lat, lon, online, minutes, slack) => new Stop(lat, lon, online == 0, minutes, slack));

    private static readonly Gen<DayCase> DayGen = Gen.Select(StopGen.Array[2, 5], Gen.Int[0, 20], Gen.Int[0, 3], Gen.Int[1, 30])
        .Select((stops, tolerance, squeezed, shortfall) => new DayCase(stops, tolerance, squeezed % (stops.Length - 1), shortfall));

    private static readonly Staff Teacher = new()
    {
        Id = StaffId.New(), CountyCode = "530902", Department = Department.Education, Name = "李老师", BaseName = "县特殊教育学校", BaseLat = 23.8868, BaseLon = 100.0925,
    };

    /// <summary>The day as the scheduler would plan it: each visit starts after the previous one's end plus the rounded road minutes (and some slack).</summary>
    private static (List<VisitRecord> Records, Dictionary<StudentId, Student> Children) AsScheduled(DayCase day)
    {
        var records = new List<VisitRecord>();
        var children = new Dictionary<StudentId, Student>();
        var at = new TimeOnly(6, 30);
        (double Lat, double Lon) previous = (Teacher.BaseLat, Teacher.BaseLon);
        foreach (var stop in day.Stops)
        {
            var child = new Student
            {
                Id = StudentId.New(), CountyCode = "530902", SchoolOfRecordId = SchoolId.New(), Name = "周某某", Gender = "女", BirthDate = new DateOnly(2015, 2, 1),
                DisabilityCategory = DisabilityCategory.Physical, DisabilityGrade = 1, VillageCode = "530902101201", HomeLat = stop.Lat, HomeLon = stop.Lon,
            };
            children[child.Id] = child;
            var place = stop.Online ? (Teacher.BaseLat, Teacher.BaseLon) : (stop.Lat, stop.Lon);
            var start = at.AddMinutes(records.Count == 0 ? 0 : Conventions.TravelMinutes(previous.Item1, previous.Item2, place.Item1, place.Item2) + stop.Slack);
            records.Add(Record(child, start, start.AddMinutes(stop.Minutes), stop.Online));
            (at, previous) = (start.AddMinutes(stop.Minutes), place);
        }
        return (records, children);
    }

    private static VisitRecord Record(Student child, TimeOnly start, TimeOnly end, bool online) => new()
    {
        CountyCode = "530902", SessionKey = $"{child.Id}:{(online ? SessionModes.Remote : SessionModes.Home)}:0:2026-W37", StudentId = child.Id, Version = 1, Date = Day,
        Start = start, End = end, StaffPresent = [Teacher.Id.Value], Mode = online ? SessionModes.Remote : SessionModes.Home, Place = online ? VisitPlace.Online : VisitPlace.Home,
        Content = "抓握练习", GoalsAddressed = ["抓握"], RecordedBy = "teacher", RecordedAt = new DateTimeOffset(2026, 9, 8, 12, 0, 0, TimeSpan.Zero),
    };

    private static VisitFlags.Context Context(Dictionary<StudentId, Student> children, IReadOnlyList<VisitRecord> sameDay, int tolerance) =>
        new(children, new Dictionary<Guid, Staff> { [Teacher.Id.Value] = Teacher }, [], _ => 0, sameDay, tolerance);

    private static int Road(VisitRecord a, VisitRecord b, Dictionary<StudentId, Student> children)
    {
        (double, double) Where(VisitRecord r) => r.Place == VisitPlace.Online ? (Teacher.BaseLat, Teacher.BaseLon) : (children[r.StudentId].HomeLat, children[r.StudentId].HomeLon);
        var (lat1, lon1) = Where(a);
        var (lat2, lon2) = Where(b);
        return Conventions.TravelMinutes(lat1, lon1, lat2, lon2);
    }

    [Fact]
    public void Days_made_as_scheduled_never_flag_and_a_gap_short_of_the_road_less_the_tolerance_always_does()
    {
        var days = Check.Single(DayGen.Array[400], _ => true, DaysSeed);
        var squeezedWithRoad = 0;
        foreach (var day in days)
        {
            var (records, children) = AsScheduled(day);
            foreach (var record in records)
            {
                VisitFlags.For(record, Context(children, records, day.Tolerance)).Should().NotContain(VisitFlags.ImpossibleTravel,
                    $"{record.Start}–{record.End} was scheduled with the scheduler's own road minutes (tolerance {day.Tolerance})");
            }
            // The same day with one gap squeezed below road − tolerance: the later visit moves earlier, keeping its length.
            var (first, second) = (records[day.Squeezed], records[day.Squeezed + 1]);
            var road = Road(first, second, children);
            // Never so far that it starts before the first one (then the two swap and the gap is measured the other way round).
            var gap = Math.Max(road - day.Tolerance - day.Shortfall, 1 - (int)(first.End.ToTimeSpan() - first.Start.ToTimeSpan()).TotalMinutes);
            var length = second.End.ToTimeSpan() - second.Start.ToTimeSpan();
            var start = first.End.AddMinutes(gap);
            var squeezed = Record(children[second.StudentId], start, start.Add(length), second.Place == VisitPlace.Online);
            var after = records.Select(r => r == second ? squeezed : r).ToList();
            VisitFlags.For(squeezed, Context(children, after, day.Tolerance)).Should().Contain(VisitFlags.ImpossibleTravel,
                $"a gap of {gap} minutes is shorter than the road's {road} less the tolerance {day.Tolerance}");
            VisitFlags.Findings(squeezed, Context(children, [first, squeezed], day.Tolerance)).Single(f => f.Code == VisitFlags.ImpossibleTravel).Detail
                .Should().Be(VisitFlags.Detail(road, gap)).And.StartWith($"路程约 {road} 分钟，");
            squeezedWithRoad += road > 0 ? 1 : 0;
        }
        squeezedWithRoad.Should().BeGreaterThan(200, "most squeezed pairs are between two places with a road");
    }

    [Fact]
    public void The_detail_states_the_road_and_the_gap()
    {
        VisitFlags.Detail(35, 20).Should().Be("路程约 35 分钟，两次记录间隔 20 分钟");
        VisitFlags.Detail(35, -15).Should().Be("路程约 35 分钟，两次记录时间重叠 15 分钟");
    }

    /// <summary>
    /// The real solver's timetable, published, and every session of randomly drawn weeks recorded exactly as
    /// scheduled (date, times, team) by the school's coordinator: no record is flagged impossible_travel, and
    /// each recorded session is delivered.
    /// </summary>
    [Fact]
    public async Task Records_made_exactly_as_the_solver_scheduled_never_flag_impossible_travel()
    {
        var county = await _factory.LincangAsync();
        await SchedulableCounty.AddAsync(county, children: 10, visitsPerWeek: 2);
        var approver = await county.As("approver");
        var timetable = await approver.RunAndPublishAsync(county.Term);
        var sessions = (await approver.GetFromJsonAsync<List<JsonElement>>($"/api/timetables/{timetable}/sessions"))!;
        var weeks = sessions.Select(s => s.GetProperty("week").GetString()!).Distinct().Order(StringComparer.Ordinal).ToList();
        weeks.Should().HaveCountGreaterThan(4);
        var drawn = Check.Single(Gen.Int[0, weeks.Count - 1].Array[3], _ => true, WeeksSeed).Select(i => weeks[i]).ToHashSet(StringComparer.Ordinal);
        var chosen = sessions.Where(s => drawn.Contains(s.GetProperty("week").GetString()!)).ToList();
        // The solver put several visits on one teacher's day: the pairs the flag checks are there.
        chosen.GroupBy(s => (s.GetProperty("date").GetString(), s.GetProperty("staffIds")[0].GetGuid())).Should().Contain(g => g.Count() > 1);

        var coordinator = await county.As("coordinator");
        foreach (var s in chosen)
        {
            var remote = s.GetProperty("mode").GetString() == SessionModes.Remote;
            var response = await coordinator.PostAsJsonAsync("/api/visits", new
            {
                sessionKey = s.GetProperty("sessionKey").GetString(), date = s.GetProperty("date").GetString(),
                start = s.GetProperty("start").GetString()![..5], end = s.GetProperty("end").GetString()![..5],
                staffPresent = s.GetProperty("staffIds").EnumerateArray().Select(x => x.GetGuid()).ToArray(), place = remote ? "Online" : "Home",
                content = "认识水果", goalsAddressed = new[] { "认识常见水果" }, guardianName = "周某",
            });
            response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        }

        var visits = (await approver.GetFromJsonAsync<List<JsonElement>>("/api/visits"))!;
        visits.Should().HaveCount(chosen.Count);
        visits.Where(v => v.GetProperty("flags").EnumerateArray().Any(f => f.GetString() == VisitFlags.ImpossibleTravel))
            .Select(v => $"{v.GetProperty("date")} {v.GetProperty("start")}: {v.GetProperty("flagDetails")}")
            .Should().BeEmpty("every record was made exactly as the solver scheduled it");
        using var scope = _factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var keys = chosen.Select(s => s.GetProperty("sessionKey").GetString()!).ToList();
        (await db.Sessions.Where(s => s.TimetableId == timetable && keys.Contains(s.SessionKey)).Select(s => s.Status).ToListAsync())
            .Should().HaveCount(chosen.Count).And.OnlyContain(s => s == SessionStatus.Delivered);
    }
}
