using ControlDropout.Scheduling.Scenarios;
using static ControlDropout.Scheduling.Checking.CheckedWeek;

namespace ControlDropout.Scheduling.Checking;

// Rules 4–5: who teaches each session, and where it happens.
public static partial class TimetableChecker
{
    /// <summary>Rule 4: teamSize distinct teachers who together hold every required skill, all allowed, all able to teach remotely for a remote session.</summary>
    private static void Team(CheckedWeek week)
    {
        for (var i = 0; i < week.Sessions.Length; i++)
        {
            var x = week.Sessions[i];
            var s = week.Students[x.StudentId];
            var distinct = x.TeacherIds.Distinct().Count();
            if (x.TeacherIds.Length != s.TeamSize || distinct != x.TeacherIds.Length)
            {
                week.Add($"rule 4: {At(i, x)} has {distinct} distinct teachers, not {s.TeamSize}");
            }
            var skills = x.TeacherIds.SelectMany(t => week.Teachers[t].Skills).ToHashSet(StringComparer.Ordinal);
            foreach (var missing in s.RequiredSkills.Where(k => !skills.Contains(k)))
            {
                week.Add($"rule 4: {At(i, x)} lacks skill '{missing}'");
            }
            foreach (var t in x.TeacherIds)
            {
                if (s.AllowedTeacherIds is { } allowed && !allowed.Contains(t))
                {
                    week.Add($"rule 4: {At(i, x)} has teacher '{t}', who is not allowed");
                }
                if (x.Mode == SessionMode.Remote && !week.Teachers[t].CanTeachRemotely)
                {
                    week.Add($"rule 4: {At(i, x)} is remote but teacher '{t}' cannot teach remotely");
                }
            }
        }
    }

    /// <summary>
    /// Rule 5: a home session happens at the child's place, a remote one at each member's base
    /// (<see cref="CheckedWeek.PlaceOf"/>). Sessions do not name their place, so what can be broken is
    /// that the travel model does not know where that is; false when a route cannot be re-derived.
    /// </summary>
    private static bool Places(CheckedWeek week)
    {
        var known = true;
        for (var i = 0; i < week.Sessions.Length; i++)
        {
            var x = week.Sessions[i];
            foreach (var member in x.TeacherIds.Select(t => week.Teachers[t]))
            {
                foreach (var place in new[] { week.PlaceOf(x, member), member.BasePlaceId }.Distinct())
                {
                    if (!week.Travel.Knows(place))
                    {
                        week.Add($"rule 5: {At(i, x)} takes teacher '{member.Id}' to '{place}', which has no travel time in the scenario");
                        known = false;
                    }
                }
            }
        }
        return known;
    }
}
