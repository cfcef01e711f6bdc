using System.Text.Json;

namespace ControlDropout.Scheduling.Scenarios;

public static partial class ScenarioReader
{
    // Teachers: base, skills, windows (one a day), load, away and driving caps.
    private sealed partial class Walker
    {
        private List<Teacher> ReadTeachers(JsonElement root, HashSet<PlaceId> placeIds)
        {
            var result = new List<Teacher>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (item, p) in Array(root, "$", "teachers"))
            {
                if (!ExpectObject(item, p, "id", "name", "basePlaceId", "skills", "canTeachRemotely", "availability", "maxSessionsPerWeek", "maxAwayMinutesPerDay", "maxTravelMinutesPerDay"))
                {
                    continue;
                }
                var errorsBefore = Errors.Count;
                var id = String(item, p, "id");
                if (id is not null && !seen.Add(id))
                {
                    Error(Join(p, "id"), $"duplicate teacher id '{id}'");
                }
                var name = String(item, p, "name");
                var basePlace = String(item, p, "basePlaceId");
                if (basePlace is not null && !placeIds.Contains(new PlaceId(basePlace)))
                {
                    Error(Join(p, "basePlaceId"), $"unknown place '{basePlace}'");
                }
                var skills = Strings(item, p, "skills");
                var remote = Bool(item, p, "canTeachRemotely");
                var availability = Windows(item, p, "availability", oneWindowPerDay: true);
                var maxSessions = Int(item, p, "maxSessionsPerWeek", 0);
                int? maxAway = null;
                if (item.TryGetProperty("maxAwayMinutesPerDay", out var away) && away.ValueKind != JsonValueKind.Null)
                {
                    maxAway = Int(item, p, "maxAwayMinutesPerDay", 1, 24 * 60);
                }
                int? maxTravel = null;
                if (item.TryGetProperty("maxTravelMinutesPerDay", out var travelCap) && travelCap.ValueKind != JsonValueKind.Null)
                {
                    maxTravel = Int(item, p, "maxTravelMinutesPerDay", 0, 24 * 60);
                }
                if (Errors.Count == errorsBefore)
                {
                    result.Add(new Teacher(new TeacherId(id!), name!, new PlaceId(basePlace!), skills, remote!.Value, availability, maxSessions!.Value, maxAway, maxTravel));
                }
            }
            return result;
        }
    }
}
