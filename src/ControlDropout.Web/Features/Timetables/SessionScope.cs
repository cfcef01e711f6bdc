using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ControlDropout.Web.Features.Timetables;

/// <summary>
/// Which dated sessions a caller may see, written once for every list of sessions (the API, staff
/// weeks, the staff page): a teacher their own, a coordinator those of their school's children,
/// every other county role the county's. The timetable itself is already scoped to the county.
/// </summary>
[SharedRule]
public static class SessionScope
{
    /// <summary>The session as the county's published timetable holds it now (any row of that key), or null.</summary>
    public static async Task<TimetableSession?> PublishedAsync(AppDbContext db, string countyCode, string key, CancellationToken ct)
    {
        var published = db.Timetables.Where(t => t.CountyCode == countyCode && t.Status == TimetableStatus.Published).Select(t => t.Id);
        return await db.Sessions.AsNoTracking().Where(s => published.Contains(s.TimetableId) && s.SessionKey == key).FirstOrDefaultAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Whether the session is the caller's to act on: a teacher's when they are on its team, a coordinator's when the child is their school's, the county's other roles always.</summary>
    public static bool Holds(this CurrentUser me, TimetableSession session, Student child) =>
        me.IsTeacher ? me.StaffId is { } staff && session.StaffIds.Contains(staff.Value) : me.ActsFor(child.SchoolOfRecordId);

    public static IQueryable<TimetableSession> VisibleTo(this IQueryable<TimetableSession> sessions, CurrentUser me, AppDbContext db)
    {
        if (me.IsTeacher)
        {
            return me.StaffId is { } staff ? sessions.Where(s => s.Team.Any(t => t.StaffId == staff.Value)) : sessions.Where(s => false);
        }
        if (me.IsCoordinator)
        {
            if (me.SchoolId is not { } school)
            {
                return sessions.Where(s => false);
            }
            var children = db.Students.Where(c => c.CountyCode == me.CountyCode && c.SchoolOfRecordId == school).Select(c => c.Id);
            return sessions.Where(s => children.Contains(s.StudentId));
        }
        return sessions;
    }
}
