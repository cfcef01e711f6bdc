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
}
