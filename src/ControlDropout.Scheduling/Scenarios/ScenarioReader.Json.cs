using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;

namespace ControlDropout.Scheduling.Scenarios;

public static partial class ScenarioReader
{
    // Typed reads of JSON values: each reports what it expected, by path, and returns null on an error.
    private sealed partial class Walker
    {
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
    }
}
