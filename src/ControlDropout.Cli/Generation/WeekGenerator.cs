using System.Collections.Immutable;
using ControlDropout.Scheduling.Scenarios;

namespace ControlDropout.Cli.Generation;

/// <summary>What to generate.</summary>
/// <param name="Simple">Single teachers, one home visit a week, no remote sessions.</param>
internal sealed record GenerateRequest(IReadOnlyList<string> CountyCodes, int Students, int Teachers, int Seed, bool Simple = false, double TimeLimitSeconds = 10);

/// <summary>
/// Realistic synthetic 临沧 weeks: real township and county points, synthetic children and homes
/// scattered 1–12 km from a village or township point, bases at the county special school and the
/// township central schools, a mix of skills, two-person teams, remote sessions, twice-a-week
/// children and part-time township staff. Same request, same scenario, byte for byte.
/// </summary>
internal static class WeekGenerator
{
    public const double DetourFactor = 1.6;
    public const double SpeedKmh = 30;
    private const double MinHomeKm = 1;
    private const double MaxHomeKm = 12;

    private static readonly string[] Surnames = ["李", "王", "张", "杨", "赵", "陈", "刘", "罗", "段", "字", "鲁", "俸", "岩", "李", "周", "田", "杨", "尹", "魏", "谢"];
    private static readonly Weekday[] Weekdays = [Weekday.Mon, Weekday.Tue, Weekday.Wed, Weekday.Thu, Weekday.Fri];

    public const string SpecialEducation = "special-education";
    public const string Rehabilitation = "rehabilitation";
    public const string SpeechTherapy = "speech-therapy";
    public const string Medical = "medical";

    public static Scenario Generate(GenerateRequest request, IReadOnlyList<Division> divisions)
    {
        var rng = new Random(request.Seed);
        var counties = new List<Division>();
        foreach (var code in request.CountyCodes)
        {
            var full = code.Length == 6 ? code + "000000" : code;
            var county = divisions.FirstOrDefault(d => d.Level == "county" && d.Code == full)
                ?? throw new ArgumentException($"--county: '{code}' is not a county of 临沧市 (5309xx)");
            counties.Add(county);
        }
        var towns = divisions.Where(d => d.Level == "town" && d.Lat is not null && counties.Any(c => c.Code == d.ParentCode))
            .OrderBy(d => d.Code, StringComparer.Ordinal).ToList();
        if (towns.Count == 0)
        {
            throw new ArgumentException("--county: no township of these counties has coordinates");
        }
        var villages = divisions.Where(d => d.Level == "village").ToLookup(d => d.ParentCode);

        var places = ImmutableArray.CreateBuilder<Place>();
        var schools = new List<(Place Place, Division County)>();
        foreach (var c in counties)
        {
            var shortName = c.Name.Length > 6 ? c.Name[..2] + (c.Name.Contains("自治县", StringComparison.Ordinal) ? "县" : "") : c.Name;
            var p = new Place(new PlaceId($"p-sch-{c.Code[..6]}"), $"{shortName}特殊教育学校", Round(c.Lat!.Value), Round(c.Lon!.Value));
            places.Add(p);
            schools.Add((p, c));
        }
        var townSchools = towns.Select(t => new Place(new PlaceId($"p-ts-{t.Code[..9]}"), $"{t.Name.Replace("办事处", "", StringComparison.Ordinal)}中心学校", Round(t.Lat!.Value), Round(t.Lon!.Value))).ToList();
        places.AddRange(townSchools);

        // Teachers: a third at the county special school, the rest township staff, some of them health workers.
        var teachers = ImmutableArray.CreateBuilder<Teacher>();
        for (var i = 0; i < request.Teachers; i++)
        {
            var id = new TeacherId($"t{i + 1}");
            var teacherName = $"{Surnames[rng.Next(Surnames.Length)]}老师";
            var atCountySchool = i % 3 == 0;
            Place basePlace;
            ImmutableArray<string> skills;
            ImmutableArray<Window> availability;
            int maxSessions;
            if (atCountySchool)
            {
                basePlace = schools[i / 3 % schools.Count].Place;
                skills = request.Simple ? [SpecialEducation] : rng.Next(3) switch
                {
                    0 => [SpecialEducation, Rehabilitation],
                    1 => [SpecialEducation, SpeechTherapy],
                    _ => [SpecialEducation],
                };
                availability = [.. Weekdays.Select(d => new Window(d, new TimeOnly(8, 0), new TimeOnly(18, 0)))];
                maxSessions = 10;
            }
            else
            {
                basePlace = townSchools[rng.Next(townSchools.Count)];
                var roll = rng.Next(10);
                skills = request.Simple ? [SpecialEducation] : roll switch
                {
                    < 6 => [SpecialEducation],
                    < 8 => [Rehabilitation],
                    9 => [Medical],
                    _ => [SpeechTherapy],
                };
                var dayCount = 2 + rng.Next(3);
                var days = Weekdays.OrderBy(_ => rng.Next()).Take(dayCount).Order();
                availability = [.. days.Select(d => new Window(d, new TimeOnly(8, 0), rng.Next(4) == 0 ? new TimeOnly(17, 0) : new TimeOnly(18, 30)))];
                maxSessions = dayCount * 2 + 1;
            }
            teachers.Add(new Teacher(id, teacherName, basePlace.Id, skills, !request.Simple && rng.Next(10) < 7, availability, maxSessions, 600));
        }

        var students = ImmutableArray.CreateBuilder<Student>();
        for (var i = 0; i < request.Students; i++)
        {
            var town = towns[rng.Next(towns.Count)];
            var inTown = villages[town.Code].ToList();
            var village = inTown.Count > 0 ? inTown[rng.Next(inTown.Count)] : null;
            var (lat0, lon0) = village?.Lat is { } vl ? (vl, village.Lon!.Value) : (town.Lat!.Value, town.Lon!.Value);
            var (lat, lon) = Scheduling.Travel.TravelTimes.Destination(lat0, lon0, MinHomeKm + rng.NextDouble() * (MaxHomeKm - MinHomeKm), rng.NextDouble() * 2 * Math.PI);
            var home = new Place(new PlaceId($"p-home-{i + 1}"), $"{town.Name.Replace("办事处", "", StringComparison.Ordinal)}{village?.Name ?? ""}", Round(lat), Round(lon));
            places.Add(home);

            var (homeVisits, remote) = request.Simple ? (1, 0) : rng.Next(20) switch
            {
                < 12 => (1, 0),
                < 15 => (2, 0),
                < 18 => (1, 1),
                _ => (0, 1),
            };
            var teamSize = !request.Simple && rng.Next(5) == 0 ? 2 : 1;
            // A plan asks for a specialist the county actually has near the child (the committee plans with the staff it has).
            var specialists = teachers
                .SelectMany(t => t.Skills.Where(k => k != SpecialEducation).Select(k => (Skill: k, Km: Km(places.First(p => p.Id == t.BasePlaceId), lat, lon))))
                .OrderBy(x => x.Km).Take(3).ToList();
            ImmutableArray<string> required = teamSize == 2 && specialists.Count > 0
                ? [SpecialEducation, specialists[rng.Next(specialists.Count)].Skill]
                : request.Simple || rng.Next(6) != 0 || specialists.Count == 0 ? [SpecialEducation] : [specialists[0].Skill];
            if (teamSize == 2 && specialists.Count == 0)
            {
                teamSize = 1;
            }
            var dayCount = Math.Max(homeVisits + remote + 1, 3 + rng.Next(3));
            var days = Weekdays.OrderBy(_ => rng.Next()).Take(Math.Min(5, dayCount)).Order().ToList();
            var availability = ImmutableArray.CreateBuilder<Window>();
            var fullDayIndex = rng.Next(days.Count);
            foreach (var d in days)
            {
                var fullDay = availability.Count == fullDayIndex;
                // At least one whole day: families of children this disabled plan the week around the visit.
                availability.Add(fullDay ? new Window(d, new TimeOnly(9, 0), new TimeOnly(17, 0)) : rng.Next(3) switch
                {
                    0 => new Window(d, new TimeOnly(8, 30), new TimeOnly(12, 30)),
                    1 => new Window(d, new TimeOnly(13, 30), new TimeOnly(17, 30)),
                    _ => new Window(d, new TimeOnly(9, 0), new TimeOnly(17, 0)),
                });
            }
            var minutes = rng.Next(3) == 0 ? 90 : 120;
            students.Add(new Student(new StudentId($"s{i + 1}"), $"{Surnames[rng.Next(Surnames.Length)]}某某", home.Id,
                homeVisits, remote, minutes, teamSize, required, availability.ToImmutable(), [], null));
        }

        var name = $"{string.Join("、", counties.Select(c => c.Name))} 合成周课表 {request.Students}名学生/{request.Teachers}名教师 seed {request.Seed}";
        return new Scenario(name, "Asia/Shanghai", [.. Weekdays], new HaversineTravel(SpeedKmh, DetourFactor),
            places.ToImmutable(), teachers.ToImmutable(), students.ToImmutable(), [], [],
            new SolveOptions(request.TimeLimitSeconds, request.Seed, 0));
    }

    private static double Km(Place a, double lat, double lon) =>
        Scheduling.Travel.TravelTimes.GreatCircleKm(a.Lat, a.Lon, lat, lon);

    private static double Round(double x) => Math.Round(x, 5, MidpointRounding.AwayFromZero);

    /// <summary>A point at the given distance and bearing on the contract's sphere.</summary>
}
