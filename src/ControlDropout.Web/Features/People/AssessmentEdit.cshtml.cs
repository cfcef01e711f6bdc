using ControlDropout.Web.Domain;
using ControlDropout.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ControlDropout.Web.Features.People;

/// <summary>
/// 录入评估 and its correction: the county expert committee's date, 文号, members, conclusion and note, with the
/// committee's report file when there is one (<see cref="AssessmentReports"/>). Pages /children/{id}/assessments/new
/// and /children/{id}/assessments/{aid}/edit share this model.
/// </summary>
[Authorize(Policy = nameof(Permission.RecordAssessments))]
// A scanned report is larger than the 1 MB every other form is held to.
[RequestSizeLimit(AssessmentReports.MaxRequestBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = AssessmentReports.MaxRequestBytes)]
public sealed class AssessmentEditModel(Enrolment enrolment, AssessmentReports reports, PeopleDirectory people) : PageModel
{
    public sealed class AssessmentForm
    {
        public string? Date { get; set; }
        public AssessmentConclusion Conclusion { get; set; } = AssessmentConclusion.HomeTeaching;
        public string? DocumentNo { get; set; }
        /// <summary>评估成员, one a line (or separated by 、 or ，).</summary>
        public string? Members { get; set; }
        public string? Note { get; set; }
        public string? LastDayOfTeaching { get; set; }
    }

    [FromRoute]
    public Guid Id { get; set; }

    [FromRoute]
    public Guid? Aid { get; set; }

    [BindProperty]
    public AssessmentForm Form { get; set; } = new();

    [BindProperty]
    public IFormFile? Report { get; set; }

    public string ChildName { get; private set; } = "";
    public bool HasReport { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var child = await people.GetStudentAsync(new StudentId(Id), unmask: false, ct).ConfigureAwait(false);
        if (!child.Succeeded)
        {
            return NotFound();
        }
        ChildName = child.Value.Name;
        if (Aid is { } aid)
        {
            if (child.Value.Assessments.SingleOrDefault(a => a.Id == aid) is not { } a)
            {
                return NotFound();
            }
            HasReport = a.HasReport;
            Form = new AssessmentForm
            {
                Date = FormFields.Date(a.Date), Conclusion = a.Conclusion, DocumentNo = a.DocumentNo, Members = string.Join("\n", a.Members), Note = a.Note,
            };
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var child = await people.GetStudentAsync(new StudentId(Id), unmask: false, ct).ConfigureAwait(false);
        if (!child.Succeeded)
        {
            return NotFound();
        }
        ChildName = child.Value.Name;
        var before = child.Value.Assessments.Select(a => a.Id).ToHashSet();
        if (Aid is { } existing && !before.Contains(existing))
        {
            return NotFound();
        }
        HasReport = Aid is { } shown && child.Value.Assessments.Single(a => a.Id == shown).HasReport;
        var date = FormFields.Date(Form.Date?.Trim());
        if (date is null)
        {
            ModelState.AddModelError("Form.Date", string.IsNullOrWhiteSpace(Form.Date) ? "请填写评估日期" : "评估日期不是有效日期，请用 yyyy-MM-dd");
        }
        var lastDay = FormFields.Date(Form.LastDayOfTeaching?.Trim());
        if (lastDay is null && !string.IsNullOrWhiteSpace(Form.LastDayOfTeaching))
        {
            ModelState.AddModelError("Form.LastDayOfTeaching", "送教截止日期不是有效日期，请用 yyyy-MM-dd");
        }
        if (Report is { Length: > AssessmentReports.MaxBytes })
        {
            // Refused before anything is stored, so that the assessment is not saved without the report the user meant to attach.
            ModelState.AddModelError("Report", AssessmentReports.TooLarge);
        }
        if (!ModelState.IsValid)
        {
            return Page();
        }
        var members = (Form.Members ?? "").Split(['\n', '、', '，', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var request = new AssessmentRequest(date!.Value, Form.Conclusion, Form.DocumentNo, members, Form.Note, lastDay);
        var result = Aid is { } aid
            ? await enrolment.UpdateAssessmentAsync(new StudentId(Id), aid, request, ct).ConfigureAwait(false)
            : await enrolment.AddAssessmentAsync(new StudentId(Id), request, ct).ConfigureAwait(false);
        switch (result.Refusal?.Status)
        {
            case StatusCodes.Status404NotFound:
                return NotFound();
            case StatusCodes.Status403Forbidden:
                return Forbid();
        }
        if (result.Refused(ModelState, FormFields.Under("Form")))
        {
            return Page();
        }
        var saved = Aid ?? result.Value.Assessments.Select(a => a.Id).FirstOrDefault(a => !before.Contains(a));
        var done = "评估已保存";
        if (Report is { Length: > 0 } file && saved != Guid.Empty)
        {
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, ct).ConfigureAwait(false);
            var attached = await reports.AttachAsync(new StudentId(Id), saved, new Upload(buffer.ToArray(), file.FileName), ct).ConfigureAwait(false);
            if (attached.Refused(ModelState, _ => "Report"))
            {
                // The assessment stands; the file is asked for again on its own edit page.
                TempData["Done"] = "评估已保存，但评估报告未能保存";
                Aid = saved;
                HasReport = false;
                return Page();
            }
            done = "评估与评估报告已保存";
        }
        TempData["Done"] = done;
        return Redirect($"/children/{Id}");
    }
}
