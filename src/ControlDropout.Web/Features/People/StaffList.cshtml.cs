using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Timetables;
using ControlDropout.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ControlDropout.Web.Features.People;

/// <summary>The county's staff (a coordinator's own school's), searchable, with this week's load.</summary>
[Authorize(Policy = nameof(Permission.ListStaff))]
public sealed class StaffListModel(PeopleDirectory people, StaffWeeks weeks, CurrentUser me, TimeProvider clock) : PageModel
{
    public sealed record Row(Guid Id, string Name, string Department, string Base, string Skills, int MaxSessions, bool Remote, int ThisWeek);

    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public Department? Department { get; set; }
    [BindProperty(SupportsGet = true)] public string? Skill { get; set; }

    public List<Row> Rows { get; } = [];
    public List<string> Skills { get; } = [];

    /// <summary>May register staff (the bureau, or a coordinator for their school).</summary>
    public bool CanEnrol => me.May(Permission.Enrol);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var list = await people.ListStaffAsync(ct).ConfigureAwait(false);
        if (!list.Succeeded)
        {
            return Forbid();
        }
        var staff = list.Value;
        var week = await weeks.LoadAsync(me.CountyCode, StaffWeeks.MondayOf(Zh.Today(clock)), null, null, ct).ConfigureAwait(false);
        var load = week.ToDictionary(w => w.Staff.Id.Value, w => w.Days.Sum(d => d.Stops.Count));
        Skills.AddRange(staff.SelectMany(s => s.Skills).Distinct().Order(StringComparer.Ordinal));
        foreach (var s in staff.OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            if ((!string.IsNullOrWhiteSpace(Q) && !s.Name.Contains(Q.Trim(), StringComparison.Ordinal))
                || (Department is { } d && s.Department != d)
                || (!string.IsNullOrEmpty(Skill) && !s.Skills.Contains(Skill)))
            {
                continue;
            }
            Rows.Add(new Row(s.Id, s.Name, Zh.Of(s.Department), s.BaseName, string.Join("、", s.Skills.Select(Zh.Skill)), s.MaxSessionsPerWeek, s.CanTeachRemotely, load.GetValueOrDefault(s.Id)));
        }
        return Page();
    }
}
