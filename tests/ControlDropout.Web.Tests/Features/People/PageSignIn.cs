using System.Net;
using System.Text.RegularExpressions;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ControlDropout.Web.Tests.Features.People;

/// <summary>A browser-like client signed in with the cookie, as in Pages/PageSecurityTests.</summary>
internal static partial class PageSignIn
{
    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    public static async Task<HttpClient> SignedInAsync(this ServiceFactory factory, TestCounty county, string role)
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var html = await client.GetStringAsync(new Uri("/login", UriKind.Relative));
        var response = await client.PostAsync(new Uri("/login", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = county.Accounts[role], ["Password"] = ServiceFactory.Password, ["__RequestVerificationToken"] = TokenField().Match(html).Groups[1].Value,
        }));
        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        return client;
    }
}
