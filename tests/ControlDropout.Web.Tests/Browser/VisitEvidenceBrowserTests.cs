using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Visits;
using ControlDropout.Web.Infrastructure;
using ControlDropout.Web.Tests.Pages;
using FluentAssertions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using System.Net.Http.Json;
using Microsoft.Playwright;
using SkiaSharp;

namespace ControlDropout.Web.Tests.Browser;

/// <summary>
/// Issue 14's proof on a phone (390 × 844): a teacher checks in, the guardian signs on the screen, a photo is taken
/// without a signal and the record is submitted offline; when the signal returns the photo goes first and the record
/// cites it. The inspector then sees the evidence and no no_evidence flag; a record without it is flagged.
/// The test moves the server's clock to the session's day, and a fake clock only goes forward: so it has a server of
/// its own (a class fixture), never the one the other browser tests share.
/// </summary>
public sealed class VisitEvidenceBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    private static byte[] Jpeg()
    {
        using var bitmap = new SKBitmap(64, 48);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(new SKColor(40, 120, 200));
        }
        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 80);
        return data.ToArray();
    }

    [Fact]
    public async Task A_visit_with_a_drawn_signature_and_a_photo_made_offline_reaches_the_inspector_with_its_evidence()
    {
        var factory = browser.Factory;
        TimetableSession session;
        Student child;
        using (var scope = factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var published = db.Timetables.Where(t => t.CountyCode == browser.County.Code && t.Status == TimetableStatus.Published).Select(t => t.Id);
            var recorded = db.Visits.Select(v => v.SessionKey);
            var sessions = await db.Sessions.AsNoTracking().Where(s => published.Contains(s.TimetableId) && !recorded.Contains(s.SessionKey) && s.Mode == SessionModes.Home)
                .ToListAsync();
            session = sessions.Where(s => s.StaffIds.Contains(browser.County.Teacher.Value)).OrderBy(s => s.Date).ThenBy(s => s.Start).Skip(1).First();
            var childId = session.StudentId;
            child = await db.Students.AsNoTracking().SingleAsync(s => s.Id == childId);
            // The county asks for the family's confirmation, a check-in and a photo.
            var policy = await db.Policies.FindAsync(browser.County.Code) ?? CountyPolicy.LincangDefault(browser.County.Code);
            if (db.Entry(policy).State == EntityState.Detached)
            {
                db.Policies.Add(policy);
            }
            (policy.RequireGuardianConfirmation, policy.RequireCheckIn, policy.RequiredPhotos) = (true, true, 1);
            await db.SaveChangesAsync();
        }
        // The visit happens on the session's day: the server's clock (and the phone's) an hour after it starts.
        var during = new DateTimeOffset(session.Date.ToDateTime(session.Start), Conventions.ChinaOffset).AddMinutes(90);
        if (during > factory.Clock.GetUtcNow())
        {
            factory.Clock.SetUtcNow(during);
        }
        try
        {
            var page = await browser.SignInAsync("teacher", Phone);
            await page.Clock.InstallAsync(new ClockInstallOptions { TimeDate = factory.Clock.GetUtcNow().UtcDateTime });
            await page.Context.GrantPermissionsAsync(["geolocation"]);
            await page.Context.SetGeolocationAsync(new Geolocation { Latitude = (float)(child.HomeLat + 0.0004), Longitude = (float)(child.HomeLon + 0.0004), Accuracy = 30 });
            var url = $"/sessions/{Uri.EscapeDataString(session.SessionKey)}";
            await page.GotoAsync(url);

            await page.GetByRole(AriaRole.Button, new() { Name = "签到", Exact = true }).ClickAsync();
            await Assertions.Expect(page.Locator("#check-in-status")).ToContainTextAsync("已记录大致位置");
            await page.GetByLabel("授课内容").FillAsync("认识颜色；练习抓握（带签名和照片）");
            await page.GetByLabel("手写签名").CheckAsync();
            var pad = page.Locator("#signature-canvas");
            await pad.ScrollIntoViewIfNeededAsync();
            var box = (await pad.BoundingBoxAsync())!;
            await page.Mouse.MoveAsync(box.X + 20, box.Y + 20);
            await page.Mouse.DownAsync();
            foreach (var step in Enumerable.Range(1, 12))
            {
                await page.Mouse.MoveAsync(box.X + 20 + step * 20, box.Y + 20 + (step % 3) * 15);
            }
            await page.Mouse.UpAsync();
            await Assertions.Expect(page.Locator("input[name='Form.SignatureStrokes']")).ToHaveCountAsync(1);
            (await page.EvaluateAsync<int>("document.documentElement.scrollWidth")).Should().BeLessThanOrEqualTo(Phone.Width, "nothing scrolls sideways on a phone");

            // No signal: the photo waits in IndexedDB, the record in the outbox.
            await page.Context.SetOfflineAsync(true);
            await page.Locator("#photo-input").SetInputFilesAsync(new FilePayload { Name = "photo.jpg", MimeType = "image/jpeg", Buffer = Jpeg() });
            await Assertions.Expect(page.Locator("input[name='Form.LocalPhotos']")).ToHaveCountAsync(1);
            await page.GetByRole(AriaRole.Button, new() { Name = "提交记录" }).ClickAsync();
            await Assertions.Expect(page.Locator("#draft-status")).ToContainTextAsync("信号中断");
            using (var scope = factory.Services.CreateScope())
            {
                (await scope.ServiceProvider.GetRequiredService<AppDbContext>().Visits.AnyAsync(v => v.SessionKey == session.SessionKey)).Should().BeFalse();
            }

            await page.Context.SetOfflineAsync(false);
            await Assertions.Expect(page.Locator("#draft-status")).ToContainTextAsync("已自动提交 1 条", new() { Timeout = 15_000 });
            VisitRecord stored;
            using (var scope = factory.Services.CreateScope())
            {
                stored = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Visits.AsNoTracking().SingleAsync(v => v.SessionKey == session.SessionKey);
            }
            stored.Confirmation.Should().Be(GuardianConfirmation.Signature);
            stored.SignatureSvg.Should().StartWith("<svg xmlns=\"http://www.w3.org/2000/svg\"").And.Contain("<polyline");
            stored.PhotoIds.Should().HaveCount(1);
            stored.CheckInAt.Should().NotBeNull();
            stored.CheckInLat.Should().BeApproximately(Math.Round(child.HomeLat + 0.0004, 3), 0.0011);
            await page.Context.CloseAsync();

            // The inspector opens the record: the evidence, and no no_evidence flag.
            var inspector = await browser.SignInAsync("auditor", Phone);
            await inspector.GotoAsync(url);
            await Assertions.Expect(inspector.Locator("#confirmation svg polyline").First).ToBeAttachedAsync();
            await Assertions.Expect(inspector.Locator("#check-in-shown")).ToContainTextAsync("距家约");
            await Assertions.Expect(inspector.Locator("dd.photos img")).ToHaveCountAsync(1);
            await Assertions.Expect(inspector.Locator("#flags")).Not.ToContainTextAsync(Zh.VisitFlag(VisitFlags.NoEvidence));

            // A record without evidence is flagged, on the same page.
            var (bare, _) = await RecordWithoutEvidenceAsync(session);
            await inspector.GotoAsync($"/sessions/{Uri.EscapeDataString(bare)}");
            await Assertions.Expect(inspector.Locator("#flags")).ToContainTextAsync(Zh.VisitFlag(VisitFlags.NoEvidence));
            await Assertions.Expect(inspector.Locator("#flags")).ToContainTextAsync("缺少：家长确认、签到、照片");
            await inspector.Context.CloseAsync();
        }
        finally
        {
            using var scope = factory.Services.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            if (await db.Policies.FindAsync(browser.County.Code) is { } policy)
            {
                (policy.RequireGuardianConfirmation, policy.RequireCheckIn, policy.RequiredPhotos) = (false, false, 0);
                await db.SaveChangesAsync();
            }
        }
    }

    /// <summary>Another session of the teacher's, recorded through the API with content but no evidence.</summary>
    private async Task<(string Key, Guid Id)> RecordWithoutEvidenceAsync(TimetableSession besides)
    {
        TimetableSession other;
        using (var scope = browser.Factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var published = db.Timetables.Where(t => t.CountyCode == browser.County.Code && t.Status == TimetableStatus.Published).Select(t => t.Id);
            var recorded = db.Visits.Select(v => v.SessionKey);
            other = (await db.Sessions.AsNoTracking().Where(s => published.Contains(s.TimetableId) && !recorded.Contains(s.SessionKey) && s.SessionKey != besides.SessionKey)
                .ToListAsync()).Where(s => s.StaffIds.Contains(browser.County.Teacher.Value)).OrderBy(s => s.Date).First();
        }
        var teacher = await browser.County.As("teacher");
        var response = await teacher.PostAsJsonAsync("/api/visits", new
        {
            sessionKey = other.SessionKey, date = other.Date, start = other.Start.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture),
            end = other.End.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture), staffPresent = new[] { browser.County.Teacher.Value },
            place = other.Mode == SessionModes.Remote ? "Online" : "Home", content = "练习抓握", goalsAddressed = new[] { "能独立抓握勺子" },
        });
        response.EnsureSuccessStatusCode();
        var id = (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetGuid();
        return (other.SessionKey, id);
    }
}
