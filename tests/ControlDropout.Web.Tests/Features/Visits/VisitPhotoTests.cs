using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Visits;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SkiaSharp;

namespace ControlDropout.Web.Tests.Features.Visits;

/// <summary>送教照片 (issue 14 §1): checked by content, re-encoded without the original's metadata, stored once by hash, served only to those who may see the child.</summary>
public sealed partial class VisitPhotoTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;
    private static RecordsCounty? _seeded;
    private static readonly SemaphoreSlim SeedLock = new(1, 1);

    public VisitPhotoTests(ServiceFactory factory)
    {
        factory.Settings["Access:LoginAttemptsPerMinute"] = "1000";
        _factory = factory;
    }

    private async Task<RecordsCounty> CountyAsync()
    {
        await SeedLock.WaitAsync();
        try
        {
            return _seeded is { } s && s.County.Factory == _factory ? s : _seeded = await RecordsCounty.SeedAsync(_factory);
        }
        finally
        {
            SeedLock.Release();
        }
    }

    /// <summary>A fresh session of the county's child taught by the teacher account, so each test owns its photo count.</summary>
    private async Task<string> NewSessionAsync()
    {
        var records = await CountyAsync();
        return await VisitSeeds.AddSessionAsync(records.County, records.Ours, new DateOnly(2026, 9, 9), records.County.Teacher);
    }

    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, string sessionKey, byte[] bytes, string fileName = "photo.jpg", string contentType = "image/jpeg")
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        form.Add(file, "file", fileName);
        return await client.PostAsync(new Uri($"/api/sessions/{Uri.EscapeDataString(sessionKey)}/photos", UriKind.Relative), form);
    }

    private static async Task<Guid> UploadedAsync(HttpClient client, string sessionKey, byte[] bytes)
    {
        var response = await UploadAsync(client, sessionKey, bytes);
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.ReadJsonAsync()).GetProperty("id").GetGuid();
    }

    private static async Task<string?> CodeOfAsync(HttpResponseMessage response) =>
        (await response.ReadJsonAsync()).TryGetProperty("code", out var code) ? code.GetString() : null;

    private string PhotoRoot()
    {
        var database = _factory.Services.GetRequiredService<IConfiguration>()["Database:Path"]!;
        return Path.Combine(Path.GetDirectoryName(Path.GetFullPath(database))!, "photos");
    }

    [Theory]
    [InlineData(SKEncodedImageFormat.Jpeg, "image/jpeg")]
    [InlineData(SKEncodedImageFormat.Png, "image/png")]
    [InlineData(SKEncodedImageFormat.Webp, "image/webp")]
    public async Task A_JPEG_PNG_or_WebP_is_stored_and_served_back_as_a_JPEG_no_longer_than_1600_px(SKEncodedImageFormat format, string contentType)
    {
        var records = await CountyAsync();
        var teacher = await records.County.As("teacher");
        var original = TestImages.Encoded(format, 2400, 1800, seed: (int)format + 10);
        TestImages.Probe(original).Format.Should().Be(format);

        var response = await UploadAsync(teacher, await NewSessionAsync(), original, "IMG_0001.bin", contentType);
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var dto = await response.ReadJsonAsync();
        (dto.GetProperty("width").GetInt32(), dto.GetProperty("height").GetInt32()).Should().Be((1600, 1200));
        response.Headers.Location!.ToString().Should().Be($"/api/photos/{dto.GetProperty("id").GetGuid()}");

        var served = await teacher.GetAsync(response.Headers.Location);
        served.StatusCode.Should().Be(HttpStatusCode.OK);
        served.Content.Headers.ContentType!.MediaType.Should().Be("image/jpeg");
        served.Headers.CacheControl!.ToString().Should().Contain("private").And.Contain("no-store");
        served.Headers.GetValues("X-Content-Type-Options").Should().Contain("nosniff");
        TestImages.Probe(await served.Content.ReadAsByteArrayAsync()).Should().Be((1600, 1200, SKEncodedImageFormat.Jpeg));
    }

    [Fact]
    public async Task The_capture_time_is_read_from_EXIF_and_the_served_photo_carries_no_EXIF_or_GPS()
    {
        var records = await CountyAsync();
        var teacher = await records.County.As("teacher");
        var original = TestImages.WithExif(TestImages.Jpeg(640, 480, seed: 21), TestImages.CameraExif("2026:09:08 09:15:30", "+07:00"));
        Encoding.Latin1.GetString(original).Should().Contain("Exif\0\0", "the upload carries its EXIF and GPS block");
        TestImages.HeaderMarkers(original).Should().Contain(0xE1);

        var response = await UploadAsync(teacher, await NewSessionAsync(), original);
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var dto = await response.ReadJsonAsync();
        dto.GetProperty("capturedAt").GetDateTimeOffset().Should().Be(new DateTimeOffset(2026, 9, 8, 9, 15, 30, TimeSpan.FromHours(7)));

        var served = await (await teacher.GetAsync(response.Headers.Location)).Content.ReadAsByteArrayAsync();
        Encoding.Latin1.GetString(served).Should().NotContain("Exif").And.NotContain("http://ns.adobe.com/xap", "no EXIF nor XMP survives the re-encode");
        TestImages.HeaderMarkers(served).Should().NotContain(0xE1, "no APP1 segment (EXIF, GPS IFD, XMP) is written");
        ExifCapture.Read(served).Should().BeNull();
    }

    [Fact]
    public async Task A_capture_time_without_an_offset_is_Beijing_time_and_the_orientation_is_applied()
    {
        var records = await CountyAsync();
        var teacher = await records.County.As("teacher");
        // Orientation 6: the camera was held upright, so the 400×200 sensor picture is shown 200×400.
        var original = TestImages.WithExif(TestImages.Jpeg(400, 200, seed: 22), TestImages.CameraExif("2026:09:08 10:00:00", offset: null, orientation: 6));

        var response = await UploadAsync(teacher, await NewSessionAsync(), original);
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var dto = await response.ReadJsonAsync();
        dto.GetProperty("capturedAt").GetDateTimeOffset().Should().Be(new DateTimeOffset(2026, 9, 8, 10, 0, 0, TimeSpan.FromHours(8)));
        (dto.GetProperty("width").GetInt32(), dto.GetProperty("height").GetInt32()).Should().Be((200, 400));
        var served = await (await teacher.GetAsync(response.Headers.Location)).Content.ReadAsByteArrayAsync();
        TestImages.Probe(served).Should().Be((200, 400, SKEncodedImageFormat.Jpeg));
    }

    [Fact]
    public async Task A_program_renamed_jpg_is_not_an_image()
    {
        var records = await CountyAsync();
        var response = await UploadAsync(await records.County.As("teacher"), await NewSessionAsync(), TestImages.Exe(), "photo.jpg", "image/jpeg");
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var problem = await response.ReadJsonAsync();
        problem.GetProperty("code").GetString().Should().Be("not_an_image");
        problem.GetProperty("errors").GetProperty("file")[0].GetString().Should().Contain("JPEG");
    }

    [Fact]
    public async Task A_50_MB_body_is_refused_as_too_large()
    {
        var records = await CountyAsync();
        var huge = new byte[50 * 1024 * 1024];
        TestImages.Jpeg(64, 64).CopyTo(huge, 0);
        var response = await UploadAsync(await records.County.As("teacher"), await NewSessionAsync(), huge);
        response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        (await CodeOfAsync(response)).Should().Be("too_large");
    }

    [Fact]
    public async Task A_decompression_bomb_is_refused_from_its_header_before_it_is_decoded()
    {
        var records = await CountyAsync();
        var bomb = TestImages.PngBomb();
        bomb.Length.Should().BeLessThan(10_000, "a bomb is small on the wire");
        TestImages.Probe(bomb).Should().Be((50_000, 50_000, SKEncodedImageFormat.Png));

        var response = await UploadAsync(await records.County.As("teacher"), await NewSessionAsync(), bomb, "bomb.png", "image/png");
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await CodeOfAsync(response)).Should().Be("image_too_large");
    }

    [Fact]
    public async Task A_truncated_or_damaged_file_is_a_400_never_a_500()
    {
        var records = await CountyAsync();
        var teacher = await records.County.As("teacher");
        var session = await NewSessionAsync();
        var jpeg = TestImages.Jpeg(800, 600, seed: 23);
        foreach (var damaged in new[] { jpeg[..(jpeg.Length * 6 / 10)], jpeg[..600], jpeg[..3], TestImages.PngBomb(100)[..40] })
        {
            var response = await UploadAsync(teacher, session, damaged);
            response.StatusCode.Should().Be(HttpStatusCode.BadRequest, $"{damaged.Length} bytes: {await response.Content.ReadAsStringAsync()}");
            (await CodeOfAsync(response)).Should().Be("not_an_image");
        }
        var empty = await UploadAsync(teacher, session, []);
        empty.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task The_EXIF_reader_is_total_over_crafted_and_random_bytes()
    {
        var jpeg = TestImages.Jpeg(32, 32, seed: 24);
        var exif = TestImages.CameraExif("2026:09:08 09:15:30", "+07:00");
        ExifCapture.Read(TestImages.WithExif(jpeg, exif)).Should().NotBeNull();
        var random = new Random(7);
        for (var i = 0; i < 2000; i++)
        {
            var crafted = (byte[])exif.Clone();
            for (var j = 0; j < 1 + (i % 6); j++)
            {
                crafted[random.Next(crafted.Length)] = (byte)random.Next(256);
            }
            var cut = crafted[..random.Next(crafted.Length + 1)];
            FluentActions.Invoking(() => ExifCapture.Read(TestImages.WithExif(jpeg, crafted))).Should().NotThrow();
            FluentActions.Invoking(() => ExifCapture.Read(TestImages.WithExif(jpeg, cut))).Should().NotThrow();
            var noise = new byte[random.Next(64)];
            random.NextBytes(noise);
            FluentActions.Invoking(() => ExifCapture.Read([0xFF, 0xD8, .. noise])).Should().NotThrow();
        }
        // Offsets pointing past the end, a self-referencing directory and an absurd count answer "no time".
        ExifCapture.Read(TestImages.WithExif(jpeg, [(byte)'I', (byte)'I', 42, 0, 0xFF, 0xFF, 0xFF, 0x7F])).Should().BeNull();
        ExifCapture.Read(TestImages.WithExif(jpeg, [(byte)'I', (byte)'I', 42, 0, 8, 0, 0, 0, 0xFF, 0xFF])).Should().BeNull();
    }

    [Fact]
    public async Task Another_countys_teacher_is_answered_404_whatever_they_send()
    {
        var records = await CountyAsync();
        var other = await (await _factory.OtherCountyAsync()).As("teacher");
        var session = await NewSessionAsync();
        foreach (var bytes in new[] { TestImages.Jpeg(64, 64, seed: 25), TestImages.Exe() })
        {
            (await UploadAsync(other, session, bytes)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        }
        var id = await UploadedAsync(await records.County.As("teacher"), session, TestImages.Jpeg(64, 64, seed: 26));
        (await other.GetAsync(new Uri($"/api/photos/{id}", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.NotFound);
        var otherAuditor = await (await _factory.OtherCountyAsync()).As("auditor");
        (await otherAuditor.GetAsync(new Uri($"/api/photos/{id}", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_teacher_not_on_the_team_may_not_upload_and_a_role_that_records_nothing_is_refused()
    {
        var records = await CountyAsync();
        var response = await UploadAsync(await records.County.As("teacher"), records.TheirSession, TestImages.Jpeg(64, 64, seed: 27));
        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await CodeOfAsync(response)).Should().Be("not_your_session");
        (await UploadAsync(await records.County.As("coordinator"), records.TheirSession, TestImages.Jpeg(64, 64, seed: 27))).StatusCode
            .Should().Be(HttpStatusCode.Forbidden, "another school's child is not the coordinator's to record");
        foreach (var role in new[] { "auditor", "approver", "admin" })
        {
            (await UploadAsync(await records.County.As(role), await NewSessionAsync(), TestImages.Jpeg(64, 64, seed: 27))).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        }
        (await UploadAsync(await records.County.As("teacher"), "no-such-session", TestImages.Jpeg(64, 64, seed: 27))).StatusCode.Should().Be(HttpStatusCode.NotFound);
        using var scope = _factory.Services.CreateScope();
        (await scope.ServiceProvider.GetRequiredService<AppDbContext>().VisitPhotos.CountAsync(p => p.SessionKey == records.TheirSession)).Should().Be(0);
    }

    [Fact]
    public async Task An_auditor_and_the_childs_coordinator_may_see_a_photo_but_a_teacher_of_another_child_may_not()
    {
        var records = await CountyAsync();
        var id = await UploadedAsync(await records.County.As("teacher"), await NewSessionAsync(), TestImages.Jpeg(64, 64, seed: 28));
        var uri = new Uri($"/api/photos/{id}", UriKind.Relative);
        (await (await records.County.As("auditor")).GetAsync(uri)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await (await records.County.As("coordinator")).GetAsync(uri)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await (await records.County.As("approver")).GetAsync(uri)).StatusCode.Should().Be(HttpStatusCode.OK);

        var stranger = await _factory.ClientAsAsync(await TeacherOfAnotherChildAsync(records));
        (await stranger.GetAsync(uri)).StatusCode.Should().Be(HttpStatusCode.NotFound, "a teacher sees only the children of their own sessions");
        (await stranger.GetAsync(new Uri($"/api/photos/{Guid.NewGuid()}", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.NotFound);

        using var scope = _factory.Services.CreateScope();
        var audit = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Audit.AsNoTracking()
            .Where(a => a.ObjectType == "VisitPhoto" && a.ObjectId == id.ToString() && a.Action == "viewed").ToListAsync();
        audit.Select(a => a.Actor).Should().Contain([records.County.Accounts["auditor"], records.County.Accounts["coordinator"]], "every view is on the trail");
        audit.Should().OnlyContain(a => !a.Summary.Contains("吴某某"), "the trail names no child");
    }

    [Fact]
    public async Task A_teacher_proposed_for_the_child_in_a_draft_timetable_does_not_see_its_photos_yet()
    {
        var records = await CountyAsync();
        var id = await UploadedAsync(await records.County.As("teacher"), await NewSessionAsync(), TestImages.Jpeg(40, 40, seed: 33));
        var stranger = await TeacherOfAnotherChildAsync(records);
        using (var scope = _factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var staff = await db.Users.Where(u => u.UserName == stranger).Select(u => u.StaffId).SingleAsync();
            var run = new TimetableRun { CountyCode = records.County.Code, TermId = records.County.Term, StartedBy = "approver", CreatedAt = DateTimeOffset.UnixEpoch, Status = RunStatus.Succeeded };
            var draft = new Timetable { CountyCode = records.County.Code, TermId = records.County.Term, RunId = run.Id, CreatedAt = DateTimeOffset.UnixEpoch, TemplateJson = "{}", ScenarioJson = "{}", Status = TimetableStatus.Draft };
            db.Runs.Add(run);
            db.Timetables.Add(draft);
            db.Sessions.Add(new TimetableSession
            {
                TimetableId = draft.Id, SessionKey = $"{records.Ours}:home:draft:2026-W38", StudentId = records.Ours, Mode = SessionModes.Home, Week = "2026-W38",
                Date = new DateOnly(2026, 9, 15), Start = new TimeOnly(9, 0), End = new TimeOnly(10, 20), StaffIds = [staff!.Value.Value],
            });
            await db.SaveChangesAsync();
        }
        (await (await _factory.ClientAsAsync(stranger)).GetAsync(new Uri($"/api/photos/{id}", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    private static int _strangers;

    /// <summary>A teacher account of another staff member, who teaches a session of another child only.</summary>
    private async Task<string> TeacherOfAnotherChildAsync(RecordsCounty records)
    {
        using var scope = _factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var staff = new Staff
        {
            Id = StaffId.New(), CountyCode = records.County.Code, SchoolId = records.County.School, Department = Department.Education, Name = "陈老师",
            BaseName = "特殊教育学校", MaxSessionsPerWeek = 8,
        };
        db.Staff.Add(staff);
        await db.SaveChangesAsync();
        await VisitSeeds.AddSessionAsync(records.County, records.County.Eligible, new DateOnly(2026, 9, 9), staff.Id);
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var name = $"teacher-photo-{Interlocked.Increment(ref _strangers)}-{records.County.Code}";
        var user = new AppUser { UserName = name, CountyCode = records.County.Code, DisplayName = name, StaffId = staff.Id };
        (await users.CreateAsync(user, ServiceFactory.Password)).Succeeded.Should().BeTrue();
        (await users.AddToRoleAsync(user, Roles.Teacher)).Succeeded.Should().BeTrue();
        return name;
    }

    [Fact]
    public async Task The_same_photo_twice_is_one_file_on_disk()
    {
        var records = await CountyAsync();
        var teacher = await records.County.As("teacher");
        var session = await NewSessionAsync();
        var bytes = TestImages.Jpeg(300, 200, seed: 29);
        var first = await UploadedAsync(teacher, session, bytes);
        var second = await UploadedAsync(teacher, session, bytes);
        first.Should().NotBe(second, "each upload is its own row on the record");

        using var scope = _factory.Services.CreateScope();
        var rows = await scope.ServiceProvider.GetRequiredService<AppDbContext>().VisitPhotos.AsNoTracking().Where(p => p.Id == first || p.Id == second).ToListAsync();
        rows.Select(r => r.Sha256).Distinct().Should().ContainSingle();
        var sha = rows[0].Sha256;
        sha.Should().MatchRegex("^[0-9a-f]{64}$");
        var folder = Path.Combine(PhotoRoot(), sha[..2]);
        Directory.GetFiles(folder).Where(f => Path.GetFileName(f).StartsWith(sha, StringComparison.Ordinal)).Should().Equal(Path.Combine(folder, sha + ".jpg"));
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(folder, sha + ".jpg")))).Should().Be(sha);
        Directory.GetFiles(PhotoRoot(), "*.tmp", SearchOption.AllDirectories).Should().BeEmpty();
    }

    [Fact]
    public async Task A_session_takes_at_most_ten_uploads()
    {
        var records = await CountyAsync();
        var teacher = await records.County.As("teacher");
        var session = await NewSessionAsync();
        for (var i = 0; i < VisitPhotos.MaxPerSession; i++)
        {
            await UploadedAsync(teacher, session, TestImages.Jpeg(16, 16, seed: 100 + i));
        }
        var response = await UploadAsync(teacher, session, TestImages.Jpeg(16, 16, seed: 200));
        response.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await CodeOfAsync(response)).Should().Be("too_many_photos");
    }

    [Fact]
    public async Task A_photo_whose_file_is_gone_is_a_404_photo_missing_not_a_500()
    {
        var records = await CountyAsync();
        var teacher = await records.County.As("teacher");
        var id = await UploadedAsync(teacher, await NewSessionAsync(), TestImages.Jpeg(64, 48, seed: 30));
        using (var scope = _factory.Services.CreateScope())
        {
            var sha = await scope.ServiceProvider.GetRequiredService<AppDbContext>().VisitPhotos.Where(p => p.Id == id).Select(p => p.Sha256).SingleAsync();
            File.Delete(Path.Combine(PhotoRoot(), sha[..2], sha + ".jpg"));
        }
        var response = await teacher.GetAsync(new Uri($"/api/photos/{id}", UriKind.Relative));
        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await CodeOfAsync(response)).Should().Be("photo_missing");
    }

    [Fact]
    public async Task A_pages_posted_file_is_read_for_the_use_case_within_the_same_limit()
    {
        static Microsoft.AspNetCore.Http.FormFile FileOf(byte[] bytes) => new(new MemoryStream(bytes), 0, bytes.Length, "file", "photo.jpg");
        var jpeg = TestImages.Jpeg(32, 32, seed: 32);
        (await VisitPhotos.UploadOf(FileOf(jpeg), CancellationToken.None)).Value.Content.Should().Equal(jpeg);
        (await VisitPhotos.UploadOf(null, CancellationToken.None)).Refusal!.Errors.Should().ContainSingle(e => e.Code == "file" && e.Message == VisitPhotos.Missing);
        (await VisitPhotos.UploadOf(FileOf(new byte[VisitPhotos.MaxBytes + 1]), CancellationToken.None)).Refusal!.Status.Should().Be(413);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    private async Task<HttpClient> SignedInAsync(string userName)
    {
        var client = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var token = TokenField().Match(await client.GetStringAsync(new Uri("/login", UriKind.Relative))).Groups[1].Value;
        var response = await client.PostAsync(new Uri("/login", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = userName, ["Password"] = ServiceFactory.Password, ["__RequestVerificationToken"] = token,
        }));
        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        return client;
    }

    [Fact]
    public async Task The_page_route_serves_the_photo_to_a_signed_in_user_who_may_see_the_child()
    {
        var records = await CountyAsync();
        var id = await UploadedAsync(await records.County.As("teacher"), await NewSessionAsync(), TestImages.Jpeg(64, 48, seed: 31));
        var page = new Uri($"/photos/{id}", UriKind.Relative);

        foreach (var role in new[] { "teacher", "auditor", "coordinator" })
        {
            var served = await (await SignedInAsync(records.County.Accounts[role])).GetAsync(page);
            served.StatusCode.Should().Be(HttpStatusCode.OK, role);
            served.Content.Headers.ContentType!.MediaType.Should().Be("image/jpeg");
            served.Headers.CacheControl!.ToString().Should().Contain("no-store");
            TestImages.Probe(await served.Content.ReadAsByteArrayAsync()).Should().Be((64, 48, SKEncodedImageFormat.Jpeg));
        }
        var stranger = await SignedInAsync(await TeacherOfAnotherChildAsync(records));
        (await stranger.GetAsync(page)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        var otherAuditor = await SignedInAsync((await _factory.OtherCountyAsync()).Accounts["auditor"]);
        (await otherAuditor.GetAsync(page)).StatusCode.Should().Be(HttpStatusCode.NotFound);

        var anonymous = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var answer = await anonymous.GetAsync(page);
        answer.StatusCode.Should().Be(HttpStatusCode.Redirect);
        answer.Headers.Location!.ToString().Should().Contain("/login");
        (await (await SignedInAsync(records.County.Accounts["teacher"])).GetAsync(new Uri($"/api/photos/{id}", UriKind.Relative))).StatusCode
            .Should().Be(HttpStatusCode.Unauthorized, "a cookie never authorises the API");
    }
}
