using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using ControlDropout.Web.Features.Home;
using FluentAssertions;
using Xunit.Abstractions;

namespace ControlDropout.Web.Tests.Fuzz;

/// <summary>
/// Issue 11: every operation of <c>/openapi/v1.json</c>, sent a few dozen careless or hostile
/// requests each (CsCheck, one fixed seed) as the roles that may call it, in Development and in
/// Production. No answer may be 500 or worse, and afterwards every role can still read the visits,
/// the coverage, the matrix and the ledger, open its home page and the flagged visits, and the audit
/// chain is intact: a bad request is refused, never stored so that it breaks the reads.
/// Failing operations are also written to <c>artifacts/fuzz-report.txt</c>.
/// </summary>
public sealed class OpenApiFuzzTests(ITestOutputHelper output)
{
    private const string Seed = "0000000000011";

    /// <summary>Requests per operation: at least this many, and this many more per field of its body.</summary>
    private const int Least = 16;
    private const int PerField = 4;

    /// <summary>A role the use case lets in is sent this many times as often as one it refuses with 403.</summary>
    private const int AdmittedWeight = 6;

    /// <summary>Operations that end the caller's own sessions: sent as the expendable second approver.</summary>
    private static readonly string[] SessionEnders = ["POST /api/auth/logout", "POST /api/auth/password"];

    [Theory]
    [InlineData("Development")]
    [InlineData("Production")]
    public async Task No_request_answers_500_and_every_role_can_still_read_the_record(string environment)
    {
        await using var host = await FuzzHost.StartAsync(environment);
        var document = JsonDocument.Parse(await host.Api[FuzzHost.Anonymous].GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative))).RootElement;
        var operations = FuzzRequests.Operations(document);
        operations.Should().HaveCountGreaterThan(40, "the document lists the whole API");
        var callers = await host.CallersByRouteAsync();
        var generator = new FuzzRequests(document, host);
        var failures = new List<Failure>();

        var before = await ReadsAsync(host);
        failures.AddRange(before.Where(r => r.Value.Status is not (200 or 403) || r.Value.Problem is not null)
            .Select(r => new Failure("(before the fuzz)", "", r.Key, "", r.Value.Status, r.Value.Problem ?? "not 200 or 403", "")));
        host.Errors.Drain();

        var clock = Stopwatch.StartNew();
        var sent = 0;
        var background = new List<string>();
        var answers = new SortedDictionary<string, SortedDictionary<int, int>>(StringComparer.Ordinal);
        var probes = new Dictionary<string, string>();
        async Task<int> SendAndCheckAsync(Operation operation, FuzzRequest request)
        {
            var (status, answer) = await SendAsync(host, request);
            sent++;
            var counts = answers.TryGetValue(operation.Key, out var c) ? c : answers[operation.Key] = [];
            counts[status] = counts.GetValueOrDefault(status) + 1;
            var logged = host.Errors.Drain();
            if (status is >= 500 or 0)
            {
                failures.Add(new Failure(operation.Key, request.Role, $"{request.Method} {request.Target}", Excerpt(request), status, answer, string.Join(" | ", logged.Distinct().Take(2))));
            }
            else
            {
                background.AddRange(logged);
            }
            return status;
        }
        foreach (var operation in operations)
        {
            string[] roles = SessionEnders.Contains(operation.Key) ? [FuzzHost.Expendable] : callers.GetValueOrDefault(operation.Key) ?? FuzzHost.Roles;
            // First a careful request as each role: those the use case refuses (403) are still fuzzed, but less.
            var weighted = new List<(string Role, int Weight)>();
            foreach (var role in roles)
            {
                var status = await SendAndCheckAsync(operation, generator.Probe(operation, role, Seed));
                weighted.Add((role, status == 403 ? 1 : AdmittedWeight));
                probes[operation.Key] = (probes.GetValueOrDefault(operation.Key) ?? "") + $" {role}→{status}";
            }
            foreach (var request in generator.For(operation, [.. weighted], generator.CountFor(operation, PerField, Least), Seed))
            {
                await SendAndCheckAsync(operation, request);
            }
        }
        var fuzzTime = clock.Elapsed;

        var after = await ReadsAsync(host);
        foreach (var (check, read) in after)
        {
            var was = before.GetValueOrDefault(check);
            if (read.Status != was.Status || read.Problem is not null)
            {
                failures.Add(new Failure("(after the fuzz)", "", check, "", read.Status, read.Problem ?? $"was {was.Status} before the fuzz", string.Join(" | ", host.Errors.Drain().Distinct().Take(2))));
            }
        }

        var report = Report(environment, sent, fuzzTime, failures, background, answers, probes);
        output.WriteLine(report);
        await WriteReportAsync(environment, report);
        failures.Should().BeEmpty($"no request may answer 500 or break a later read ({environment}):\n{report}");
    }

    private sealed record Failure(string Operation, string Role, string Request, string Body, int Status, string Answer, string Exception);

    private readonly record struct Read(int Status, string? Problem);

    private static async Task<(int Status, string Answer)> SendAsync(FuzzHost host, FuzzRequest r)
    {
        var client = host.Api[r.Role];
        using var request = new HttpRequestMessage(new HttpMethod(r.Method), new Uri(r.Target, UriKind.Relative));
        if (r.Body is { } body)
        {
            request.Content = new ByteArrayContent(body);
            if (r.ContentType is { } type)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", type);
            }
        }
        var ifMatch = r.IfMatch == FuzzRequests.RealETag ? await CurrentETagAsync(client, r.Target) : r.IfMatch;
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }
        try
        {
            using var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            return ((int)response.StatusCode, text.Length > 600 ? text[..600] + "…" : text);
        }
#pragma warning disable CA1031 // Any exception out of the server is a failure to report, not to crash the run on.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return (0, "no answer: " + ErrorLog.Describe(e));
        }
    }

    /// <summary>The plan's ETag as the caller sees it, so that the write behind the precondition is reached.</summary>
    private static async Task<string?> CurrentETagAsync(HttpClient client, string target)
    {
        var segments = target.Split('?')[0].Split('/');
        if (segments.Length < 4 || !Guid.TryParse(segments[3], out var id))
        {
            return null;
        }
        using var response = await client.GetAsync(new Uri($"/api/plans/{id}", UriKind.Relative));
        return response.IsSuccessStatusCode ? response.Headers.ETag?.ToString() : null;
    }

    /// <summary>
    /// What every role reads, and how it answered: the API's lists and exports as the bearer client,
    /// the home page and the flagged visits in the signed-in browser, the audit chain's verdict.
    /// A read answers 200 or the role's own 403; a text answer must not carry control characters.
    /// </summary>
    private static async Task<Dictionary<string, Read>> ReadsAsync(FuzzHost host)
    {
        var reads = new Dictionary<string, Read>();
        foreach (var role in FuzzHost.Roles)
        {
            var api = host.Api[role];
            foreach (var path in new[] { "/api/visits", "/api/coverage", "/api/coverage/matrix", "/api/ledger?format=csv", "/api/ledger?format=xlsx" })
            {
                using var response = await api.GetAsync(new Uri(path, UriKind.Relative));
                var problem = path.EndsWith("csv", StringComparison.Ordinal) && response.IsSuccessStatusCode ? ControlCharacters(await response.Content.ReadAsStringAsync()) : null;
                reads[$"{role} GET {path}"] = new Read((int)response.StatusCode, problem);
            }
            var browser = host.Browsers[role];
            using (var start = await browser.GetAsync(new Uri("/", UriKind.Relative)))
            {
                var home = IndexModel.HomeOf(role);
                reads[$"{role} GET / (sends to {home})"] = new Read(start.StatusCode == HttpStatusCode.Redirect && start.Headers.Location?.OriginalString == home ? 200 : (int)start.StatusCode, null);
                reads[$"{role} GET {home}"] = await PageAsync(browser, home);
            }
            reads[$"{role} GET /inspect/flags"] = await PageAsync(browser, "/inspect/flags");
            if (role is "auditor" or "admin")
            {
                using var response = await api.GetAsync(new Uri("/api/audit/verify", UriKind.Relative));
                var problem = response.IsSuccessStatusCode && !(await response.Content.ReadAsStringAsync()).Contains("\"intact\":true", StringComparison.Ordinal)
                    ? "the audit chain is not intact: " + await response.Content.ReadAsStringAsync() : null;
                reads[$"{role} GET /api/audit/verify"] = new Read((int)response.StatusCode, problem);
            }
        }
        return reads;
    }

    private static async Task<Read> PageAsync(HttpClient browser, string path)
    {
        using var response = await browser.GetAsync(new Uri(path, UriKind.Relative));
        // A page the role may not open sends it to the "denied" page: that is its 403.
        if (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location is { } location
            && (location.IsAbsoluteUri ? location.AbsolutePath : location.OriginalString.Split('?')[0]) == "/denied")
        {
            return new Read(403, null);
        }
        return new Read((int)response.StatusCode, response.IsSuccessStatusCode ? ControlCharacters(await response.Content.ReadAsStringAsync()) : null);
    }

    /// <summary>A C0 control character other than a line break or tab: not valid in the page's XML (SVG) or in a CSV cell.</summary>
    private static string? ControlCharacters(string text)
    {
        var at = text.AsSpan().IndexOfAnyInRange('\u0000', '\u001f');
        while (at >= 0 && text[at] is '\n' or '\r' or '\t')
        {
            var next = text.AsSpan(at + 1).IndexOfAnyInRange('\u0000', '\u001f');
            at = next < 0 ? -1 : at + 1 + next;
        }
        return at < 0 ? null : $"carries the control character U+{(int)text[at]:X4} at {at}: …{Printable(text.Substring(Math.Max(0, at - 60), Math.Min(120, text.Length - Math.Max(0, at - 60))))}…";
    }

    private static string Printable(string text) => new([.. text.Select(c => char.IsControl(c) || char.IsSurrogate(c) ? '¿' : c)]);

    /// <summary>The body as a reader can take it in: long runs shortened, control characters shown.</summary>
    private static string Excerpt(FuzzRequest request)
    {
        if (request.Body is null)
        {
            return "";
        }
        var text = Encoding.UTF8.GetString(request.Body);
        var shortened = new StringBuilder();
        for (var i = 0; i < text.Length;)
        {
            var run = 1;
            while (i + run < text.Length && text[i + run] == text[i])
            {
                run++;
            }
            shortened.Append(run > 12 ? $"{text[i]}×{run}" : text.Substring(i, run));
            i += run;
        }
        var result = Printable(shortened.ToString());
        return (request.ContentType is { } type && type != "application/json" ? $"[{type}] " : request.ContentType is null ? "[no content type] " : "")
            + (result.Length > 400 ? result[..400] + "…" : result);
    }

    private static string Report(string environment, int sent, TimeSpan time, List<Failure> failures, List<string> background, SortedDictionary<string, SortedDictionary<int, int>> answers, Dictionary<string, string> probes)
    {
        var text = new StringBuilder();
        var operations = failures.GroupBy(f => f.Operation).ToList();
        text.Append(CultureInfo.InvariantCulture, $"== {environment}: {sent} requests in {time.TotalSeconds:0.0} s; {failures.Count} failures in {operations.Count} operations\n");
        foreach (var operation in operations.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"\n{operation.Key}: {operation.Count()} × {string.Join(", ", operation.Select(f => f.Status).Distinct().Order())}\n");
            // One example per cause, the shortest request of each.
            foreach (var cause in operation.GroupBy(f => f.Exception.Length > 0 ? f.Exception : f.Answer))
            {
                var example = cause.OrderBy(f => f.Body.Length + f.Request.Length).First();
                text.Append(CultureInfo.InvariantCulture, $"  {cause.Count()} × {(example.Exception.Length > 0 ? example.Exception : "(nothing logged)")}\n");
                text.Append(CultureInfo.InvariantCulture, $"    {(example.Role.Length > 0 ? "as " + example.Role + ": " : "")}{example.Request}\n");
                if (example.Body.Length > 0)
                {
                    text.Append(CultureInfo.InvariantCulture, $"    body: {example.Body}\n");
                }
                text.Append(CultureInfo.InvariantCulture, $"    answer {example.Status}: {Printable(example.Answer)}\n");
            }
        }
        // How far the requests got: a handler that only ever answered 401/403/404 was not really tried.
        text.Append("\nAnswers per operation (first the careful request as each caller, then all answers):\n");
        foreach (var (operation, counts) in answers)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {operation}: careful{probes.GetValueOrDefault(operation)}; {string.Join(", ", counts.Select(c => $"{c.Key}×{c.Value}"))}\n");
        }
        if (background.Count > 0)
        {
            text.Append("\nLogged errors behind answers below 500 (background work, handled refusals):\n");
            foreach (var entry in background.GroupBy(e => e).OrderByDescending(g => g.Count()).Take(20))
            {
                text.Append(CultureInfo.InvariantCulture, $"  {entry.Count()} × {entry.Key}\n");
            }
        }
        return text.ToString();
    }

    private static readonly SemaphoreSlim ReportLock = new(1, 1);
    private static readonly SortedDictionary<string, string> Sections = new(StringComparer.Ordinal);

    /// <summary>artifacts/fuzz-report.txt at the repository root (gitignored), one section per environment run so far.</summary>
    private static async Task WriteReportAsync(string environment, string section)
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "ControlDropout.sln")))
        {
            root = root.Parent;
        }
        if (root is null)
        {
            return;
        }
        await ReportLock.WaitAsync();
        try
        {
            Sections[environment] = section;
            var artifacts = Directory.CreateDirectory(Path.Combine(root.FullName, "artifacts"));
            var header = $"OpenAPI fuzz (tests/ControlDropout.Web.Tests/Fuzz), seed {Seed}, written {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC\n\n";
            await File.WriteAllTextAsync(Path.Combine(artifacts.FullName, "fuzz-report.txt"), header + string.Join("\n", Sections.Values));
        }
        finally
        {
            ReportLock.Release();
        }
    }
}
