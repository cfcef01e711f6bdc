using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ControlDropout.Web.Tests.Replay;

/// <summary>
/// One answer about the past: what <paramref name="Name"/> said about <paramref name="Scope"/> (a week or a
/// day). From <paramref name="SettledOn"/> on it may never change: the scope is over, and past the grace
/// period in which a session without a record turns into a miss. An answer that only shows a window of
/// the past (a feed shows 14 days back) is compared while it is still inside it: until <paramref name="VisibleUntil"/>.
/// </summary>
public sealed record Answer(string Name, string Scope, DateOnly SettledOn, DateOnly? VisibleUntil, string Text)
{
    public string Key => $"{Name} @ {Scope}";
}

/// <summary>Every answer about the past at one step of the replay, and the facts the step's checks need.</summary>
public sealed class Snapshot
{
    public Snapshot(string step, DateTimeOffset now, DateOnly today)
    {
        Step = step;
        Now = now;
        Today = today;
    }

    public string Step { get; }
    public DateTimeOffset Now { get; }
    public DateOnly Today { get; }
    public Dictionary<string, Answer> Answers { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The answers that were asked for (even when they said nothing): an answer about the past may appear
    /// only for a source that did not exist before the step (the ledger row of a child whose plan was just approved).
    /// </summary>
    public HashSet<string> Sources { get; } = new(StringComparer.Ordinal);

    /// <summary>The published timetable's sessions (all weeks), the county's visit records, and the past weeks' coverage.</summary>
    public List<JsonElement> Sessions { get; } = [];
    public List<JsonElement> Visits { get; } = [];
    public List<(string Week, JsonElement Row)> CoverageRows { get; } = [];
    /// <summary>Each child's teaching-file rows that name a day, by day (the text of each row, cells joined by " | ").</summary>
    public Dictionary<Guid, Dictionary<DateOnly, List<string>>> TeachingFileRows { get; } = [];
    /// <summary>Problems found while reading the answers (an answer that could not be read at all).</summary>
    public List<string> Problems { get; } = [];

    /// <summary>How long each kind of answer took to read (for the test's output).</summary>
    public List<string> Timings { get; } = [];

    public void Add(string name, string scope, DateOnly settledOn, string text, DateOnly? visibleUntil = null)
    {
        Sources.Add(name);
        var answer = new Answer(name, scope, settledOn, visibleUntil, text);
        Answers[answer.Key] = Answers.TryGetValue(answer.Key, out var earlier) ? answer with { Text = earlier.Text + "\n" + text } : answer;
    }

    private static bool Frozen(Answer a, DateOnly asOf, DateOnly comparedOn) =>
        a.SettledOn <= asOf && (a.VisibleUntil is not { } until || comparedOn <= until);

    /// <summary>
    /// What the step changed about the settled past: every answer settled before the step must read the
    /// same after it, none may vanish and none may appear. Each change names the step, the scope and the answer, with a short diff.
    /// </summary>
    public static IEnumerable<string> Changes(Snapshot before, Snapshot after)
    {
        foreach (var old in before.Answers.Values.Where(a => Frozen(a, before.Today, after.Today)).OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            if (!after.Answers.TryGetValue(old.Key, out var now))
            {
                yield return $"[{after.Step}] {old.Scope} · {old.Name}: gone (was: {Clip(old.Text, 300)})";
            }
            else if (!string.Equals(old.Text, now.Text, StringComparison.Ordinal))
            {
                yield return $"[{after.Step}] {old.Scope} · {old.Name}: changed\n{ShortDiff(old.Text, now.Text)}";
            }
        }
        foreach (var added in after.Answers.Values.Where(a => Frozen(a, before.Today, after.Today) && !before.Answers.ContainsKey(a.Key) && before.Sources.Contains(a.Name)).OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            yield return $"[{after.Step}] {added.Scope} · {added.Name}: appeared in the past ({Clip(added.Text, 300)})";
        }
    }

    /// <summary>The first differing lines of two texts, with the line number.</summary>
    public static string ShortDiff(string before, string after)
    {
        var a = before.Split('\n');
        var b = after.Split('\n');
        var prefix = 0;
        while (prefix < a.Length && prefix < b.Length && a[prefix] == b[prefix])
        {
            prefix++;
        }
        var suffix = 0;
        while (suffix < a.Length - prefix && suffix < b.Length - prefix && a[^(suffix + 1)] == b[^(suffix + 1)])
        {
            suffix++;
        }
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"    at line {prefix + 1}:\n");
        foreach (var line in a.Skip(prefix).Take(Math.Min(4, a.Length - prefix - suffix)))
        {
            text.Append("    - ").Append(Clip(line.Trim(), 220)).Append('\n');
        }
        foreach (var line in b.Skip(prefix).Take(Math.Min(4, b.Length - prefix - suffix)))
        {
            text.Append("    + ").Append(Clip(line.Trim(), 220)).Append('\n');
        }
        return text.ToString().TrimEnd();
    }

    public static string Clip(string text, int length) => text.Length <= length ? text : text[..length] + "…";
}
