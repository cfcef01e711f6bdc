using System.Globalization;
using ControlDropout.Web.Domain;

namespace ControlDropout.Web.Data;

/// <summary>
/// A county's townships and villages, with their statistical codes and (where known) coordinates, from
/// <c>data/lincang-places.csv</c> (行政区划数据 © Vonng/adcode, CC BY 4.0). A new county gets them when its
/// first admin is created, so that enrolment and the roster import can resolve place names from day one.
/// </summary>
public static class CountyPlaces
{
    public const string FileName = "lincang-places.csv";

    /// <summary>The county's own row and its places; <see cref="Lat"/>/<see cref="Lon"/> are the county seat's.</summary>
    public sealed record Places(string CountyName, double? Lat, double? Lon, List<Township> Townships, List<Village> Villages);

    /// <summary>The places of a county in the reference data, or null when the data does not have the county.</summary>
    public static Places? Read(string countyCode)
    {
        var rows = File.ReadLines(Path.Combine(AppContext.BaseDirectory, "data", FileName)).Skip(1)
            .Select(l => l.Split(','))
            .Where(f => f.Length >= 6 && f[0].StartsWith(countyCode, StringComparison.Ordinal))
            .ToList();
        var county = rows.FirstOrDefault(f => f[3] == "county" && f[0] == countyCode + "000000");
        if (county is null)
        {
            return null;
        }
        static double? Coordinate(string text) => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) ? x : null;
        var towns = rows.Where(f => f[3] == "town").Select(f => new Township
        {
            // 街道办事处 is how the statistics name a sub-district; people say 街道.
            Code = f[0][..9], CountyCode = countyCode, Name = f[2].Replace("办事处", "", StringComparison.Ordinal), Lon = Coordinate(f[4]), Lat = Coordinate(f[5]),
        }).ToList();
        var villages = rows.Where(f => f[3] == "village").Select(f => new Village { Code = f[0], TownshipCode = f[1][..9], Name = f[2], Lon = Coordinate(f[4]), Lat = Coordinate(f[5]) }).ToList();
        return new Places(county[2], Coordinate(county[5]), Coordinate(county[4]), towns, villages);
    }
}
