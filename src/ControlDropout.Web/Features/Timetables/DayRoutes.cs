using Place = ControlDropout.Scheduling.Scenarios.Place;
using PlaceId = ControlDropout.Scheduling.Scenarios.PlaceId;
using ControlDropout.Scheduling.Travel;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Infrastructure;

namespace ControlDropout.Web.Features.Timetables;

/// <summary>One stop of a staff member's day: when to leave the previous place, how long the road, where.</summary>
public sealed record RouteStop(TimetableSession Session, string ChildName, string PlaceName, int TravelMinutes, TimeOnly Depart);

/// <summary>A staff member's dated day: leave base, visit in start order, return.</summary>
public sealed record DayRoute(DateOnly Date, IReadOnlyList<RouteStop> Stops, int ReturnMinutes, TimeOnly Back)
{
    public int TravelMinutes => Stops.Sum(s => s.TravelMinutes) + ReturnMinutes;
}

/// <summary>
/// The roads behind a staff member's dated sessions, with the travel model the solver planned with
/// (<see cref="Conventions.Travel"/>), so that the departure a teacher reads is the one the timetable assumed —
/// also for sessions a holiday or leave moved after solving. Remote sessions are taught from the base.
/// </summary>
[SharedRule]
public static class DayRoutes
{
    public static IReadOnlyList<DayRoute> For(Staff staff, IEnumerable<TimetableSession> sessions, IReadOnlyDictionary<StudentId, Student> students, Func<string, string> villageName)
    {
        var home = new Place(new PlaceId("base"), staff.BaseName, staff.BaseLat, staff.BaseLon);
        var routes = new List<DayRoute>();
        foreach (var day in sessions.Where(s => s.StaffIds.Contains(staff.Id.Value) && s.Status != SessionStatus.Cancelled).GroupBy(s => s.Date).OrderBy(g => g.Key))
        {
            var at = home;
            var stops = new List<RouteStop>();
            foreach (var session in day.OrderBy(s => s.Start))
            {
                var child = students.GetValueOrDefault(session.StudentId);
                var place = session.Mode == SessionModes.Remote || child is null
                    ? home
                    : new Place(new PlaceId(child.Id.ToString()), villageName(child.VillageCode), child.HomeLat, child.HomeLon);
                var minutes = TravelTimes.HaversineMinutes(at, place, Conventions.Travel);
                stops.Add(new RouteStop(session, child?.Name ?? "", place == home ? staff.BaseName + "（远程）" : place.Name, minutes, session.Start.AddMinutes(-minutes)));
                at = place;
            }
            var back = TravelTimes.HaversineMinutes(at, home, Conventions.Travel);
            routes.Add(new DayRoute(day.Key, stops, back, stops[^1].Session.End.AddMinutes(back)));
        }
        return routes;
    }
}
