using ControlDropout.Web.Domain;

namespace ControlDropout.Web.Features.Imports;

/// <summary>
/// The county's townships and villages by name, as a roster writes them: the exact name, else the name
/// without its suffix (博尚 for 博尚镇, 碗窑 for 碗窑村委会). An unknown name is answered with the closest
/// known ones (the villages of the given township first), so the row can be corrected without a lookup.
/// </summary>
public sealed class PlaceNames(IReadOnlyList<Township> townships, IReadOnlyList<Village> villages)
{
    private static readonly string[] Suffixes = ["街道办事处", "办事处", "街道", "村民委员会", "居民委员会", "村委会", "居委会", "社区", "镇", "乡", "村"];

    public IReadOnlyList<Township> Townships => townships;

    public static string Bare(string name)
    {
        var trimmed = name.Trim();
        foreach (var suffix in Suffixes)
        {
            if (trimmed.Length > suffix.Length && trimmed.EndsWith(suffix, StringComparison.Ordinal))
            {
                return trimmed[..^suffix.Length];
            }
        }
        return trimmed;
    }

    public Township? Township(string name) => Find(townships, t => t.Name, name);

    public Village? Village(Township township, string name) => Find(villages.Where(v => v.TownshipCode == township.Code).ToList(), v => v.Name, name);

    /// <summary>Up to three known names closest to <paramref name="name"/>.</summary>
    public static string Closest<T>(IEnumerable<T> known, Func<T, string> nameOf, string name, int count = 3)
    {
        var bare = Bare(name);
        var names = known.Select(nameOf).Distinct().OrderBy(n => Distance(Bare(n), bare)).ThenBy(n => n, StringComparer.Ordinal).Take(count).ToList();
        return names.Count == 0 ? "" : "，最接近的有：" + string.Join("、", names);
    }

    public string ClosestTownships(string name) => Closest(townships, t => t.Name, name);

    /// <summary>Villages of the township first, then of the rest of the county.</summary>
    public string ClosestVillages(Township? township, string name)
    {
        var bare = Bare(name);
        var ordered = villages
            .OrderBy(v => township is not null && v.TownshipCode == township.Code ? 0 : 1)
            .ThenBy(v => Distance(Bare(v.Name), bare))
            .ThenBy(v => v.Name, StringComparer.Ordinal)
            .Select(v => township is not null && v.TownshipCode == township.Code ? v.Name : $"{v.Name}（{townships.FirstOrDefault(t => t.Code == v.TownshipCode)?.Name}）")
            .Distinct().Take(3).ToList();
        return ordered.Count == 0 ? "" : "，最接近的有：" + string.Join("、", ordered);
    }

    private static T? Find<T>(IReadOnlyList<T> places, Func<T, string> nameOf, string name) where T : class
    {
        var trimmed = name.Trim();
        var exact = places.Where(p => nameOf(p) == trimmed).ToList();
        if (exact.Count == 1)
        {
            return exact[0];
        }
        var bare = Bare(trimmed);
        var loose = places.Where(p => Bare(nameOf(p)) == bare).ToList();
        return loose.Count == 1 ? loose[0] : null;
    }

    /// <summary>Levenshtein distance over characters (names are short).</summary>
    public static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
