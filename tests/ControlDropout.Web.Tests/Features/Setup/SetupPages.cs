using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;

namespace ControlDropout.Web.Tests.Features.Setup;

/// <summary>What the setup tests do on pages as a person would (sign in by name, post forms with their antiforgery token), and read from API answers.</summary>
internal static class SetupPages
{
    public static async Task<HttpClient> SignedInAsync(ServiceFactory factory, string userName, string password)
    {
        var client = PageBrowser.Open(factory);
        var login = await client.GetStringAsync(new Uri("/login", UriKind.Relative));
        var response = await client.PostAsync(new Uri("/login", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = userName, ["Password"] = password, ["__RequestVerificationToken"] = PageBrowser.TokenIn(login),
        }));
        response.StatusCode.Should().Be(HttpStatusCode.Redirect, $"{userName} signs in");
        return client;
    }

    /// <summary>Posts a form with the token of the page it was shown on (<paramref name="tokenFrom"/>, else the same url).</summary>
    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string url, Dictionary<string, string> fields, string? tokenFrom = null)
    {
        var token = PageBrowser.TokenIn(await client.GetStringAsync(new Uri(tokenFrom ?? url, UriKind.Relative)));
        return await client.PostAsync(new Uri(url, UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = token }));
    }

    /// <summary>The text of the error span beside an input.</summary>
    public static string ErrorBeside(string html, string input) =>
        WebUtility.HtmlDecode(Regex.Match(html, $"<span id=\"{input}-error\"[^>]*>([^<]*)</span>").Groups[1].Value);

    /// <summary>A problem's stable code.</summary>
    public static async Task<string?> CodeOfAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).TryGetProperty("code", out var code) ? code.GetString() : null;

    /// <summary>The messages a validation problem gives for one field.</summary>
    public static async Task<List<string>> FieldErrorsAsync(HttpResponseMessage response, string field)
    {
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object && errors.TryGetProperty(field, out var list)
            ? [.. list.EnumerateArray().Select(e => e.GetString() ?? "")]
            : [];
    }
}
