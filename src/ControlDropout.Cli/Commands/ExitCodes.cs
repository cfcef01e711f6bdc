namespace ControlDropout.Cli.Commands;

/// <summary>Process exit codes, as the README documents them.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>An internal failure, or (validate) a timetable that breaks a rule.</summary>
    public const int Failure = 1;
    /// <summary>The input was rejected: a missing file or an invalid scenario.</summary>
    public const int Invalid = 2;
}
