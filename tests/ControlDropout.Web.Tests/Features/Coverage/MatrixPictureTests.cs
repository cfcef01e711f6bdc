using System.Xml.Linq;
using ControlDropout.Web.Features.Coverage;
using ControlDropout.Web.Infrastructure;
using FluentAssertions;

namespace ControlDropout.Web.Tests.Features.Coverage;

public sealed class MatrixPictureTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [Fact]
    public void Each_cell_carries_its_status_in_colour_sign_and_words()
    {
        var child = Guid.NewGuid();
        var svg = MatrixPicture.Render(["2026-W36", "2026-W37", "2026-W40"], [(child, "张某某", [CoverageStatus.Missed, CoverageStatus.Met, CoverageStatus.Exempt])]);
        var cells = XDocument.Parse(svg).Descendants(Svg + "g").ToList();

        cells.Select(c => c.Attribute("data-status")!.Value).Should().Equal("Missed", "Met", "Exempt");
        var missed = cells[0];
        missed.Element(Svg + "rect")!.Attribute("fill")!.Value.Should().Be("#b3261e");
        missed.Element(Svg + "text")!.Value.Should().Be("✗", "colour is never the only cue");
        missed.Element(Svg + "title")!.Value.Should().Be("张某某 第36周（8月31日–9月6日）：缺课");
        cells[2].Element(Svg + "rect")!.Attribute("fill")!.Value.Should().Be("#d9d9d9", "exempt weeks are grey");
    }
}
