using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;

namespace ControlDropout.Web.Tests.Features.Health;

/// <summary><c>/health</c> for load balancers: one statement on a pooled connection, open without a login.</summary>
public sealed class HealthTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;

    public HealthTests(ServiceFactory factory) => _factory = factory;

    [Fact]
    public async Task Health_answers_ok_without_a_login_as_often_as_asked()
    {
        var client = _factory.CreateClient();

        var answers = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => client.GetAsync("/health")));

        answers.Select(a => a.StatusCode).Should().AllBeEquivalentTo(HttpStatusCode.OK);
        (await answers[0].Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString().Should().Be("ok");
    }
}
