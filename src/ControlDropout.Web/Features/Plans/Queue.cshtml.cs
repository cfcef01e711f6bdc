using ControlDropout.Web.Domain;
using ControlDropout.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ControlDropout.Web.Features.Plans;

/// <summary>The approver's queue: submitted plans with their eligibility at a glance.</summary>
[Authorize(Policy = Policies.Decide)]
public sealed class QueueModel(PlanWorkflow workflow, NameBook names) : PageModel
{
    /// <summary>How many recent decisions the queue shows under it.</summary>
    public const int RecentDecisions = 10;

    public sealed record Row(Guid PlanId, string Student, string School, int Version, string Mode, string SubmittedBy, string SubmittedAt, IReadOnlyList<string> Problems);

    public sealed record Decision(Guid PlanId, string Student, string Status, string DecidedBy, string DecidedAt, string? Opinion);

    public List<Row> Rows { get; } = [];
    public List<Decision> Decided { get; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var caller = Caller.From(User);
        await names.LoadAsync(caller.CountyCode, ct).ConfigureAwait(false);
        var plans = await workflow.Visible(caller).AsNoTracking().ToListAsync(ct).ConfigureAwait(false);
        foreach (var plan in plans.Select(p => (Plan: p, Current: PlanWorkflow.Current(p))).Where(x => x.Current.Status == PlanStatus.Submitted).OrderBy(x => x.Current.SubmittedAt))
        {
            var v = plan.Current;
            var failed = await workflow.EligibilityAsync(plan.Plan, v, ct).ConfigureAwait(false);
            Rows.Add(new Row(plan.Plan.Id.Value, names.Student(plan.Plan.StudentId.Value), names.School(plan.Plan.SchoolId.Value), v.Number,
                $"{Zh.Of(v.Mode)}，每周上门 {v.HomeVisitsPerWeek} 次、远程 {v.RemoteSessionsPerWeek} 次，每次 {v.LessonsPerVisit} 课时",
                v.SubmittedBy ?? "", v.SubmittedAt is { } at ? Zh.DateTime(at) : "", [.. failed.Select(f => f.Message)]));
        }
        Decided.AddRange(plans.SelectMany(p => p.Versions.Where(v => v.DecidedAt is not null).Select(v => (Plan: p, Version: v)))
            .OrderByDescending(x => x.Version.DecidedAt).Take(RecentDecisions)
            .Select(x => new Decision(x.Plan.Id.Value, names.Student(x.Plan.StudentId.Value), Zh.Of(x.Version.Status is PlanStatus.Rejected ? PlanStatus.Rejected : PlanStatus.Approved),
                x.Version.DecidedBy ?? "", Zh.DateTime(x.Version.DecidedAt!.Value), x.Version.Opinion)));
    }
}
