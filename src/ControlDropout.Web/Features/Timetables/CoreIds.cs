using ControlDropout.Web.Infrastructure;
using ControlDropout.Scheduling.Scenarios;
using ControlDropout.Web.Domain;
using Core = ControlDropout.Scheduling.Scenarios;

namespace ControlDropout.Web.Features.Timetables;

/// <summary>
/// The one crossing between the service's records and the scheduling core's: typed Guids here, the
/// core's string ids there. Every builder, expander and re-planner converts through these and nowhere else.
/// </summary>
[SharedRule]
public static class CoreIds
{
    public static Core.StudentId Student(Domain.StudentId id) => new(id.Value.ToString());

    public static Domain.StudentId Student(Core.StudentId id) => new(Guid.Parse(id.Value));

    public static TeacherId Teacher(Guid staffId) => new(staffId.ToString());

    public static TeacherId Teacher(StaffId id) => Teacher(id.Value);

    /// <summary>Sessions keep their team as the staff members' Guids.</summary>
    public static Guid Staff(TeacherId id) => Guid.Parse(id.Value);

    /// <summary>A staff member's base: where their working day starts and ends.</summary>
    public static PlaceId Base(StaffId id) => new($"base-{id}");

    public static PlaceId Home(Domain.StudentId id) => new($"home-{id}");

    public static SessionMode Mode(string mode) => mode == SessionModes.Home ? SessionMode.Home : SessionMode.Remote;

    public static string Mode(SessionMode mode) => mode == SessionMode.Home ? SessionModes.Home : SessionModes.Remote;

    /// <summary>ISO day 1 (Monday) … 7 (Sunday) to the scenario's day.</summary>
    public static Weekday Day(int isoDay) => (Weekday)(isoDay - 1);

    /// <summary>A stored session as the core's placement in the week starting <paramref name="monday"/>.</summary>
    public static SessionPlacement Placement(TimetableSession s, DateOnly monday) => new(
        Student(s.StudentId), Mode(s.Mode), (Weekday)(s.Date.DayNumber - monday.DayNumber), s.Start, s.End, [.. s.StaffIds.Select(Teacher)]);
}
