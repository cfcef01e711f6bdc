using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Infrastructure;

namespace ControlDropout.Web.Features.Timetables;

/// <summary>
/// Which dated sessions a caller may see, written once for every list of sessions (the API, staff
/// weeks, the staff page): a teacher their own, a coordinator those of their school's children,
/// every other county role the county's. The timetable itself is already scoped to the county.
/// </summary>
public static class SessionScope
{
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
