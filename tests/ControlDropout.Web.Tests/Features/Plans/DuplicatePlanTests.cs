using System.Net;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;

namespace ControlDropout.Web.Tests.Features.Plans;

public sealed class DuplicatePlanTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;

    public DuplicatePlanTests(ServiceFactory factory) => _factory = factory;

    [Fact]
    public async Task Twenty_parallel_identical_creations_give_one_plan_and_nineteen_conflicts_never_a_500()
    {
        var county = await _factory.LincangAsync();
        var coordinator = await county.As("coordinator");
        var child = await county.NewChildAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => coordinator.CreatePlanAsync(child, county.Term)));

        responses.Count(r => r.Response.StatusCode == HttpStatusCode.Created).Should().Be(1);
        var conflicts = responses.Where(r => r.Response.StatusCode == HttpStatusCode.Conflict).ToList();
        conflicts.Should().HaveCount(19);
        foreach (var (response, _) in conflicts)
        {
            response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
            (await response.ReadJsonAsync()).GetProperty("code").GetString().Should().Be("plan_exists");
        }
    }
}
