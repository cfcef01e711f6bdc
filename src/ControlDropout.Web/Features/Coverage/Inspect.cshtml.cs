using ControlDropout.Web.Features.Calendar;
using ControlDropout.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ControlDropout.Web.Features.Coverage;

/// <summary>The inspector's coverage: the term matrix as a picture, and one week's roll-ups by township, school and staff.</summary>
public sealed class InspectModel(CoverageReports coverage, CurrentUser me, CurrentTerm currentTerm, NameBook names) : PageModel
{
    public NameBook Names => names;
    public string TermName { get; private set; } = "";
    public string? Picture { get; private set; }
    public List<string> Weeks { get; } = [];
    public CoverageDto? Week { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? week, CancellationToken ct)
    {
        var result = await coverage.MatrixAsync(null, ct).ConfigureAwait(false);
        if (result.Refusal is { Status: StatusCodes.Status403Forbidden })
        {
            return Forbid();
        }
        if (!result.Succeeded)
        {
            ModelState.AddModelError("", "还没有学期");
            return Page();
        }
        var matrix = result.Value;
        await names.LoadAsync(me.CountyCode, ct).ConfigureAwait(false);
        TermName = (await currentTerm.AllAsync(ct).ConfigureAwait(false)).SingleOrDefault(t => t.Id.Value == matrix.TermId)?.Name ?? "";
        Weeks.AddRange(matrix.Weeks);
        Picture = MatrixPicture.Render(matrix.Weeks, [.. matrix.Children
            .OrderBy(c => names.Student(c.StudentId), StringComparer.Ordinal).ThenBy(c => c.TownshipCode, StringComparer.Ordinal).ThenBy(c => names.School(c.SchoolId), StringComparer.Ordinal)
            .Select(c => (c.StudentId, MatrixPicture.Label(names.Student(c.StudentId), c.TownshipCode.Length > 0 ? names.Township(c.TownshipCode) : "", names.School(c.SchoolId)), c.Statuses))]);
        // By default the last finished week: the one an inspector can hold the county to.
        var today = currentTerm.Today;
        var chosen = week is not null && Weeks.Contains(week) ? week
            : Weeks.LastOrDefault(w => string.CompareOrdinal(w, TermCalendar.IsoWeekName(today.AddDays(-7))) <= 0) ?? Weeks.FirstOrDefault();
        if (chosen is not null)
        {
            var weekly = await coverage.WeekAsync(matrix.TermId, chosen, ct).ConfigureAwait(false);
            Week = weekly.Succeeded ? weekly.Value : null;
        }
        return Page();
    }
}
