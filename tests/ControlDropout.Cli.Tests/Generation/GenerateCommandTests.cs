using ControlDropout.Cli.Commands;
using ControlDropout.Cli.Generation;
using ControlDropout.Scheduling.Checking;
using ControlDropout.Scheduling.Scenarios;
using ControlDropout.Scheduling.Solving;
using ControlDropout.Scheduling.Travel;
using FluentAssertions;

namespace ControlDropout.Cli.Tests.Generation;

public class GenerateCommandTests
{
    private static string Generate(string counties, int students, int teachers, int seed, bool simple = false)
    {
        var stdout = new StringWriter();
        GenerateCommand.Run(counties, students, teachers, seed, simple, null, stdout, new StringWriter()).Should().Be(ExitCodes.Ok);
        return stdout.ToString();
    }

    [Fact]
    public void Same_arguments_give_the_same_bytes()
    {
        Generate("530902", 30, 8, 5).Should().Be(Generate("530902", 30, 8, 5));
        Generate("530902", 30, 8, 5).Should().NotBe(Generate("530902", 30, 8, 6));
    }

    [Fact]
    public void Builds_a_valid_realistic_week_from_real_township_points()
    {
        var scenario = ScenarioReader.Read(Generate("530927,530926", 80, 20, 3)).Scenario!;
        var divisions = LincangPlaces.Load();
        var towns = divisions.Where(d => d.Level == "town").ToList();

        scenario.Students.Should().HaveCount(80);
        scenario.Teachers.Should().HaveCount(20);
        scenario.Travel.Should().Be(new HaversineTravel(30, 1.6));
        scenario.Places.Where(p => p.Id.Value.StartsWith("p-ts-", StringComparison.Ordinal))
            .Should().OnlyContain(p => towns.Any(t => t.Name.Replace("办事处", "", StringComparison.Ordinal) + "中心学校" == p.Name));
        // Homes are synthetic: 1–12 km from a real point, never on it.
        foreach (var home in scenario.Places.Where(p => p.Id.Value.StartsWith("p-home-", StringComparison.Ordinal)))
        {
            var nearest = divisions.Where(d => d.Lat is not null).Min(d => TravelTimes.GreatCircleKm(home.Lat, home.Lon, d.Lat!.Value, d.Lon!.Value));
            nearest.Should().BeLessThanOrEqualTo(12.01);
        }
        scenario.Students.Should().Contain(s => s.TeamSize == 2).And.Contain(s => s.RemoteSessionsPerWeek > 0).And.Contain(s => s.HomeVisitsPerWeek == 2);
        scenario.Teachers.Should().Contain(t => t.Availability.Length >= 2 && t.Availability.Length <= 4);
        scenario.Teachers.SelectMany(t => t.Skills).Distinct().Should().Contain(["special-education", "rehabilitation"]);
    }

    [Fact]
    public void A_simple_week_has_single_teachers_and_one_home_visit_each()
    {
        var scenario = ScenarioReader.Read(Generate("530902", 40, 10, 1, simple: true)).Scenario!;

        scenario.Students.Should().OnlyContain(s => s.TeamSize == 1 && s.HomeVisitsPerWeek == 1 && s.RemoteSessionsPerWeek == 0);
    }

    [Fact]
    public void A_generated_county_week_is_solved_with_every_child_covered()
    {
        var scenario = ScenarioReader.Read(Generate("530902", 25, 8, 2)).Scenario!;

        var timetable = WeekSolver.Solve(scenario, new SolveOptions(1, 1, 1));

        TimetableChecker.Check(scenario, timetable).Should().BeEmpty();
        timetable.Metrics!.StudentsCovered.Should().Be(25);
    }

    [Fact]
    public void Rejects_an_unknown_county()
    {
        var stderr = new StringWriter();

        GenerateCommand.Run("110101", 10, 3, 1, false, null, new StringWriter(), stderr).Should().Be(ExitCodes.Invalid);
        stderr.ToString().Should().Contain("'110101' is not a county of 临沧市");
    }
}
