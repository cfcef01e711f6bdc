using System.Collections.Immutable;
using System.Text.Json;

namespace ControlDropout.Scheduling.Scenarios;

public static partial class ScenarioReader
{
    // Students: place, sessions a week, team, skills, windows, preferred and allowed teachers.
    private sealed partial class Walker
    {
        private List<Student> ReadStudents(JsonElement root, HashSet<PlaceId> placeIds, HashSet<TeacherId> teacherIds, int teacherCount)
        {
            var result = new List<Student>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (item, p) in Array(root, "$", "students"))
            {
                if (!ExpectObject(item, p, "id", "name", "placeId", "homeVisitsPerWeek", "remoteSessionsPerWeek", "sessionMinutes", "teamSize", "requiredSkills", "availability", "preferredTeacherIds", "allowedTeacherIds"))
                {
                    continue;
                }
                var errorsBefore = Errors.Count;
                var id = String(item, p, "id");
                if (id is not null && !seen.Add(id))
                {
                    Error(Join(p, "id"), $"duplicate student id '{id}'");
                }
                var name = String(item, p, "name");
                var place = String(item, p, "placeId");
                if (place is not null && !placeIds.Contains(new PlaceId(place)))
                {
                    Error(Join(p, "placeId"), $"unknown place '{place}'");
                }
                var home = Int(item, p, "homeVisitsPerWeek", 0, 7);
                var remote = Int(item, p, "remoteSessionsPerWeek", 0, 7);
                if (home is { } h && remote is { } r && h + r == 0)
                {
                    Error(Join(p, "homeVisitsPerWeek"), "the student needs at least one session a week (home or remote)");
                }
                var minutes = Int(item, p, "sessionMinutes", 1, 24 * 60);
                var team = Int(item, p, "teamSize", 1);
                if (team is { } size && size > teacherCount)
                {
                    Error(Join(p, "teamSize"), $"a team of {size} is larger than the {teacherCount} teachers in the scenario");
                }
                var skills = Strings(item, p, "requiredSkills");
                var availability = Windows(item, p, "availability", oneWindowPerDay: false);
                var preferred = TeacherRefs(item, p, "preferredTeacherIds", teacherIds);
                ImmutableArray<TeacherId>? allowed = null;
                if (item.TryGetProperty("allowedTeacherIds", out var allowedElement) && allowedElement.ValueKind != JsonValueKind.Null)
                {
                    allowed = TeacherRefs(item, p, "allowedTeacherIds", teacherIds);
                }
                if (Errors.Count == errorsBefore)
                {
                    result.Add(new Student(new StudentId(id!), name!, new PlaceId(place!), home!.Value, remote!.Value, minutes!.Value, team!.Value, skills, availability, preferred, allowed));
                }
            }
            return result;
        }

        private ImmutableArray<TeacherId> TeacherRefs(JsonElement item, string path, string name, HashSet<TeacherId> teacherIds)
        {
            if (!item.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return [];
            }
            var ids = Strings(item, path, name);
            for (var i = 0; i < ids.Length; i++)
            {
                if (!teacherIds.Contains(new TeacherId(ids[i])))
                {
                    Error($"{Join(path, name)}[{i}]", $"unknown teacher '{ids[i]}'");
                }
            }
            return [.. ids.Select(s => new TeacherId(s))];
        }
    }
}
