using ControlDropout.Scheduling.Scenarios;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ControlDropout.Web.Features.Policy;

/// <summary>
/// 县级政策: the county's policy as it stands, and the planning rules a run follows — the start grid
/// (开始时间间隔) and what a change of a child's day, start or team is worth (调整代价). Saved through
/// <see cref="CountyPolicies"/>, so the page refuses what the API refuses and every change is audited.
/// </summary>
[Authorize(Policy = nameof(Permission.ManageCounty))]
public sealed class PlanningModel(CountyPolicies policies) : PageModel
{
    public sealed class PlanningForm
    {
        public int StartTimeStepMinutes { get; set; } = CountyPolicy.DefaultStartTimeStepMinutes;
        public int ChangePenaltyMinutes { get; set; } = CountyPolicy.DefaultChangePenaltyMinutes;
    }

    public static IReadOnlyList<int> Steps => SolveOptions.StartTimeSteps;

    [BindProperty]
    public PlanningForm Form { get; set; } = new();

    public PolicyDto? Policy { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var current = await policies.GetAsync(ct).ConfigureAwait(false);
        if (current.Refusal is not null)
        {
            return Forbid();
        }
        Policy = current.Value;
        Form = new PlanningForm { StartTimeStepMinutes = Policy.StartTimeStepMinutes, ChangePenaltyMinutes = Policy.ChangePenaltyMinutes };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var current = await policies.GetAsync(ct).ConfigureAwait(false);
        if (current.Refusal is not null)
        {
            return Forbid();
        }
        Policy = current.Value;
        if (!ModelState.IsValid)
        {
            return Page();
        }
        // Only the planning rules are edited here: the rest of the policy is posted back as it stands.
        var result = await policies.PutAsync(Policy with { StartTimeStepMinutes = Form.StartTimeStepMinutes, ChangePenaltyMinutes = Form.ChangePenaltyMinutes }, ct)
            .ConfigureAwait(false);
        if (result.Refusal?.Status == StatusCodes.Status403Forbidden)
        {
            return Forbid();
        }
        if (result.Refused(ModelState, FormFields.Under("Form")))
        {
            return Page();
        }
        TempData["Done"] = "排课规则已保存，下次排课起生效";
        return RedirectToPage();
    }
}
