using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using ControlDropout.Web.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ControlDropout.Web.Tests.Access;

/// <summary>
/// One caller of the matrix, signed in both ways the app knows: a bearer client for the API and a
/// cookie browser (no automatic redirects) with the antiforgery token its forms carry.
/// </summary>
public sealed partial class AccessVisitor : IDisposable
{
    private AccessVisitor(string caller, string? userName, HttpClient api, HttpClient browser, string formToken)
    {
        (Caller, UserName, Api, Browser, FormToken) = (caller, userName, api, browser, formToken);
    }

    public string Caller { get; }

    /// <summary>Null for the anonymous caller.</summary>
    public string? UserName { get; }

    public HttpClient Api { get; }

    public HttpClient Browser { get; }

    /// <summary>The antiforgery token of this browser's signed-in user (tokens are bound to the user).</summary>
    public string FormToken { get; }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    private static HttpClient NewClient(ServiceFactory factory) =>
        factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>Signs the caller in through the real login endpoint and the real login page.</summary>
    public static async Task<AccessVisitor> SignInAsync(ServiceFactory factory, string caller, TestCounty home, TestCounty other)
    {
        var userName = caller switch
        {
            AccessCaller.Anonymous => null,
            AccessCaller.OtherCountyAdmin => other.Accounts["admin"],
            _ => home.Accounts[caller],
        };
        var api = NewClient(factory);
        var browser = NewClient(factory);
        if (userName is null)
        {
            return new AccessVisitor(caller, null, api, browser, await TokenOfAsync(browser, "/login").ConfigureAwait(false)
                ?? throw new InvalidOperationException("the login page has no antiforgery token"));
        }
        var login = await api.PostAsJsonAsync("/api/auth/login", new { userName, password = ServiceFactory.Password }).ConfigureAwait(false);
        if (!login.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{userName} could not sign in to the API: {(int)login.StatusCode} {await login.Content.ReadAsStringAsync().ConfigureAwait(false)}");
        }
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>().ConfigureAwait(false)).GetProperty("accessToken").GetString();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var anonymousToken = await TokenOfAsync(browser, "/login").ConfigureAwait(false);
        var signedIn = await browser.PostAsync(new Uri("/login", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = userName, ["Password"] = ServiceFactory.Password, ["__RequestVerificationToken"] = anonymousToken!,
        })).ConfigureAwait(false);
        if (signedIn.StatusCode != HttpStatusCode.Redirect || signedIn.Headers.Location?.ToString().StartsWith("/login", StringComparison.Ordinal) == true)
        {
            throw new InvalidOperationException($"{userName} could not sign in on the pages: {(int)signedIn.StatusCode} {signedIn.Headers.Location}");
        }
        // Any page with a form gives the signed-in user's token: the sign-out page has one for everyone,
        // else the role's home page.
        var formToken = await TokenOfAsync(browser, "/logout").ConfigureAwait(false);
        if (formToken is null && signedIn.Headers.Location is { } home1)
        {
            formToken = await TokenOfAsync(browser, home1.ToString()).ConfigureAwait(false);
        }
        return new AccessVisitor(caller, userName, api, browser, formToken ?? throw new InvalidOperationException($"no page gave {userName} an antiforgery token"));
    }

    private static async Task<string?> TokenOfAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(new Uri(path, UriKind.Relative)).ConfigureAwait(false);
        var match = TokenField().Match(await response.Content.ReadAsStringAsync().ConfigureAwait(false));
        return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value) : null;
    }

    public void Dispose()
    {
        Api.Dispose();
        Browser.Dispose();
    }
}
