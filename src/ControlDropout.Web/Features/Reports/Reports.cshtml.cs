using System.Globalization;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Calendar;
using ControlDropout.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ControlDropout.Web.Features.Reports;

/// <summary>月报与学期报告: a month or a term, its tables and charts, the spreadsheet and the printable document, through the same use case as the API.</summary>
[Authorize(Policy = nameof(Permission.ReadCoverage))]
public sealed class ReportsModel(Reports reports, CurrentTerm currentTerm) : PageModel
{
    public string Month { get; private set; } = "";
    public Guid? TermId { get; private set; }
    public List<Term> Terms { get; } = [];
    public Report? Report { get; private set; }

    /// <summary>The query string of the shown report, for the download links.</summary>
    public string Query => TermId is { } id ? $"termId={id}" : $"month={Uri.EscapeDataString(Month)}";

    public async Task<IActionResult> OnGetAsync(string? month, Guid? termId, CancellationToken ct)
    {
        Terms.AddRange(await currentTerm.AllAsync(ct).ConfigureAwait(false));
        Month = month ?? currentTerm.Today.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        TermId = termId;
        var answer = termId is { } id
            ? await reports.TermAsync(id, null, ct).ConfigureAwait(false)
            : await reports.MonthlyAsync(Month, null, ct).ConfigureAwait(false);
        switch (answer.Refusal)
        {
            case { Status: StatusCodes.Status403Forbidden }:
                return Forbid();
            case { Status: StatusCodes.Status404NotFound }:
                return NotFound();
            case { } refusal:
                refusal.AddTo(ModelState);
                return Page();
        }
        Report = answer.Value.Report;
        return Page();
    }

    /// <summary>The spreadsheet or the printable document of the month or term (audited as an export by the use case).</summary>
    public async Task<IActionResult> OnGetFileAsync(string? month, Guid? termId, string? format, CancellationToken ct)
    {
        var answer = termId is { } id
            ? await reports.TermAsync(id, format ?? "xlsx", ct).ConfigureAwait(false)
            : await reports.MonthlyAsync(month ?? currentTerm.Today.ToString("yyyy-MM", CultureInfo.InvariantCulture), format ?? "xlsx", ct).ConfigureAwait(false);
        switch (answer.Refusal)
        {
            case { Status: StatusCodes.Status403Forbidden }:
                return Forbid();
            case { Status: StatusCodes.Status404NotFound }:
                return NotFound();
            case { } refusal:
                refusal.AddTo(ModelState);
                return await OnGetAsync(month, termId, ct).ConfigureAwait(false);
        }
        return answer.Value.File is { } file ? file.ToPage() : RedirectToPage();
    }
}
