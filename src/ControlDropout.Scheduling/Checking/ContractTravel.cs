using ControlDropout.Scheduling.Scenarios;

namespace ControlDropout.Scheduling.Checking;

/// <summary>
/// Travel minutes re-derived from the contract's text ("Travel"), independent of the solver's table:
/// a shared table would let one rounding bug pass both the solver and its checker.
/// </summary>
internal sealed class ContractTravel(Scenario scenario)
{
    private const double EarthRadiusKm = 6371.0088;
    private const double MinutesPerHour = 60;

    private readonly Dictionary<PlaceId, Place> _places = scenario.Places
        .GroupBy(p => p.Id).ToDictionary(g => g.Key, g => g.First());

    /// <summary>True when the travel model can say how far <paramref name="place"/> is from anywhere.</summary>
    public bool Knows(PlaceId place) => scenario.Travel switch
    {
        MatrixTravel m => m.PlaceIds.Contains(place),
        _ => _places.ContainsKey(place),
    };

    /// <summary>Minutes from <paramref name="from"/> to <paramref name="to"/>; both must be <see cref="Knows"/>n.</summary>
    public int Minutes(PlaceId from, PlaceId to)
    {
        if (from == to)
        {
            return 0;
        }
        switch (scenario.Travel)
        {
            case HaversineTravel h:
                var a = _places[from];
                var b = _places[to];
                var p1 = a.Lat * Math.PI / 180;
                var p2 = b.Lat * Math.PI / 180;
                var dp = p2 - p1;
                var dl = (b.Lon - a.Lon) * Math.PI / 180;
                var hav = Math.Pow(Math.Sin(dp / 2), 2) + Math.Cos(p1) * Math.Cos(p2) * Math.Pow(Math.Sin(dl / 2), 2);
                var km = 2 * EarthRadiusKm * Math.Asin(Math.Min(1, Math.Sqrt(hav)));
                return (int)Math.Round(km * h.DetourFactor / h.SpeedKmh * MinutesPerHour, MidpointRounding.AwayFromZero);
            case MatrixTravel m:
                return m.Minutes[m.PlaceIds.IndexOf(from)][m.PlaceIds.IndexOf(to)];
            default:
                throw new InvalidOperationException($"unknown travel model {scenario.Travel.GetType().Name}");
        }
    }
}
