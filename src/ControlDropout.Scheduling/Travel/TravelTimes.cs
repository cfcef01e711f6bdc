using ControlDropout.Scheduling.Scenarios;

namespace ControlDropout.Scheduling.Travel;

/// <summary>Whole travel minutes between the scenario's places, computed once per solve.</summary>
public sealed class TravelTimes
{
    /// <summary>Mean Earth radius (IUGG), as the scenario contract fixes it.</summary>
    public const double EarthRadiusKm = 6371.0088;

    private readonly Dictionary<PlaceId, int> _index;
    private readonly int[,] _minutes;

    private TravelTimes(Dictionary<PlaceId, int> index, int[,] minutes)
    {
        _index = index;
        _minutes = minutes;
    }

    /// <summary>Number of places, in the order of <see cref="IndexOf"/>.</summary>
    public int Count => _index.Count;

    /// <summary>Dense index of a place, stable for the scenario.</summary>
    public int IndexOf(PlaceId place) => _index[place];

    /// <summary>Minutes from one place index to another.</summary>
    public int Minutes(int from, int to) => _minutes[from, to];

    /// <summary>Minutes from one place to another.</summary>
    public int Minutes(PlaceId from, PlaceId to) => _minutes[_index[from], _index[to]];

    /// <summary>Builds the table for every place of the scenario.</summary>
    public static TravelTimes For(Scenario scenario)
    {
        var index = new Dictionary<PlaceId, int>();
        foreach (var place in scenario.Places)
        {
            index[place.Id] = index.Count;
        }
        var n = index.Count;
        var minutes = new int[n, n];
        switch (scenario.Travel)
        {
            case HaversineTravel h:
                for (var i = 0; i < n; i++)
                {
                    for (var j = 0; j < n; j++)
                    {
                        minutes[i, j] = i == j ? 0 : HaversineMinutes(scenario.Places[i], scenario.Places[j], h);
                    }
                }
                break;
            case MatrixTravel m:
                var matrixIndex = m.PlaceIds.Select((id, k) => (id, k)).ToDictionary(x => x.id, x => x.k);
                for (var i = 0; i < n; i++)
                {
                    for (var j = 0; j < n; j++)
                    {
                        // Places the matrix does not list are used by nobody (the reader guarantees it);
                        // they are made unreachable rather than free.
                        minutes[i, j] = i == j ? 0
                            : matrixIndex.TryGetValue(scenario.Places[i].Id, out var a) && matrixIndex.TryGetValue(scenario.Places[j].Id, out var b)
                                ? m.Minutes[a][b]
                                : Unreachable;
                    }
                }
                break;
            default:
                throw new ArgumentException($"unknown travel model {scenario.Travel.GetType().Name}", nameof(scenario));
        }
        return new TravelTimes(index, minutes);
    }

    /// <summary>Longer than any day: a place no one can reach.</summary>
    public const int Unreachable = 100_000;

    /// <summary>Haversine minutes, rounded half away from zero, as the contract defines them.</summary>
    public static int HaversineMinutes(Place a, Place b, HaversineTravel model)
    {
        var km = GreatCircleKm(a.Lat, a.Lon, b.Lat, b.Lon) * model.DetourFactor;
        return (int)Math.Round(km / model.SpeedKmh * 60.0, MidpointRounding.AwayFromZero);
    }

    /// <summary>The point <paramref name="km"/> away along <paramref name="bearing"/> (radians from north) on the contract's sphere.</summary>
    public static (double Lat, double Lon) Destination(double lat, double lon, double km, double bearing)
    {
        var d = km / EarthRadiusKm;
        var p1 = lat * Math.PI / 180;
        var l1 = lon * Math.PI / 180;
        var p2 = Math.Asin(Math.Sin(p1) * Math.Cos(d) + Math.Cos(p1) * Math.Sin(d) * Math.Cos(bearing));
        var l2 = l1 + Math.Atan2(Math.Sin(bearing) * Math.Sin(d) * Math.Cos(p1), Math.Cos(d) - Math.Sin(p1) * Math.Sin(p2));
        return (p2 * 180 / Math.PI, l2 * 180 / Math.PI);
    }

    /// <summary>Great-circle distance in km on the contract's sphere.</summary>
    public static double GreatCircleKm(double lat1, double lon1, double lat2, double lon2)
    {
        static double Rad(double deg) => deg * Math.PI / 180.0;
        var dLat = Rad(lat2 - lat1);
        var dLon = Rad(lon2 - lon1);
        var h = Math.Sin(dLat / 2) * Math.Sin(dLat / 2)
            + Math.Cos(Rad(lat1)) * Math.Cos(Rad(lat2)) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2);
        return 2 * EarthRadiusKm * Math.Asin(Math.Min(1.0, Math.Sqrt(h)));
    }
}
