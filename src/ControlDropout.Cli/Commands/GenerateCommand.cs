using System.CommandLine;
using ControlDropout.Cli.Generation;
using ControlDropout.Scheduling.Scenarios;

namespace ControlDropout.Cli.Commands;

/// <summary><c>generate --county CODE[,CODE...] --students N --teachers M --seed K [--out FILE]</c>.</summary>
internal static class GenerateCommand
{
    public static Command Create()
    {
        var county = new Option<string>("--county") { Description = "临沧 county codes, 6 or 12 digits, comma-separated (e.g. 530902,530927)", Required = true };
        var students = new Option<int>("--students") { Description = "number of children", Required = true };
        var teachers = new Option<int>("--teachers") { Description = "number of teachers and team members", Required = true };
        var seed = new Option<int>("--seed") { Description = "random seed", DefaultValueFactory = _ => 1 };
        var simple = new Option<bool>("--simple") { Description = "single teachers, one home visit a week, no remote sessions" };
        var output = new Option<FileInfo?>("--out") { Description = "write the scenario here instead of stdout" };
        var command = new Command("generate", "Generate a realistic synthetic 临沧 week (scenario v1)") { county, students, teachers, seed, simple, output };
        command.SetAction(parse => Run(parse.GetValue(county)!, parse.GetValue(students), parse.GetValue(teachers), parse.GetValue(seed), parse.GetValue(simple), parse.GetValue(output), Console.Out, Console.Error));
        return command;
    }

    public static int Run(string counties, int students, int teachers, int seed, bool simple, FileInfo? output, TextWriter stdout, TextWriter stderr)
    {
        if (students < 1 || teachers < 2)
        {
            stderr.WriteLine("error: --students must be at least 1 and --teachers at least 2");
            return ExitCodes.Invalid;
        }
        Scenario scenario;
        try
        {
            var codes = counties.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            scenario = WeekGenerator.Generate(new GenerateRequest(codes, students, teachers, seed, simple), LincangPlaces.Load());
        }
        catch (ArgumentException ex)
        {
            stderr.WriteLine($"error: {ex.Message}");
            return ExitCodes.Invalid;
        }
        var json = ScenarioWriter.Write(scenario);
        if (output is null)
        {
            stdout.Write(json);
        }
        else
        {
            File.WriteAllText(output.FullName, json);
        }
        return ExitCodes.Ok;
    }
}
