using ControlDropout.Scheduling.Timetables;
using ControlDropout.Web.Data;
using ControlDropout.Web.Features.People;
using ControlDropout.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using CoreTimetable = ControlDropout.Scheduling.Timetables.Timetable;

namespace ControlDropout.Web.Features.Timetables;

/// <summary>A child's template session the solver moved against the version in force: what it was, and what the child has now (none when no longer placed).</summary>
public sealed record SolverChangeDto(Guid StudentId, string Child, SlotDto Was, SlotDto? Now);

/// <summary>One teacher's template week as the solver planned it: what the load balance and the daily driving cap are judged on.</summary>
public sealed record TeacherLoadDto(Guid StaffId, string Name, int Sessions, int TeachingMinutes, int TravelMinutes, int MaxDayTravelMinutes);

/// <summary>A capacity reason's shortage in plain Chinese ("特殊教育教师不足：每周缺 32 次"), for each child (and mode) it explains.</summary>
public sealed record ShortageDto(Guid StudentId, string Mode, string Text);

/// <summary>
/// 调整与负担: what the solver reported about a draft's template week — the changes it made against the
/// version in force (<see cref="BaselineChanges"/> null when there was none), each teacher's sessions,
/// teaching and driving minutes, and for a child not covered, which resource is short and by how much.
/// </summary>
public sealed record DraftReportDto(Guid TimetableId, int? BaselineChanges, IReadOnlyList<SolverChangeDto> Changes, IReadOnlyList<TeacherLoadDto> Teachers,
    IReadOnlyList<ShortageDto> Shortages);

/// <summary>
/// Reads the solver's own account of a timetable (its template, kept as solved). It names children and
/// staff, so it is for those who run and publish timetables only.
/// </summary>
public sealed class DraftReport(AppDbContext db, CurrentUser me, NameBook names)
{
    public async Task<Result<DraftReportDto>> GetAsync(Guid timetableId, CancellationToken ct)
    {
        if (!me.May(Permission.ManageCounty))
        {
            return Refusal.NotAllowed();
        }
        var json = await db.Timetables.AsNoTracking().Where(t => t.Id == timetableId && t.CountyCode == me.CountyCode)
            .Select(t => t.TemplateJson).SingleOrDefaultAsync(ct).ConfigureAwait(false);
        if (json is null)
        {
            return Refusal.NotFound();
        }
        await names.LoadAsync(me.CountyCode, ct).ConfigureAwait(false);
        var template = Template(json);
        if (template is null)
        {
            return new DraftReportDto(timetableId, null, [], [], []);
        }
        return new DraftReportDto(timetableId, template.Metrics?.BaselineChanges,
            [.. template.Changes.IsDefault ? [] : template.Changes.Select(c => new SolverChangeDto(
                CoreIds.Student(c.StudentId).Value, Masking.Name(names.Student(CoreIds.Student(c.StudentId).Value)), Slot(c.Was), c.Now is { } now ? Slot(now) : null))],
            [.. (template.Metrics is { Teachers.IsDefault: false } m ? m.Teachers : [])
                .Select(t => new TeacherLoadDto(CoreIds.Staff(t.TeacherId), names.StaffMember(CoreIds.Staff(t.TeacherId)), t.Sessions, t.TeachingMinutes, t.TravelMinutes, t.MaxDayTravelMinutes))
                .OrderByDescending(t => t.TravelMinutes).ThenBy(t => t.Name, StringComparer.Ordinal)],
            [.. template.Unassigned.Where(u => u.Reason.Shortage is not null)
                .Select(u => new ShortageDto(CoreIds.Student(u.StudentId).Value, CoreIds.Mode(u.Mode), Describe(u.Reason.Shortage!)))]);
    }

    /// <summary>How many template sessions the solver changed against the version in force; null without one (or for a template that no longer reads).</summary>
    public static int? BaselineChangesOf(string templateJson) => Template(templateJson)?.Metrics?.BaselineChanges;

    /// <summary>
    /// A shortage as the bureau says it: "特殊教育教师不足：每周缺 32 次". Skills are named as everywhere else
    /// (<see cref="Zh.Skill"/>); an area, days or a team shape are named as the solver names them.
    /// </summary>
    public static string Describe(Shortage shortage)
    {
        var what = shortage.Kind switch
        {
            ShortageKinds.Skill => $"{Zh.Skill(shortage.Name)}教师不足",
            ShortageKinds.Area => $"能到达{shortage.Name}（片区）的教师不足",
            ShortageKinds.Day => $"{shortage.Name}（日期）可用的教师时间不足",
            ShortageKinds.Team => $"双人团队的第二名成员不足（{shortage.Name}）",
            _ => $"{shortage.Name}不足",
        };
        return $"{what}：每周缺 {shortage.SessionsPerWeek} 次";
    }

    private SlotDto Slot(Scheduling.Scenarios.SessionPlacement p)
    {
        var staff = p.TeacherIds.Select(CoreIds.Staff).ToList();
        return new SlotDto((int)p.Day + 1, p.Start, p.End, CoreIds.Mode(p.Mode), staff, [.. staff.Select(names.StaffMember)]);
    }

    /// <summary>A stored template week as the core wrote it; null for one stored before a field existed, or damaged.</summary>
    public static CoreTimetable? Template(string json)
    {
        try
        {
            return TimetableJson.Read(json);
        }
        // A template stored before a field existed, or damaged: the draft still shows, without the solver's account.
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
