using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using ControlDropout.Scheduling.Timetables;

namespace ControlDropout.Scheduling.Scenarios;

/// <summary>The result of reading a scenario: the scenario, or every error found in it.</summary>
public sealed record ScenarioReadResult(Scenario? Scenario, string Name, ImmutableArray<ScenarioError> Errors)
{
    /// <summary>True when the scenario can be solved.</summary>
    public bool IsValid => Scenario is not null && Errors.IsEmpty;
}

/// <summary>
/// Reads scenario v1 strictly: unknown properties, unknown or duplicate ids, malformed times and
/// impossible numbers are errors, and every error is reported with its JSON path, not only the first
/// (a coordinator fixing an Excel export wants the whole list at once).
/// </summary>
public static partial class ScenarioReader
{
    /// <summary>Parses and validates UTF-8 JSON text.</summary>
    public static ScenarioReadResult Read(string json)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $"line {line + 1}, position {ex.BytePositionInLine + 1}" : "document";
            return new ScenarioReadResult(null, "", [new ScenarioError("$", $"not valid JSON at {where}")]);
        }

        using (doc)
        {
            var reader = new Walker();
            var scenario = reader.ReadScenario(doc.RootElement);
            var errors = reader.Errors.ToImmutableArray();
            return new ScenarioReadResult(errors.IsEmpty ? scenario : null, reader.Name, errors);
        }
    }

    /// <summary>Validates a scenario built in code (tests, generators) with the same rules as a file.</summary>
    public static ScenarioReadResult Validate(Scenario scenario) => Read(ScenarioWriter.Write(scenario));

    /// <summary>
    /// Walks one scenario document, collecting every error with its path. Split by section:
    /// <c>ScenarioReader.Json.cs</c> (typed reads of JSON values), <c>.Places.cs</c> (places and travel),
    /// <c>.Teachers.cs</c>, <c>.Students.cs</c>, <c>.Placements.cs</c> (pinned and baseline), <c>.Options.cs</c>.
    /// </summary>
    private sealed partial class Walker
    {
        public List<ScenarioError> Errors { get; } = [];
        public string Name { get; private set; } = "";

        public Scenario? ReadScenario(JsonElement root)
        {
            const string at = "$";
            if (!ExpectObject(root, at, "schemaVersion", "name", "timeZone", "days", "travel", "places", "teachers", "students", "pinned", "baseline", "options"))
            {
                return null;
            }
            Name = String(root, at, "name") ?? "";
            if (Int(root, at, "schemaVersion", Scenario.SchemaVersion, Scenario.SchemaVersion) is null)
            {
                // Reported by Int; a different version means every other rule may differ, but we still list the rest.
            }
            var timeZone = String(root, at, "timeZone");
            if (timeZone is not null && !TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out _))
            {
                Error("timeZone", $"'{timeZone}' is not a known IANA time zone");
            }

            var days = ImmutableArray.CreateBuilder<Weekday>();
            foreach (var (item, p) in Array(root, at, "days"))
            {
                if (Day(item, p) is { } day)
                {
                    if (days.Contains(day))
                    {
                        Error(p, $"{day} is listed twice");
                    }
                    else
                    {
                        days.Add(day);
                    }
                }
            }
            if (root.TryGetProperty("days", out var daysElement) && daysElement.ValueKind == JsonValueKind.Array && daysElement.GetArrayLength() == 0)
            {
                Error("days", "must list at least one day");
            }

            var places = ReadPlaces(root);
            // References are checked against every declared id, so that one bad field of a teacher
            // is reported once and not again at every place that names that teacher.
            var placeIds = DeclaredIds(root, "places").Select(id => new PlaceId(id)).ToHashSet();
            var travel = ReadTravel(root, placeIds);
            var teachers = ReadTeachers(root, placeIds);
            var teacherIds = DeclaredIds(root, "teachers").Select(id => new TeacherId(id)).ToHashSet();
            var students = ReadStudents(root, placeIds, teacherIds, teachers.Count);
            if (travel is MatrixTravel matrix)
            {
                CheckMatrixCoversUsedPlaces(matrix, teachers, students);
            }
            var studentsById = students.ToDictionary(s => s.Id);
            var studentIds = DeclaredIds(root, "students").Select(id => new StudentId(id)).ToHashSet();
            var pinned = ReadPlacements(root, "pinned", studentsById, studentIds, teacherIds, strictShape: true);
            var baseline = ReadPlacements(root, "baseline", studentsById, studentIds, teacherIds, strictShape: false);
            var options = ReadOptions(root);

            if (Errors.Count > 0 || timeZone is null || travel is null)
            {
                return null;
            }
            return new Scenario(Name, timeZone, days.ToImmutable(), travel, places, [.. teachers], [.. students], pinned, baseline, options);
        }

        private static IEnumerable<string> DeclaredIds(JsonElement root, string name) =>
            root.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array
                ? array.EnumerateArray()
                    .Where(e => e.ValueKind == JsonValueKind.Object && e.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String)
                    .Select(e => e.GetProperty("id").GetString()!)
                : [];
    }
}
