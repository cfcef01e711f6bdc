using ControlDropout.Web.Data;
using FluentAssertions;
using Xunit;

namespace ControlDropout.Web.Tests.Data;

/// <summary>A new county's places from the reference data, so that enrolment and the roster import resolve names from day one.</summary>
public sealed class CountyPlacesTests
{
    [Fact]
    public void Each_county_of_Lincang_reads_with_its_townships_and_villages_under_them()
    {
        foreach (var code in new[] { "530902", "530921", "530922", "530923", "530924", "530925", "530926", "530927" })
        {
            var places = CountyPlaces.Read(code);

            places.Should().NotBeNull(code);
            places!.Townships.Should().NotBeEmpty().And.OnlyContain(t => t.CountyCode == code && t.Code.Length == 9 && t.Code.StartsWith(code, StringComparison.Ordinal));
            places.Villages.Should().NotBeEmpty().And.OnlyContain(v => v.Code.Length == 12 && places.Townships.Any(t => t.Code == v.TownshipCode));
            places.Townships.Should().NotContain(t => t.Name.EndsWith("办事处", StringComparison.Ordinal), "people say 街道");
        }
        CountyPlaces.Read("530927")!.CountyName.Should().Be("沧源佤族自治县");
    }

    [Fact]
    public void A_county_the_data_does_not_have_reads_as_nothing() =>
        CountyPlaces.Read("110101").Should().BeNull();
}
