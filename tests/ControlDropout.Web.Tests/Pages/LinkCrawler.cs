using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace ControlDropout.Web.Tests.Pages;

/// <summary>One address that did not resolve: its status (or what happened instead) and the pages that link to it.</summary>
public sealed record BrokenLink(string Url, string Problem, IReadOnlyList<string> LinkedFrom)
{
    public override string ToString() => $"{Problem}: {Url} (linked from {string.Join(", ", LinkedFrom)})";
}

/// <summary>What one crawl saw: every address fetched (with its status), the route patterns reached, and what was broken.</summary>
public sealed record CrawlReport(IReadOnlyDictionary<string, (int Status, TimeSpan Took)> Fetched, IReadOnlySet<string> Patterns, IReadOnlyList<BrokenLink> Broken, bool Capped);

/// <summary>
/// A signed-in person clicking everything: from a start page, follows every same-origin <c>&lt;a href&gt;</c>,
/// every GET form (submitted with its defaults, and once per other option of each list), the images,
/// styles and scripts a page loads, and the event links of a calendar feed — GET only, never <c>/logout</c>, never a POST form. Addresses are
/// normalised (fragment dropped, query sorted) and de-duplicated; each route pattern (ids and dated
/// values folded) is visited a few times at most: a list of a hundred children is eight child pages,
/// a week chooser or a "next week" link three weeks.
/// A redirect is followed as a link of the page that answered it; one to the sign-in page or to the
/// "denied" page is a broken link (the role was shown a link it cannot open), as is any status of 400 or more.
/// </summary>
public sealed partial class LinkCrawler(HttpClient client, int maxPages = 400, int perPattern = 8, int perQueryValue = 3)
{
    /// <summary>Never followed: they change state even when fetched.</summary>
    private static readonly string[] Never = ["/logout"];

    [GeneratedRegex(@"<(a|form|img|link|script)\b([^>]*)>", RegexOptions.IgnoreCase)]
    private static partial Regex Tag();

    [GeneratedRegex(@"([\w:-]+)(?:\s*=\s*(?:""([^""]*)""|'([^']*)'|([^\s""'>]+)))?", RegexOptions.IgnoreCase)]
    private static partial Regex Attribute();

    [GeneratedRegex(@"<form\b([^>]*)>(.*?)</form>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Form();

    [GeneratedRegex(@"<input\b([^>]*)>", RegexOptions.IgnoreCase)]
    private static partial Regex Input();

    [GeneratedRegex(@"<select\b([^>]*)>(.*?)</select>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Select();

    [GeneratedRegex(@"<option\b([^>]*)>(.*?)</option>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Option();

    [GeneratedRegex(@"<textarea\b([^>]*)>(.*?)</textarea>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex TextArea();

    [GeneratedRegex(@"\d")]
    private static partial Regex Digit();

    private readonly Uri _origin = client.BaseAddress ?? new Uri("http://localhost");

    public async Task<CrawlReport> CrawlAsync(string start = "/")
    {
        var queue = new Queue<Uri>();
        var linkedFrom = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var perPatternCount = new Dictionary<string, int>(StringComparer.Ordinal);
        var fetched = new Dictionary<string, (int, TimeSpan)>(StringComparer.Ordinal);
        var problems = new Dictionary<string, string>(StringComparer.Ordinal);
        var capped = false;

        void Found(Uri target, string from)
        {
            var key = Key(target);
            if (!linkedFrom.TryGetValue(key, out var pages))
            {
                linkedFrom[key] = pages = [];
            }
            if (pages.Count < 3 && !pages.Contains(from))
            {
                pages.Add(from);
            }
            if (!seen.Add(key))
            {
                return;
            }
            var pattern = Pattern(target);
            perPatternCount[pattern] = perPatternCount.GetValueOrDefault(pattern) + 1;
            if (perPatternCount[pattern] > (pattern.Contains("={v}", StringComparison.Ordinal) ? perQueryValue : perPattern))
            {
                return;
            }
            queue.Enqueue(target);
        }

        Found(new Uri(_origin, start), "(start)");
        while (queue.TryDequeue(out var url))
        {
            if (fetched.Count >= maxPages)
            {
                capped = true;
                break;
            }
            var key = Key(url);
            var clock = Stopwatch.StartNew();
            using var response = await client.GetAsync(url).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            fetched[key] = (status, clock.Elapsed);
            if (status is >= 300 and < 400 && response.Headers.Location is { } location)
            {
                var target = new Uri(url, location);
                if (SameOrigin(target) && target.AbsolutePath is "/denied" or "/login")
                {
                    problems[key] = $"{status} → {target.AbsolutePath} ({(target.AbsolutePath == "/denied" ? "forbidden for this role" : "signed out")})";
                }
                else if (SameOrigin(target))
                {
                    Found(target, key);
                }
                continue;
            }
            if (status >= 400)
            {
                problems[key] = $"{status} {response.StatusCode}";
                continue;
            }
            if (response.Content.Headers.ContentType?.MediaType == "text/calendar")
            {
                // A feed's events link to their session pages: the link a teacher taps in the phone's calendar.
                foreach (var link in EventLinksIn(await response.Content.ReadAsStringAsync().ConfigureAwait(false), url))
                {
                    if (Follows(link))
                    {
                        Found(link, key);
                    }
                }
                continue;
            }
            if (response.Content.Headers.ContentType?.MediaType != "text/html")
            {
                // A download or an asset: it resolved; read it whole so that a failure half-way shows.
                await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                continue;
            }
            var html = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            foreach (var link in LinksIn(html, url))
            {
                if (Follows(link))
                {
                    Found(link, key);
                }
            }
        }
        var broken = problems.Select(p => new BrokenLink(p.Key, p.Value, linkedFrom.GetValueOrDefault(p.Key) ?? [])).OrderBy(b => b.Url, StringComparer.Ordinal).ToList();
        return new CrawlReport(fetched, perPatternCount.Keys.ToHashSet(StringComparer.Ordinal), broken, capped);
    }

    private bool SameOrigin(Uri url) =>
        string.Equals(url.GetLeftPart(UriPartial.Authority), _origin.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase);

    private bool Follows(Uri url) => SameOrigin(url) && !Never.Contains(url.AbsolutePath, StringComparer.OrdinalIgnoreCase);

    /// <summary>Every address a person could open from the page: links, GET forms, and what the page loads.</summary>
    public static IEnumerable<Uri> LinksIn(string html, Uri page)
    {
        foreach (Match tag in Tag().Matches(html))
        {
            var name = tag.Groups[1].Value.ToLowerInvariant();
            var attributes = Attributes(tag.Groups[2].Value);
            var href = name switch
            {
                "a" or "link" => attributes.GetValueOrDefault("href"),
                "img" or "script" => attributes.GetValueOrDefault("src"),
                _ => null,
            };
            if (Resolve(href, page) is { } target)
            {
                yield return target;
            }
        }
        foreach (Match form in Form().Matches(html))
        {
            var attributes = Attributes(form.Groups[1].Value);
            if (!string.Equals(attributes.GetValueOrDefault("method") ?? "get", "get", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            var action = Resolve(attributes.GetValueOrDefault("action") is { Length: > 0 } a ? a : page.GetLeftPart(UriPartial.Path), page);
            if (action is null)
            {
                continue;
            }
            // A page reached through a form (its address has a query) sends that form as it stands only:
            // the other choices were tried from the page without one, and combining them would explode.
            foreach (var query in Submissions(form.Groups[2].Value).Take(page.Query.Length > 1 ? 1 : int.MaxValue))
            {
                yield return new UriBuilder(action) { Query = query, Fragment = "" }.Uri;
            }
        }
    }

    /// <summary>The <c>URL</c> of every event in an iCalendar text (folded lines unfolded).</summary>
    public static IEnumerable<Uri> EventLinksIn(string calendar, Uri feed) =>
        calendar.Replace("\r\n ", "", StringComparison.Ordinal).Replace("\r\n\t", "", StringComparison.Ordinal).Split("\r\n")
            .Where(line => line.StartsWith("URL", StringComparison.Ordinal) && line.IndexOf(':', StringComparison.Ordinal) is > 2)
            .Select(line => Resolve(line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..], feed))
            .OfType<Uri>();

    /// <summary>The form as sent with its defaults, then once for each other option of each of its lists (one list at a time).</summary>
    private static IEnumerable<string> Submissions(string body)
    {
        var fields = new List<(string Name, string Value)>();
        foreach (Match input in Input().Matches(body))
        {
            var a = Attributes(input.Groups[1].Value);
            var type = (a.GetValueOrDefault("type") ?? "text").ToLowerInvariant();
            if (a.GetValueOrDefault("name") is not { Length: > 0 } name || type is "submit" or "button" or "reset" or "image" or "file"
                || (type is "checkbox" or "radio" && !a.ContainsKey("checked")))
            {
                continue;
            }
            fields.Add((name, a.GetValueOrDefault("value") ?? (type is "checkbox" or "radio" ? "on" : "")));
        }
        foreach (Match area in TextArea().Matches(body))
        {
            if (Attributes(area.Groups[1].Value).GetValueOrDefault("name") is { Length: > 0 } name)
            {
                fields.Add((name, WebUtility.HtmlDecode(area.Groups[2].Value)));
            }
        }
        var lists = new List<(string Name, int Field, List<string> Options)>();
        foreach (Match select in Select().Matches(body))
        {
            if (Attributes(select.Groups[1].Value).GetValueOrDefault("name") is not { Length: > 0 } name)
            {
                continue;
            }
            var options = Option().Matches(select.Groups[2].Value)
                .Select(o => (Attributes: Attributes(o.Groups[1].Value), Text: WebUtility.HtmlDecode(o.Groups[2].Value.Trim())))
                .Select(o => (Value: o.Attributes.GetValueOrDefault("value") ?? o.Text, Selected: o.Attributes.ContainsKey("selected")))
                .ToList();
            if (options.Count == 0)
            {
                continue;
            }
            lists.Add((name, fields.Count, options.Select(o => o.Value).ToList()));
            fields.Add((name, options.FirstOrDefault(o => o.Selected).Value ?? options[0].Value));
        }
        yield return Query(fields);
        foreach (var (name, index, options) in lists)
        {
            foreach (var option in options.Where(o => o != fields[index].Value))
            {
                var variant = fields.ToList();
                variant[index] = (name, option);
                yield return Query(variant);
            }
        }
    }

    private static string Query(IEnumerable<(string Name, string Value)> fields) =>
        string.Join('&', fields.Select(f => Uri.EscapeDataString(f.Name) + "=" + Uri.EscapeDataString(f.Value)));

    private static Uri? Resolve(string? href, Uri page)
    {
        if (string.IsNullOrWhiteSpace(href))
        {
            return null;
        }
        href = WebUtility.HtmlDecode(href.Trim());
        if (href.StartsWith("webcal://", StringComparison.OrdinalIgnoreCase))
        {
            // A calendar app fetches a webcal link over http(s): check the address it would fetch.
            href = page.Scheme + href["webcal".Length..];
        }
        if (!Uri.TryCreate(page, href, out var target) || (target.Scheme != Uri.UriSchemeHttp && target.Scheme != Uri.UriSchemeHttps))
        {
            return null;
        }
        return new UriBuilder(target) { Fragment = "" }.Uri;
    }

    private static Dictionary<string, string?> Attributes(string text)
    {
        var attributes = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (Match a in Attribute().Matches(text))
        {
            var value = a.Groups[2].Success ? a.Groups[2].Value : a.Groups[3].Success ? a.Groups[3].Value : a.Groups[4].Success ? a.Groups[4].Value : null;
            attributes.TryAdd(a.Groups[1].Value, value);
        }
        return attributes;
    }

    private static IEnumerable<(string Name, string Value)> QueryOf(Uri url) =>
        url.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Select(p => (Uri.UnescapeDataString(p[0].Replace('+', ' ')), p.Length > 1 ? Uri.UnescapeDataString(p[1].Replace('+', ' ')) : ""))
            .OrderBy(p => p.Item1, StringComparer.Ordinal).ThenBy(p => p.Item2, StringComparer.Ordinal);

    /// <summary>The address as the crawler knows it: path and sorted query, no origin, no fragment.</summary>
    public static string Key(Uri url)
    {
        var query = Query(QueryOf(url));
        // Unescaped, so that /sessions/a:b from a feed and /sessions/a%3Ab from a page are one address.
        return Uri.UnescapeDataString(url.AbsolutePath) + (query.Length > 0 ? "?" + query : "");
    }

    /// <summary>The route an address is an instance of: segments and values that carry digits (ids, dates, keys) folded.</summary>
    public static string Pattern(Uri url)
    {
        var path = new StringBuilder();
        foreach (var segment in url.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            path.Append('/').Append(Digit().IsMatch(segment) ? "{id}" : segment);
        }
        var query = string.Join('&', QueryOf(url).Select(p => p.Item1 + "=" + (Digit().IsMatch(p.Item2) ? "{v}" : p.Item2)));
        return (path.Length == 0 ? "/" : path.ToString()) + (query.Length > 0 ? "?" + query : "");
    }
}
