using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Calendar;
using ControlDropout.Web.Features.Plans;
using ControlDropout.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ControlDropout.Web.Features.People;

/// <summary>The children a coordinator (their school) or the bureau (the county) is responsible for, searchable and filtered.</summary>
public sealed class ChildrenModel(PeopleDirectory people, PlanDecisions plans, CurrentTerm terms, NameBook names, CurrentUser me) : PageModel
{
    public sealed record Row(Guid Id, string Name, string Gender, string Birth, string Disability, string Village, string Phone, Guid? PlanId, string PlanStatus);

    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public string? Township { get; set; }
    [BindProperty(SupportsGet = true)] public DisabilityCategory? Category { get; set; }
    [BindProperty(SupportsGet = true)] public string? Plan { get; set; }

    public List<Row> Rows { get; } = [];
    public List<(string Code, string Name)> TownshipChoices { get; } = [];

    /// <summary>May register children (the bureau for the county, a coordinator for their school).</summary>
    public bool CanEnrol => me.May(Permission.Enrol);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        // Teachers work from their week and the session pages, not from the roll.
        if (me.IsTeacher)
        {
            return Forbid();
        }
        await names.LoadAsync(me.CountyCode, ct).ConfigureAwait(false);
        TownshipChoices.AddRange(names.Townships.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => (t.Key, t.Value)));
        var students = (await people.ListStudentsAsync(ct).ConfigureAwait(false)).Value;
        var term = await terms.FindAsync(ct).ConfigureAwait(false);
        var planOf = term is null
            ? []
            : (await plans.ListAsync(null, null, term.Id, ct).ConfigureAwait(false)).Value.ToDictionary(p => p.StudentId);
        foreach (var s in students)
        {
            var plan = planOf.GetValueOrDefault(s.Id);
            var status = plan?.Status;
            if ((!string.IsNullOrWhiteSpace(Q) && !s.Name.Contains(Q.Trim(), StringComparison.Ordinal))
                || (!string.IsNullOrEmpty(Township) && !s.VillageCode.StartsWith(Township, StringComparison.Ordinal))
                || (Category is { } c && s.DisabilityCategory != c)
                || (Plan == "none" && plan is not null)
                || (Enum.TryParse<PlanStatus>(Plan, out var wanted) && status != wanted))
            {
                continue;
            }
            Rows.Add(new Row(s.Id, s.Name, s.Gender, $"{s.BirthDate.Year}年{s.BirthDate.Month}月", $"{Zh.Of(s.DisabilityCategory)}{Zh.Grade(s.DisabilityGrade)}",
                names.Village(s.VillageCode), string.Join("、", s.Guardians.Select(g => g.Phone)), plan?.Id, status is { } st ? Zh.Of(st) : ""));
        }
        return Page();
    }
}
