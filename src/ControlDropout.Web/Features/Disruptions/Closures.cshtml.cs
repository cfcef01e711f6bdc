using ControlDropout.Web.Features.Calendar;
using ControlDropout.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ControlDropout.Web.Features.Disruptions;

/// <summary>Local closures of the current term; the bureau enters one and sees what was re-planned.</summary>
[Authorize(Policy = nameof(Permission.RecordLeave))]
public sealed class ClosuresModel(LeaveAndClosures disruptions, CurrentTerm currentTerm, CurrentUser me, NameBook names) : PageModel
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
    public bool CanAdd => me.May(Permission.RecordClosures);
    public ReplanResult? Replan { get; private set; }

    public Task<IActionResult> OnGetAsync(CancellationToken ct) => ShowAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!CanAdd)
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
        var term = await currentTerm.FindAsync(ct).ConfigureAwait(false);
        if (term is null)
        {
            ModelState.AddModelError("", "没有当前学期");
        }
        else if (first is { } f && last is { } l)
        {
            var township = string.IsNullOrEmpty(Form.TownshipCode) ? null : Form.TownshipCode;
            var result = await disruptions.AddClosureAsync(term.Id, new ClosureRequest(township, f, l, Form.Reason), ct).ConfigureAwait(false);
            if (!result.Refused(ModelState, FormFields.Under("Form")))
            {
                Replan = result.Value.Replan;
                Form = new ClosureForm();
            }
        }
        return await ShowAsync(ct).ConfigureAwait(false);
    }

    private async Task<IActionResult> ShowAsync(CancellationToken ct)
    {
        await names.LoadAsync(me.CountyCode, ct).ConfigureAwait(false);
        if (await currentTerm.FindAsync(ct).ConfigureAwait(false) is { } term)
        {
            TermName = term.Name;
            if ((await disruptions.ClosuresAsync(term.Id, ct).ConfigureAwait(false)) is { Succeeded: true } list)
            {
                Closures.AddRange(list.Value);
            }
        }
        return Page();
    }
}
