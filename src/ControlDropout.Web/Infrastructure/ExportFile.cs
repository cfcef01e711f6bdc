using System.Globalization;
using ControlDropout.Web.Domain;
using Microsoft.AspNetCore.Mvc;

namespace ControlDropout.Web.Infrastructure;

/// <summary>
/// A file to hand over (the ledger, a teaching file): its bytes, its type and the name it is saved
/// under; no name means a page to show in the browser (the printable teaching file).
/// </summary>
public sealed record ExportFile(byte[] Content, string ContentType, string FileName)
{
    /// <summary>The API's answer.</summary>
    public IResult ToHttp() => FileName.Length == 0
        ? Results.Bytes(Content, ContentType)
        : Results.File(Content, ContentType, FileName);

    /// <summary>A page handler's answer: the same bytes, named the same way.</summary>
    public FileContentResult ToPage() => FileName.Length == 0
        ? new FileContentResult(Content, ContentType)
        : new FileContentResult(Content, ContentType) { FileDownloadName = FileName };

    /// <summary>Text that a spreadsheet would take for a formula is made inert with a leading apostrophe.</summary>
    public static string Neutralise(string text) =>
        text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + text : text;

    /// <summary>A spreadsheet or CSV cell: no control characters (NUL, ESC… become spaces), and never a formula.</summary>
    public static string Cell(string? text) => Neutralise(Validation.Printable(text));

    /// <summary>A name as part of a file name: one printable line, no folder separators.</summary>
    public static string FileNamePart(string? text) =>
        new([.. Validation.Printable(text).Select(c => char.IsControl(c) || c is '/' or '\\' ? ' ' : c)]);

    /// <summary>An instant as its day in China (<c>yyyy-MM-dd</c>), for any value the database can hold.</summary>
    public static string ChinaDay(DateTimeOffset at) => Conventions.InChina(at).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>An instant as its day and minute in China (<c>yyyy-MM-dd HH:mm</c>), for any value the database can hold.</summary>
    public static string ChinaMinute(DateTimeOffset at) => Conventions.InChina(at).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
