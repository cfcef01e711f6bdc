using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Visits;
using FluentAssertions;

namespace ControlDropout.Web.Tests.Features.Visits;

/// <summary>The guess budget of a family's 确认码 is the child's: every session of the child shares it, for one day.</summary>
public sealed class ConfirmationAttemptsTests
{
    [Fact]
    public void Five_wrong_codes_exhaust_the_child_for_the_day_whatever_session_they_came_from_and_no_other_child()
    {
        var attempts = new ConfirmationAttempts();
        var child = StudentId.New();
        var other = StudentId.New();
        var day = new DateOnly(2026, 9, 7);
        for (var i = 0; i < ConfirmationAttempts.Limit - 1; i++)
        {
            attempts.Wrong("530902", child, day);
        }
        attempts.Exhausted("530902", child, day).Should().BeFalse("four wrong codes leave one more try");
        attempts.Wrong("530902", child, day);

        attempts.Exhausted("530902", child, day).Should().BeTrue();
        attempts.Exhausted("530902", other, day).Should().BeFalse("another child's code is another budget");
        attempts.Exhausted("530927", child, day).Should().BeFalse();
        attempts.Exhausted("530902", child, day.AddDays(1)).Should().BeFalse("a new day, a new budget");
    }
}
