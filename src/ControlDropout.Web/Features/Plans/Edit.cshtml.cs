using System.Globalization;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Calendar;
using ControlDropout.Web.Features.People;
using ControlDropout.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ControlDropout.Web.Features.Plans;

/// <summary>
/// The plan editor. Saving goes through the same use cases as the API, so that the checks and their
/// messages are the API's, shown next to the field they concern.
/// </summary>
[Authorize(Policy = nameof(Permission.EditPlans))]
public sealed class EditModel(PlanDecisions plans, PeopleDirectory people, CurrentTerm terms, NameBook names, CurrentUser me) : PageModel
{
    /// <summary>Skills a plan may ask for; the county's staff skills are added to these.</summary>
    public static readonly string[] KnownSkills = ["special-education", "rehabilitation", "speech-therapy", "medical", "psychology", "sign-language", "braille"];

    public sealed class DayForm
    {
        public bool On { get; set; }
        public string From { get; set; } = "09:00";
        public string To { get; set; } = "16:30";
    }

    public sealed class PlanForm
    {
        public Guid TermId { get; set; }
        public string? ETag { get; set; }
        // Nullable: an emptied field posts as null, and a checkbox list with nothing ticked posts nothing at all.
        public string? CoursePlan { get; set; }
        public string? Content { get; set; }
        public string? Goals { get; set; }
        public TeachingMode Mode { get; set; } = TeachingMode.Home;
        public int HomeVisitsPerWeek { get; set; }
        public int RemoteSessionsPerWeek { get; set; }
        public int LessonsPerVisit { get; set; }
        public int TeamSize { get; set; }
        public List<DayForm> Days { get; set; } = [.. Enumerable.Range(1, 7).Select(_ => new DayForm())];
        public List<string> RequiredSkills { get; set; } = [];
        public List<Guid> PreferredStaffIds { get; set; } = [];
        /// <summary>开始日期 as the date input posts it (yyyy-MM-dd), or empty for "from approval".</summary>
        public string? StartDate { get; set; }
        /// <summary>会议链接 of the plan's remote sessions (https only); empty for none.</summary>
        public string? MeetingLink { get; set; }

        /// <summary>A new plan as most start: weekly, two 课时, weekdays, one special-education teacher.</summary>
        public static PlanForm New() => new()
        {
            HomeVisitsPerWeek = 1, LessonsPerVisit = 2, TeamSize = 1, RequiredSkills = ["special-education"],
            Days = [.. Enumerable.Range(1, 7).Select(d => new DayForm { On = d <= 5 })],
        };
    }

    [FromRoute]
    public Guid? Id { get; set; }

    [BindProperty(SupportsGet = true, Name = "student")]
    public Guid StudentId { get; set; }

    [BindProperty]
    public PlanForm Form { get; set; } = new();

    public string StudentName { get; private set; } = "";
    public List<(Guid Id, string Name)> Terms { get; } = [];
    public List<string> Skills { get; } = [];
    public List<(Guid Id, string Name)> StaffChoices { get; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (Id is { } id)
        {
            var plan = await plans.GetAsync(new PlanId(id), ct).ConfigureAwait(false);
            if (!plan.Succeeded)
            {
                return NotFound();
            }
            StudentId = plan.Value.StudentId;
            Form = FromPlan(plan.Value);
        }
        else
        {
            Form = PlanForm.New();
        }
        return await ShowAsync(ct).ConfigureAwait(false) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        // A form that posts some days only (Days[1] without Days[0]) binds a shorter list; the editor shows all seven.
        Form.Days = [.. Enumerable.Range(0, 7).Select(i => i < Form.Days.Count && Form.Days[i] is { } day ? day : new DayForm())];
        if (!TryStartDate(Form.StartDate, out var start))
        {
            ModelState.AddModelError("Form.StartDate", "开始日期不是有效日期，请用 yyyy-MM-dd");
            return await RefusedAsync(ct).ConfigureAwait(false);
        }
        var content = ToContent(Form, out var windowDays) with { StartDate = start };
        string Field(string key)
        {
            // The API names fields as in its JSON ("plan.windows[2].from"); the form names them as inputs.
            if (key.StartsWith("plan.windows[", StringComparison.Ordinal))
            {
                var index = int.Parse(key["plan.windows[".Length..key.IndexOf(']', StringComparison.Ordinal)], CultureInfo.InvariantCulture);
                return index < windowDays.Count ? $"Form.Days[{windowDays[index] - 1}]" : "Form.Windows";
            }
            if (!key.StartsWith("plan.", StringComparison.Ordinal) || key.Length == 5)
            {
                return "";
            }
            // A goal or a skill of a list ("plan.goals[3]") is shown beside the list's one input.
            var field = key.IndexOf('[', StringComparison.Ordinal) is > 5 and var bracket ? key[5..bracket] : key[5..];
            return "Form." + char.ToUpperInvariant(field[0]) + field[1..];
        }
        var result = Id is { } id
            ? await plans.UpdateAsync(new PlanId(id), Form.ETag, content, ct).ConfigureAwait(false)
            : await plans.CreateAsync(new CreatePlanRequest(StudentId, Form.TermId, content), ct).ConfigureAwait(false);
        if (result.Refusal is { Status: StatusCodes.Status404NotFound })
        {
            return NotFound();
        }
        if (result.Refused(ModelState, Field))
        {
            return await RefusedAsync(ct).ConfigureAwait(false);
        }
        TempData["Done"] = "方案已保存为草稿；确认无误后请提交审批。";
        return Redirect($"/plans/{result.Value.Id}");
    }

    /// <summary>
    /// The form again, with its messages and what was typed. An existing plan's child and term come from the
    /// plan itself (the form posts neither), so that a refused save of a plan shows its editor, not a 404.
    /// </summary>
    private async Task<IActionResult> RefusedAsync(CancellationToken ct)
    {
        if (Id is { } id)
        {
            var plan = await plans.GetAsync(new PlanId(id), ct).ConfigureAwait(false);
            if (!plan.Succeeded)
            {
                return NotFound();
            }
            StudentId = plan.Value.StudentId;
            Form.TermId = plan.Value.TermId;
        }
        return await ShowAsync(ct).ConfigureAwait(false) ? Page() : NotFound();
    }

    private static bool TryStartDate(string? text, out DateOnly? start)
    {
        start = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }
        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            start = day;
            return true;
        }
        return false;
    }

    private async Task<bool> ShowAsync(CancellationToken ct)
    {
        // The child as the caller may see it: another school's or county's child is not there to plan for.
        var student = await people.GetStudentAsync(new StudentId(StudentId), unmask: false, ct).ConfigureAwait(false);
        if (!student.Succeeded)
        {
            return false;
        }
        StudentName = student.Value.Name;
        await names.LoadAsync(me.CountyCode, ct).ConfigureAwait(false);
        var today = terms.Today;
        Terms.AddRange((await terms.AllAsync(ct).ConfigureAwait(false)).Where(t => t.LastDay >= today).Select(t => (t.Id.Value, t.Name)));
        if (Form.TermId == Guid.Empty && Terms.Count > 0)
        {
            Form.TermId = Terms[0].Id;
        }
        var staff = await people.ListStaffAsync(ct).ConfigureAwait(false);
        if (staff.Succeeded)
        {
            Skills.AddRange(KnownSkills.Union(staff.Value.SelectMany(s => s.Skills)).Distinct());
            StaffChoices.AddRange(staff.Value.Select(s => (s.Id, $"{s.Name}（{names.School(s.SchoolId ?? Guid.Empty)}，{string.Join("、", s.Skills.Select(Zh.Skill))}）")));
        }
        else
        {
            Skills.AddRange(KnownSkills);
        }
        return true;
    }

    private static PlanForm FromPlan(PlanDto plan)
    {
        var v = plan.Versions[^1].Plan;
        var form = new PlanForm
        {
            TermId = plan.TermId, ETag = plan.ETag, CoursePlan = v.CoursePlan, Content = v.Content, Goals = string.Join("\n", v.Goals ?? []),
            Mode = v.Mode, HomeVisitsPerWeek = v.HomeVisitsPerWeek, RemoteSessionsPerWeek = v.RemoteSessionsPerWeek, LessonsPerVisit = v.LessonsPerVisit,
            TeamSize = v.TeamSize, RequiredSkills = [.. v.RequiredSkills ?? []], PreferredStaffIds = [.. v.PreferredStaffIds ?? []],
            StartDate = v.StartDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), MeetingLink = v.MeetingLink,
        };
        form.Days = [.. Enumerable.Range(1, 7).Select(d => (v.Windows ?? []).FirstOrDefault(w => w.Day == d) is { } w
            ? new DayForm { On = true, From = w.From, To = w.To }
            : new DayForm { On = false })];
        return form;
    }

    private static PlanContent ToContent(PlanForm form, out List<int> windowDays)
    {
        windowDays = [];
        var windows = new List<WindowDto>();
        for (var d = 1; d <= Math.Min(7, form.Days.Count); d++)
        {
            if (form.Days[d - 1] is { On: true } day)
            {
                windows.Add(new WindowDto(d, day.From, day.To));
                windowDays.Add(d);
            }
        }
        var goals = (form.Goals ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new PlanContent((form.CoursePlan ?? "").Trim(), (form.Content ?? "").Trim(), goals, form.Mode, form.HomeVisitsPerWeek, form.RemoteSessionsPerWeek,
            form.LessonsPerVisit, windows, form.RequiredSkills, form.TeamSize, form.PreferredStaffIds, MeetingLink: form.MeetingLink);
    }
}
