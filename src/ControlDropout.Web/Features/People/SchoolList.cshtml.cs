using ControlDropout.Web.Domain;
using ControlDropout.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ControlDropout.Web.Features.People;

/// <summary>学校: the county's schools and a form to add one (the bureau).</summary>
[Authorize(Policy = nameof(Permission.ManageCounty))]
public sealed class SchoolListModel(Schools schools, PeopleDirectory people) : PageModel
{
    public sealed class SchoolForm
    {
        public string? Name { get; set; }
        public SchoolKind Kind { get; set; } = SchoolKind.Regular;
        public string? TownshipCode { get; set; }
    }

    public sealed record Row(Guid Id, string Name, string Kind, string Township);

    [BindProperty]
    public SchoolForm Form { get; set; } = new();

    public List<Row> Rows { get; } = [];
    public List<TownshipDto> Townships { get; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct).ConfigureAwait(false);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var result = await schools.CreateAsync(new SchoolRequest(Form.Name ?? "", Form.Kind, Form.TownshipCode ?? ""), ct).ConfigureAwait(false);
        if (result.Refusal?.Status == StatusCodes.Status403Forbidden)
        {
            return Forbid();
        }
        if (result.Refused(ModelState, FormFields.Under("Form")))
        {
            await LoadAsync(ct).ConfigureAwait(false);
            return Page();
        }
        TempData["Done"] = $"已添加学校：{result.Value.Name}";
        return RedirectToPage();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Townships.AddRange((await people.TownshipsAsync(ct).ConfigureAwait(false)).Value);
        var names = Townships.ToDictionary(t => t.Code, t => t.Name, StringComparer.Ordinal);
        foreach (var s in (await people.SchoolsAsync(ct).ConfigureAwait(false)).Value)
        {
            Rows.Add(new Row(s.Id, s.Name, SchoolKinds.Of(s.Kind), names.GetValueOrDefault(s.TownshipCode, s.TownshipCode)));
        }
    }
}
