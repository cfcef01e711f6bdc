using System.Xml.Linq;
using ControlDropout.Web.Features.Coverage;
using ControlDropout.Web.Infrastructure;
using FluentAssertions;

namespace ControlDropout.Web.Tests.Features.Coverage;

/// <summary>Issue 14 §8: five rows reading "刘某某" are told apart by township and school, and each links to its child.</summary>
public sealed class MatrixRowsTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [Fact]
    public void Two_children_with_the_same_masked_name_are_told_apart_and_each_row_links_to_its_child()
    {
        var (first, second) = (Guid.NewGuid(), Guid.NewGuid());
        var svg = MatrixPicture.Render(["2026-W37", "2026-W38"],
        [
            (first, MatrixPicture.Label("刘某某", "博尚镇", "博尚镇中心小学"), [CoverageStatus.Met, CoverageStatus.Missed]),
            (second, MatrixPicture.Label("刘某某", "南美乡", "南美乡中心小学"), [CoverageStatus.Met, CoverageStatus.Met]),
        ]);

        var links = XDocument.Parse(svg).Descendants(Svg + "a").ToList();
        links.Select(a => a.Attribute("href")!.Value).Should().Equal($"/children/{first}", $"/children/{second}");
        var labels = links.Select(a => a.Value).ToList();
        labels.Should().Equal("刘某某 · 博尚镇 · 博尚镇中心小学", "刘某某 · 南美乡 · 南美乡中心小学");
        labels.Should().OnlyHaveUniqueItems();
        // The label column is wide enough for the longest label, so the cells start to its right.
        var firstCell = XDocument.Parse(svg).Descendants(Svg + "rect").First();
        int.Parse(firstCell.Attribute("x")!.Value, System.Globalization.CultureInfo.InvariantCulture).Should().BeGreaterThan(labels[0].Length * 12);
    }

    [Fact]
    public void A_label_leaves_out_what_is_not_known()
    {
        MatrixPicture.Label("刘某某", "", "博尚镇中心小学").Should().Be("刘某某 · 博尚镇中心小学");
    }
}
