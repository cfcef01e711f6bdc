using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Calendar;
using ControlDropout.Web.Tests.Support;

namespace ControlDropout.Web.Tests.Replay;

/// <summary>
/// Reads every answer the system gives about the past, as its users read them: the published sessions
/// per week, coverage per week, the ledger, each child's teaching file, each teacher's week (the staff
/// page and the teacher's own week), and each teacher's feed.
/// </summary>
public sealed partial class PastAnswers(ReplayCounty replay)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The Monday of the term's first week (the term starts on Tuesday 1 September).</summary>
    private static readonly DateOnly FirstMonday = new(2026, 8, 31);

    private TestCounty County => replay.County;

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static DateOnly MondayOf(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));

    public async Task<Snapshot> TakeAsync(string step)
    {
        var now = County.Factory.Clock.GetUtcNow();
        var snapshot = new Snapshot(step, now, Conventions.ChinaDay(now));
        var monday = MondayOf(snapshot.Today);
        var pastWeeks = new List<DateOnly>();
        for (var m = FirstMonday; m < monday; m = m.AddDays(7))
        {
            pastWeeks.Add(m);
        }
        var approver = await County.As("approver");
        var watch = System.Diagnostics.Stopwatch.StartNew();
        void Lap(string part)
        {
            snapshot.Timings.Add($"{part} {watch.ElapsedMilliseconds}ms");
            watch.Restart();
        }
        await SessionsAsync(approver, snapshot, [.. pastWeeks, monday]);
        Lap("sessions");
        await CoverageAsync(approver, snapshot, pastWeeks);
        Lap("coverage");
        await VisitsAsync(approver, snapshot);
        await LedgerAsync(approver, snapshot, [.. pastWeeks, monday]);
        Lap("ledger");
        await TeachingFilesAsync(approver, snapshot);
        Lap("files");
        await StaffWeeksAsync(snapshot, pastWeeks);
        Lap("weeks");
        await FeedsAsync(snapshot);
        Lap("feeds");
        return snapshot;
    }

    private async Task<Guid?> PublishedAsync(HttpClient approver)
    {
        var timetables = await approver.GetFromJsonAsync<List<JsonElement>>($"/api/timetables?termId={County.Term.Value}");
        return timetables!.Where(t => t.GetProperty("status").ToString() is "Published" or "2").Select(t => (Guid?)t.GetProperty("id").GetGuid()).FirstOrDefault();
    }

    /// <summary>The published sessions, asked week by week; each past day's sessions are one answer (the row id of a copy is no fact about the day).</summary>
    private async Task SessionsAsync(HttpClient approver, Snapshot snapshot, List<DateOnly> weeks)
    {
        snapshot.Sources.Add("published sessions");
        if (await PublishedAsync(approver) is not { } published)
        {
            return;
        }
        snapshot.Sessions.AddRange((await approver.GetFromJsonAsync<List<JsonElement>>($"/api/timetables/{published}/sessions"))!);
        foreach (var monday in weeks)
        {
            var week = TermCalendar.IsoWeekName(monday);
            var response = await approver.GetAsync(new Uri($"/api/timetables/{published}/sessions?week={week}", UriKind.Relative));
            if (response.StatusCode != HttpStatusCode.OK)
            {
                snapshot.Problems.Add($"[{snapshot.Step}] sessions of {week}: HTTP {(int)response.StatusCode}");
                continue;
            }
            var sessions = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
            foreach (var day in sessions.GroupBy(s => s!["date"]!.GetValue<string>()))
            {
                var date = DateOnly.Parse(day.Key, CultureInfo.InvariantCulture);
                if (date >= snapshot.Today)
                {
                    continue;
                }
                var canonical = new JsonArray([.. day.OrderBy(s => s!["start"]!.GetValue<string>(), StringComparer.Ordinal).ThenBy(s => s!["sessionKey"]!.GetValue<string>(), StringComparer.Ordinal)
                    .Select(s =>
                    {
                        var copy = s!.DeepClone().AsObject();
                        copy.Remove("id");
                        return (JsonNode)copy;
                    })]);
                snapshot.Add("published sessions", $"{week} {day.Key}", date.AddDays(3), canonical.ToJsonString(Indented));
            }
        }
    }

    private async Task CoverageAsync(HttpClient approver, Snapshot snapshot, List<DateOnly> weeks)
    {
        foreach (var monday in weeks)
        {
            var week = TermCalendar.IsoWeekName(monday);
            var response = await approver.GetAsync(new Uri($"/api/coverage?termId={County.Term.Value}&week={week}", UriKind.Relative));
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.OK)
            {
                snapshot.Add("coverage", week, monday.AddDays(7), $"HTTP {(int)response.StatusCode} {body}");
                continue;
            }
            snapshot.Sources.Add("coverage");
            var json = JsonDocument.Parse(body).RootElement.Clone();
            snapshot.Add("coverage", week, monday.AddDays(7), JsonSerializer.Serialize(json, Indented));
            snapshot.CoverageRows.AddRange(json.GetProperty("rows").EnumerateArray().Select(r => (week, r)));
        }
    }

    private static async Task VisitsAsync(HttpClient approver, Snapshot snapshot) =>
        snapshot.Visits.AddRange((await approver.GetFromJsonAsync<List<JsonElement>>("/api/visits"))!);

    /// <summary>The latest version of each session's record.</summary>
    public static IEnumerable<JsonElement> Latest(IEnumerable<JsonElement> visits) =>
        visits.GroupBy(v => v.GetProperty("sessionKey").GetString()).Select(g => g.OrderByDescending(v => v.GetProperty("version").GetInt32()).First());

    public static DateOnly DateOf(JsonElement e) => DateOnly.Parse(e.GetProperty("date").GetString()!, CultureInfo.InvariantCulture);

    /// <summary>
    /// The ledger's rows: the columns about the child and its plan as they are, and the counts cut to the
    /// past. The planned and delivered counts run over the term, future included; the part before each past
    /// Monday (the count less the sessions in force, and the records, from that Monday on) must never move.
    /// </summary>
    private async Task LedgerAsync(HttpClient approver, Snapshot snapshot, List<DateOnly> mondays)
    {
        var response = await approver.GetAsync(new Uri($"/api/ledger?termId={County.Term.Value}&format=csv", UriKind.Relative));
        if (response.StatusCode != HttpStatusCode.OK)
        {
            snapshot.Problems.Add($"[{snapshot.Step}] ledger: HTTP {(int)response.StatusCode}");
            return;
        }
        var rows = Csv((await response.Content.ReadAsStringAsync()).TrimStart('\uFEFF'));
        var header = rows[0];
        int Column(string part) => Array.FindIndex(header, h => h.Contains(part, StringComparison.Ordinal));
        var (name, planned, delivered) = (Column("姓名"), Column("计划"), Column("已送"));
        // The row number, the teachers (of the whole term), the remark (未排课) and the weekly times (of a recent week) depend on the future or on other children.
        var volatileColumns = header.Select((h, i) => (h, i)).Where(x => x.i == 0 || x.h.Contains("教师", StringComparison.Ordinal) || x.h.Contains("备注", StringComparison.Ordinal)
            || x.h.Contains("次数", StringComparison.Ordinal) || x.h.Contains("课时", StringComparison.Ordinal) || x.h.Contains("送教时间", StringComparison.Ordinal)).Select(x => x.i).ToHashSet();
        var delivering = Latest(snapshot.Visits).Where(v => !v.GetProperty("missed").GetBoolean()).ToList();
        foreach (var row in rows.Skip(1))
        {
            var child = replay.Children.SingleOrDefault(c => c.Name == row[name]);
            if (child is null)
            {
                continue;
            }
            var label = $"ledger row of {child.Name}";
            snapshot.Sources.Add(label);
            snapshot.Add(label, "the child and its plan", DateOnly.MinValue,
                string.Join("\n", header.Select((h, i) => (h, i)).Where(x => !volatileColumns.Contains(x.i)).Select(x => $"{x.h}: {row[x.i]}")));
            if (planned < 0 || delivered < 0)
            {
                snapshot.Problems.Add($"[{snapshot.Step}] ledger: no planned/delivered column in {string.Join(",", header)}");
                continue;
            }
            var mine = snapshot.Sessions.Where(s => s.GetProperty("studentId").GetGuid() == child.Id && s.GetProperty("status").ToString() is not ("Cancelled" or "1")).ToList();
            var records = delivering.Where(v => v.GetProperty("studentId").GetGuid() == child.Id).ToList();
            foreach (var monday in mondays)
            {
                var week = TermCalendar.IsoWeekName(monday);
                var plannedBefore = int.Parse(row[planned], CultureInfo.InvariantCulture) - mine.Count(s => DateOf(s) >= monday);
                var deliveredBefore = int.Parse(row[delivered], CultureInfo.InvariantCulture) - records.Count(v => DateOf(v) >= monday);
                snapshot.Add(label, $"before {week}", monday, $"{header[planned]} before {Day(monday)}: {plannedBefore}\n{header[delivered]} before {Day(monday)}: {deliveredBefore}");
                // Nothing is planned or delivered before the plan was approved: the counts run over the effective span.
                if (monday <= child.ApprovedOn && (plannedBefore != 0 || deliveredBefore != 0))
                {
                    snapshot.Problems.Add($"[{snapshot.Step}] before {week} · {label}: {plannedBefore} planned and {deliveredBefore} delivered before {Day(monday)}, though the plan was approved on {Day(child.ApprovedOn)}");
                }
            }
        }
    }

    private static List<string[]> Csv(string text)
    {
        var rows = new List<string[]>();
        var row = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                row.Add(cell.ToString());
                cell.Clear();
            }
            else if (c == '\n')
            {
                row.Add(cell.ToString().TrimEnd('\r'));
                cell.Clear();
                rows.Add([.. row]);
                row.Clear();
            }
            else
            {
                cell.Append(c);
            }
        }
        return rows;
    }

    [GeneratedRegex(@"<(h[1-6]|caption)[^>]*>(.*?)</\1>|<tr[^>]*>(.*?)</tr>", RegexOptions.Singleline)]
    private static partial Regex HeadingOrRow();

    [GeneratedRegex(@"\d{4}-\d{2}-\d{2}")]
    private static partial Regex IsoDate();

    [GeneratedRegex(@"\d{4}-W\d{2}")]
    private static partial Regex IsoWeek();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tag();

    private static string TextOf(string html) => WebUtility.HtmlDecode(Tag().Replace(html.Replace("</td>", " | ", StringComparison.Ordinal).Replace("</th>", " | ", StringComparison.Ordinal), "")).Trim();

    /// <summary>
    /// Each child's teaching file (the printable page): every table row that names a day belongs to that
    /// day; a row that names none belongs to the week of the heading above it (a table per week).
    /// </summary>
    private async Task TeachingFilesAsync(HttpClient approver, Snapshot snapshot)
    {
        foreach (var child in replay.Children)
        {
            var label = $"teaching file of {child.Name}";
            snapshot.Sources.Add(label);
            var response = await approver.GetAsync(new Uri($"/api/students/{child.Id}/teaching-file?termId={County.Term.Value}&format=html", UriKind.Relative));
            if (response.StatusCode != HttpStatusCode.OK)
            {
                snapshot.Problems.Add($"[{snapshot.Step}] {label}: HTTP {(int)response.StatusCode}");
                continue;
            }
            var html = await response.Content.ReadAsStringAsync();
            var byDay = snapshot.TeachingFileRows[child.Id] = [];
            DateOnly? headingWeek = null;
            foreach (Match m in HeadingOrRow().Matches(html))
            {
                var text = TextOf(m.Value);
                if (m.Groups[1].Success)
                {
                    headingWeek = IsoDate().Match(text) is { Success: true } d ? MondayOf(DateOnly.Parse(d.Value, CultureInfo.InvariantCulture))
                        : IsoWeek().Match(text) is { Success: true } w ? MondayOfIsoWeek(w.Value) : null;
                    continue;
                }
                if (IsoDate().Match(text) is { Success: true } date)
                {
                    var day = DateOnly.Parse(date.Value, CultureInfo.InvariantCulture);
                    if (day < snapshot.Today)
                    {
                        (byDay.TryGetValue(day, out var list) ? list : byDay[day] = []).Add(text);
                        snapshot.Add(label, $"{TermCalendar.IsoWeekName(day)} {Day(day)}", day.AddDays(3), text);
                    }
                }
                else if (headingWeek is { } monday && monday.AddDays(7) <= snapshot.Today)
                {
                    snapshot.Add(label, TermCalendar.IsoWeekName(monday), monday.AddDays(7), text);
                }
            }
        }
    }

    private static DateOnly MondayOfIsoWeek(string name)
    {
        var year = int.Parse(name[..4], CultureInfo.InvariantCulture);
        var week = int.Parse(name[6..], CultureInfo.InvariantCulture);
        return DateOnly.FromDateTime(ISOWeek.ToDateTime(year, week, DayOfWeek.Monday));
    }

    [GeneratedRegex(@"<h2>[^<]*的课表</h2>.*?</figure>", RegexOptions.Singleline)]
    private static partial Regex StaffWeekPart();

    [GeneratedRegex(@"<main[^>]*>(.*?)</main>", RegexOptions.Singleline)]
    private static partial Regex MainPart();

    [GeneratedRegex(@"<input[^>]*__RequestVerificationToken[^>]*>")]
    private static partial Regex Antiforgery();

    private static string Lines(string html) => Antiforgery().Replace(html, "").Replace("><", ">\n<", StringComparison.Ordinal);

    /// <summary>Each staff member's week as the approver sees it (/staff/{id}), and each teacher's own week (/my/week).</summary>
    private async Task StaffWeeksAsync(Snapshot snapshot, List<DateOnly> weeks)
    {
        var approver = await PageBrowser.SignedInAsync(County.Factory, County, "approver");
        foreach (var (staff, account) in replay.TeachingStaff)
        {
            var name = replay.StaffNames[staff];
            snapshot.Sources.Add($"staff page of {name}");
            snapshot.Sources.Add($"my week of {name}");
            var teacher = await PageBrowser.SignedInAsync(County.Factory, County, County.Accounts.Single(a => a.Value == account).Key);
            // The weeks are read side by side (two pages each); the answers are added in week order.
            var pages = await Task.WhenAll(weeks.Select(async monday =>
            {
                var page = await approver.GetAsync(new Uri($"/staff/{staff}?monday={Day(monday)}", UriKind.Relative));
                var html = await page.Content.ReadAsStringAsync();
                var mine = await teacher.GetAsync(new Uri($"/my/week?monday={Day(monday)}", UriKind.Relative));
                var own = await mine.Content.ReadAsStringAsync();
                return (monday,
                    Staff: page.StatusCode != HttpStatusCode.OK ? $"HTTP {(int)page.StatusCode}" : Lines(StaffWeekPart().Match(html) is { Success: true } part ? part.Value : MainPart().Match(html).Groups[1].Value),
                    Own: mine.StatusCode != HttpStatusCode.OK ? $"HTTP {(int)mine.StatusCode}" : Lines(MainPart().Match(own).Groups[1].Value));
            }));
            foreach (var (monday, staffPage, own) in pages)
            {
                var week = TermCalendar.IsoWeekName(monday);
                snapshot.Add($"staff page of {name}", week, monday.AddDays(7), staffPage);
                snapshot.Add($"my week of {name}", week, monday.AddDays(7), own);
            }
        }
    }

    [GeneratedRegex(@"DTSTART[^:\n]*:(\d{8})")]
    private static partial Regex Start();

    /// <summary>Each teacher's feed: the events that start before today, per day (the feed shows 14 days back).</summary>
    private async Task FeedsAsync(Snapshot snapshot)
    {
        foreach (var (staff, account) in replay.TeachingStaff)
        {
            var name = replay.StaffNames[staff];
            snapshot.Sources.Add($"feed of {name}");
            var teacher = await County.Factory.ClientAsAsync(account);
            var links = await teacher.GetAsync(new Uri("/api/staff/me/feed", UriKind.Relative));
            if (links.StatusCode != HttpStatusCode.OK)
            {
                snapshot.Problems.Add($"[{snapshot.Step}] feed of {name}: HTTP {(int)links.StatusCode}");
                continue;
            }
            var url = new Uri((await links.ReadJsonAsync()).GetProperty("url").GetString()!);
            var ics = await County.Factory.CreateClient().GetStringAsync(new Uri(url.PathAndQuery, UriKind.Relative));
            var unfolded = ics.Replace("\r\n ", "", StringComparison.Ordinal).Replace("\r\n\t", "", StringComparison.Ordinal).Replace("\r\n", "\n", StringComparison.Ordinal);
            var events = unfolded.Split("BEGIN:VEVENT\n").Skip(1).Select(e => "BEGIN:VEVENT\n" + e[..(e.IndexOf("END:VEVENT", StringComparison.Ordinal) + "END:VEVENT".Length)]);
            foreach (var e in events.OrderBy(e => e, StringComparer.Ordinal))
            {
                var day = DateOnly.ParseExact(Start().Match(e).Groups[1].Value, "yyyyMMdd", CultureInfo.InvariantCulture);
                if (day < snapshot.Today)
                {
                    snapshot.Add($"feed of {name}", $"{TermCalendar.IsoWeekName(day)} {Day(day)}", day.AddDays(3), e, visibleUntil: day.AddDays(14));
                }
            }
        }
    }
}
