using System.CommandLine;
using ControlDropout.Cli.Commands;

var root = new RootCommand("ControlDropout 送教上门 scheduling: solve, validate, generate and benchmark weekly timetables (scenario v1)");
root.Subcommands.Add(SolveCommand.Create());
root.Subcommands.Add(ValidateCommand.Create());
root.Subcommands.Add(GenerateCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
return root.Parse(args).Invoke();
