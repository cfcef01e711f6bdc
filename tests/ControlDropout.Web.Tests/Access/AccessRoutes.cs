using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.RazorPages.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ControlDropout.Web.Tests.Access;

/// <summary>One row of the matrix: an API route and method, or a page route and one of its handlers.</summary>
public sealed partial record AccessRoute(string Method, string Template, string? Handler, bool IsPage)
{
    /// <summary><c>GET /api/plans/{id:guid}</c>, <c>POST /plans/{id:guid}?handler=Approve</c>.</summary>
    public string Row => $"{Method} {Template}" + (Handler is null ? "" : $"?handler={Handler}");

    public bool IsWrite => Method is not ("GET" or "HEAD");

    /// <summary>What the call does: the page handler's name, else the route's last literal segment (<c>approve</c>, <c>leave</c>).</summary>
    public string Action => (Handler ?? Template.Split('/', StringSplitOptions.RemoveEmptyEntries).LastOrDefault(s => !s.StartsWith('{')) ?? "")
        .Replace("-", "", StringComparison.Ordinal).ToLowerInvariant();

    /// <summary>The route's parameters by name (<c>{id:guid?}</c> → <c>id</c>).</summary>
    public IEnumerable<string> Parameters => Parameter().Matches(Template).Select(m => m.Groups[1].Value);

    /// <summary>Calls that end the caller's sessions (signing out, a new password): run last, each on a fresh sign-in.</summary>
    public bool EndsSessions => Terminal().IsMatch(Template);

    /// <summary>The template with each parameter replaced by its value.</summary>
    public string Fill(Func<string, string> value) => Parameter().Replace(Template, m => Uri.EscapeDataString(value(m.Groups[1].Value)));

    [GeneratedRegex(@"\{\*{0,2}([^}:?=]+)[^}]*\}")]
    private static partial Regex Parameter();

    [GeneratedRegex("logout|log-out|sign-?out|password|revoke", RegexOptions.IgnoreCase)]
    private static partial Regex Terminal();

    /// <summary>
    /// Every API endpoint (from the app's endpoint data source) and every page handler (each page's
    /// compiled <c>On{Verb}{Handler}[Async]</c> methods), as the app has them right now.
    /// </summary>
    public static async Task<List<AccessRoute>> EnumerateAsync(IServiceProvider services)
    {
        var routes = new Dictionary<string, AccessRoute>(StringComparer.Ordinal);
        foreach (var endpoint in services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            if (endpoint.Metadata.GetMetadata<ActionDescriptor>() is not null)
            {
                continue; // A page (or controller action): enumerated from its descriptor below, handler by handler.
            }
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [HttpMethods.Get])
            {
                var route = new AccessRoute(method, "/" + endpoint.RoutePattern.RawText!.TrimStart('/'), null, IsPage: false);
                routes.TryAdd(route.Row, route);
            }
        }
        var loader = services.GetRequiredService<PageLoader>();
        foreach (var page in services.GetRequiredService<IActionDescriptorCollectionProvider>().ActionDescriptors.Items.OfType<PageActionDescriptor>())
        {
            var template = "/" + (page.AttributeRouteInfo?.Template ?? "").TrimStart('/');
            var compiled = await loader.LoadAsync(page, EndpointMetadataCollection.Empty).ConfigureAwait(false);
            var handlers = compiled.HandlerMethods.Select(h => (Method: h.HttpMethod.ToUpperInvariant(), h.Name)).ToList();
            if (handlers.Count == 0)
            {
                handlers.Add(("GET", null)); // A page without a model answers GET by rendering itself.
            }
            foreach (var (method, name) in handlers)
            {
                var route = new AccessRoute(method, template, string.IsNullOrEmpty(name) ? null : name, IsPage: true);
                routes.TryAdd(route.Row, route);
            }
        }
        return [.. routes.Values];
    }
}
