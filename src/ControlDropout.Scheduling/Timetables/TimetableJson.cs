using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ControlDropout.Scheduling.Scenarios;

namespace ControlDropout.Scheduling.Timetables;

/// <summary>Reads and writes timetable v1 JSON. Writing is deterministic: same timetable, same bytes.</summary>
public static class TimetableJson
{
    /// <summary>The timetable as indented UTF-8 JSON text.</summary>
    public static string Write(Timetable timetable)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, ScenarioWriter.Indented))
        {
            w.WriteStartObject();
            w.WriteNumber("schemaVersion", Scenario.SchemaVersion);
            w.WriteString("scenario", timetable.Scenario);
            w.WriteString("status", timetable.Status.ToString());
            if (timetable.Status == TimetableStatus.Invalid)
            {
                w.WriteStartArray("errors");
                foreach (var e in timetable.Errors)
                {
                    w.WriteStartObject();
                    w.WriteString("path", e.Path);
                    w.WriteString("message", e.Message);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            ScenarioWriter.WritePlacements(w, "sessions", timetable.Sessions);
            w.WriteStartArray("unassigned");
            foreach (var u in timetable.Unassigned)
            {
                w.WriteStartObject();
                w.WriteString("studentId", u.StudentId.Value);
                w.WriteString("mode", TimeFormat.Format(u.Mode));
                w.WriteStartObject("reason");
                w.WriteString("code", u.Reason.Code);
                w.WriteString("message", u.Reason.Message);
                if (u.Reason.Shortage is { } shortage)
                {
                    w.WriteStartObject("shortage");
                    w.WriteString("kind", shortage.Kind);
                    w.WriteString("name", shortage.Name);
                    w.WriteNumber("sessionsPerWeek", shortage.SessionsPerWeek);
                    w.WriteEndObject();
                }
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            if (!timetable.Changes.IsDefaultOrEmpty)
            {
                w.WriteStartArray("changes");
                foreach (var c in timetable.Changes)
                {
                    w.WriteStartObject();
                    w.WriteString("studentId", c.StudentId.Value);
                    w.WriteString("mode", TimeFormat.Format(c.Mode));
                    WriteSlot(w, "was", c.Was);
                    if (c.Now is { } now)
                    {
                        WriteSlot(w, "now", now);
                    }
                    else
                    {
                        w.WriteNull("now");
                    }
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            w.WriteStartArray("routes");
            foreach (var r in timetable.Routes)
            {
                w.WriteStartObject();
                w.WriteString("teacherId", r.TeacherId.Value);
                w.WriteString("day", r.Day.ToString());
                w.WriteString("depart", TimeFormat.Format(r.Depart));
                w.WriteString("return", TimeFormat.Format(r.Return));
                w.WriteNumber("travelMinutes", r.TravelMinutes);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            if (timetable.Metrics is { } m)
            {
                w.WriteStartObject("metrics");
                w.WriteNumber("requiredSessions", m.RequiredSessions);
                w.WriteNumber("placedSessions", m.PlacedSessions);
                w.WriteNumber("studentsCovered", m.StudentsCovered);
                w.WriteNumber("students", m.Students);
                w.WriteNumber("totalTravelMinutes", m.TotalTravelMinutes);
                if (m.TravelLowerBound is { } lb)
                {
                    w.WriteNumber("travelLowerBound", lb);
                }
                if (m.LowerBoundMethod is { } method)
                {
                    w.WriteString("lowerBoundMethod", method);
                }
                if (m.BaselineChanges is { } changes)
                {
                    w.WriteNumber("baselineChanges", changes);
                }
                w.WriteNumber("solveSeconds", Math.Round(m.SolveSeconds, 2));
                if (!m.Teachers.IsDefaultOrEmpty)
                {
                    w.WriteStartArray("teachers");
                    foreach (var t in m.Teachers)
                    {
                        w.WriteStartObject();
                        w.WriteString("teacherId", t.TeacherId.Value);
                        w.WriteNumber("sessions", t.Sessions);
                        w.WriteNumber("teachingMinutes", t.TeachingMinutes);
                        w.WriteNumber("travelMinutes", t.TravelMinutes);
                        w.WriteNumber("maxDayTravelMinutes", t.MaxDayTravelMinutes);
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                }
                w.WriteEndObject();
            }
            if (timetable.Run is { } run)
            {
                w.WriteStartObject("run");
                w.WriteString("engine", run.Engine);
                w.WriteString("orToolsVersion", run.OrToolsVersion);
                w.WriteNumber("timeLimitSeconds", run.TimeLimitSeconds);
                w.WriteNumber("seed", run.Seed);
                w.WriteNumber("workers", run.Workers);
                w.WriteBoolean("deterministic", run.Deterministic);
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void WriteSlot(Utf8JsonWriter w, string name, SessionPlacement s)
    {
        w.WriteStartObject(name);
        w.WriteString("day", s.Day.ToString());
        w.WriteString("start", TimeFormat.Format(s.Start));
        w.WriteString("end", TimeFormat.Format(s.End));
        ScenarioWriter.WriteStrings(w, "teacherIds", s.TeacherIds.Select(t => t.Value));
        w.WriteEndObject();
    }

    /// <summary>Reads a timetable; throws <see cref="FormatException"/> naming the JSON path of the first problem.</summary>
    public static Timetable Read(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        var status = Enum.TryParse<TimetableStatus>(Str(root, "status", "status"), ignoreCase: false, out var s)
            ? s
            : throw new FormatException("status: not a timetable status");
        var sessions = Items(root, "sessions").Select((e, i) => Placement(e, $"sessions[{i}]")).ToImmutableArray();
        var unassigned = Items(root, "unassigned").Select((e, i) =>
        {
            var path = $"unassigned[{i}]";
            var reason = e.TryGetProperty("reason", out var r) ? r : throw new FormatException($"{path}.reason: is required");
            Shortage? shortage = reason.TryGetProperty("shortage", out var sh) && sh.ValueKind == JsonValueKind.Object
                ? new Shortage(Str(sh, "kind", path + ".reason.shortage"), Str(sh, "name", path + ".reason.shortage"), sh.GetProperty("sessionsPerWeek").GetInt32())
                : null;
            return new UnassignedSession(new StudentId(Str(e, "studentId", path)), Mode(Str(e, "mode", path), path),
                new Reason(Str(reason, "code", path + ".reason"), Str(reason, "message", path + ".reason"), shortage));
        }).ToImmutableArray();
        var routes = Items(root, "routes").Select((e, i) =>
        {
            var path = $"routes[{i}]";
            return new TeacherRoute(new TeacherId(Str(e, "teacherId", path)), Day(Str(e, "day", path), path),
                Time(Str(e, "depart", path), path), Time(Str(e, "return", path), path), e.GetProperty("travelMinutes").GetInt32());
        }).ToImmutableArray();
        TimetableMetrics? metrics = null;
        if (root.TryGetProperty("metrics", out var m))
        {
            metrics = new TimetableMetrics(
                m.GetProperty("requiredSessions").GetInt32(), m.GetProperty("placedSessions").GetInt32(),
                m.GetProperty("studentsCovered").GetInt32(), m.GetProperty("students").GetInt32(),
                m.GetProperty("totalTravelMinutes").GetInt32(),
                m.TryGetProperty("travelLowerBound", out var lb) ? lb.GetInt32() : null,
                m.TryGetProperty("solveSeconds", out var secs) ? secs.GetDouble() : 0,
                m.TryGetProperty("lowerBoundMethod", out var method) ? method.GetString() : null,
                m.TryGetProperty("baselineChanges", out var bc) ? bc.GetInt32() : null,
                [.. Items(m, "teachers").Select(t => new TeacherLoad(new TeacherId(Str(t, "teacherId", "metrics.teachers")),
                    t.GetProperty("sessions").GetInt32(), t.GetProperty("teachingMinutes").GetInt32(),
                    t.GetProperty("travelMinutes").GetInt32(), t.GetProperty("maxDayTravelMinutes").GetInt32()))]);
        }
        var changes = Items(root, "changes").Select((e, i) =>
        {
            var path = $"changes[{i}]";
            var student = new StudentId(Str(e, "studentId", path));
            var mode = Mode(Str(e, "mode", path), path);
            SessionPlacement Slot(JsonElement slot, string at) => Placement(slot, at, student, mode);
            var was = e.TryGetProperty("was", out var w) ? Slot(w, path + ".was") : throw new FormatException($"{path}.was: is required");
            var now = e.TryGetProperty("now", out var n) && n.ValueKind == JsonValueKind.Object ? Slot(n, path + ".now") : null;
            return new SessionChange(student, mode, was, now);
        }).ToImmutableArray();
        var scenario = root.TryGetProperty("scenario", out var name) ? name.GetString() ?? "" : "";
        return new Timetable(scenario, status, sessions, unassigned, routes, metrics, [], null, changes);
    }

    private static List<JsonElement> Items(JsonElement root, string name) =>
        root.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array ? [.. array.EnumerateArray()] : [];

    private static string Str(JsonElement e, string name, string path) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()!
            : throw new FormatException($"{path}.{name}: must be a string");

    private static SessionPlacement Placement(JsonElement e, string path)
    {
        var teachers = e.TryGetProperty("teacherIds", out var t) && t.ValueKind == JsonValueKind.Array
            ? t.EnumerateArray().Select(x => new TeacherId(x.GetString() ?? "")).ToImmutableArray()
            : throw new FormatException($"{path}.teacherIds: must be an array");
        return new SessionPlacement(new StudentId(Str(e, "studentId", path)), Mode(Str(e, "mode", path), path),
            Day(Str(e, "day", path), path), Time(Str(e, "start", path), path), Time(Str(e, "end", path), path), teachers);
    }

    private static SessionPlacement Placement(JsonElement e, string path, StudentId student, SessionMode mode)
    {
        var teachers = e.TryGetProperty("teacherIds", out var t) && t.ValueKind == JsonValueKind.Array
            ? t.EnumerateArray().Select(x => new TeacherId(x.GetString() ?? "")).ToImmutableArray()
            : throw new FormatException($"{path}.teacherIds: must be an array");
        return new SessionPlacement(student, mode, Day(Str(e, "day", path), path), Time(Str(e, "start", path), path), Time(Str(e, "end", path), path), teachers);
    }

    private static SessionMode Mode(string text, string path) => text switch
    {
        "home" => SessionMode.Home,
        "remote" => SessionMode.Remote,
        _ => throw new FormatException($"{path}.mode: '{text}' is not home or remote"),
    };

    private static Weekday Day(string text, string path) =>
        Enum.TryParse<Weekday>(text, ignoreCase: false, out var d) && Enum.IsDefined(d) && !int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)
            ? d
            : throw new FormatException($"{path}.day: '{text}' is not a day");

    private static TimeOnly Time(string text, string path) =>
        TimeFormat.TryParse(text, out var t) ? t : throw new FormatException($"{path}: '{text}' is not HH:mm");
}
