using System.Diagnostics.CodeAnalysis;

[assembly: SuppressMessage("Naming", "CA1716:Identifiers should not match keywords", Scope = "namespace", Target = "~N:ControlDropout.Web.Features.Imports",
    Justification = "Features/<Feature> names the namespace; 'Imports' is a keyword only in Visual Basic, which nothing here is written in.")]

namespace ControlDropout.Web.Features.Imports;

/// <summary>One problem of an uploaded roster: the row as the spreadsheet numbers it (header = 1), the column's Chinese header, the message.</summary>
public sealed record ImportError(int Row, string Column, string Message);

/// <summary>
/// What an import found (a dry run) or did: the data rows read, how many passed every check, the errors per
/// row and cell, and how many records are (or would be) created and updated. Re-importing the same roster
/// reports 0 updates: a row counts as an update only when it changes something.
/// </summary>
public sealed record ImportReport(int Rows, int Valid, IReadOnlyList<ImportError> Errors, int Creates, int Updates, string Sha256);

/// <summary>The three rosters a county keeps in Excel.</summary>
public static class ImportKinds
{
    public const string Students = "students";
    public const string Staff = "staff";
    public const string Assessments = "assessments";

    public static readonly string[] All = [Students, Staff, Assessments];

    public static string Title(string kind) => kind switch
    {
        Students => "学生名册",
        Staff => "送教人员名册",
        Assessments => "专家委员会评估",
        _ => kind,
    };
}
