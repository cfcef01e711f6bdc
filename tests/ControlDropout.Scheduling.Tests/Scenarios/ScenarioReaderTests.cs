using System.Text.Json.Nodes;
using ControlDropout.Scheduling.Scenarios;
using ControlDropout.Scheduling.Tests.Support;
using FluentAssertions;

namespace ControlDropout.Scheduling.Tests.Scenarios;

/// <summary>Scenario v1 is read strictly, and every error is reported by JSON path.</summary>
public class ScenarioReaderTests
{
    private static IEnumerable<string> Errors(Action<JsonObject> edit) =>
        ScenarioReader.Read(SampleFile.Edited(edit)).Errors.Select(e => e.ToString());

    [Fact]
    public void Reads_the_contracts_sample()
    {
        var result = ScenarioReader.Read(SampleFile.Text);

        result.Errors.Should().BeEmpty();
        result.Scenario!.Students.Should().HaveCount(8);
        result.Scenario.Teachers.Should().HaveCount(4);
        result.Scenario.Travel.Should().Be(new HaversineTravel(30, 1.6));
    }

    [Fact]
    public void Rejects_an_unknown_property_so_that_a_typo_cannot_drop_a_constraint()
    {
        Errors(r => r["students"]![0]!["maxSesionsPerWeek"] = 3)
            .Should().Equal("students[0].maxSesionsPerWeek: unknown property");
    }

    [Fact]
    public void Rejects_a_window_whose_from_is_after_its_to()
    {
        Errors(r =>
        {
            r["students"]![12 - 12]!["availability"]![0]!["from"] = "17:00";
            r["students"]![0]!["availability"]![0]!["to"] = "09:00";
        }).Should().Equal("students[0].availability[0].from: 'from' 17:00 is after 'to' 09:00");
    }

    [Fact]
    public void Rejects_malformed_times()
    {
        Errors(r => r["teachers"]![1]!["availability"]![0]!["to"] = "25:00")
            .Should().Equal("teachers[1].availability[0].to: '25:00' is not a time: use HH:mm from 00:00 to 23:59");
        Errors(r => r["teachers"]![1]!["availability"]![0]!["from"] = "8:00")
            .Should().Equal("teachers[1].availability[0].from: '8:00' is not a time: use HH:mm from 00:00 to 23:59");
    }

    [Fact]
    public void Rejects_unknown_and_duplicate_ids()
    {
        Errors(r => r["students"]![1]!["id"] = "s1").Should().Equal("students[1].id: duplicate student id 's1'");
        Errors(r => r["students"]![0]!["placeId"] = "p-nowhere").Should().Equal("students[0].placeId: unknown place 'p-nowhere'");
        Errors(r => r["students"]![0]!["preferredTeacherIds"]![0] = "t99").Should().Equal("students[0].preferredTeacherIds[0]: unknown teacher 't99'");
        Errors(r => r["places"]![1]!["id"] = "p-sch-530927").Should().Contain("places[1].id: duplicate place id 'p-sch-530927'");
    }

    [Fact]
    public void Rejects_non_positive_durations_and_team_sizes_and_teams_larger_than_the_staff()
    {
        Errors(r => r["students"]![0]!["sessionMinutes"] = 0).Should().Equal("students[0].sessionMinutes: 0 is out of range: must be between 1 and 1440");
        Errors(r => r["students"]![0]!["teamSize"] = 0).Should().Equal("students[0].teamSize: 0 is out of range: must be at least 1");
        Errors(r => r["students"]![0]!["teamSize"] = 5).Should().Equal("students[0].teamSize: a team of 5 is larger than the 4 teachers in the scenario");
    }

    [Fact]
    public void Rejects_two_windows_for_one_teacher_on_one_day()
    {
        Errors(r => r["teachers"]![0]!["availability"]![1]!["day"] = "Mon")
            .Should().Equal("teachers[0].availability[1].day: a second window on Mon (the first is teachers[0].availability[0]): a teacher has at most one window a day");
    }

    [Fact]
    public void Rejects_a_matrix_that_misses_a_place_in_use()
    {
        Errors(r => r["travel"] = new JsonObject
        {
            ["model"] = "matrix",
            ["matrix"] = new JsonObject { ["placeIds"] = new JsonArray("p-sch-530927"), ["minutes"] = new JsonArray(new JsonArray(0)) },
        }).Should().Contain("travel.matrix.placeIds: missing place 'p-home-1', the home of student 's1'")
          .And.Contain("travel.matrix.placeIds: missing place 'p-ts-530927104000', the base of teacher 't2'");
    }

    [Fact]
    public void Lists_every_error_not_only_the_first()
    {
        var errors = Errors(r =>
        {
            r["days"]![0] = "Monday";
            r["teachers"]![0]!["maxSessionsPerWeek"] = -1;
            r["students"]![3]!["availability"]![0]!["day"] = "Xyz";
            r["options"]!["workers"] = "all";
        });

        errors.Should().BeEquivalentTo(
            "days[0]: must be one of Mon, Tue, Wed, Thu, Fri, Sat, Sun, found 'Monday'",
            "teachers[0].maxSessionsPerWeek: -1 is out of range: must be at least 0",
            "students[3].availability[0].day: must be one of Mon, Tue, Wed, Thu, Fri, Sat, Sun, found 'Xyz'",
            "options.workers: must be a whole number, found a string");
    }

    [Fact]
    public void Names_the_place_of_broken_json()
    {
        ScenarioReader.Read("{ \"schemaVersion\": 1, ").Errors.Should().ContainSingle()
            .Which.ToString().Should().StartWith("$: not valid JSON at line 1");
    }

    [Fact]
    public void Requires_the_schema_version_of_this_contract()
    {
        Errors(r => r["schemaVersion"] = 2).Should().Equal("schemaVersion: 2 is out of range: must be between 1 and 1");
    }

    [Fact]
    public void A_written_scenario_reads_back_the_same()
    {
        var scenario = ScenarioReader.Read(SampleFile.Text).Scenario!;

        var again = ScenarioReader.Read(ScenarioWriter.Write(scenario)).Scenario!;

        ScenarioWriter.Write(again).Should().Be(ScenarioWriter.Write(scenario));
        again.Students.Select(s => s.Id).Should().Equal(scenario.Students.Select(s => s.Id));
    }

    [Theory]
    [InlineData(7)]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(-5)]
    public void Rejects_a_start_grid_that_is_not_one_of_the_allowed_steps(int step)
    {
        Errors(r => r["options"]!["startTimeStepMinutes"] = step)
            .Should().Equal($"options.startTimeStepMinutes: {step} is not one of 1, 5, 10, 15, 30");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(10)]
    [InlineData(15)]
    [InlineData(30)]
    public void Reads_each_allowed_start_grid(int step)
    {
        var result = ScenarioReader.Read(SampleFile.Edited(r => r["options"]!["startTimeStepMinutes"] = step));

        result.Errors.Should().BeEmpty();
        result.Scenario!.Options.StartTimeStepMinutes.Should().Be(step);
    }

    [Fact]
    public void Defaults_the_new_options_when_they_are_left_out()
    {
        var result = ScenarioReader.Read(SampleFile.Edited(r => r["options"] = new JsonObject { ["seed"] = 3 }));

        result.Scenario!.Options.Should().Be(SolveOptions.Default with { Seed = 3 });
        result.Scenario.Options.StartTimeStepMinutes.Should().Be(1);
        result.Scenario.Options.ChangePenaltyMinutes.Should().Be(0);
    }

    [Fact]
    public void Rejects_a_change_penalty_below_0_or_above_a_day()
    {
        Errors(r => r["options"]!["changePenaltyMinutes"] = -1)
            .Should().Equal("options.changePenaltyMinutes: -1 is out of range: must be between 0 and 1440");
        Errors(r => r["options"]!["changePenaltyMinutes"] = 1441)
            .Should().Equal("options.changePenaltyMinutes: 1441 is out of range: must be between 0 and 1440");
        Errors(r => r["options"]!["changePenaltyMinutes"] = 1440).Should().BeEmpty();
    }

    [Fact]
    public void Rejects_a_negative_daily_driving_cap_naming_the_teacher()
    {
        Errors(r => r["teachers"]![2]!["maxTravelMinutesPerDay"] = -1)
            .Should().Equal("teachers[2].maxTravelMinutesPerDay: -1 is out of range: must be between 0 and 1440");
        ScenarioReader.Read(SampleFile.Edited(r => r["teachers"]![2]!["maxTravelMinutesPerDay"] = 180))
            .Scenario!.Teachers[2].MaxTravelMinutesPerDay.Should().Be(180);
    }

    [Fact]
    public void Rejects_an_unknown_option()
    {
        Errors(r => r["options"]!["startTimeStep"] = 5).Should().Equal("options.startTimeStep: unknown property");
    }

    [Fact]
    public void Writes_the_new_options_and_reads_them_back_equal()
    {
        var sample = ScenarioReader.Read(SampleFile.Text).Scenario!;
        var planned = sample with
        {
            Options = sample.Options with { StartTimeStepMinutes = 10, ChangePenaltyMinutes = 60 },
            Teachers = [.. sample.Teachers.Select((t, i) => i == 0 ? t with { MaxTravelMinutesPerDay = 180 } : t)],
        };

        var again = ScenarioReader.Read(ScenarioWriter.Write(planned));

        again.Errors.Should().BeEmpty();
        again.Scenario!.Options.Should().Be(planned.Options);
        again.Scenario.Teachers.Select(t => t.MaxTravelMinutesPerDay).Should().Equal(planned.Teachers.Select(t => t.MaxTravelMinutesPerDay));
        ScenarioWriter.Write(again.Scenario).Should().Be(ScenarioWriter.Write(planned));
    }
}
