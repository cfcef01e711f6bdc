using ControlDropout.Web.Data;
using ControlDropout.Web.Features.Timetables;
using ControlDropout.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ControlDropout.Web.Features.Calendar;

/// <summary>Local closures of the current term; the bureau enters one and sees what was re-planned.</summary>
[Authorize(Policy = Policies.RecordDisruptions)]
public sealed class ClosuresModel(AppDbContext db, Replanner replanner, TimeProvider clock, NameBook names, IAuthorizationService authorization) : PageModel
{
    public sealed class ClosureForm
    {
        public string? TownshipCode { get; set; }
        public string FirstDay { get; set; } = "";
        public string LastDay { get; set; } = "";
        public string Reason { get; set; } = "";
    }

    [BindProperty]
    public ClosureForm Form { get; set; } = new();

    public NameBook Names => names;
    public string TermName { get; private set; } = "";
    public List<ClosureDto> Closures { get; } = [];
    public bool CanAdd { get; private set; }
    public ReplanResult? Replan { get; private set; }

    public Task<IActionResult> OnGetAsync(CancellationToken ct) => ShowAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!(await authorization.AuthorizeAsync(User, Policies.Decide).ConfigureAwait(false)).Succeeded)
        {
            return Forbid();
        }
        var (first, last) = (FormFields.Date(Form.FirstDay), FormFields.Date(Form.LastDay));
        if (first is null)
        {
            ModelState.AddModelError("Form.FirstDay", "请选择开始日期");
        }
        if (last is null)
        {
            ModelState.AddModelError("Form.LastDay", "请选择结束日期");
        }
        var term = await CurrentTermAsync(ct).ConfigureAwait(false);
        if (term is null)
        {
            ModelState.AddModelError("", "没有当前学期");
        }
        else if (first is { } f && last is { } l)
        {
            var township = string.IsNullOrEmpty(Form.TownshipCode) ? null : Form.TownshipCode;
            var result = await TermEndpoints.AddClosure(term.Id.Value, new ClosureRequest(township, f, l, Form.Reason), User, db, replanner, clock, ct).ConfigureAwait(false);
            if (!Outcome.Refused(result, ModelState, FormFields.Under("Form")))
            {
                Replan = Outcome.Value<ClosureResult>(result)!.Replan;
                Form = new ClosureForm();
            }
        }
        return await ShowAsync(ct).ConfigureAwait(false);
    }

    private async Task<Domain.Term?> CurrentTermAsync(CancellationToken ct)
    {
        var county = Caller.From(User).CountyCode;
        var today = Zh.Today(clock);
        return Calendar.CurrentTerm.Pick(await db.Terms.AsNoTracking().Where(t => t.CountyCode == county).ToListAsync(ct).ConfigureAwait(false), today);
    }

    private async Task<IActionResult> ShowAsync(CancellationToken ct)
    {
        await names.LoadAsync(Caller.From(User).CountyCode, ct).ConfigureAwait(false);
        CanAdd = (await authorization.AuthorizeAsync(User, Policies.Decide).ConfigureAwait(false)).Succeeded;
        if (await CurrentTermAsync(ct).ConfigureAwait(false) is { } term)
        {
            TermName = term.Name;
            if (Outcome.Value<List<ClosureDto>>(await TermEndpoints.Closures(term.Id.Value, User, db, ct).ConfigureAwait(false)) is { } list)
            {
                Closures.AddRange(list);
            }
        }
        return Page();
    }
}
