using System.Globalization;
using System.Text;

namespace ControlDropout.Web.Tests.Access;

/// <summary>
/// The classes an answer falls into. Only whether the caller got through the door is recorded, not
/// what the rules behind it then said: a 400, 409, 412 or 422 is the caller arguing with a rule they
/// may argue with, so it counts as <see cref="Ok"/>.
/// </summary>
public static class AccessOutcome
{
    /// <summary>2xx; 3xx to anywhere but the sign-in or denied page; 400/409/412/422/428 (past the door, stopped by a rule); a page shown without a refusal.</summary>
    public const string Ok = "ok";

    /// <summary>401, or a redirect to <c>/login</c>.</summary>
    public const string Login = "login";

    /// <summary>403, a redirect to <c>/denied</c>, or a page shown with a "no right" (无权) refusal at the top.</summary>
    public const string Forbidden = "forbidden";

    /// <summary>404, or a page shown with the not-found refusal.</summary>
    public const string NotFound = "notfound";

    /// <summary>5xx, or anything else unexpected (a status this table has no class for): always a failure.</summary>
    public const string Error = "error";

    public static readonly string[] All = [Ok, Login, Forbidden, NotFound, Error];

    public static bool IsRefusal(string outcome) => outcome is Login or Forbidden or NotFound;
}

/// <summary>The callers of every row, in the order of the table's columns.</summary>
public static class AccessCaller
{
    public const string Anonymous = "anonymous";
    public const string OtherCountyAdmin = "other-county-admin";

    /// <summary>Roles of the home county (临翔区), then another county's admin calling with the home county's ids.</summary>
    public static readonly string[] All = [Anonymous, "admin", "approver", "coordinator", "teacher", "auditor", OtherCountyAdmin];
}

/// <summary>
/// The expected table of who may call what: one row per API route or page handler
/// (<c>POST /api/plans/{id:guid}/approve</c>, <c>POST /plans/{id:guid}?handler=Approve</c>), one column per
/// caller, kept as <c>Access/access-matrix.csv</c> and rendered into README.md.
/// </summary>
public sealed class AccessMatrix
{
    public const string CsvPath = "tests/ControlDropout.Web.Tests/Access/access-matrix.csv";
    public const string ReadmeStart = "<!-- access-matrix:start -->";
    public const string ReadmeEnd = "<!-- access-matrix:end -->";

    /// <summary>Set to 1 to write what was observed into the source tree instead of comparing.</summary>
    public const string UpdateVariable = "UPDATE_ACCESS_MATRIX";

    public static bool Updating => Environment.GetEnvironmentVariable(UpdateVariable) == "1";

    public SortedDictionary<string, IReadOnlyDictionary<string, string>> Rows { get; } = new(RowOrder.Instance);

    public static AccessMatrix Parse(string csv)
    {
        var matrix = new AccessMatrix();
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var header = lines[0].Split(',');
        if (!header.Skip(1).SequenceEqual(AccessCaller.All))
        {
            throw new FormatException($"{CsvPath}: the header must be route,{string.Join(',', AccessCaller.All)}");
        }
        foreach (var line in lines.Skip(1))
        {
            var cells = line.Split(',');
            if (cells.Length != header.Length)
            {
                throw new FormatException($"{CsvPath}: '{line}' has {cells.Length} cells, not {header.Length}");
            }
            matrix.Rows[cells[0]] = header.Skip(1).Zip(cells.Skip(1)).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal);
        }
        return matrix;
    }

    public string ToCsv()
    {
        var text = new StringBuilder();
        text.Append("route,").AppendJoin(',', AccessCaller.All).Append('\n');
        foreach (var (route, cells) in Rows)
        {
            text.Append(route).Append(',').AppendJoin(',', AccessCaller.All.Select(c => cells[c])).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>The README's section: the API table, then the pages table.</summary>
    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Generated from `{CsvPath}` by `AccessMatrixTests` (do not edit by hand). ")
            .Append("`ok`: let through (2xx, a redirect within the app, or a rule's 400/409/412/422); `login`: 401 or sent to sign in; ")
            .Append("`forbidden`: 403, sent to the denied page, or the page shown with a refusal; `notfound`: 404. ")
            .Append("The other county's admin calls with this county's ids.\n");
        foreach (var (title, pages) in new[] { ("API", false), ("Pages", true) })
        {
            text.Append('\n').Append("**").Append(title).Append("**\n\n");
            text.Append("| ").Append(pages ? "Page handler" : "Route").Append(" | ").AppendJoin(" | ", AccessCaller.All).Append(" |\n");
            text.Append("|---|").AppendJoin("", AccessCaller.All.Select(_ => "---|")).Append('\n');
            foreach (var (route, cells) in Rows.Where(r => IsPage(r.Key) == pages))
            {
                text.Append("| `").Append(route).Append("` | ").AppendJoin(" | ", AccessCaller.All.Select(c => cells[c])).Append(" |\n");
            }
        }
        return text.ToString();
    }

    /// <summary>Page rows are every row outside <c>/api</c> and the framework's own routes (health, OpenAPI, the reference, feeds).</summary>
    public static bool IsPage(string row)
    {
        var path = row[(row.IndexOf(' ', StringComparison.Ordinal) + 1)..];
        return !(path.StartsWith("/api/", StringComparison.Ordinal) || path.StartsWith("/openapi/", StringComparison.Ordinal)
            || path.StartsWith("/scalar", StringComparison.Ordinal) || path.StartsWith("/feeds/", StringComparison.Ordinal) || path == "/health");
    }

    /// <summary>The repository's root, found upward from the test assembly (the folder that holds ControlDropout.sln).</summary>
    public static string RepositoryFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ControlDropout.sln")))
            {
                return Path.Combine(dir.FullName, relative);
            }
        }
        throw new DirectoryNotFoundException($"no ControlDropout.sln above {AppContext.BaseDirectory}");
    }

    /// <summary>The README with its generated section replaced (markers kept).</summary>
    public static string WithSection(string readme, string section)
    {
        var start = readme.IndexOf(ReadmeStart, StringComparison.Ordinal);
        var end = readme.IndexOf(ReadmeEnd, StringComparison.Ordinal);
        if (start < 0 || end < start)
        {
            throw new InvalidOperationException($"README.md needs the markers {ReadmeStart} and {ReadmeEnd}");
        }
        return string.Concat(readme.AsSpan(0, start + ReadmeStart.Length), "\n", section, readme.AsSpan(end));
    }

    /// <summary>API before pages; then by path, method and handler, so that a page's handlers sit together.</summary>
    private sealed class RowOrder : IComparer<string>
    {
        public static readonly RowOrder Instance = new();

        private static (bool Page, string Path, string Method, string Handler) Key(string row)
        {
            var space = row.IndexOf(' ', StringComparison.Ordinal);
            var rest = row[(space + 1)..];
            var query = rest.IndexOf("?handler=", StringComparison.Ordinal);
            return (IsPage(row), query < 0 ? rest : rest[..query], row[..space], query < 0 ? "" : rest[query..]);
        }

        public int Compare(string? x, string? y)
        {
            var (a, b) = (Key(x!), Key(y!));
            var c = a.Page.CompareTo(b.Page);
            c = c != 0 ? c : string.CompareOrdinal(a.Path, b.Path);
            c = c != 0 ? c : string.CompareOrdinal(a.Method, b.Method);
            return c != 0 ? c : string.CompareOrdinal(a.Handler, b.Handler);
        }
    }
}
