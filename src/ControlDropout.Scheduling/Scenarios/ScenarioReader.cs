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
public static class ScenarioReader
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

    private sealed class Walker
    {
        public List<ScenarioError> Errors { get; } = [];
        public string Name { get; private set; } = "";

        private void Error(string path, string message) => Errors.Add(new ScenarioError(path, message));

        private bool ExpectObject(JsonElement e, string path, params string[] allowed)
        {
            if (e.ValueKind != JsonValueKind.Object)
            {
                Error(path, $"must be an object, found {Kind(e)}");
                return false;
            }
            foreach (var property in e.EnumerateObject())
            {
                if (System.Array.IndexOf(allowed, property.Name) < 0)
                {
                    Error(Join(path, property.Name), "unknown property");
                }
            }
            return true;
        }

        private static string Join(string path, string name) => path == "$" ? name : $"{path}.{name}";

        private static string Kind(JsonElement e) => e.ValueKind switch
        {
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "an array",
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            JsonValueKind.Null => "null",
            _ => "nothing",
        };

        private JsonElement? Prop(JsonElement obj, string path, string name, bool required)
        {
            if (obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value))
            {
                return value;
            }
            if (required)
            {
                Error(Join(path, name), "is required");
            }
            return null;
        }

        private string? String(JsonElement obj, string path, string name, bool required = true, bool nonEmpty = true)
        {
            if (Prop(obj, path, name, required) is not { } v)
            {
                return null;
            }
            if (v.ValueKind != JsonValueKind.String)
            {
                Error(Join(path, name), $"must be a string, found {Kind(v)}");
                return null;
            }
            var s = v.GetString()!;
            if (nonEmpty && string.IsNullOrWhiteSpace(s))
            {
                Error(Join(path, name), "must not be empty");
                return null;
            }
            return s;
        }

        private int? Int(JsonElement obj, string path, string name, int min, int max = int.MaxValue, bool required = true)
        {
            if (Prop(obj, path, name, required) is not { } v)
            {
                return null;
            }
            if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var n))
            {
                Error(Join(path, name), $"must be a whole number, found {Describe(v)}");
                return null;
            }
            if (n < min || n > max)
            {
                var range = max == int.MaxValue ? $"at least {min}" : $"between {min} and {max}";
                Error(Join(path, name), $"{n} is out of range: must be {range}");
                return null;
            }
            return n;
        }

        private double? Number(JsonElement obj, string path, string name, double min, double max, bool exclusiveMin, bool required = true)
        {
            if (Prop(obj, path, name, required) is not { } v)
            {
                return null;
            }
            if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out var x) || !double.IsFinite(x))
            {
                Error(Join(path, name), $"must be a number, found {Describe(v)}");
                return null;
            }
            if ((exclusiveMin ? x <= min : x < min) || x > max)
            {
                Error(Join(path, name), $"{x.ToString(CultureInfo.InvariantCulture)} is out of range: must be {(exclusiveMin ? "greater than" : "at least")} {min.ToString(CultureInfo.InvariantCulture)} and at most {max.ToString(CultureInfo.InvariantCulture)}");
                return null;
            }
            return x;
        }

        private bool? Bool(JsonElement obj, string path, string name)
        {
            if (Prop(obj, path, name, required: true) is not { } v)
            {
                return null;
            }
            if (v.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                Error(Join(path, name), $"must be true or false, found {Kind(v)}");
                return null;
            }
            return v.GetBoolean();
        }

        private static string Describe(JsonElement v) => v.ValueKind == JsonValueKind.Number ? v.GetRawText() : Kind(v);

        private List<(JsonElement Item, string Path)> Array(JsonElement obj, string path, string name, bool required = true)
        {
            if (Prop(obj, path, name, required) is not { } v)
            {
                return [];
            }
            if (v.ValueKind != JsonValueKind.Array)
            {
                Error(Join(path, name), $"must be an array, found {Kind(v)}");
                return [];
            }
            var at = Join(path, name);
            return [.. v.EnumerateArray().Select((item, i) => (item, $"{at}[{i}]"))];
        }

        private ImmutableArray<string> Strings(JsonElement obj, string path, string name, bool required = true)
        {
            var result = ImmutableArray.CreateBuilder<string>();
            foreach (var (item, p) in Array(obj, path, name, required))
            {
                if (item.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(item.GetString()))
                {
                    Error(p, $"must be a non-empty string, found {Kind(item)}");
                    continue;
                }
                var s = item.GetString()!;
                if (result.Contains(s, StringComparer.Ordinal))
                {
                    Error(p, $"'{s}' is listed twice");
                    continue;
                }
                result.Add(s);
            }
            return result.ToImmutable();
        }

        private Weekday? Day(JsonElement value, string path)
        {
            if (value.ValueKind == JsonValueKind.String && TryParseDay(value.GetString()!, out var day))
            {
                return day;
            }
            Error(path, $"must be one of Mon, Tue, Wed, Thu, Fri, Sat, Sun, found {(value.ValueKind == JsonValueKind.String ? $"'{value.GetString()}'" : Kind(value))}");
            return null;
        }

        private static bool TryParseDay(string text, out Weekday day)
        {
            foreach (var candidate in Enum.GetValues<Weekday>())
            {
                if (string.Equals(candidate.ToString(), text, StringComparison.Ordinal))
                {
                    day = candidate;
                    return true;
                }
            }
            day = default;
            return false;
        }

        private TimeOnly? Time(JsonElement obj, string path, string name)
        {
            var text = String(obj, path, name);
            if (text is null)
            {
                return null;
            }
            if (TimeFormat.TryParse(text, out var time))
            {
                return time;
            }
            Error(Join(path, name), $"'{text}' is not a time: use HH:mm from 00:00 to 23:59");
            return null;
        }

        private ImmutableArray<Window> Windows(JsonElement obj, string path, string name, bool oneWindowPerDay)
        {
            var result = ImmutableArray.CreateBuilder<Window>();
            var seenDays = new Dictionary<Weekday, string>();
            foreach (var (item, p) in Array(obj, path, name))
            {
                if (!ExpectObject(item, p, "day", "from", "to"))
                {
                    continue;
                }
                var day = Prop(item, p, "day", required: true) is { } d ? Day(d, Join(p, "day")) : null;
                var from = Time(item, p, "from");
                var to = Time(item, p, "to");
                if (from is { } f && to is { } t && f >= t)
                {
                    Error(Join(p, "from"), $"'from' {TimeFormat.Format(f)} is {(f == t ? "the same as" : "after")} 'to' {TimeFormat.Format(t)}");
                    continue;
                }
                if (day is not { } dd || from is null || to is null)
                {
                    continue;
                }
                if (oneWindowPerDay && seenDays.TryGetValue(dd, out var first))
                {
                    Error(Join(p, "day"), $"a second window on {dd} (the first is {first}): a teacher has at most one window a day");
                    continue;
                }
                seenDays[dd] = p;
                result.Add(new Window(dd, from.Value, to.Value));
            }
            return result.ToImmutable();
        }

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

        private ImmutableArray<Place> ReadPlaces(JsonElement root)
        {
            var result = ImmutableArray.CreateBuilder<Place>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (item, p) in Array(root, "$", "places"))
            {
                if (!ExpectObject(item, p, "id", "name", "lat", "lon"))
                {
                    continue;
                }
                var id = String(item, p, "id");
                var name = String(item, p, "name");
                var lat = Number(item, p, "lat", -90, 90, exclusiveMin: false);
                var lon = Number(item, p, "lon", -180, 180, exclusiveMin: false);
                if (id is not null && !seen.Add(id))
                {
                    Error(Join(p, "id"), $"duplicate place id '{id}'");
                    continue;
                }
                if (id is null || name is null || lat is null || lon is null)
                {
                    continue;
                }
                result.Add(new Place(new PlaceId(id), name, lat.Value, lon.Value));
            }
            return result.ToImmutable();
        }

        private TravelModel? ReadTravel(JsonElement root, HashSet<PlaceId> placeIds)
        {
            const string at = "travel";
            if (Prop(root, "$", "travel", required: true) is not { } travel || !ExpectObject(travel, at, "model", "speedKmh", "detourFactor", "matrix"))
            {
                return null;
            }
            var model = String(travel, at, "model");
            switch (model)
            {
                case "haversine":
                    if (travel.TryGetProperty("matrix", out _))
                    {
                        Error("travel.matrix", "only for model 'matrix'");
                    }
                    var speed = Number(travel, at, "speedKmh", 0, 200, exclusiveMin: true);
                    var detour = Number(travel, at, "detourFactor", 1, 10, exclusiveMin: false);
                    return speed is { } s && detour is { } d ? new HaversineTravel(s, d) : null;
                case "matrix":
                    foreach (var name in new[] { "speedKmh", "detourFactor" })
                    {
                        if (travel.TryGetProperty(name, out _))
                        {
                            Error(Join(at, name), "only for model 'haversine'");
                        }
                    }
                    return ReadMatrix(travel, placeIds);
                case null:
                    return null;
                default:
                    Error("travel.model", $"'{model}' is not a travel model: use 'haversine' or 'matrix'");
                    return null;
            }
        }

        private MatrixTravel? ReadMatrix(JsonElement travel, HashSet<PlaceId> placeIds)
        {
            const string at = "travel.matrix";
            if (Prop(travel, "travel", "matrix", required: true) is not { } matrix || !ExpectObject(matrix, at, "placeIds", "minutes"))
            {
                return null;
            }
            var ids = Strings(matrix, at, "placeIds");
            for (var i = 0; i < ids.Length; i++)
            {
                if (!placeIds.Contains(new PlaceId(ids[i])))
                {
                    Error($"{at}.placeIds[{i}]", $"unknown place '{ids[i]}'");
                }
            }
            var rows = Array(matrix, at, "minutes");
            var ok = true;
            if (rows.Count != ids.Length)
            {
                Error($"{at}.minutes", $"has {rows.Count} rows for {ids.Length} places");
                ok = false;
            }
            var result = ImmutableArray.CreateBuilder<ImmutableArray<int>>();
            foreach (var (row, p) in rows)
            {
                if (row.ValueKind != JsonValueKind.Array)
                {
                    Error(p, $"must be an array, found {Kind(row)}");
                    ok = false;
                    continue;
                }
                if (row.GetArrayLength() != ids.Length)
                {
                    Error(p, $"has {row.GetArrayLength()} entries for {ids.Length} places");
                    ok = false;
                    continue;
                }
                var cells = ImmutableArray.CreateBuilder<int>();
                var j = 0;
                foreach (var cell in row.EnumerateArray())
                {
                    if (cell.ValueKind != JsonValueKind.Number || !cell.TryGetInt32(out var minutes) || minutes < 0)
                    {
                        Error($"{p}[{j}]", $"must be a whole number of minutes, 0 or more, found {Describe(cell)}");
                        ok = false;
                    }
                    else
                    {
                        cells.Add(minutes);
                    }
                    j++;
                }
                result.Add(cells.ToImmutable());
            }
            return ok ? new MatrixTravel([.. ids.Select(i => new PlaceId(i))], result.ToImmutable()) : null;
        }

        private void CheckMatrixCoversUsedPlaces(MatrixTravel matrix, List<Teacher> teachers, List<Student> students)
        {
            var inMatrix = matrix.PlaceIds.ToHashSet();
            for (var i = 0; i < teachers.Count; i++)
            {
                if (!inMatrix.Contains(teachers[i].BasePlaceId))
                {
                    Error($"travel.matrix.placeIds", $"missing place '{teachers[i].BasePlaceId}', the base of teacher '{teachers[i].Id}'");
                }
            }
            foreach (var student in students)
            {
                if (!inMatrix.Contains(student.PlaceId))
                {
                    Error($"travel.matrix.placeIds", $"missing place '{student.PlaceId}', the home of student '{student.Id}'");
                }
            }
        }

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

        private SolveOptions ReadOptions(JsonElement root)
        {
            if (Prop(root, "$", "options", required: false) is not { } options || options.ValueKind == JsonValueKind.Null)
            {
                return SolveOptions.Default;
            }
            if (!ExpectObject(options, "options", "timeLimitSeconds", "seed", "workers", "startTimeStepMinutes", "changePenaltyMinutes"))
            {
                return SolveOptions.Default;
            }
            var defaults = SolveOptions.Default;
            var limit = Number(options, "options", "timeLimitSeconds", 0, 86_400, exclusiveMin: true, required: false) ?? defaults.TimeLimitSeconds;
            var seed = Int(options, "options", "seed", 0, required: false) ?? defaults.Seed;
            var workers = Int(options, "options", "workers", 0, 256, required: false) ?? defaults.Workers;
            var step = Int(options, "options", "startTimeStepMinutes", 1, 30, required: false) ?? defaults.StartTimeStepMinutes;
            if (!SolveOptions.StartTimeSteps.Contains(step))
            {
                Error("options.startTimeStepMinutes", $"{step} is not one of {string.Join(", ", SolveOptions.StartTimeSteps)}");
            }
            var penalty = Int(options, "options", "changePenaltyMinutes", 0, SolveOptions.MaxChangePenaltyMinutes, required: false) ?? defaults.ChangePenaltyMinutes;
            return new SolveOptions(limit, seed, workers, step, penalty);
        }
    }
}
