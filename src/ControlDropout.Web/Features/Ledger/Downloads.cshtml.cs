using ControlDropout.Web.Data;
using ControlDropout.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ControlDropout.Web.Features.Ledger;

/// <summary>The ledger (台账) and each child's teaching file (送教档案), exported by the API's own handlers.</summary>
[Authorize(Policy = Policies.ExportLedger)]
public sealed class DownloadsModel(AppDbContext db, NameBook names, TimeProvider clock) : PageModel
{
    public string TermName { get; private set; } = "";
    public List<(Guid Id, string Name, string School)> Children { get; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var caller = Caller.From(User);
        await names.LoadAsync(caller.CountyCode, ct).ConfigureAwait(false);
        var today = Zh.Today(clock);
        var terms = await db.Terms.AsNoTracking().Where(t => t.CountyCode == caller.CountyCode).ToListAsync(ct).ConfigureAwait(false);
        TermName = Calendar.CurrentTerm.Pick(terms, today)?.Name ?? "";
        var withPlans = await db.Plans.AsNoTracking().Where(p => p.CountyCode == caller.CountyCode).Select(p => p.StudentId).Distinct().ToListAsync(ct).ConfigureAwait(false);
        var students = await db.Students.AsNoTracking().Where(s => s.CountyCode == caller.CountyCode && withPlans.Contains(s.Id)).ToListAsync(ct).ConfigureAwait(false);
        Children.AddRange(students.OrderBy(s => s.Name, StringComparer.Ordinal).Select(s => (s.Id.Value, s.Name, names.School(s.SchoolOfRecordId.Value))));
    }

    public async Task<IActionResult> OnGetLedgerAsync(string? format, CancellationToken ct)
    {
        var result = await LedgerEndpoints.Export(null, format, false, User, db, clock, ct).ConfigureAwait(false);
        await result.ExecuteAsync(HttpContext).ConfigureAwait(false);
        return new EmptyResult();
    }
}
