using System.Globalization;
using System.Text;
using System.Text.Json;
using CsCheck;

namespace ControlDropout.Web.Tests.Fuzz;

/// <summary>One operation of the OpenAPI document: its method, path template, parameters and body schema.</summary>
internal sealed record Operation(string Method, string Path, IReadOnlyList<Parameter> Parameters, JsonElement? Body)
{
    public string Key => $"{Method} {Path}";
}

internal sealed record Parameter(string Name, string In, JsonElement Schema);

/// <summary>
/// One request to send. <see cref="IfMatch"/> is <see cref="FuzzRequests.RealETag"/> when the sender
/// should fetch the plan's current ETag just before sending, so that the handler behind it is reached.
/// </summary>
internal sealed record FuzzRequest(string Role, string Method, string Target, string? ContentType, byte[]? Body, string? IfMatch);

/// <summary>
/// Requests generated from the OpenAPI document with CsCheck from one fixed seed: mostly plausible
/// requests (real ids of the fuzz county, sane values) with one or more parts spoiled — wrong types,
/// nulls (also inside lists), missing and extra fields, huge strings, control characters, unpaired
/// surrogates, extreme numbers and dates, non-existent ISO weeks, bad guids, deep nesting — and
/// some wholly unreadable bodies, wrong content types and plain valid ones.
/// </summary>
internal sealed class FuzzRequests
{
    public const string RealETag = "<real etag>";

    /// <summary>Deep enough for any parser's limit (System.Text.Json's default is 64).</summary>
    public const int DeepNesting = 5000;

    private readonly JsonElement _schemas;
    private readonly FuzzHost _host;

    public FuzzRequests(JsonElement document, FuzzHost host)
    {
        _schemas = document.GetProperty("components").GetProperty("schemas");
        _host = host;
    }

    public static List<Operation> Operations(JsonElement document)
    {
        var operations = new List<Operation>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var op in path.Value.EnumerateObject())
            {
                var parameters = op.Value.TryGetProperty("parameters", out var list)
                    ? list.EnumerateArray().Select(p => new Parameter(p.GetProperty("name").GetString()!, p.GetProperty("in").GetString()!, p.TryGetProperty("schema", out var s) ? s : default)).ToList()
                    : [];
                JsonElement? body = op.Value.TryGetProperty("requestBody", out var requestBody)
                    && requestBody.GetProperty("content").TryGetProperty("application/json", out var json)
                    && json.TryGetProperty("schema", out var schema) ? schema : null;
                operations.Add(new Operation(op.Name.ToUpperInvariant(), path.Name, parameters, body));
            }
        }
        return operations;
    }

    /// <summary><paramref name="count"/> requests for the operation, the same ones on every run.</summary>
    /// <param name="callers">The roles to send as, each with a weight (those the use case lets in weigh more).</param>
    public FuzzRequest[] For(Operation operation, (string Role, int Weight)[] callers, int count, string seed)
    {
        var role = Weighted([.. callers.Select(c => (c.Weight, Gen.Const(c.Role)))]);
        var target = Target(operation);
        var ifMatch = operation.Parameters.Any(p => p.In == "header" && p.Name == "If-Match")
            ? Weighted((8, Gen.Const((string?)RealETag)), (1, Gen.Const((string?)null)), (1, Pick("*", "\"x\"", "W/\"1\"", "\"\"", "garbage", new string('"', 300)).Select(s => (string?)s)))
            : Gen.Const((string?)null);
        var body = operation.Body is { } schema
            ? BodyFor(schema)
            : Weighted((8, Gen.Const<(string?, byte[]?)>((null, null))), (1, Gen.Const<(string?, byte[]?)>(("application/json", "{\"unexpected\":[null]}"u8.ToArray()))));
        var request =
            from r in role
            from t in target
            from m in ifMatch
            from b in body
            select new FuzzRequest(r, operation.Method, t, b.Item1, b.Item2, m);
        return Check.Single(request.Array[count], _ => true, seed);
    }

    /// <summary>A careful request to the operation as the role (real ids, a sane body): does the role get past the door?</summary>
    public FuzzRequest Probe(Operation operation, string role, string seed)
    {
        var target = Target(operation, spoil: false);
        var body = operation.Body is { } schema ? Valid(schema, "", 0).Select(b => (byte[]?)Encoding.UTF8.GetBytes(b)) : Gen.Const((byte[]?)null);
        var request =
            from t in target
            from b in body
            select new FuzzRequest(role, operation.Method, t, b is null ? null : "application/json", b,
                operation.Parameters.Any(p => p.In == "header" && p.Name == "If-Match") ? RealETag : null);
        return Check.Single(request, _ => true, seed);
    }

    /// <summary>How many requests an operation gets: more for bodies with more fields to spoil.</summary>
    public int CountFor(Operation operation, int perField, int least) =>
        operation.Body is { } schema ? least + perField * Math.Min(Fields(schema, 0), 20) : least;

    private int Fields(JsonElement schema, int depth)
    {
        schema = Resolve(schema);
        var (kind, _) = Kind(schema);
        return depth > 3 ? 1 : kind switch
        {
            "object" => Properties(schema).Sum(p => Fields(p.Schema, depth + 1)),
            "array" => 1 + (schema.TryGetProperty("items", out var items) ? Fields(items, depth + 1) : 0),
            _ => 1,
        };
    }

    // ---- the URL: route values and query values ----

    private Gen<string> Target(Operation operation, bool spoil = true)
    {
        Gen<string> path = Gen.Const("");
        var template = operation.Path;
        var at = 0;
        while (template.IndexOf('{', at) is var open and >= 0)
        {
            var close = template.IndexOf('}', open);
            var literal = template[at..open];
            var name = template[(open + 1)..close];
            var ids = _host.RouteIds.GetValueOrDefault(template[..open]) ?? _host.Values.GetValueOrDefault(name) ?? [];
            var value = Weighted(
                (ids.Length == 0 ? 0 : 8, ids.Length == 0 ? Gen.Const("") : Pick(ids)),
                (spoil || ids.Length == 0 ? 1 : 0, Gen.Guid.Select(g => g.ToString())),
                (spoil ? 1 : 0, Pick(BadRouteValues)));
            path = from p in path from v in value select p + literal + v;
            at = close + 1;
        }
        var rest = template[at..];
        path = path.Select(p => p + rest);
        var query = operation.Parameters.Where(p => p.In == "query").ToList();
        if (query.Count == 0)
        {
            return path;
        }
        Gen<string> parts = Gen.Const("");
        foreach (var parameter in query)
        {
            var name = parameter.Name;
            var one = Weighted(
                (3, Gen.Const("")),
                (3, ValidQuery(parameter).Select(v => "&" + name + "=" + Uri.EscapeDataString(v))),
                (spoil ? 3 : 0, BadQuery(parameter).Select(v => "&" + name + "=" + v)),
                (spoil ? 1 : 0, Gen.Const("&" + name + "=1&" + name + "=2")));
            parts = from a in parts from b in one select a + b;
        }
        return from p in path from q in parts select q.Length == 0 ? p : p + "?" + q[1..];
    }

    private static readonly string[] BadRouteValues =
    [
        // Not %00: the test server will not carry a NUL in the path (Kestrel answers it 400 before the app).
        "x", "0", "-1", "00000000-0000-0000-0000-000000000000", "not-a-guid", "%ED%A0%80", "%FF", "..%2F..%2Fetc", "%1B%5B31m",
        "9007199254740992", new string('a', 2000), "{00000000-0000-0000-0000-000000000001}",
    ];

    private Gen<string> ValidQuery(Parameter parameter)
    {
        var (kind, format) = Kind(parameter.Schema);
        return parameter.Name switch
        {
            "week" => Pick("2026-W37", "2026-W36", "2026-W40", "2027-W02"),
            "format" => Pick("csv", "xlsx", "json"),
            "from" or "to" => Pick("2026-09-01", "2026-09-30", "2027-01-22"),
            _ when _host.Values.TryGetValue(parameter.Name, out var real) => Pick(real),
            _ => kind switch
            {
                "boolean" => Pick("true", "false"),
                "integer" => Pick("1", "5", "100"),
                "enum" => Pick([.. Enum(parameter.Schema)]),
                _ when format == "uuid" => Gen.Guid.Select(g => g.ToString()),
                _ when format == "date" => Pick("2026-09-08", "2026-12-31"),
                _ => Pick("x", "临翔"),
            },
        };
    }

    private static Gen<string> BadQuery(Parameter parameter)
    {
        var (kind, format) = Kind(parameter.Schema);
        var common = Pick("", "x", "%00", "%1B", "%ED%A0%80", "%FF%FE", "%0D%0A", "-1", "9007199254740992", "1e308", new string('9', 400), "%E2%80%AE", "null", "[]", "%7B%7D");
        var specific = parameter.Name == "week" ? Pick(BadWeeks)
            : kind == "boolean" ? Pick("1", "0", "yes", "TRUE ", "on")
            : kind == "integer" ? Pick("1.5", "-9223372036854775809", "9223372036854775808", "0x10", "%2B1")
            : kind == "enum" ? Pick("7", "-1", "draft", "Draft,Active", "999")
            : format == "uuid" ? Pick("00000000-0000-0000-0000-000000000000", "not-a-guid", "0190f5c2d4b87a3e9c1d2e3f4a5b6c7")
            : format == "date" ? Pick([.. ExtremeDates.Concat(BadDates).Select(Uri.EscapeDataString)])
            : parameter.Name == "format" ? Pick("pdf", "CSV", "xls", "..%2F")
            : Pick(new string('测', 2000), "%3Cscript%3E");
        return Weighted((1, common), (2, specific));
    }

    // ---- the body ----

    private Gen<(string?, byte[]?)> BodyFor(JsonElement schema)
    {
        static (string?, byte[]?) Json(string body) => ("application/json", Encoding.UTF8.GetBytes(body));
        return Weighted(
            (14, Spoiled(schema, "", 0).Select(Json)),
            (3, Valid(schema, "", 0).Select(Json)),
            (3, Gen.Int[0, Unreadable.Length - 1].Select(i => ((string?)"application/json", (byte[]?)Unreadable[i]))),
            (1, Valid(schema, "", 0).SelectMany(b => Pick("text/plain", "application/x-www-form-urlencoded", "application/xml", "application/json; charset=latin1", "multipart/form-data; boundary=x")
                .Select(type => ((string?)type, (byte[]?)Encoding.UTF8.GetBytes(b))))),
            (1, Valid(schema, "", 0).Select(b => ((string?)null, (byte[]?)Encoding.UTF8.GetBytes(b)))));
    }

    /// <summary>Bodies no parser should accept, and some that only a careless one would.</summary>
    private static readonly byte[][] Unreadable =
    [
        [], "null"u8.ToArray(), "[]"u8.ToArray(), "{"u8.ToArray(), "{\"a\":"u8.ToArray(), "123"u8.ToArray(), "\"x\""u8.ToArray(), "{} {}"u8.ToArray(),
        "{\"a\":1,\"a\":2}"u8.ToArray(), "/* c */ {}"u8.ToArray(), "{\"x\":NaN}"u8.ToArray(), "\uFEFF{}"u8.ToArray(), "{'a':1}"u8.ToArray(),
        [0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xFF, 0xFE, 0x22, 0x7D], [0x00, 0x00, 0x00], "\"\\ud800\""u8.ToArray(),
        Encoding.UTF8.GetBytes(new string('[', DeepNesting) + new string(']', DeepNesting)),
        Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"a\":", DeepNesting)) + "1" + new string('}', DeepNesting)),
        // Over the 1 MiB body limit.
        Encoding.UTF8.GetBytes("{\"name\":\"" + new string('a', 1_100_000) + "\"}"),
    ];

    /// <summary>A value of the schema that a careful client would send.</summary>
    private Gen<string> Valid(JsonElement schema, string name, int depth)
    {
        schema = Resolve(schema);
        var (kind, format) = Kind(schema);
        switch (kind)
        {
            case "object":
                var properties = Properties(schema);
                return RowFor(properties).SelectMany(row => Object(properties.Select(p => (p.Name, ValidField(p, row, depth + 1))).ToList()));
            case "array":
                var item = schema.TryGetProperty("items", out var items) ? items : default;
                // One window a day at most: a single window is always a valid list.
                var length = name is "windows" or "availability" ? 1 : 3;
                return Valid(item, name, depth + 1).Array[1, length].Select(values => "[" + string.Join(',', values) + "]");
            case "enum":
                return Pick([.. Enum(schema).Select(Quote)]);
            case "boolean":
                return name == "missed" ? Pick("false") : Pick("true", "false");
            case "integer":
                return name switch
                {
                    "day" => Gen.Int[1, 5].Select(i => i.ToString(CultureInfo.InvariantCulture)),
                    "minutes" => Pick("15", "30", "60"),
                    "minAge" => Pick("6"),
                    "maxAge" => Pick("16"),
                    "lessonMinutes" => Pick("40"),
                    "maxSessionsPerWeek" => Pick("8", "10"),
                    "maxAwayMinutesPerDay" => Pick("300", "480"),
                    _ => Gen.Int[1, 3].Select(i => i.ToString(CultureInfo.InvariantCulture)),
                };
            case "number":
                return name.EndsWith("Lat", StringComparison.Ordinal) ? Pick("23.88", "23.8") : Pick("100.09", "100.1");
            case "string" when _host.Values.TryGetValue(name, out var real):
                return Pick([.. real.Select(Quote)]);
            case "string" when format == "uuid":
                return Gen.Guid.Select(g => Quote(g.ToString()));
            case "string" when format == "date" && name is "firstDay" or "lastDay":
                return name == "firstDay" ? Pick("\"2026-10-12\"", "\"2026-10-13\"") : Pick("\"2026-10-16\"", "\"2026-10-15\"");
            case "string" when format == "date":
                return name == "birthDate" ? Pick("\"2015-04-01\"", "\"2012-09-30\"") : Pick("\"2026-09-07\"", "\"2026-09-03\"", "\"2026-10-12\"", "\"2026-12-21\"");
            case "string":
                return name switch
                {
                    "from" or "start" => Pick("\"09:00\"", "\"08:00\""),
                    "to" or "end" => Pick("\"16:00\"", "\"17:00\""),
                    "relation" => Pick("\"母亲\"", "\"父亲\""),
                    "ethnicity" => Pick("\"汉族\"", "\"佤族\""),
                    "disabilityCertificateNo" or "nationalStudentNo" => Pick("null"),
                    "week" => Pick("\"2026-W37\""),
                    "gender" => Pick("\"女\"", "\"男\""),
                    "phone" => Pick("\"13800001234\""),
                    "userName" => Pick("\"nobody\"", "\"someone-else\""),
                    "password" or "currentPassword" or "newPassword" => Pick("\"wrong-password-1\"", "\"another-password-2\""),
                    _ => Pick("\"测试\"", "\"能独立抓握勺子\"", "\"special-education\"", "\"张某\""),
                };
            default:
                return Pick("\"x\"", "1", "null");
        }
    }

    /// <summary>A value of the schema with something wrong in it, somewhere.</summary>
    private Gen<string> Spoiled(JsonElement schema, string name, int depth)
    {
        schema = Resolve(schema);
        var (kind, _) = Kind(schema);
        switch (kind)
        {
            case "object":
                var properties = Properties(schema);
                if (properties.Count == 0)
                {
                    return Weighted((3, Bad(schema, name)), (1, Gen.Const("{\"extra\":" + Quote(new string('x', 100)) + "}")));
                }
                var last = properties.Count - 1;
                return RowFor(properties).SelectMany(row => Weighted(
                    (8, Gen.Int[0, last].SelectMany(i => Object(properties.Select((p, j) => (p.Name, j == i ? Spoiled(p.Schema, p.Name, depth + 1) : ValidField(p, row, depth + 1))).ToList()))),
                    (4, Object(properties.Select(p => (p.Name, Weighted((3, ValidField(p, row, depth + 1)), (1, Spoiled(p.Schema, p.Name, depth + 1))))).ToList())),
                    (2, Gen.Int[0, last].SelectMany(i => Object(properties.Where((_, j) => j != i).Select(p => (p.Name, ValidField(p, row, depth + 1))).ToList()))),
                    (1, Object([.. properties.Select(p => (p.Name, ValidField(p, row, depth + 1))), ("zzExtra", Bad(default, "zzExtra")), ("__proto__", Gen.Const("{\"admin\":true}"))])),
                    (2, Bad(schema, name))));
            case "array":
                var item = schema.TryGetProperty("items", out var items) ? items : default;
                var valid = Valid(item, name, depth + 1);
                return Weighted(
                    (4, from values in valid.Array[0, 2] from bad in Spoiled(item, name, depth + 1) select "[" + string.Join(',', values.Append(bad)) + "]"),
                    (3, valid.Array[0, 2].Select(values => "[" + string.Join(',', values.Prepend("null")) + "]")),
                    (1, valid.Array[101, 130].Select(values => "[" + string.Join(',', values) + "]")),
                    (1, valid.Select(v => "[" + string.Join(',', Enumerable.Repeat(v, 2)) + "]")),
                    (2, Bad(schema, name)));
            default:
                return Bad(schema, name);
        }
    }

    private static readonly Dictionary<string, string> NoRow = [];

    /// <summary>For an object with a session key: one of the fuzz county's sessions, whose date, times and team go with it.</summary>
    private Gen<Dictionary<string, string>> RowFor(List<(string Name, JsonElement Schema)> properties) =>
        properties.Any(p => p.Name == "sessionKey") && _host.SessionRows.Count > 0
            ? Gen.Int[0, _host.SessionRows.Count - 1].Select(i => _host.SessionRows[i])
            : Gen.Const(NoRow);

    private Gen<string> ValidField((string Name, JsonElement Schema) property, Dictionary<string, string> row, int depth) =>
        row.TryGetValue(property.Name, out var value) ? Gen.Const(value) : Valid(property.Schema, property.Name, depth);

    /// <summary>A wrong value for a field of the schema: of the wrong type, null, or of the right type at its extremes.</summary>
    private static Gen<string> Bad(JsonElement schema, string name)
    {
        var (kind, format) = schema.ValueKind == JsonValueKind.Undefined ? ("any", "") : Kind(schema);
        var wrongType = kind switch
        {
            "integer" or "number" => Pick("\"x\"", "true", "{}", "[1]", "\"\"", "\"1 \""),
            "boolean" => Pick("\"yes\"", "1", "\"true\"", "[]"),
            "array" => Pick("\"x\"", "{}", "1", "[[[]]]"),
            "object" => Pick("\"x\"", "[]", "1", "true"),
            _ => Pick("12345", "true", "{}", "[]", "[\"x\"]", "1.5"),
        };
        var extreme = kind switch
        {
            "integer" => Weighted((3, Pick("-1", "0", "2147483647", "-2147483648", "1000", "\"-1\"", "-0")), (1, Pick("2147483648", "-2147483649", "9007199254740992", "1e308", "1.5", "99999999999999999999999", "\"NaN\""))),
            "number" => Pick("-1", "0", "1e308", "-1e308", "9007199254740993", "\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "91", "181", "-181", "5e-324"),
            "enum" => Pick("\"x\"", "-1", "7", "999", "\"\"", "\"0\"", "2147483647", "\"Home, Remote\""),
            "boolean" => Pick("null", "0"),
            "array" => Pick("[null]", "[null,null]", "[{}]", "[\"\"]", "[1e308]"),
            "object" => Pick("{}", "{\"\":null}"),
            _ when format == "uuid" => Pick("\"x\"", "\"\"", "\"00000000-0000-0000-0000-000000000000\"", "\"0190f5c2-d4b8-7a3e-9c1d-2e3f4a5b6c7d\"", "\"{00000000-0000-0000-0000-000000000001}\"", "\"0\""),
            _ when format == "date" || name is "date" or "makeUpDate" => Weighted((3, Pick([.. ExtremeDates.Select(Quote)])), (1, Pick([.. BadDates.Select(Quote)]))),
            _ when name is "from" or "to" or "start" or "end" => Pick("\"24:00\"", "\"25:61\"", "\"-01:00\"", "\"9\"", "\"23:59:59.9999999\"", "\"00:00\"", "\"x\"", "\"12:00 PM\""),
            _ when name is "week" or "sessionKey" => Pick([.. BadWeeks.Select(Quote), "\"x:home:0:2026-W99\"", "\"::::\""]),
            _ => Pick([.. BadStrings]),
        };
        return Weighted(
            (3, Gen.Const("null")),
            (2, wrongType),
            (10, extreme),
            (1, Pick(DeepValues)));
    }

    /// <summary>Dates that read as dates, but no school day: far ends, outside 2000–2100, outside the term.</summary>
    private static readonly string[] ExtremeDates = ["0001-01-01", "9999-12-31", "1999-12-31", "2101-01-01", "2030-06-01", "2026-01-01", "2026-09-06"];

    private static readonly string[] BadDates =
        ["0001-01-01", "9999-12-31", "2026-02-30", "2026-13-01", "x", "", "2026-09-08T10:00:00Z", "-0001-01-01", "10000-01-01", "2026-9-8", "20260908"];

    private static readonly string[] BadWeeks = ["2026-W99", "2026-W00", "2026-W53", "2020-W54", "0001-W01", "9999-W52", "x", "", "2026W37", "2026-W-1"];

    private static readonly string[] BadStrings =
    [
        Quote(new string('a', 100_000)),
        Quote(new string('测', 100_000)),
        Quote(new string('x', 51)),
        Quote(new string('x', 4001)),
        Quote("a\u0000b\u0001c\u001bd"),
        Quote("\u0007\u0008\u000b\u000c\u007f\u0085"),
        Quote("line\nbreak\tand\rtab"),
        "\"\\ud800\"", "\"a\\udc00b\"", "\"\\udbff\\ud800\"", "\"x\\ud83d\"",
        "\"\"", "\"   \"", Quote("\u202e\u200b\ufeff"), Quote("😀🇨🇳"),
        Quote("=cmd|' /C calc'!A0"), Quote("+1+1"), Quote("<script>alert(1)</script>"), Quote("]]><svg onload=alert(1)>"), Quote("' OR 1=1 --"), Quote("../../etc/passwd"),
    ];

    private static readonly string[] DeepValues =
    [
        new string('[', DeepNesting) + new string(']', DeepNesting),
        string.Concat(Enumerable.Repeat("{\"a\":", DeepNesting)) + "null" + new string('}', DeepNesting),
    ];

    // ---- schema helpers ----

    private JsonElement Resolve(JsonElement schema)
    {
        while (schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("$ref", out var reference))
        {
            schema = _schemas.GetProperty(reference.GetString()!.Split('/')[^1]);
        }
        return schema;
    }

    private List<(string Name, JsonElement Schema)> Properties(JsonElement schema) =>
        schema.TryGetProperty("properties", out var properties) ? [.. properties.EnumerateObject().Select(p => (p.Name, Resolve(p.Value)))] : [];

    private static IEnumerable<string> Enum(JsonElement schema) =>
        schema.TryGetProperty("enum", out var values) ? values.EnumerateArray().Select(v => v.ToString()) : [];

    /// <summary>("object" | "array" | "enum" | "integer" | "number" | "boolean" | "string" | "any", format).</summary>
    private static (string Kind, string Format) Kind(JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return ("any", "");
        }
        var format = schema.TryGetProperty("format", out var f) ? f.GetString() ?? "" : "";
        if (schema.TryGetProperty("enum", out _))
        {
            return ("enum", format);
        }
        if (schema.TryGetProperty("properties", out _))
        {
            return ("object", format);
        }
        var types = !schema.TryGetProperty("type", out var type) ? []
            : type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()!).ToArray() : [type.GetString()!];
        foreach (var kind in new[] { "array", "object", "integer", "number", "boolean", "string" })
        {
            if (types.Contains(kind))
            {
                return (kind, format);
            }
        }
        return ("any", format);
    }

    private static Gen<string> Object(List<(string Name, Gen<string> Value)> properties)
    {
        Gen<string> json = Gen.Const("");
        foreach (var (name, value) in properties)
        {
            json = from a in json from v in value select a + (a.Length == 0 ? "" : ",") + Quote(name) + ":" + v;
        }
        return json.Select(body => "{" + body + "}");
    }

    private static string Quote(string text) => JsonSerializer.Serialize(text);

    /// <summary>CsCheck's Frequency over generators (typed so that its overload for constant values is not taken).</summary>
    private static Gen<T> Weighted<T>(params (int Weight, Gen<T> Gen)[] gens) =>
        Gen.Frequency(gens.Where(g => g.Weight > 0).Select(g => (g.Weight, (IGen<T>)g.Gen)).ToArray());

    private static Gen<string> Pick(params string[] values) => Gen.Int[0, values.Length - 1].Select(i => values[i]);
}
