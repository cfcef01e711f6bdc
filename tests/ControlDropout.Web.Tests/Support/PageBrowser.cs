using System.Net;
using System.Text.RegularExpressions;
using FluentAssertions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ControlDropout.Web.Tests.Support;

/// <summary>A browser over plain HTTP for the pages: cookies kept, redirects not followed, forms posted with their antiforgery token.</summary>
public static partial class PageBrowser
{
    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    /// <summary>The antiforgery token of the first form in a page's HTML.</summary>
    public static string TokenIn(string html) => TokenField().Match(html).Groups[1].Value;

    public static HttpClient Open(ServiceFactory factory) =>
        factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>Signs in on <c>/login</c> as the county's user of that role, as a person would.</summary>
    public static async Task<HttpClient> SignedInAsync(ServiceFactory factory, TestCounty county, string role)
    {
        var client = Open(factory);
        var login = await client.GetStringAsync(new Uri("/login", UriKind.Relative)).ConfigureAwait(false);
        var response = await client.PostAsync(new Uri("/login", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = county.Accounts[role], ["Password"] = ServiceFactory.Password, ["__RequestVerificationToken"] = TokenIn(login),
        })).ConfigureAwait(false);
        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        return client;
    }
}
