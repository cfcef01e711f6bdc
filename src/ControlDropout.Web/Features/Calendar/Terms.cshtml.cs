using ControlDropout.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ControlDropout.Web.Features.Calendar;

/// <summary>学期: the county's terms and a form to add one, through <see cref="TermBook"/> as <c>POST /api/terms</c> does.</summary>
[Authorize(Policy = nameof(Permission.ManageCounty))]
public sealed class TermsModel(TermBook terms) : PageModel
{
    public sealed class TermForm
    {
        public string? Name { get; set; }
        public string? FirstDay { get; set; }
        public string? LastDay { get; set; }
    }

    [BindProperty]
    public TermForm Form { get; set; } = new();

    public List<TermDto> Terms { get; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct).ConfigureAwait(false);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var first = Day(Form.FirstDay, "Form.FirstDay", "学期开始日");
        var last = Day(Form.LastDay, "Form.LastDay", "学期结束日");
        if (first is null || last is null)
        {
            await LoadAsync(ct).ConfigureAwait(false);
            return Page();
        }
        var result = await terms.CreateAsync(new CreateTermRequest(Form.Name ?? "", first.Value, last.Value, null), ct).ConfigureAwait(false);
        if (result.Refusal?.Status == StatusCodes.Status403Forbidden)
        {
            return Forbid();
        }
        if (result.Refused(ModelState, FormFields.Under("Form")))
        {
            await LoadAsync(ct).ConfigureAwait(false);
            return Page();
        }
        TempData["Done"] = $"已添加学期：{result.Value.Name}";
        return RedirectToPage();
    }

    private DateOnly? Day(string? text, string field, string what)
    {
        if (FormFields.Date(text?.Trim()) is { } day)
        {
            return day;
        }
        ModelState.AddModelError(field, string.IsNullOrWhiteSpace(text) ? $"请填写{what}" : $"{what}不是有效日期，请用 yyyy-MM-dd");
        return null;
    }

    private async Task LoadAsync(CancellationToken ct) => Terms.AddRange((await terms.ListAsync(ct).ConfigureAwait(false)).Value);
}
