using System.Threading.RateLimiting;
using ControlDropout.Web.Data;
using ControlDropout.Web.Features.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Scalar.AspNetCore;

namespace ControlDropout.Web.Infrastructure;

/// <summary>The host's concerns, one method each, so that Program.cs reads in one screen.</summary>
public static class ApiSetup
{
    public const string LoginRateLimit = "login";
    public const int MaxRequestBodyBytes = 1024 * 1024;
    public const int LoginAttemptsPerMinute = 10;
    public const string ByPathScheme = "by-path";

    /// <summary>One name for every instance, so that each can read what another protected.</summary>
    public const string DataProtectionApplication = "ControlDropout";

    /// <summary>A desk session on the pages ends after this long without a request.</summary>
    public static readonly TimeSpan CookieIdle = TimeSpan.FromHours(8);

    public static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/api");

    /// <summary>The API, feeds, health and the OpenAPI document: answered in JSON or bare statuses, never with a page.</summary>
    public static bool IsForMachines(HttpRequest request) =>
        IsApi(request) || request.Path.StartsWithSegments("/feeds") || request.Path.StartsWithSegments("/health") || request.Path.StartsWithSegments("/openapi");

    /// <summary>
    /// The database: SQLite in one file by default (a county on one machine, nothing to install), or PostgreSQL
    /// (<c>Database:Provider = PostgreSQL</c>, <c>ConnectionStrings:PostgreSQL</c>) for a city or province running
    /// several instances on one database server. Data-protection keys live in the database either way.
    /// </summary>
    public static WebApplicationBuilder AddDatabase(this WebApplicationBuilder builder)
    {
        var provider = builder.Configuration["Database:Provider"] ?? DatabaseProviders.Sqlite;
        if (string.Equals(provider, DatabaseProviders.PostgreSql, StringComparison.OrdinalIgnoreCase))
        {
            var connection = builder.Configuration.GetConnectionString(DatabaseProviders.PostgreSql);
            if (string.IsNullOrWhiteSpace(connection))
            {
                throw new InvalidOperationException("Database:Provider is PostgreSQL, but ConnectionStrings:PostgreSQL is not set.");
            }
            // Interceptors come from DI, so that tests can add one (e.g. to fail a write half-way).
            builder.Services.AddDbContext<AppDbContext, PostgresAppDbContext>((services, options) => options
                .UseNpgsql(connection)
                .AddInterceptors(services.GetServices<IInterceptor>()));
        }
        else if (string.Equals(provider, DatabaseProviders.Sqlite, StringComparison.OrdinalIgnoreCase))
        {
            var path = builder.Configuration["Database:Path"]
                ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "ControlDropout", "controldropout.db");
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            builder.Services.AddSingleton<IInterceptor, SqlitePragmas>();
            builder.Services.AddDbContext<AppDbContext>((services, options) => options
                .UseSqlite($"Data Source={path};Default Timeout={SqlitePragmas.BusyTimeoutMilliseconds / 1000}")
                .AddInterceptors(services.GetServices<IInterceptor>()));
        }
        else
        {
            throw new InvalidOperationException($"Database:Provider must be {DatabaseProviders.Sqlite} or {DatabaseProviders.PostgreSql}, not '{provider}'.");
        }
        builder.Services.AddDataProtection().SetApplicationName(DataProtectionApplication).PersistKeysToDbContext<AppDbContext>();
        return builder;
    }

    public static WebApplicationBuilder AddAccess(this WebApplicationBuilder builder)
    {
        builder.Services.AddIdentityCore<AppUser>(options =>
            {
                options.Password.RequiredLength = 12;
                // No lock-out: a stranger who knows a user name could lock its owner out (ASVS 2.2.1).
                // Guessing is slowed by LoginThrottle instead.
                options.Lockout.AllowedForNewUsers = false;
                options.User.RequireUniqueEmail = false;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<AppDbContext>()
            .AddClaimsPrincipalFactory<CallerClaimsFactory>();
        // Bearer tokens for the API, a cookie for pages: a cookie never authorises an /api call, so no
        // other site can make a signed-in browser call the API.
        builder.Services.AddAuthentication(ByPathScheme)
            .AddPolicyScheme(ByPathScheme, "Bearer for the API, cookie for pages", options =>
                options.ForwardDefaultSelector = context => IsApi(context.Request) ? IdentityConstants.BearerScheme : IdentityConstants.ApplicationScheme)
            .AddBearerToken(IdentityConstants.BearerScheme, options => options.BearerTokenExpiration = TimeSpan.FromHours(8))
            .AddCookie(IdentityConstants.ApplicationScheme, options =>
            {
                options.LoginPath = "/login";
                options.AccessDeniedPath = "/denied";
                options.ExpireTimeSpan = CookieIdle;
                options.SlidingExpiration = true;
                options.Cookie.Name = "cd.session";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Strict;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            });
        builder.Services.AddAuthorizationBuilder()
            // Everything needs a login unless an endpoint says otherwise (health, login, secret feeds).
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        // One policy per permission, from the one table: pages name them as their second fence.
        foreach (var permission in Enum.GetValues<Permission>())
        {
            builder.Services.AddAuthorizationBuilder().AddPolicy(permission.ToString(), p => p.RequireRole(Permissions.RolesWith(permission)));
        }
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped<CurrentUser>();
        builder.Services.AddScoped<Data.AuditActor>();
        builder.Services.AddScoped<Features.Auth.SignIns>();
        builder.Services.AddSingleton<Features.Auth.LoginThrottle>();
        builder.Services.AddSingleton<Features.Auth.SecurityStamps>();
        // A flood cap per address on attempts of any outcome; LoginThrottle's growing waits count failures.
        var loginAttempts = builder.Configuration.GetValue("Access:LoginAttemptsPerMinute", LoginAttemptsPerMinute);
        builder.Services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // Only attempts count: opening the sign-in page is not one.
            options.AddPolicy(LoginRateLimit, context => HttpMethods.IsGet(context.Request.Method) ? RateLimitPartition.GetNoLimiter("page") : RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = loginAttempts, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            options.OnRejected = async (context, token) =>
            {
                var retry = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromMinutes(1);
                context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retry.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (!IsForMachines(context.HttpContext.Request))
                {
                    // A page: no body here, so that the status page re-executes and answers in Chinese.
                    return;
                }
                await Problems.Status(StatusCodes.Status429TooManyRequests, "too_many_attempts", "登录尝试过于频繁，请稍后再试")
                    .ExecuteAsync(context.HttpContext).ConfigureAwait(false);
            };
        });
        builder.Services.AddSingleton(TimeProvider.System);
        return builder;
    }

    public static WebApplicationBuilder AddApiBasics(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            // Never a stack trace, whatever the environment.
            context.ProblemDetails.Extensions.Remove("exception");
            context.ProblemDetails.Extensions["traceId"] = context.HttpContext.TraceIdentifier;
            // The framework answers a body that is not JSON with a bare 415: say so, about the body, like any refusal.
            if (context.ProblemDetails.Status == StatusCodes.Status415UnsupportedMediaType && !context.ProblemDetails.Extensions.ContainsKey("code"))
            {
                context.ProblemDetails.Title = "请求体须为 JSON";
                context.ProblemDetails.Extensions["code"] = "unsupported_media_type";
                context.ProblemDetails.Extensions["errors"] = new Dictionary<string, string[]> { [""] = ["请求体须为 JSON（Content-Type: application/json）"] };
            }
        });
        builder.Services.AddExceptionHandler<BadRequests>();
        // Binding failures are thrown in every environment so that BadRequests can name the field.
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddOpenApi();
        builder.Services.Configure<FormOptions>(o => o.MultipartBodyLengthLimit = MaxRequestBodyBytes);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
            // No "Server: Kestrel": nothing to tell a scanner which server and version to try.
            k.AddServerHeader = false;
        });
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        return builder;
    }

    public static WebApplication UseApiBasics(this WebApplication app)
    {
        // The API answers errors as problem details; pages answer them with a page in Chinese.
        app.UseWhen(c => IsForMachines(c.Request), api => api.UseExceptionHandler().UseStatusCodePages());
        app.UseWhen(c => !IsForMachines(c.Request), pages => pages.UseExceptionHandler("/error/500").UseStatusCodePagesWithReExecute("/error/{0}"));
        app.UseSecurityHeaders();
        app.UseStaticFiles();
        // After the static files (which answer before this), so that only they may be cached.
        app.UseNoStore();
        // Routing after the error pages, so that a re-executed /error/404 finds its own page (and its AllowAnonymous).
        app.UseRouting();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseSecurityStampCheck();
        app.UseAuthorization();
        app.MapOpenApi().AllowAnonymous();
        app.MapScalarApiReference().AllowAnonymous();
        return app;
    }

    public static async Task MigrateAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        await db.Database.MigrateAsync().ConfigureAwait(false);
        await Features.Coverage.CoverageSummary.FillMissingAsync(db, scope.ServiceProvider.GetRequiredService<Features.Calendar.HolidayCalendar>(), CancellationToken.None).ConfigureAwait(false);
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role).ConfigureAwait(false))
            {
                await roles.CreateAsync(new IdentityRole(role)).ConfigureAwait(false);
            }
        }
    }
}
