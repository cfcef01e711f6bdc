using ControlDropout.Web.Data;
using ControlDropout.Web.Features.Calendar;
using ControlDropout.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ControlDropout.Web.Features.Coverage;

/// <summary>The inspector's coverage: the term matrix as a picture, and one week's roll-ups by township, school and staff.</summary>
public sealed class InspectModel(AppDbContext db, HolidayCalendar holidays, TimeProvider clock, NameBook names) : PageModel
{
    public NameBook Names => names;
    public string TermName { get; private set; } = "";
    public string? Picture { get; private set; }
    public List<string> Weeks { get; } = [];
    public CoverageDto? Week { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? week, CancellationToken ct)
    {
        var caller = Caller.From(User);
        if (caller.Role == Roles.Teacher)
        {
            return Forbid();
        }
        await names.LoadAsync(caller.CountyCode, ct).ConfigureAwait(false);
        var matrix = Outcome.Value<CoverageEndpoints.MatrixDto>((await CoverageEndpoints.Matrix(null, User, db, holidays, clock, ct).ConfigureAwait(false)).Result);
        if (matrix is null)
        {
            ModelState.AddModelError("", "还没有学期");
            return Page();
        }
        TermName = await db.Terms.Where(t => t.Id == new Domain.TermId(matrix.TermId)).Select(t => t.Name).SingleAsync(ct).ConfigureAwait(false);
        Weeks.AddRange(matrix.Weeks);
        Picture = MatrixPicture.Render(matrix.Weeks, [.. matrix.Children
            .Select(c => (c.StudentId, names.Student(c.StudentId), c.Statuses))
            .OrderBy(c => c.Item2, StringComparer.Ordinal)]);
        // By default the last finished week: the one an inspector can hold the county to.
        var today = Zh.Today(clock);
        var chosen = week is not null && Weeks.Contains(week) ? week
            : Weeks.LastOrDefault(w => string.CompareOrdinal(w, TermCalendar.IsoWeekName(today.AddDays(-7))) <= 0) ?? Weeks.FirstOrDefault();
        if (chosen is not null)
        {
            var result = await CoverageEndpoints.Get(matrix.TermId, chosen, User, db, holidays, clock, ct).ConfigureAwait(false);
            Week = Outcome.Value<CoverageDto>(result.Result);
        }
        return Page();
    }
}
