using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Calendar;
using ControlDropout.Web.Features.People;
using ControlDropout.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ControlDropout.Web.Features.Plans;

/// <summary>The approver's queue: submitted plans with their eligibility at a glance.</summary>
[Authorize(Policy = nameof(Permission.ManageCounty))]
public sealed class QueueModel(PlanDecisions plans, NameBook names, CurrentUser me, ChildPath path, CurrentTerm terms) : PageModel
{
    /// <summary>How many recent decisions the queue shows under it.</summary>
    public const int RecentDecisions = 10;

    /// <summary>A submitted plan; <see cref="NeedsGradeException"/> when its 残疾等级 fails and no exception is recorded (the plan page takes one).</summary>
    public sealed record Row(Guid PlanId, string Student, string School, int Version, string Mode, string SubmittedBy, string SubmittedAt, IReadOnlyList<string> Problems, bool NeedsGradeException, string? AgeOut = null);

    public sealed record Decision(Guid PlanId, string Student, string Status, string DecidedBy, string DecidedAt, string? Opinion);

    public List<Row> Rows { get; } = [];
    public List<Decision> Decided { get; } = [];

    /// <summary>Children of the county with a plan this term who turn 16 before its end, from 30 days before (issue 13 §4).</summary>
    public List<AgeOutChild> AgingOut { get; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        await names.LoadAsync(me.CountyCode, ct).ConfigureAwait(false);
        if (await path.AgeOutWarningsAsync(await terms.FindAsync(ct).ConfigureAwait(false), ct).ConfigureAwait(false) is { Succeeded: true } aging)
        {
            AgingOut.AddRange(aging.Value);
        }
        var ageOut = AgingOut.ToDictionary(a => a.StudentId, a => a.Warning.Message);
        var queue = (await plans.QueueAsync(RecentDecisions, ct).ConfigureAwait(false)).Value;
        foreach (var (plan, _, failed, _) in queue.Submitted)
        {
            var v = plan.Versions[^1];
            Rows.Add(new Row(plan.Id, names.Student(plan.StudentId), names.School(plan.SchoolId), v.Number,
                $"{Zh.Of(v.Plan.Mode)}，每周上门 {v.Plan.HomeVisitsPerWeek} 次、远程 {v.Plan.RemoteSessionsPerWeek} 次，每次 {v.Plan.LessonsPerVisit} 课时",
                v.SubmittedBy ?? "", v.SubmittedAt is { } at ? Zh.DateTime(at) : "", [.. failed.Select(f => f.Message)], failed.Any(f => f.Code == "disability_grade"), ageOut.GetValueOrDefault(plan.StudentId)));
        }
        Decided.AddRange(queue.Decided.Select(d => new Decision(d.PlanId, names.Student(d.StudentId),
            Zh.Of(d.Version.Status is PlanStatus.Rejected ? PlanStatus.Rejected : PlanStatus.Approved),
            d.Version.DecidedBy ?? "", Zh.DateTime(d.Version.DecidedAt!.Value), d.Version.Opinion)));
    }
}
