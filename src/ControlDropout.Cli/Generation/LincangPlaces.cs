using System.Globalization;

namespace ControlDropout.Cli.Generation;

/// <summary>A statistical division of 临沧市 with GCJ-02 coordinates where known.</summary>
internal sealed record Division(string Code, string ParentCode, string Name, string Level, double? Lon, double? Lat);

/// <summary>
/// Reads <c>data/lincang-places.csv</c> (行政区划数据 © Vonng/adcode, CC BY 4.0): counties,
/// townships and villages with their 12-digit statistical codes.
/// </summary>
internal static class LincangPlaces
{
    public const string FileName = "lincang-places.csv";

    public static IReadOnlyList<Division> Load(string? path = null)
    {
        path ??= Locate();
        var rows = new List<Division>();
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            var f = line.Split(',');
            if (f.Length < 6)
            {
                continue;
            }
            rows.Add(new Division(f[0], f[1], f[2], f[3], Parse(f[4]), Parse(f[5])));
        }
        return rows;
    }

    private static double? Parse(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) ? x : null;

    /// <summary>The copy next to the program, else the repository's <c>data/</c> folder.</summary>
    private static string Locate()
    {
        var beside = Path.Combine(AppContext.BaseDirectory, "data", FileName);
        if (File.Exists(beside))
        {
            return beside;
        }
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "data", FileName);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new FileNotFoundException($"cannot find data/{FileName}");
    }
}
