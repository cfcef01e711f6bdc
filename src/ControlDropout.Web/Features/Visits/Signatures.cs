using System.Globalization;
using System.Text;

namespace ControlDropout.Web.Features.Visits;

/// <summary>
/// 手写签名: the guardian's signature drawn on the teacher's phone arrives as strokes — each "x,y x,y …" in a
/// 600 × 240 box — and is stored as an SVG the server composes from the numbers alone. The client's markup
/// never reaches the page: anything but numbers, commas and spaces is refused, and the numbers are printed again.
/// </summary>
public static class Signatures
{
    public const int Width = 600;
    public const int Height = 240;
    public const int MaxStrokes = 20;
    public const int MaxPointsPerStroke = 500;
    public const int MaxPoints = 4000;
    /// <summary>Longest stroke text read at all: 500 points of "600.00,240.00 ".</summary>
    public const int MaxStrokeLength = MaxPointsPerStroke * 16;

    /// <summary>One stroke's points, or null when it is not "x,y x,y …" with numbers inside the box (at least one point, at most 500).</summary>
    public static IReadOnlyList<(double X, double Y)>? Points(string? stroke)
    {
        if (string.IsNullOrWhiteSpace(stroke) || stroke.Length > MaxStrokeLength)
        {
            return null;
        }
        var pairs = stroke.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (pairs.Length > MaxPointsPerStroke)
        {
            return null;
        }
        var points = new List<(double, double)>(pairs.Length);
        foreach (var pair in pairs)
        {
            var parts = pair.Split(',');
            if (parts.Length != 2 || !Number(parts[0], Width, out var x) || !Number(parts[1], Height, out var y))
            {
                return null;
            }
            points.Add((x, y));
        }
        return points;
    }

    private static bool Number(string text, double max, out double value) =>
        double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value) && value >= 0 && value <= max;

    /// <summary>What is wrong with the strokes as a signature (in Chinese), or null when they make one.</summary>
    public static string? Problem(IReadOnlyList<string>? strokes)
    {
        if (strokes is not { Count: > 0 })
        {
            return "请家长在屏幕上签名";
        }
        if (strokes.Count > MaxStrokes)
        {
            return $"签名最多 {MaxStrokes} 笔";
        }
        var total = 0;
        foreach (var stroke in strokes)
        {
            if (Points(stroke) is not { } points)
            {
                return $"签名笔画须为画布（{Width}×{Height}）内的坐标，每笔最多 {MaxPointsPerStroke} 个点";
            }
            total += points.Count;
        }
        return total > MaxPoints ? $"签名的点数过多（最多 {MaxPoints} 个）" : null;
    }

    /// <summary>
    /// The SVG of valid strokes (<see cref="Problem"/> returned null): one polyline per stroke, the numbers
    /// rounded to a tenth and printed invariantly.
    /// </summary>
    public static string Svg(IReadOnlyList<string> strokes)
    {
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {Height}\" width=\"{Width}\" height=\"{Height}\">");
        foreach (var stroke in strokes)
        {
            var points = Points(stroke) ?? throw new ArgumentException("a stroke the validator would refuse", nameof(strokes));
            svg.Append("<polyline fill=\"none\" stroke=\"#000\" stroke-width=\"3\" stroke-linecap=\"round\" stroke-linejoin=\"round\" points=\"");
            svg.AppendJoin(' ', points.Select(p => string.Create(CultureInfo.InvariantCulture, $"{Math.Round(p.X, 1)},{Math.Round(p.Y, 1)}")));
            svg.Append("\"/>");
        }
        return svg.Append("</svg>").ToString();
    }
}
