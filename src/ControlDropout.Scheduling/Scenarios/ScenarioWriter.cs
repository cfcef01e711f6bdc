using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ControlDropout.Scheduling.Scenarios;

/// <summary>Writes scenario v1 JSON; the output reads back through <see cref="ScenarioReader"/> unchanged.</summary>
public static class ScenarioWriter
{
    internal static readonly JsonWriterOptions Indented = new()
    {
        Indented = true,
        // Chinese names stay readable in files people open; the output is never embedded in HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The scenario as indented UTF-8 JSON text.</summary>
    public static string Write(Scenario scenario)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, Indented))
        {
            w.WriteStartObject();
            w.WriteNumber("schemaVersion", Scenario.SchemaVersion);
            w.WriteString("name", scenario.Name);
            w.WriteString("timeZone", scenario.TimeZone);
            w.WriteStartArray("days");
            foreach (var day in scenario.Days)
            {
                w.WriteStringValue(day.ToString());
            }
            w.WriteEndArray();
            WriteTravel(w, scenario.Travel);
            w.WriteStartArray("places");
            foreach (var place in scenario.Places)
            {
                w.WriteStartObject();
                w.WriteString("id", place.Id.Value);
                w.WriteString("name", place.Name);
                w.WriteNumber("lat", place.Lat);
                w.WriteNumber("lon", place.Lon);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("teachers");
            foreach (var t in scenario.Teachers)
            {
                w.WriteStartObject();
                w.WriteString("id", t.Id.Value);
                w.WriteString("name", t.Name);
                w.WriteString("basePlaceId", t.BasePlaceId.Value);
                WriteStrings(w, "skills", t.Skills);
                w.WriteBoolean("canTeachRemotely", t.CanTeachRemotely);
                WriteWindows(w, t.Availability);
                w.WriteNumber("maxSessionsPerWeek", t.MaxSessionsPerWeek);
                if (t.MaxAwayMinutesPerDay is { } away)
                {
                    w.WriteNumber("maxAwayMinutesPerDay", away);
                }
                if (t.MaxTravelMinutesPerDay is { } travelCap)
                {
                    w.WriteNumber("maxTravelMinutesPerDay", travelCap);
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("students");
            foreach (var s in scenario.Students)
            {
                w.WriteStartObject();
                w.WriteString("id", s.Id.Value);
                w.WriteString("name", s.Name);
                w.WriteString("placeId", s.PlaceId.Value);
                w.WriteNumber("homeVisitsPerWeek", s.HomeVisitsPerWeek);
                w.WriteNumber("remoteSessionsPerWeek", s.RemoteSessionsPerWeek);
                w.WriteNumber("sessionMinutes", s.SessionMinutes);
                w.WriteNumber("teamSize", s.TeamSize);
                WriteStrings(w, "requiredSkills", s.RequiredSkills);
                WriteWindows(w, s.Availability);
                if (!s.PreferredTeacherIds.IsDefaultOrEmpty)
                {
                    WriteStrings(w, "preferredTeacherIds", s.PreferredTeacherIds.Select(id => id.Value));
                }
                if (s.AllowedTeacherIds is { } allowed)
                {
                    WriteStrings(w, "allowedTeacherIds", allowed.Select(id => id.Value));
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
            if (!scenario.Pinned.IsDefaultOrEmpty)
            {
                WritePlacements(w, "pinned", scenario.Pinned);
            }
            if (!scenario.Baseline.IsDefaultOrEmpty)
            {
                WritePlacements(w, "baseline", scenario.Baseline);
            }
            w.WriteStartObject("options");
            w.WriteNumber("timeLimitSeconds", scenario.Options.TimeLimitSeconds);
            w.WriteNumber("seed", scenario.Options.Seed);
            w.WriteNumber("workers", scenario.Options.Workers);
            if (scenario.Options.StartTimeStepMinutes != SolveOptions.Default.StartTimeStepMinutes)
            {
                w.WriteNumber("startTimeStepMinutes", scenario.Options.StartTimeStepMinutes);
            }
            if (scenario.Options.ChangePenaltyMinutes != SolveOptions.Default.ChangePenaltyMinutes)
            {
                w.WriteNumber("changePenaltyMinutes", scenario.Options.ChangePenaltyMinutes);
            }
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void WriteTravel(Utf8JsonWriter w, TravelModel travel)
    {
        w.WriteStartObject("travel");
        switch (travel)
        {
            case HaversineTravel h:
                w.WriteString("model", "haversine");
                w.WriteNumber("speedKmh", h.SpeedKmh);
                w.WriteNumber("detourFactor", h.DetourFactor);
                break;
            case MatrixTravel m:
                w.WriteString("model", "matrix");
                w.WriteStartObject("matrix");
                WriteStrings(w, "placeIds", m.PlaceIds.Select(p => p.Value));
                w.WriteStartArray("minutes");
                foreach (var row in m.Minutes)
                {
                    w.WriteStartArray();
                    foreach (var cell in row)
                    {
                        w.WriteNumberValue(cell);
                    }
                    w.WriteEndArray();
                }
                w.WriteEndArray();
                w.WriteEndObject();
                break;
            default:
                throw new ArgumentException($"unknown travel model {travel.GetType().Name}", nameof(travel));
        }
        w.WriteEndObject();
    }

    internal static void WriteStrings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteStringValue(v);
        }
        w.WriteEndArray();
    }

    private static void WriteWindows(Utf8JsonWriter w, IEnumerable<Window> windows)
    {
        w.WriteStartArray("availability");
        foreach (var window in windows)
        {
            w.WriteStartObject();
            w.WriteString("day", window.Day.ToString());
            w.WriteString("from", TimeFormat.Format(window.From));
            w.WriteString("to", TimeFormat.Format(window.To));
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    internal static void WritePlacements(Utf8JsonWriter w, string name, IEnumerable<SessionPlacement> placements)
    {
        w.WriteStartArray(name);
        foreach (var p in placements)
        {
            w.WriteStartObject();
            w.WriteString("studentId", p.StudentId.Value);
            w.WriteString("mode", TimeFormat.Format(p.Mode));
            w.WriteString("day", p.Day.ToString());
            w.WriteString("start", TimeFormat.Format(p.Start));
            w.WriteString("end", TimeFormat.Format(p.End));
            WriteStrings(w, "teacherIds", p.TeacherIds.Select(t => t.Value));
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }
}
