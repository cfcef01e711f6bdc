using ControlDropout.Web.Infrastructure;
using FluentAssertions;

namespace ControlDropout.Web.Tests.Features;

/// <summary>Dates and weeks as bureaus write them.</summary>
public sealed class ChineseTextTests
{
    [Fact]
    public void Dates_read_as_a_bureau_writes_them()
    {
        Zh.Date(new DateOnly(2026, 9, 7)).Should().Be("2026年9月7日 周一");
        Zh.Date(new DateOnly(2026, 11, 29)).Should().Be("2026年11月29日 周日");
        Zh.DateTime(new DateTimeOffset(2026, 9, 7, 1, 5, 0, TimeSpan.Zero)).Should().Be("2026年9月7日 周一 09:05", "times are shown in China's UTC+8");
    }

    [Fact]
    public void Weeks_read_with_their_dates()
    {
        Zh.Week("2026-W37").Should().Be("第37周（9月7日–9月13日）");
        Zh.Week("2026-W53").Should().Be("第53周（12月28日–1月3日）");
        Zh.Weekday(7).Should().Be("周日");
    }
}
