using ControlDropout.Scheduling.Scenarios;
using ControlDropout.Scheduling.Travel;
using FluentAssertions;

namespace ControlDropout.Scheduling.Tests.Scenarios;

/// <summary>Both travel models exactly as the contract specifies them.</summary>
public class TravelTimesTests
{
    [Fact]
    public void Haversine_uses_the_contracts_radius_detour_and_speed()
    {
        // 沧源 county special school to 岩帅镇中心学校: 35.99… km straight, × 1.6 at 30 km/h.
        var school = new Place(new PlaceId("a"), "a", 23.14671, 99.2462);
        var town = new Place(new PlaceId("b"), "b", 23.22682, 99.59411);

        var km = TravelTimes.GreatCircleKm(school.Lat, school.Lon, town.Lat, town.Lon);
        var minutes = TravelTimes.HaversineMinutes(school, town, new HaversineTravel(30, 1.6));

        km.Should().BeApproximately(36.6, 0.2);
        minutes.Should().Be((int)Math.Round(km * 1.6 / 30 * 60, MidpointRounding.AwayFromZero));
    }

    [Theory]
    [InlineData(0.25, 0)]
    [InlineData(0.4999, 0)]
    [InlineData(0.5001, 1)]
    [InlineData(1.5001, 2)]
    [InlineData(2.4999, 2)]
    public void Rounds_to_the_nearest_whole_minute(double exactMinutes, int expected)
    {
        // At 60 km/h with no detour a minute is a kilometre; place b is due north by exactMinutes km.
        var a = new Place(new PlaceId("a"), "a", 0, 0);
        var degrees = exactMinutes / (TravelTimes.EarthRadiusKm * Math.PI / 180);
        var b = new Place(new PlaceId("b"), "b", degrees, 0);

        TravelTimes.HaversineMinutes(a, b, new HaversineTravel(60, 1)).Should().Be(expected);
    }
}
