using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ControlDropout.Web.Features.Timetables;

/// <summary>
/// Each staff member's dated week, with its roads: for the teacher's week, the staff pages and the travel
/// picture. Only the sessions the caller may see are in it (<see cref="SessionScope"/>): a coordinator's
/// weeks hold their school's children only, a teacher's only their own sessions. Each session's state is
/// <see cref="RecordFacts.StatusOf"/> at the time the week was read, with the county's grace period.
/// </summary>
public sealed class StaffWeeks(AppDbContext db, CurrentUser me, NameBook names, TimeProvider clock)
{
    /// <param name="Now">When the week was read: what each session came to is as of then.</param>
    /// <param name="GraceHours">The county's <see cref="CountyPolicy.MissedGraceHours"/>.</param>
    /// <param name="LeaveDays">The days of the week the staff member is on leave (请假).</param>
    public sealed record Week(Staff Staff, IReadOnlyList<DayRoute> Days, DateTimeOffset Now, int GraceHours, IReadOnlySet<DateOnly>? LeaveDays = null)
    {
        public IReadOnlySet<DateOnly> Leave => LeaveDays ?? new HashSet<DateOnly>();

        public int TravelMinutes => Days.Sum(d => d.TravelMinutes);

        /// <summary>What the session came to (delivered, missed, scheduled…), the one way every page derives it.</summary>
        public SessionStatus StatusOf(TimetableSession session) => RecordFacts.StatusOf(session, Now, GraceHours);
    }

    /// <summary>The week from <paramref name="monday"/> of the given timetable, or of the county's published timetables when none is given.</summary>
    /// <param name="countyCode">The caller's county; any other county's weeks are empty.</param>
    public async Task<IReadOnlyList<Week>> LoadAsync(string countyCode, DateOnly monday, Guid? timetableId, StaffId? only, CancellationToken ct)
    {
        if (countyCode != me.CountyCode)
        {
            return [];
        }
        await names.LoadAsync(countyCode, ct).ConfigureAwait(false);
        var sunday = monday.AddDays(6);
        var timetables = timetableId is { } id
            ? db.Timetables.Where(t => t.CountyCode == countyCode && t.Id == id).Select(t => t.Id)
            : db.Timetables.Where(t => t.CountyCode == countyCode && t.Status == TimetableStatus.Published).Select(t => t.Id);
        var sessions = await db.Sessions.AsNoTracking().Where(s => timetables.Contains(s.TimetableId) && s.Date >= monday && s.Date <= sunday)
            .VisibleTo(me, db).ToListAsync(ct).ConfigureAwait(false);
        var staffQuery = db.Staff.AsNoTracking().Where(s => s.CountyCode == countyCode);
        if (only is { } one)
        {
            staffQuery = staffQuery.Where(s => s.Id == one);
        }
        var staff = await staffQuery.OrderBy(s => s.Name).ToListAsync(ct).ConfigureAwait(false);
        var childIds = sessions.Select(s => s.StudentId).Distinct().ToList();
        var children = await db.Students.AsNoTracking().Where(s => childIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, ct).ConfigureAwait(false);
        var grace = await db.Policies.AsNoTracking().Where(p => p.CountyCode == countyCode).Select(p => (int?)p.MissedGraceHours).SingleOrDefaultAsync(ct).ConfigureAwait(false)
            ?? CountyPolicy.DefaultMissedGraceHours;
        var now = clock.GetUtcNow();
        var staffIds = staff.Select(s => s.Id).ToList();
        var leave = (await db.Leave.AsNoTracking().Where(l => l.CountyCode == countyCode && staffIds.Contains(l.StaffId) && l.FirstDay <= sunday && l.LastDay >= monday)
            .ToListAsync(ct).ConfigureAwait(false)).ToLookup(l => l.StaffId);
        return [.. staff.Select(s => new Week(s, DayRoutes.For(s, sessions, children, names.Village), now, grace,
            Enumerable.Range(0, 7).Select(monday.AddDays).Where(d => leave[s.Id].Any(l => l.FirstDay <= d && d <= l.LastDay)).ToHashSet()))];
    }

    /// <summary>
    /// One staff member of the caller's county and their week. A coordinator may open another school's
    /// staff member (they propose staff for plans and need to see when that person visits their own
    /// children), but the week shows only their school's children: whom else the teacher visits, and where,
    /// is not theirs to read.
    /// </summary>
    public async Task<Result<Week>> OfAsync(StaffId staffId, DateOnly monday, CancellationToken ct)
    {
        if (!me.May(Permission.ListStaff))
        {
            return Refusal.NotAllowed();
        }
        if (!await db.Staff.AnyAsync(s => s.Id == staffId && s.CountyCode == me.CountyCode, ct).ConfigureAwait(false))
        {
            return Refusal.NotFound();
        }
        return (await LoadAsync(me.CountyCode, MondayOf(monday), null, staffId, ct).ConfigureAwait(false)).Single();
    }

    public static DateOnly MondayOf(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
}
