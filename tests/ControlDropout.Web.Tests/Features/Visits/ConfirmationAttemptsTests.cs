using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Visits;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;

namespace ControlDropout.Web.Tests.Features.Visits;

/// <summary>
/// The guess budget of a family's 确认码 is the child's: every session of the child shares it, for one day — and
/// every instance of the service shares it, because it is counted in the database.
/// </summary>
public sealed class ConfirmationAttemptsTests(ServiceFactory factory) : IClassFixture<ServiceFactory>
{
    /// <summary>Two counters over one database, as two instances of the service would have.</summary>
    private (ConfirmationAttempts A, ConfirmationAttempts B) TwoInstances()
    {
        var scopes = factory.Services.GetRequiredService<IServiceScopeFactory>();
        return (new ConfirmationAttempts(scopes), new ConfirmationAttempts(scopes));
    }

    [Fact]
    public async Task Five_wrong_codes_exhaust_the_child_for_the_day_whatever_instance_they_came_to_and_no_other_child()
    {
        var (a, b) = TwoInstances();
        var child = StudentId.New();
        var other = StudentId.New();
        var day = new DateOnly(2026, 9, 7);
        for (var i = 0; i < ConfirmationAttempts.Limit - 1; i++)
        {
            await (i % 2 == 0 ? a : b).WrongAsync("530902", child, day, default);
        }
        (await a.ExhaustedAsync("530902", child, day, default)).Should().BeFalse("four wrong codes leave one more try");
        await b.WrongAsync("530902", child, day, default);

        (await a.ExhaustedAsync("530902", child, day, default)).Should().BeTrue("the fifth came to the other instance");
        (await b.ExhaustedAsync("530902", other, day, default)).Should().BeFalse("another child's code is another budget");
        (await b.ExhaustedAsync("530927", child, day, default)).Should().BeFalse();
        (await b.ExhaustedAsync("530902", child, day.AddDays(1), default)).Should().BeFalse("a new day, a new budget");
    }

    [Fact]
    public async Task Wrong_codes_counted_at_the_same_moment_are_all_counted()
    {
        var (a, b) = TwoInstances();
        var child = StudentId.New();
        var day = new DateOnly(2026, 9, 8);
        await Task.WhenAll(Enumerable.Range(0, ConfirmationAttempts.Limit).Select(i => (i % 2 == 0 ? a : b).WrongAsync("530902", child, day, default)));

        (await a.ExhaustedAsync("530902", child, day, default)).Should().BeTrue("no concurrent count may be lost");
    }
}
