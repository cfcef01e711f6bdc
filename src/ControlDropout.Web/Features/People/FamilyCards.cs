using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Calendar;
using ControlDropout.Web.Features.Plans;
using ControlDropout.Web.Features.Visits;
using ControlDropout.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ControlDropout.Web.Features.People;

/// <summary>One session on the family's card: when, how, who comes; moved or cancelled said in words.</summary>
public sealed record FamilySession(DateOnly Date, TimeOnly Start, TimeOnly End, string Mode, IReadOnlyList<string> Team, string? MovedBecause, bool Cancelled, string? MeetingLink);

/// <summary>A week of the term on the card: its sessions, or why nobody comes (a holiday, a closure).</summary>
public sealed record FamilyWeek(string Week, DateOnly Monday, string? NoTeaching, IReadOnlyList<FamilySession> Sessions);

/// <summary>A teacher of the child's team, with the phone in full: the family must be able to call.</summary>
public sealed record FamilyTeacher(Guid StaffId, string Name, string Phone, string? School);

/// <summary>
/// 课表卡: what a family keeps on the wall — the child's name, the term, each week's sessions, the teachers and
/// their phones, the school, the confirmation code the guardian tells the teacher at each visit, and the meeting
/// link of remote sessions.
/// </summary>
public sealed record FamilyCardDto(Guid StudentId, string ChildName, Guid TermId, string TermName, DateOnly FirstDay, DateOnly LastDay, string SchoolName,
    string ConfirmationCode, IReadOnlyList<FamilyWeek> Weeks, IReadOnlyList<FamilyTeacher> Teachers);

/// <summary>
/// The family's printed 课表 card. Who may see the child may print it (<see cref="PeopleDirectory.VisibleStudentReadOnlyAsync"/>:
/// the school's coordinator, the county roles, a teacher of the child's team); anyone else, and another county's
/// child, is answered as if the child did not exist. The card shows staff phones in full and the family's
/// confirmation code, so every print is an audited read (ids only in the summary).
/// </summary>
public sealed class FamilyCards(AppDbContext db, CurrentUser me, PeopleDirectory people, CurrentTerm currentTerm, HolidayCalendar holidays, ConfirmationCodes codes)
{
    public async Task<Result<FamilyCardDto>> ForAsync(StudentId studentId, TermId? termId, CancellationToken ct)
    {
        // Every county role works with children; what each may see of them is the scope below.
        if (!me.May(Permission.ListStaff) && !me.May(Permission.RecordVisits))
        {
            return Refusal.NotAllowed();
        }
        var child = await people.VisibleStudentReadOnlyAsync(studentId, ct).ConfigureAwait(false);
        if (child is null)
        {
            return Refusal.NotFound();
        }
        var term = termId is { } wanted
            ? await db.Terms.AsNoTracking().SingleOrDefaultAsync(t => t.Id == wanted && t.CountyCode == me.CountyCode, ct).ConfigureAwait(false)
            : await currentTerm.FindAsync(ct).ConfigureAwait(false);
        if (term is null)
        {
            return Refusal.NotFound();
        }
        var published = db.Timetables.Where(t => t.CountyCode == me.CountyCode && t.TermId == term.Id && t.Status == TimetableStatus.Published).Select(t => t.Id);
        var sessions = await db.Sessions.AsNoTracking().Where(s => published.Contains(s.TimetableId) && s.StudentId == studentId)
            .OrderBy(s => s.Date).ThenBy(s => s.Start).ToListAsync(ct).ConfigureAwait(false);
        var teamIds = sessions.SelectMany(s => s.StaffIds).Distinct().Select(id => new StaffId(id)).ToList();
        var staff = await db.Staff.AsNoTracking().Where(s => s.CountyCode == me.CountyCode && teamIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id.Value, ct).ConfigureAwait(false);
        var schools = await db.Schools.AsNoTracking().Where(s => s.CountyCode == me.CountyCode).ToDictionaryAsync(s => s.Id, s => s.Name, ct).ConfigureAwait(false);
        var plan = (await db.Plans.AsNoTracking().Include(p => p.Versions).Where(p => p.StudentId == studentId && p.TermId == term.Id).ToListAsync(ct).ConfigureAwait(false))
            .SelectMany(p => p.Versions).Where(v => v.Status is PlanStatus.Approved or PlanStatus.Active).OrderByDescending(v => v.Number).FirstOrDefault();
        var township = Conventions.TownshipOf(child.VillageCode);
        var closures = await db.Closures.AsNoTracking().Where(c => c.CountyCode == me.CountyCode && (c.TownshipCode == null || c.TownshipCode == township))
            .ToListAsync(ct).ConfigureAwait(false);
        var calendar = TermCalendar.Weeks(term, holidays, closures, township);

        var weeks = new List<FamilyWeek>();
        foreach (var week in calendar)
        {
            var mine = sessions.Where(s => s.Date >= week.Monday && s.Date <= week.Monday.AddDays(6))
                .Select(s => new FamilySession(s.Date, s.Start, s.End, s.Mode, [.. s.StaffIds.Select(id => staff.TryGetValue(id, out var m) ? m.Name : "")],
                    s.MovedBecause, s.Status == SessionStatus.Cancelled, MeetingLinks.Of(s, plan)))
                .ToList();
            var noTeaching = week.Exempt ? NoTeachingReason(week) : null;
            if (mine.Count > 0 || noTeaching is not null)
            {
                weeks.Add(new FamilyWeek(week.Week, week.Monday, noTeaching, mine));
            }
        }
        var teachers = staff.Values.OrderBy(s => s.Name, StringComparer.Ordinal)
            .Select(s => new FamilyTeacher(s.Id.Value, s.Name, s.Phone, s.SchoolId is { } sid ? schools.GetValueOrDefault(sid) : null)).ToList();
        var code = await codes.ForAsync(studentId, term.Id, ct).ConfigureAwait(false);
        await db.RecordReadAsync("print-family-card", "Student", studentId.ToString(), $"term: {term.Id}; staff phones and confirmation code shown", ct).ConfigureAwait(false);
        return new FamilyCardDto(studentId.Value, child.Name, term.Id.Value, term.Name, term.FirstDay, term.LastDay, schools.GetValueOrDefault(child.SchoolOfRecordId, ""),
            code, weeks, teachers);
    }

    /// <summary>Why a week has no teaching day, in the calendar's own words (国庆节, 停课：…), else 放假.</summary>
    private static string NoTeachingReason(CalendarWeek week)
    {
        var notes = week.Days.Where(d => d.Kind is DayKind.Holiday or DayKind.Closed).Select(d => d.Kind == DayKind.Closed ? $"停课{(d.Note is { Length: > 0 } n ? "：" + n : "")}" : d.Note ?? "放假")
            .Distinct().ToList();
        return notes.Count == 0 ? "本周无教学日" : string.Join("、", notes);
    }
}
