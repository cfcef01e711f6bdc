using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace ControlDropout.Web.Features.Feeds;

/// <summary>
/// The service's public base address, the only source of absolute links (feed event URLs, QR codes,
/// subscription URLs): a request's <c>Host</c> header is the caller's to choose, so a link built from
/// it can point anywhere, and a cached feed would keep the poisoned link for everyone.
/// A deployment sets <c>App:PublicBaseUrl</c> (e.g. <c>https://songjiao.example.cn</c>) and <c>AllowedHosts</c>;
/// without the setting (Development, tests) it is the first address the server listens on, and
/// <c>http://localhost</c> when the server has none (the in-process test server).
/// </summary>
public sealed partial class PublicAddress(IConfiguration configuration, IServer server, ILogger<PublicAddress> log)
{
    public const string Setting = "App:PublicBaseUrl";

    private string? _base;

    /// <summary>Scheme, host and port (and a path prefix if configured), without a trailing slash.</summary>
    public string Base => _base ??= Resolve();

    /// <summary>An absolute link to a path of this service.</summary>
    public string To(string path) => Base + "/" + path.TrimStart('/');

    /// <summary>The same address for calendar apps (<c>webcal://</c>).</summary>
    public string WebcalTo(string path)
    {
        var absolute = new Uri(To(path));
        return "webcal://" + absolute.Authority + absolute.PathAndQuery;
    }

    private string Resolve()
    {
        var configured = configuration[Setting];
        if (!string.IsNullOrWhiteSpace(configured))
        {
            if (!Uri.TryCreate(configured, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            {
                throw new InvalidOperationException($"{Setting} must be an absolute http(s) address, not '{configured}'.");
            }
            return uri.GetLeftPart(UriPartial.Path).TrimEnd('/');
        }
        var listening = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        var fallback = listening is null ? "http://localhost" : Loopback(listening);
        NotConfigured(log, Setting, fallback);
        return fallback;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Setting} is not set: links in feeds and QR codes use {Base}")]
    private static partial void NotConfigured(ILogger logger, string setting, string @base);

    /// <summary>A wildcard listening address (<c>http://+:80</c>, <c>http://[::]:80</c>) as a name a client can use.</summary>
    private static string Loopback(string address)
    {
        var schemeEnd = address.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0)
        {
            return "http://localhost";
        }
        var rest = address[(schemeEnd + 3)..];
        var port = rest.LastIndexOf(':');
        var host = port > 0 && !rest.EndsWith(']') ? rest[..port] : rest;
        var wildcard = host is "+" or "*" or "0.0.0.0" or "[::]";
        return (wildcard ? address[..(schemeEnd + 3)] + "localhost" + (port > 0 ? rest[port..] : "") : address).TrimEnd('/');
    }
}
