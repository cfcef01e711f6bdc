using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.People;
using ControlDropout.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ControlDropout.Web.Features.Timetables;

/// <summary>One session of a teacher's week as the approver's table prints it.</summary>
public sealed record TeacherRow(DateOnly Date, TimeOnly Start, TimeOnly End, Guid StudentId, string Child, string Place, string Mode);

/// <summary>A teacher's week: their sessions in day and time order and their minutes on the road.</summary>
public sealed record TeacherTable(Guid StaffId, string Name, int TravelMinutes, IReadOnlyList<TeacherRow> Rows);

/// <summary>One session of a township's week: the child, when, and who goes.</summary>
public sealed record TownshipRow(Guid StudentId, string Child, string Village, DateOnly Date, TimeOnly Start, TimeOnly End, string Mode, IReadOnlyList<(Guid Id, string Name)> Team);

public sealed record TownshipTable(string Code, string Name, IReadOnlyList<TownshipRow> Rows);

/// <summary>A timetable's week as two tables: by teacher (teacher → day → time) and by township (township → child).</summary>
public sealed record TimetableTablesDto(Guid TimetableId, string Week, DateOnly Monday, IReadOnlyList<TeacherTable> ByTeacher, IReadOnlyList<TownshipTable> ByTownship);

/// <summary>One weekly session of a child as the change list compares it: weekday (1 = Monday), time, mode and team.</summary>
public sealed record SlotDto(int Day, TimeOnly Start, TimeOnly End, string Mode, IReadOnlyList<Guid> StaffIds, IReadOnlyList<string> Staff);

public enum ChildChangeKind
{
    /// <summary>Covered before and after, with another team, day or start.</summary>
    Changed,
    /// <summary>Not in the version in force, in the draft.</summary>
    NewlyCovered,
    /// <summary>In the version in force, not in the draft.</summary>
    NoLongerCovered,
}

/// <summary>A child whose week changes: old → new, by masked name.</summary>
public sealed record ChildChangeDto(Guid StudentId, string Name, ChildChangeKind Kind, bool TeamChanged, bool DayChanged, bool StartChanged,
    IReadOnlyList<SlotDto> Before, IReadOnlyList<SlotDto> After);

/// <summary>A teacher whose week changes: sessions, teaching minutes and minutes on the road, before → after.</summary>
public sealed record TeacherChangeDto(Guid StaffId, string Name, int SessionsBefore, int SessionsAfter, int MinutesBefore, int MinutesAfter, int TravelBefore, int TravelAfter);

/// <summary>
/// What publishing the draft would change, for the week compared (<see cref="Week"/>); <see cref="InForceId"/>
/// is null when no version is in force (then every child is newly covered).
/// </summary>
public sealed record TimetableChangesDto(Guid TimetableId, Guid? InForceId, string? Week, DateOnly? Monday,
    IReadOnlyList<ChildChangeDto> Children, IReadOnlyList<TeacherChangeDto> Teachers);

/// <summary>
/// The approver's timetable as tables (by teacher, by township) and the draft's changes against the version
/// in force. Both read dated sessions through <see cref="SessionScope"/>, so a coordinator or a teacher who
/// asks sees only the sessions they may see.
/// </summary>
public sealed class TimetableTables(AppDbContext db, CurrentUser me, NameBook names, StaffWeeks weeks)
{
    /// <summary>
    /// A child's name as the approver's tables and change list show it (<see cref="Masking.Name"/>), so that a printed
    /// timetable left on a desk names no child.
    /// </summary>
    private static string Masked(string name) => Masking.Name(name);

    /// <summary>The timetable's sessions in the week from <paramref name="monday"/>, as two tables.</summary>
    public async Task<Result<TimetableTablesDto>> WeekAsync(Guid timetableId, DateOnly monday, CancellationToken ct)
    {
        if (!await db.Timetables.AnyAsync(t => t.Id == timetableId && t.CountyCode == me.CountyCode, ct).ConfigureAwait(false))
        {
            return Refusal.NotFound();
        }
        monday = StaffWeeks.MondayOf(monday);
        await names.LoadAsync(me.CountyCode, ct).ConfigureAwait(false);
        var sessions = await WeekSessionsAsync(timetableId, monday, ct).ConfigureAwait(false);
        var childIds = sessions.Select(s => s.StudentId).Distinct().ToList();
        var villages = await db.Students.AsNoTracking().Where(s => childIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.VillageCode, ct).ConfigureAwait(false);
        var travel = (await weeks.LoadAsync(me.CountyCode, monday, timetableId, null, ct).ConfigureAwait(false)).ToDictionary(w => w.Staff.Id.Value, w => w.TravelMinutes);

        var byTeacher = sessions.SelectMany(s => s.StaffIds.Select(staff => (staff, s)))
            .GroupBy(x => x.staff)
            .Select(g => new TeacherTable(g.Key, names.StaffMember(g.Key), travel.GetValueOrDefault(g.Key),
                [.. g.Select(x => x.s).OrderBy(s => s.Date).ThenBy(s => s.Start)
                    .Select(s => new TeacherRow(s.Date, s.Start, s.End, s.StudentId.Value, Masked(names.Student(s.StudentId.Value)), PlaceOf(villages, s.StudentId), s.Mode))]))
            .OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
        var byTownship = sessions
            .GroupBy(s => villages.TryGetValue(s.StudentId, out var v) ? Conventions.TownshipOf(v) ?? "" : "")
            .Select(g => new TownshipTable(g.Key, g.Key.Length == 0 ? "（未知乡镇）" : names.Township(g.Key),
                [.. g.OrderBy(s => names.Student(s.StudentId.Value), StringComparer.Ordinal).ThenBy(s => s.StudentId.Value).ThenBy(s => s.Date).ThenBy(s => s.Start)
                    .Select(s => new TownshipRow(s.StudentId.Value, Masked(names.Student(s.StudentId.Value)), villages.TryGetValue(s.StudentId, out var v) ? names.Villages.GetValueOrDefault(v, v) : "",
                        s.Date, s.Start, s.End, s.Mode, [.. s.StaffIds.Select(id => (id, names.StaffMember(id)))]))]))
            .OrderBy(t => t.Code, StringComparer.Ordinal).ToList();
        return new TimetableTablesDto(timetableId, TermCalendarWeek(monday), monday, byTeacher, byTownship);
    }

    /// <summary>
    /// The draft against the version in force, compared on one dated week: the first week from
    /// <paramref name="from"/> (the day it would take effect) in which the draft has sessions, the same week of
    /// the version in force. A dated week and not the two templates: the version in force may already hold
    /// re-planned weeks (leave, closures) that the family lives with, and the same week's holidays shape both.
    /// </summary>
    public async Task<Result<TimetableChangesDto>> ChangesAsync(Guid draftId, DateOnly from, CancellationToken ct)
    {
        var draft = await db.Timetables.AsNoTracking().SingleOrDefaultAsync(t => t.Id == draftId && t.CountyCode == me.CountyCode, ct).ConfigureAwait(false);
        if (draft is null)
        {
            return Refusal.NotFound();
        }
        if (draft.Status != TimetableStatus.Draft)
        {
            return Refusal.Conflict("not_a_draft", "只有待发布的课表才有变化清单");
        }
        var inForce = (await db.Timetables.AsNoTracking().Where(t => t.CountyCode == me.CountyCode && t.TermId == draft.TermId && t.Status == TimetableStatus.Published)
            .ToListAsync(ct).ConfigureAwait(false)).OrderByDescending(t => t.PublishedAt).FirstOrDefault();
        var first = await db.Sessions.AsNoTracking().Where(s => s.TimetableId == draftId && s.Date >= from).OrderBy(s => s.Date)
            .Select(s => (DateOnly?)s.Date).FirstOrDefaultAsync(ct).ConfigureAwait(false);
        if (first is not { } day)
        {
            return new TimetableChangesDto(draftId, inForce?.Id, null, null, [], []);
        }
        var monday = StaffWeeks.MondayOf(day);
        await names.LoadAsync(me.CountyCode, ct).ConfigureAwait(false);
        var after = await WeekSessionsAsync(draftId, monday, ct).ConfigureAwait(false);
        var before = inForce is null ? [] : await WeekSessionsAsync(inForce.Id, monday, ct).ConfigureAwait(false);

        var children = new List<ChildChangeDto>();
        foreach (var child in before.Select(s => s.StudentId).Union(after.Select(s => s.StudentId)).Distinct())
        {
            var old = Slots(before.Where(s => s.StudentId == child));
            var now = Slots(after.Where(s => s.StudentId == child));
            var team = !old.SelectMany(s => s.StaffIds).ToHashSet().SetEquals(now.SelectMany(s => s.StaffIds));
            var days = !old.Select(s => s.Day).SequenceEqual(now.Select(s => s.Day));
            var starts = !old.Select(s => s.Start).SequenceEqual(now.Select(s => s.Start));
            var modes = !old.Select(s => s.Mode).SequenceEqual(now.Select(s => s.Mode), StringComparer.Ordinal);
            var kind = old.Count == 0 ? ChildChangeKind.NewlyCovered : now.Count == 0 ? ChildChangeKind.NoLongerCovered : ChildChangeKind.Changed;
            if (kind != ChildChangeKind.Changed || team || days || starts || modes)
            {
                children.Add(new ChildChangeDto(child.Value, Masked(names.Student(child.Value)), kind, team, days, starts, old, now));
            }
        }

        var travelBefore = inForce is null ? [] : (await weeks.LoadAsync(me.CountyCode, monday, inForce.Id, null, ct).ConfigureAwait(false)).ToDictionary(w => w.Staff.Id.Value, w => w.TravelMinutes);
        var travelAfter = (await weeks.LoadAsync(me.CountyCode, monday, draftId, null, ct).ConfigureAwait(false)).ToDictionary(w => w.Staff.Id.Value, w => w.TravelMinutes);
        var teachers = new List<TeacherChangeDto>();
        foreach (var staff in before.Concat(after).SelectMany(s => s.StaffIds).Distinct())
        {
            var old = before.Where(s => s.StaffIds.Contains(staff)).ToList();
            var now = after.Where(s => s.StaffIds.Contains(staff)).ToList();
            var same = old.Select(Key).ToHashSet(StringComparer.Ordinal).SetEquals(now.Select(Key));
            var (travelOld, travelNow) = (travelBefore.GetValueOrDefault(staff), travelAfter.GetValueOrDefault(staff));
            if (!same || travelOld != travelNow)
            {
                teachers.Add(new TeacherChangeDto(staff, names.StaffMember(staff), old.Count, now.Count, Minutes(old), Minutes(now), travelOld, travelNow));
            }
        }
        return new TimetableChangesDto(draftId, inForce?.Id, TermCalendarWeek(monday), monday,
            [.. children.OrderBy(c => c.Kind).ThenBy(c => c.Name, StringComparer.Ordinal).ThenBy(c => c.StudentId)],
            [.. teachers.OrderBy(t => t.Name, StringComparer.Ordinal)]);
    }

    private async Task<List<TimetableSession>> WeekSessionsAsync(Guid timetableId, DateOnly monday, CancellationToken ct)
    {
        var sunday = monday.AddDays(6);
        return await db.Sessions.AsNoTracking().Where(s => s.TimetableId == timetableId && s.Date >= monday && s.Date <= sunday && s.Status != SessionStatus.Cancelled)
            .VisibleTo(me, db).OrderBy(s => s.Date).ThenBy(s => s.Start).ToListAsync(ct).ConfigureAwait(false);
    }

    private List<SlotDto> Slots(IEnumerable<TimetableSession> sessions) =>
        [.. sessions.OrderBy(s => s.Date).ThenBy(s => s.Start)
            .Select(s => new SlotDto(((int)s.Date.DayOfWeek + 6) % 7 + 1, s.Start, s.End, s.Mode, [.. s.StaffIds.Order()], [.. s.StaffIds.Order().Select(names.StaffMember)]))];

    /// <summary>A session as a teacher's week knows it: the child, the day, the time and the mode.</summary>
    private static string Key(TimetableSession s) => $"{s.StudentId.Value}|{s.Date:yyyyMMdd}|{s.Start:HHmm}|{s.Mode}";

    private static int Minutes(IEnumerable<TimetableSession> sessions) => sessions.Sum(s => (int)(s.End - s.Start).TotalMinutes);

    private string PlaceOf(Dictionary<StudentId, string> villages, StudentId child) =>
        villages.TryGetValue(child, out var village) ? names.Village(village) : "";

    private static string TermCalendarWeek(DateOnly monday) => Calendar.TermCalendar.IsoWeekName(monday);
}
