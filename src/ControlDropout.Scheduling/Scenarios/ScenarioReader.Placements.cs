using System.Collections.Immutable;
using System.Text.Json;

namespace ControlDropout.Scheduling.Scenarios;

public static partial class ScenarioReader
{
    // Pinned and baseline sessions: placements of known students by known teachers.
    private sealed partial class Walker
    {
        private ImmutableArray<SessionPlacement> ReadPlacements(JsonElement root, string name, Dictionary<StudentId, Student> students, HashSet<StudentId> studentIds, HashSet<TeacherId> teacherIds, bool strictShape)
        {
            var result = ImmutableArray.CreateBuilder<SessionPlacement>();
            foreach (var (item, p) in Array(root, "$", name, required: false))
            {
                if (!ExpectObject(item, p, "studentId", "mode", "day", "start", "end", "teacherIds"))
                {
                    continue;
                }
                var errorsBefore = Errors.Count;
                var studentId = String(item, p, "studentId");
                Student? student = null;
                if (studentId is not null && !students.TryGetValue(new StudentId(studentId), out student) && !studentIds.Contains(new StudentId(studentId)))
                {
                    Error(Join(p, "studentId"), $"unknown student '{studentId}'");
                }
                var modeText = String(item, p, "mode");
                SessionMode? mode = modeText switch
                {
                    "home" => SessionMode.Home,
                    "remote" => SessionMode.Remote,
                    null => null,
                    _ => null,
                };
                if (modeText is not null && mode is null)
                {
                    Error(Join(p, "mode"), $"'{modeText}' is not a mode: use 'home' or 'remote'");
                }
                var day = Prop(item, p, "day", required: true) is { } d ? Day(d, Join(p, "day")) : null;
                var start = Time(item, p, "start");
                var end = Time(item, p, "end");
                if (start is { } s && end is { } e && s >= e)
                {
                    Error(Join(p, "start"), $"'start' {TimeFormat.Format(s)} is not before 'end' {TimeFormat.Format(e)}");
                }
                var teachers = TeacherRefs(item, p, "teacherIds", teacherIds);
                if (strictShape && student is not null && start is { } ps && end is { } pe && ps < pe)
                {
                    var minutes = (int)(pe - ps).TotalMinutes;
                    if (minutes != student.SessionMinutes)
                    {
                        Error(Join(p, "end"), $"the session lasts {minutes} minutes but student '{student.Id}' has sessionMinutes {student.SessionMinutes}");
                    }
                    if (teachers.Length != student.TeamSize)
                    {
                        Error(Join(p, "teacherIds"), $"lists {teachers.Length} teachers but student '{student.Id}' has teamSize {student.TeamSize}");
                    }
                }
                if (Errors.Count == errorsBefore && day is not null && mode is not null)
                {
                    result.Add(new SessionPlacement(new StudentId(studentId!), mode.Value, day.Value, start!.Value, end!.Value, teachers));
                }
            }
            if (strictShape)
            {
                CheckPinnedCounts(result, students);
            }
            return result.ToImmutable();
        }

        private void CheckPinnedCounts(ImmutableArray<SessionPlacement>.Builder pinned, Dictionary<StudentId, Student> students)
        {
            foreach (var group in pinned.GroupBy(p => (p.StudentId, p.Mode)).Where(g => students.ContainsKey(g.Key.StudentId)))
            {
                var student = students[group.Key.StudentId];
                var allowed = group.Key.Mode == SessionMode.Home ? student.HomeVisitsPerWeek : student.RemoteSessionsPerWeek;
                if (group.Count() > allowed)
                {
                    Error("pinned", $"pins {group.Count()} {group.Key.Mode.ToString().ToLowerInvariant()} sessions of student '{student.Id}', who needs {allowed}");
                }
            }
        }
    }
}
