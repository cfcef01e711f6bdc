using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Plans;
using ControlDropout.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ControlDropout.Web.Features.People;

/// <summary>The children a coordinator (their school) or the bureau (the county) is responsible for, searchable and filtered.</summary>
public sealed class ChildrenModel(AppDbContext db, PlanWorkflow workflow, NameBook names, TimeProvider clock) : PageModel
{
    public sealed record Row(Guid Id, string Name, string Gender, string Birth, string Disability, string Village, string Phone, Guid? PlanId, string PlanStatus);

    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public string? Township { get; set; }
    [BindProperty(SupportsGet = true)] public DisabilityCategory? Category { get; set; }
    [BindProperty(SupportsGet = true)] public string? Plan { get; set; }

    public List<Row> Rows { get; } = [];
    public List<(string Code, string Name)> TownshipChoices { get; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var caller = Caller.From(User);
        if (caller.Role == Roles.Teacher)
        {
            return Forbid();
        }
        await names.LoadAsync(caller.CountyCode, ct).ConfigureAwait(false);
        TownshipChoices.AddRange(names.Townships.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => (t.Key, t.Value)));
        // The API's own list: its scope and its masks.
        var students = PeopleEndpoints.ListStudents(User, db, ct).Result.Value!;
        var today = Zh.Today(clock);
        var terms = await db.Terms.AsNoTracking().Where(t => t.CountyCode == caller.CountyCode).ToListAsync(ct).ConfigureAwait(false);
        var term = Calendar.CurrentTerm.Pick(terms, today);
        var plans = term is null ? [] : await workflow.Visible(caller).AsNoTracking().Where(p => p.TermId == term.Id).ToListAsync(ct).ConfigureAwait(false);
        var planOf = plans.ToDictionary(p => p.StudentId.Value);
        foreach (var s in students)
        {
            var plan = planOf.GetValueOrDefault(s.Id);
            var status = plan is null ? null : (PlanStatus?)PlanWorkflow.Current(plan).Status;
            if ((!string.IsNullOrWhiteSpace(Q) && !s.Name.Contains(Q.Trim(), StringComparison.Ordinal))
                || (!string.IsNullOrEmpty(Township) && !s.VillageCode.StartsWith(Township, StringComparison.Ordinal))
                || (Category is { } c && s.DisabilityCategory != c)
                || (Plan == "none" && plan is not null)
                || (Enum.TryParse<PlanStatus>(Plan, out var wanted) && status != wanted))
            {
                continue;
            }
            Rows.Add(new Row(s.Id, s.Name, s.Gender, $"{s.BirthDate.Year}年{s.BirthDate.Month}月", $"{Zh.Of(s.DisabilityCategory)}{Zh.Grade(s.DisabilityGrade)}",
                names.Village(s.VillageCode), string.Join("、", s.Guardians.Select(g => g.Phone)), plan?.Id.Value, status is { } st ? Zh.Of(st) : ""));
        }
        return Page();
    }
}
