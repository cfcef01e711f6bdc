using ControlDropout.Scheduling.Scenarios;
using ControlDropout.Scheduling.Timetables;

namespace ControlDropout.Scheduling.Solving;

/// <summary>
/// Puts the scenario's pinned sessions into the week as they are. A pinned session that breaks a hard
/// rule on its own or together with the other pins makes the scenario invalid: the solver must not
/// silently move what a person fixed. Pins are exempt from the start grid (rule 9): a session fixed
/// at 09:34 before the county chose a grid keeps 09:34.
/// </summary>
internal static class PinnedSessions
{
    public static List<ScenarioError> Place(Problem p, SearchContext ctx, WeekState state, bool[] isFixed)
    {
        var errors = new List<ScenarioError>();
        var pins = p.Scenario.Pinned;
        for (var i = 0; i < pins.Length; i++)
        {
            var pin = pins[i];
            var path = $"pinned[{i}]";
            var s = p.Students[p.StudentIndex[pin.StudentId]];
            var day = (int)pin.Day;
            var start = Problem.Minutes(pin.Start);
            var team = pin.TeacherIds.Select(id => p.TeacherIndex[id]).Order().ToArray();
            var demand = p.Demands.FirstOrDefault(q => q.Student == s && q.Mode == pin.Mode && state.Placements[q.Index] is null);
            if (demand is null)
            {
                continue; // Too many pins for the student: reported by the reader.
            }
            var before = errors.Count;
            if (!p.DayOpen[day])
            {
                errors.Add(new ScenarioError($"{path}.day", $"{pin.Day} is not one of the scenario's days"));
            }
            if (!s.Windows[day].Any(w => w.From <= start && start + s.Duration <= w.To))
            {
                errors.Add(new ScenarioError($"{path}.start", $"{TimeFormat.Format(pin.Start)}–{TimeFormat.Format(pin.End)} on {pin.Day} is outside every window of student '{s.Source.Id}'"));
            }
            if (state.StudentDays[s.Index, day] > 0)
            {
                errors.Add(new ScenarioError($"{path}.day", $"student '{s.Source.Id}' already has a pinned session on {pin.Day}"));
            }
            if (team.Distinct().Count() != team.Length)
            {
                errors.Add(new ScenarioError($"{path}.teacherIds", "lists a teacher twice"));
            }
            var skills = team.SelectMany(t => p.Teachers[t].Skills).ToHashSet(StringComparer.Ordinal);
            var missing = s.Source.RequiredSkills.Where(k => !skills.Contains(k)).ToList();
            if (missing.Count > 0)
            {
                errors.Add(new ScenarioError($"{path}.teacherIds", $"the team lacks skills [{string.Join(", ", missing)}]"));
            }
            foreach (var t in team)
            {
                var teacher = p.Teachers[t];
                if (s.Allowed is not null && !s.Allowed.Contains(t))
                {
                    errors.Add(new ScenarioError($"{path}.teacherIds", $"teacher '{teacher.Source.Id}' is not allowed for student '{s.Source.Id}'"));
                }
                if (pin.Mode == SessionMode.Remote && !teacher.Source.CanTeachRemotely)
                {
                    errors.Add(new ScenarioError($"{path}.teacherIds", $"teacher '{teacher.Source.Id}' cannot teach remotely"));
                }
                if (teacher.Windows[day] is null)
                {
                    errors.Add(new ScenarioError($"{path}.teacherIds", $"teacher '{teacher.Source.Id}' has no window on {pin.Day}"));
                }
            }
            if (errors.Count == before)
            {
                state.Insert(demand.Index, day, start, team, pinned: true, retime: false);
                isFixed[demand.Index] = true;
            }
        }
        if (errors.Count == 0)
        {
            CheckRoutes(p, state, errors);
        }
        return errors;
    }

    private static void CheckRoutes(Problem p, WeekState state, List<ScenarioError> errors)
    {
        foreach (var teacher in p.Teachers)
        {
            if (state.Load[teacher.Index] > teacher.MaxSessions)
            {
                errors.Add(new ScenarioError("pinned", $"pins {state.Load[teacher.Index]} sessions on teacher '{teacher.Source.Id}', whose maxSessionsPerWeek is {teacher.MaxSessions}"));
            }
            for (var d = 0; d < Problem.DayCount; d++)
            {
                var route = state.Routes[teacher.Index, d];
                if (route.Count == 0 || teacher.Windows[d] is not { } window)
                {
                    continue;
                }
                var depart = route[0].Start - p.Tr(teacher.BasePlace, route[0].Place);
                var ret = route[^1].End + p.Tr(route[^1].Place, teacher.BasePlace);
                var ok = depart >= window.From && ret <= window.To && ret - depart <= teacher.MaxAway;
                for (var i = 1; i < route.Count; i++)
                {
                    ok &= route[i - 1].End + p.Tr(route[i - 1].Place, route[i].Place) <= route[i].Start;
                }
                if (!ok)
                {
                    errors.Add(new ScenarioError("pinned", $"the pinned sessions of teacher '{teacher.Source.Id}' on {(Weekday)d} cannot all be reached within the teacher's window, travel included"));
                }
                var driving = RouteTiming.Travel(p, teacher, route);
                if (driving > teacher.MaxTravel)
                {
                    errors.Add(new ScenarioError("pinned", $"the pinned sessions of teacher '{teacher.Source.Id}' on {(Weekday)d} need {driving} minutes of driving, above the teacher's daily cap of {teacher.MaxTravel}"));
                }
            }
        }
    }
}
