using ControlDropout.Web.Domain;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace ControlDropout.Web.Data.Demo;

/// <summary>What the host does before serving: seed the demo county, or create the first admin and exit.</summary>
public static class StartupCommands
{
    public const string AdminPasswordVariable = "CONTROLDROPOUT_ADMIN_PASSWORD";

    /// <summary>In Development, or with <c>--demo</c>, an empty database gets the demo county.</summary>
    public static async Task SeedDemoIfAskedAsync(this WebApplication app, string[] args)
    {
        if (!app.Environment.IsDevelopment() && !args.Contains("--demo"))
        {
            return;
        }
        await using var scope = app.Services.CreateAsyncScope();
        var password = app.Configuration["Demo:Password"] ?? DemoSeeder.DefaultPassword;
        var seeded = await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync(password, app.Lifetime.ApplicationStopping).ConfigureAwait(false);
        if (seeded)
        {
            // Demo-only accounts: the password is printed so that a new user can sign in; it is not a real person's secret.
            Console.WriteLine($"Demo county {DemoSeeder.CountyCode} seeded. Users: {string.Join(", ", DemoSeeder.DemoUsers)}; password (demo only): {password}");
        }
    }

    /// <summary>
    /// <c>create-admin --user NAME --county CODE [--county-name NAME]</c>, password from the
    /// <c>CONTROLDROPOUT_ADMIN_PASSWORD</c> environment variable. Returns the exit code.
    /// </summary>
    public static async Task<int> CreateAdminAsync(this WebApplication app, string[] args)
    {
        string? Arg(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        var userName = Arg("--user");
        var county = Arg("--county");
        var password = Environment.GetEnvironmentVariable(AdminPasswordVariable);
        if (string.IsNullOrWhiteSpace(userName) || county is not { Length: 6 } || !county.All(char.IsAsciiDigit))
        {
            Console.Error.WriteLine("usage: create-admin --user NAME --county CODE(6 digits) [--county-name NAME]");
            return 2;
        }
        if (string.IsNullOrEmpty(password))
        {
            Console.Error.WriteLine($"error: set {AdminPasswordVariable} to the new admin's password (at least 12 characters)");
            return 2;
        }
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        if (!await db.Counties.AnyAsync(c => c.Code == county).ConfigureAwait(false))
        {
            // The county's townships and villages from the reference data, when it has them (临沧's eight counties).
            var places = CountyPlaces.Read(county);
            db.Counties.Add(new County { Code = county, Name = Arg("--county-name") ?? places?.CountyName ?? county });
            db.Policies.Add(CountyPolicy.LincangDefault(county));
            if (places is not null)
            {
                db.Townships.AddRange(places.Townships);
                db.Villages.AddRange(places.Villages);
            }
            await db.SaveChangesAsync().ConfigureAwait(false);
            Console.WriteLine(places is null
                ? $"county {county}: not in {CountyPlaces.FileName}; add its townships and villages before enrolling children"
                : $"county {county} ({places.CountyName}): {places.Townships.Count} townships and {places.Villages.Count} villages loaded");
        }
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = new AppUser { UserName = userName, CountyCode = county, DisplayName = userName };
        var created = await users.CreateAsync(user, password).ConfigureAwait(false);
        if (!created.Succeeded)
        {
            Console.Error.WriteLine("error: " + string.Join("; ", created.Errors.Select(e => e.Description)));
            return 1;
        }
        await users.AddToRoleAsync(user, Roles.Admin).ConfigureAwait(false);
        Console.WriteLine($"admin '{userName}' created for county {county}");
        return 0;
    }
}
