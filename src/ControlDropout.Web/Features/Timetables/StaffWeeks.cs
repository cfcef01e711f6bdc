using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ControlDropout.Web.Features.Timetables;

/// <summary>Each staff member's dated week, with its roads: for the teacher's week, the staff page and the travel picture.</summary>
public sealed class StaffWeeks(AppDbContext db, NameBook names)
{
    public sealed record Week(Staff Staff, IReadOnlyList<DayRoute> Days)
    {
        public int TravelMinutes => Days.Sum(d => d.TravelMinutes);
    }

    /// <summary>The week from <paramref name="monday"/> of the given timetable, or of the county's published timetables when none is given.</summary>
    public async Task<IReadOnlyList<Week>> LoadAsync(string countyCode, DateOnly monday, Guid? timetableId, StaffId? only, CancellationToken ct)
    {
        await names.LoadAsync(countyCode, ct).ConfigureAwait(false);
        var sunday = monday.AddDays(6);
        var timetables = timetableId is { } id
            ? db.Timetables.Where(t => t.CountyCode == countyCode && t.Id == id).Select(t => t.Id)
            : db.Timetables.Where(t => t.CountyCode == countyCode && t.Status == TimetableStatus.Published).Select(t => t.Id);
        var sessions = await db.Sessions.AsNoTracking().Where(s => timetables.Contains(s.TimetableId) && s.Date >= monday && s.Date <= sunday)
            .ToListAsync(ct).ConfigureAwait(false);
        var staff = await db.Staff.AsNoTracking().Where(s => s.CountyCode == countyCode).OrderBy(s => s.Name).ToListAsync(ct).ConfigureAwait(false);
        if (only is { } me)
        {
            staff = [.. staff.Where(s => s.Id == me)];
        }
        var childIds = sessions.Select(s => s.StudentId).Distinct().ToList();
        var children = await db.Students.AsNoTracking().Where(s => childIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, ct).ConfigureAwait(false);
        return [.. staff.Select(s => new Week(s, DayRoutes.For(s, sessions, children, names.Village)))];
    }

    public static DateOnly MondayOf(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
}
