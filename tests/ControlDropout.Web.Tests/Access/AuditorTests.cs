using System.Net;
using System.Net.Http.Json;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ControlDropout.Web.Tests.Access;

/// <summary>An auditor can read and never write: every endpoint that changes something refuses them.</summary>
public sealed class AuditorTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;

    public AuditorTests(ServiceFactory factory) => _factory = factory;

    [Fact]
    public async Task An_auditor_changes_nothing_anywhere()
    {
        var county = await _factory.LincangAsync();
        var auditor = await county.As("auditor");
        var writes = _factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Where(m => m is "POST" or "PUT" or "DELETE" or "PATCH")
                .Select(m => (Method: m, Pattern: "/" + e.RoutePattern.RawText!.TrimStart('/'))))
            // Signing in and out and one's own password are the caller's own session, not a record.
            .Where(e => e.Pattern is not ("/api/auth/login" or "/api/auth/logout" or "/api/auth/password"))
            .ToList();
        writes.Should().NotBeEmpty();
        var ids = new Dictionary<string, Guid> { ["/api/staff/"] = county.Teacher.Value, ["/api/students/"] = county.Eligible.Value, ["/api/terms/"] = county.Term.Value };

        foreach (var (method, pattern) in writes)
        {
            var id = ids.Where(kv => pattern.StartsWith(kv.Key, StringComparison.Ordinal)).Select(kv => kv.Value).FirstOrDefault(Guid.NewGuid());
            var url = System.Text.RegularExpressions.Regex.Replace(pattern, @"\{[^}]+\}", id.ToString());
            var response = await auditor.SendAsync(new HttpRequestMessage(new HttpMethod(method), url) { Content = JsonContent.Create(new { }) });
            ((int)response.StatusCode).Should().BeOneOf([403, 404], $"{method} {pattern} must refuse an auditor");
        }
    }
}
