namespace ControlDropout.Web.Infrastructure;

/// <summary>
/// The pages: Razor Pages kept beside their feature's endpoints (<c>Features/&lt;Feature&gt;/*.cshtml</c>),
/// signed in with a cookie on the same Identity users (see <see cref="ApiSetup.AddAccess"/>),
/// antiforgery on every form and a strict Content-Security-Policy.
/// </summary>
public static class PageSetup
{
    /// <summary>
    /// Scripts, styles, images, frames and form targets from this site only: no inline script or
    /// style, so that text typed into a field can never run as code.
    /// </summary>
    public const string ContentSecurityPolicy = "default-src 'self'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'; object-src 'none'";

    public static WebApplicationBuilder AddPages(this WebApplicationBuilder builder)
    {
        builder.Services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "cd.antiforgery";
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        // Razor Pages check the antiforgery token on every unsafe method of every page by themselves
        // (tested); only the error page, which a refused POST is re-executed on, opts out.
        builder.Services.AddRazorPages(options => options.RootDirectory = "/Features");
        // Chinese as characters, not as &#x…; entities: a third of the bytes on a weak mountain signal.
        builder.Services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
            o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        builder.Services.AddScoped<NameBook>();
        builder.Services.AddScoped<Features.Timetables.StaffWeeks>();
        return builder;
    }

    /// <summary>
    /// <c>Cache-Control: no-store</c> on every answer that reaches it (pages and the API carry personal
    /// data), unless the answer set its own (the feeds revalidate with ETags: <c>private, no-cache</c>).
    /// Placed after the static files, which keep their own caching.
    /// </summary>
    public static IApplicationBuilder UseNoStore(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            if (string.IsNullOrEmpty(headers.CacheControl))
            {
                headers.CacheControl = "no-store";
            }
            return Task.CompletedTask;
        });
        return next(context);
    });

    /// <summary>Headers on every response, pages and pictures alike.</summary>
    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            // The API reference page loads its own scripts; everything else is held to 'self'.
            if (!context.Request.Path.StartsWithSegments("/scalar"))
            {
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
            }
            headers.XContentTypeOptions = "nosniff";
            // Feed links carry a secret: never hand a page's address to another site.
            headers["Referrer-Policy"] = "no-referrer";
            await next(context).ConfigureAwait(false);
        });
        return app;
    }
}
