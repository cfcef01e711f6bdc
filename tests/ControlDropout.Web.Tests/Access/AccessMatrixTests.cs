using System.Net;
using System.Text.RegularExpressions;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace ControlDropout.Web.Tests.Access;

/// <summary>
/// Who may call what, generated: every API route and every page handler the app has right now, each
/// called as every caller with real ids and a valid request, compared with <c>Access/access-matrix.csv</c>.
/// A route without a row fails, and so does a row whose route is gone; a refused write must leave the
/// database exactly as it was. With <c>UPDATE_ACCESS_MATRIX=1</c> the observed table is written to the
/// CSV and README.md instead (then review the diff).
/// </summary>
public sealed partial class AccessMatrixTests : IClassFixture<ServiceFactory>
{
    /// <summary>
    /// Rows that answer 500 today for some caller, each a bug to fix (the table says <c>error</c> there).
    /// Nothing may be added; an entry whose 500 is gone fails until it is removed.
    /// </summary>
    private static readonly HashSet<string> KnownServerErrors = new(StringComparer.Ordinal)
    {
    };

    private readonly ServiceFactory _factory;
    private readonly ITestOutputHelper _output;

    public AccessMatrixTests(ServiceFactory factory, ITestOutputHelper output)
    {
        _output = output;
        // Every caller signs in on both doors, and the session-ending rows sign in again.
        factory.Settings["Access:LoginAttemptsPerMinute"] = "1000";
        _factory = factory;
    }

    [Fact]
    public async Task Every_route_and_page_handler_answers_each_caller_as_the_table_says()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var home = await _factory.LincangAsync();
        var other = await _factory.OtherCountyAsync();
        _output.WriteLine($"seeded {clock.Elapsed}");
        var visitors = new Dictionary<string, AccessVisitor>(StringComparer.Ordinal);
        foreach (var caller in AccessCaller.All)
        {
            visitors[caller] = await AccessVisitor.SignInAsync(_factory, caller, home, other);
        }
        try
        {
            var calls = new AccessCalls(_factory, home, visitors["coordinator"].Api, visitors["approver"].Api, visitors["teacher"].Api);
            _output.WriteLine($"signed in {clock.Elapsed}");
            await calls.SeedAsync();
            _output.WriteLine($"county ready {clock.Elapsed}");
            var routes = await AccessRoute.EnumerateAsync(_factory.Services);
            var observed = new AccessMatrix();
            var problems = new List<string>();
            foreach (var route in routes.OrderBy(AccessCalls.Phase).ThenBy(r => r.Row, StringComparer.Ordinal))
            {
                var cells = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var caller in AccessCaller.All)
                {
                    cells[caller] = await CallAsync(route, caller, visitors, calls, home, other, problems);
                }
                observed.Rows[route.Row] = cells;
                _output.WriteLine($"{clock.Elapsed} {route.Row}");
            }

            foreach (var row in KnownServerErrors.Where(r => observed.Rows.TryGetValue(r, out var cells) && !cells.Values.Contains(AccessOutcome.Error)))
            {
                problems.Add($"{row} no longer answers 500: remove it from AccessMatrixTests.KnownServerErrors");
            }
            if (AccessMatrix.Updating)
            {
                await File.WriteAllTextAsync(AccessMatrix.RepositoryFile(AccessMatrix.CsvPath), observed.ToCsv());
                var readme = AccessMatrix.RepositoryFile("README.md");
                await File.WriteAllTextAsync(readme, AccessMatrix.WithSection(await File.ReadAllTextAsync(readme), observed.ToMarkdown()));
            }
            else
            {
                problems.AddRange(Compare(AccessMatrix.Parse(await File.ReadAllTextAsync(AccessMatrix.RepositoryFile(AccessMatrix.CsvPath))), observed));
            }
            problems.Should().BeEmpty($"the access matrix must hold (regenerate with {AccessMatrix.UpdateVariable}=1 and review the diff if a change is intended)");
        }
        finally
        {
            foreach (var visitor in visitors.Values)
            {
                visitor.Dispose();
            }
        }
    }

    [Fact]
    public async Task The_readme_says_who_may_call_what_from_the_same_table()
    {
        var matrix = AccessMatrix.Parse(await File.ReadAllTextAsync(AccessMatrix.RepositoryFile(AccessMatrix.CsvPath)));
        var path = AccessMatrix.RepositoryFile("README.md");
        var readme = await File.ReadAllTextAsync(path);
        var rendered = AccessMatrix.WithSection(readme, matrix.ToMarkdown());
        if (AccessMatrix.Updating)
        {
            await File.WriteAllTextAsync(path, rendered);
            return;
        }
        readme.Should().Be(rendered, $"README.md's section between the access-matrix markers is generated from {AccessMatrix.CsvPath} (run with {AccessMatrix.UpdateVariable}=1)");
    }

    [Fact]
    public async Task The_fingerprint_sees_a_changed_field_of_any_row()
    {
        var home = await _factory.LincangAsync();
        var before = await DatabaseFingerprint.TakeAsync(_factory.Services);
        (await DatabaseFingerprint.TakeAsync(_factory.Services)).Difference(before).Should().BeEmpty("reading changes nothing");
        using (var scope = _factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Web.Data.AppDbContext>();
            (await db.Staff.SingleAsync(s => s.Id == home.Teacher)).MaxSessionsPerWeek += 1;
            await db.SaveChangesAsync();
        }
        before.Difference(await DatabaseFingerprint.TakeAsync(_factory.Services)).Should().Contain("Staff (", "a field changed in place");
    }

    [Fact]
    public void The_table_only_uses_the_known_outcomes_and_callers()
    {
        var matrix = AccessMatrix.Parse(File.ReadAllText(AccessMatrix.RepositoryFile(AccessMatrix.CsvPath)));
        matrix.Rows.Should().NotBeEmpty();
        matrix.Rows.SelectMany(r => r.Value.Values).Should().OnlyContain(c => AccessOutcome.All.Contains(c));
        matrix.Rows.Where(r => r.Value.Values.Contains(AccessOutcome.Error)).Select(r => r.Key).Should().BeSubsetOf(KnownServerErrors,
            "a 5xx is never an expected answer, except for the bugs listed in KnownServerErrors");
    }

    /// <summary>Rows missing from the table, rows whose route is gone, and cells that differ.</summary>
    public static IEnumerable<string> Compare(AccessMatrix expected, AccessMatrix observed)
    {
        foreach (var (row, cells) in observed.Rows)
        {
            if (!expected.Rows.TryGetValue(row, out var want))
            {
                yield return $"no row for {row}: add to {AccessMatrix.CsvPath} the line '{row},{string.Join(',', AccessCaller.All.Select(c => cells[c]))}' (after checking each cell is right)";
                continue;
            }
            foreach (var caller in AccessCaller.All.Where(c => want[c] != cells[c]))
            {
                yield return $"{row} as {caller}: the table says {want[caller]}, the app answered {cells[caller]}";
            }
        }
        foreach (var row in expected.Rows.Keys.Where(r => !observed.Rows.ContainsKey(r)))
        {
            yield return $"{row} is in {AccessMatrix.CsvPath} but the app has no such route or handler: remove the row";
        }
    }

    private async Task<string> CallAsync(AccessRoute route, string caller, Dictionary<string, AccessVisitor> visitors, AccessCalls calls,
        TestCounty home, TestCounty other, List<string> problems)
    {
        // Signing out may end every session of the user: those calls run last, each on a sign-in of its own;
        // a login as nobody would sign the anonymous browser in, so it gets a browser of its own too.
        var fresh = route.EndsSessions || (caller == AccessCaller.Anonymous && route.Template.Contains("login", StringComparison.Ordinal) && route.IsWrite);
        var visitor = fresh ? await AccessVisitor.SignInAsync(_factory, caller, home, other) : visitors[caller];
        try
        {
            HttpRequestMessage request;
            try
            {
                request = await calls.BuildAsync(route, visitor);
            }
            catch (NotSupportedException e)
            {
                problems.Add(e.Message);
                return AccessOutcome.Error;
            }
            var before = route.IsWrite ? await DatabaseFingerprint.TakeAsync(_factory.Services) : null;
            using var response = await (route.IsPage ? visitor.Browser : visitor.Api).SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            var outcome = Classify(response, body, route.IsPage);
            if (route.EndsSessions && route.IsPage && visitor.UserName is not null && outcome == AccessOutcome.Login && response.StatusCode == HttpStatusCode.Redirect)
            {
                // Signing out of the pages ends on the sign-in page: for a signed-in caller that is the success.
                outcome = AccessOutcome.Ok;
            }
            if (outcome == AccessOutcome.Error && !(KnownServerErrors.Contains(route.Row) && (int)response.StatusCode >= 500))
            {
                problems.Add($"{route.Row} as {caller}: {(int)response.StatusCode} {response.Headers.Location} {body[..Math.Min(body.Length, 300)]}");
            }
            if (before is not null && AccessOutcome.IsRefusal(outcome))
            {
                var changed = before.Difference(await DatabaseFingerprint.TakeAsync(_factory.Services));
                if (changed.Length > 0)
                {
                    problems.Add($"{route.Row} as {caller} was refused ({outcome}) and yet changed {changed}");
                }
            }
            if (route.IsWrite && !AccessOutcome.IsRefusal(outcome))
            {
                await calls.SettleAsync();
            }
            return outcome;
        }
        finally
        {
            if (fresh)
            {
                visitor.Dispose();
            }
        }
    }

    [GeneratedRegex("<div class=\"alert error\" role=\"alert\">(.*?)</div>", RegexOptions.Singleline)]
    private static partial Regex Alert();

    /// <summary>The outcome class of one answer (see <see cref="AccessOutcome"/>).</summary>
    public static string Classify(HttpResponseMessage response, string body, bool page)
    {
        var status = (int)response.StatusCode;
        if (status is >= 300 and < 400)
        {
            var location = response.Headers.Location;
            var path = location is null ? "" : location.IsAbsoluteUri ? location.AbsolutePath : location.OriginalString.Split('?', '#')[0];
            return path switch
            {
                "/login" => AccessOutcome.Login,
                "/denied" => AccessOutcome.Forbidden,
                _ => AccessOutcome.Ok,
            };
        }
        return status switch
        {
            401 => AccessOutcome.Login,
            403 => AccessOutcome.Forbidden,
            404 => AccessOutcome.NotFound,
            // A page's 400 with the antiforgery message is this test's fault, not an answer about the caller.
            400 when page && body.Contains("表单已过期或不完整", StringComparison.Ordinal) => AccessOutcome.Error,
            400 or 409 or 412 or 422 or 428 => AccessOutcome.Ok,
            >= 200 and < 300 when page && Alert().Match(body) is { Success: true } alert => alert.Groups[1].Value switch
            {
                var text when text.Contains(Web.Infrastructure.Refusal.NotFoundMessage, StringComparison.Ordinal) => AccessOutcome.NotFound,
                var text when text.Contains("无权", StringComparison.Ordinal) => AccessOutcome.Forbidden,
                _ => AccessOutcome.Ok,
            },
            >= 200 and < 300 => AccessOutcome.Ok,
            _ => AccessOutcome.Error,
        };
    }
}
