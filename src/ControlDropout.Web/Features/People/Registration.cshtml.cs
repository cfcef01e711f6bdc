using ControlDropout.Web.Domain;
using ControlDropout.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ControlDropout.Web.Features.People;

/// <summary>残联登记 of a child: certificate number (shown masked, kept when posted back unchanged), category, grade, date of issue.</summary>
[Authorize(Policy = nameof(Permission.Enrol))]
public sealed class RegistrationModel(Enrolment enrolment, PeopleDirectory people) : PageModel
{
    public sealed class RegistrationForm
    {
        public string? CertificateNo { get; set; }
        public DisabilityCategory Category { get; set; }
        public int Grade { get; set; } = 2;
        public string? RegisteredOn { get; set; }
    }

    [FromRoute]
    public Guid Id { get; set; }

    [BindProperty]
    public RegistrationForm Form { get; set; } = new();

    public string ChildName { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var stored = await people.StoredStudentAsync(new StudentId(Id), ct).ConfigureAwait(false);
        if (Refused(stored.Refusal) is { } refused)
        {
            return refused;
        }
        var s = stored.Value;
        ChildName = s.Name;
        Form = new RegistrationForm
        {
            CertificateNo = Masking.Identifier(s.DisabilityCertificateNo ?? ""), Category = s.DisabilityCategory, Grade = s.DisabilityGrade,
            RegisteredOn = s.DisabilityRegisteredOn is { } d ? FormFields.Date(d) : null,
        };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var stored = await people.StoredStudentAsync(new StudentId(Id), ct).ConfigureAwait(false);
        if (Refused(stored.Refusal) is { } refused)
        {
            return refused;
        }
        ChildName = stored.Value.Name;
        if (FormFields.Date(Form.RegisteredOn?.Trim()) is not { } day)
        {
            ModelState.AddModelError("Form.RegisteredOn", string.IsNullOrWhiteSpace(Form.RegisteredOn) ? "请填写发证日期" : "发证日期不是有效日期，请用 yyyy-MM-dd");
            return Page();
        }
        var number = ChildEditModel.Kept(Form.CertificateNo, stored.Value.DisabilityCertificateNo, Masking.Identifier) ?? "";
        var result = await enrolment.RegisterDisabilityAsync(new StudentId(Id), new RegistrationRequest(number, Form.Category, Form.Grade, day), ct).ConfigureAwait(false);
        if (Refused(result.Refusal) is { } no)
        {
            return no;
        }
        if (result.Refused(ModelState, FormFields.Under("Form")))
        {
            return Page();
        }
        TempData["Done"] = "残联登记已保存";
        return Redirect($"/children/{Id}");
    }

    private IActionResult? Refused(Refusal? refusal) => refusal?.Status switch
    {
        StatusCodes.Status403Forbidden => Forbid(),
        StatusCodes.Status404NotFound => NotFound(),
        _ => null,
    };
}
