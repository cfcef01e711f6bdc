using ControlDropout.Scheduling.Solving.Bounds;
using FluentAssertions;

namespace ControlDropout.Scheduling.Tests.Solving.Bounds;

/// <summary>Separation of subset-row cuts on triples of once-visited stop kinds.</summary>
public class SubsetRowCutTests
{
    private static readonly bool[] AllEligible = [true, true, true, true];

    private static List<SubsetRowCut> Separate(params (int[] Kinds, double Value)[] routes)
    {
        long work = 0;
        return SubsetRowCut.Separate(routes, AllEligible, new HashSet<SubsetRowCut>(), 10, ref work);
    }

    [Fact]
    public void Three_half_routes_each_through_two_of_three_kinds_violate_the_cut()
    {
        // The classic fractional point: every kind covered once, by halves of three pair routes.
        var cuts = Separate(([0, 1], 0.5), ([1, 2], 0.5), ([0, 2], 0.5));
        cuts.Should().Equal(new SubsetRowCut(0, 1, 2));
    }

    [Fact]
    public void A_whole_route_through_all_three_does_not_violate_it()
    {
        Separate(([0, 1, 2], 1.0), ([3], 1.0)).Should().BeEmpty();
    }

    [Fact]
    public void Kinds_visited_more_than_once_take_no_part()
    {
        long work = 0;
        var cuts = SubsetRowCut.Separate([([0, 1], 0.5), ([1, 2], 0.5), ([0, 2], 0.5)], [true, false, true, true], new HashSet<SubsetRowCut>(), 10, ref work);
        cuts.Should().BeEmpty("kind 1 is not visited exactly once in every timetable, so no cut may hold it");
    }

    [Fact]
    public void A_route_visiting_a_kind_twice_counts_both_visits()
    {
        new SubsetRowCut(0, 1, 2).Coefficient([0, 3, 0]).Should().Be(1);
        new SubsetRowCut(0, 1, 2).Coefficient([0, 1, 2]).Should().Be(1);
        new SubsetRowCut(0, 1, 2).Coefficient([0, 3]).Should().Be(0);
    }
}
