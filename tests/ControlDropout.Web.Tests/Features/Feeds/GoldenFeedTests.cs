using System.Text;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Feeds;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;

namespace ControlDropout.Web.Tests.Features.Feeds;

/// <summary>
/// One feed built from fixed data on a fixed clock must equal the golden file byte for byte, so that
/// any change to what calendar apps receive is a reviewed change. To accept a deliberate change, run
/// with CONTROLDROPOUT_WRITE_GOLDEN=1 and review the diff of the golden file.
/// </summary>
public sealed class GoldenFeedTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;

    public GoldenFeedTests(ServiceFactory factory) => _factory = factory;

    [Fact]
    public async Task A_fixed_week_gives_the_golden_feed()
    {
        _factory.CreateClient().Dispose();
        using var scope = _factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var staff = new Staff
        {
            Id = new StaffId(Guid.Parse("01900000-0000-7000-8000-000000000001")), CountyCode = "530902", Department = Department.Education, Name = "李老师",
            BaseName = "临翔区特殊教育学校", BaseLat = 23.8868, BaseLon = 100.0925, MaxSessionsPerWeek = 8, CanTeachRemotely = true, FeedReminderMinutes = 60,
        };
        var child = new Student
        {
            Id = new StudentId(Guid.Parse("01900000-0000-7000-8000-000000000002")), CountyCode = "530902", SchoolOfRecordId = new SchoolId(Guid.Parse("01900000-0000-7000-8000-000000000003")),
            Name = "张小明", Gender = "男", BirthDate = new DateOnly(2016, 3, 2), DisabilityCategory = DisabilityCategory.Intellectual, DisabilityGrade = 1,
            VillageCode = "530902102201", HomeLat = 23.76123, HomeLon = 100.15344,
            Guardians = [new Guardian { Name = "张某", Relation = "母亲", Phone = "13800001234" }],
        };
        db.Townships.Add(new Township { Code = "530902102", CountyCode = "530902", Name = "博尚镇" });
        db.Villages.Add(new Village { Code = "530902102201", TownshipCode = "530902102", Name = "勐准村委会" });
        db.Staff.Add(staff);
        db.Students.Add(child);
        var term = new Term { Id = new TermId(Guid.Parse("01900000-0000-7000-8000-000000000004")), CountyCode = "530902", Name = "2026年秋季学期", FirstDay = new DateOnly(2026, 9, 1), LastDay = new DateOnly(2026, 12, 31) };
        db.Terms.Add(term);
        var timetable = new Domain.Timetable
        {
            Id = Guid.Parse("01900000-0000-7000-8000-000000000005"), CountyCode = "530902", TermId = term.Id, RunId = Guid.Empty, Status = Domain.TimetableStatus.Published,
            CreatedAt = new DateTimeOffset(2026, 8, 30, 2, 0, 0, TimeSpan.Zero), TemplateJson = "{}", ScenarioJson = "{}",
        };
        var changed = new DateTimeOffset(2026, 8, 30, 2, 0, 0, TimeSpan.Zero);
        timetable.Sessions.Add(new TimetableSession
        {
            TimetableId = timetable.Id, SessionKey = $"{child.Id}:home:0:2026-W37", StudentId = child.Id, Mode = "home", Week = "2026-W37",
            Date = new DateOnly(2026, 9, 8), Start = new TimeOnly(9, 30), End = new TimeOnly(10, 50), StaffIds = [staff.Id.Value], ChangedAt = changed,
        });
        timetable.Sessions.Add(new TimetableSession
        {
            TimetableId = timetable.Id, SessionKey = $"{child.Id}:home:0:2026-W38", StudentId = child.Id, Mode = "home", Week = "2026-W38",
            Date = new DateOnly(2026, 9, 16), Start = new TimeOnly(14, 0), End = new TimeOnly(15, 20), StaffIds = [staff.Id.Value],
            Sequence = 1, ChangedAt = changed.AddDays(3), MovedBecause = "中秋节, 调休; 另行安排",
        });
        timetable.Sessions.Add(new TimetableSession
        {
            TimetableId = timetable.Id, SessionKey = $"{child.Id}:home:0:2026-W39", StudentId = child.Id, Mode = "home", Week = "2026-W39",
            Date = new DateOnly(2026, 9, 22), Start = new TimeOnly(9, 30), End = new TimeOnly(10, 50), StaffIds = [staff.Id.Value],
            Status = SessionStatus.Cancelled, Sequence = 2, ChangedAt = changed.AddDays(5),
        });
        db.Timetables.Add(timetable);
        await db.SaveChangesAsync();

        var feed = await scope.ServiceProvider.GetRequiredService<FeedBuilder>().BuildAsync(staff, "https://songjiao.example", CancellationToken.None);

        var text = Encoding.UTF8.GetString(feed.Bytes);
        var golden = Path.Combine(AppContext.BaseDirectory, "Features", "Feeds", "Golden", "teacher-week.ics");
        if (Environment.GetEnvironmentVariable("CONTROLDROPOUT_WRITE_GOLDEN") == "1")
        {
            var source = Path.Combine(IcalJs.Folder, "..", "ControlDropout.Web.Tests", "Features", "Feeds", "Golden", "teacher-week.ics");
            await File.WriteAllBytesAsync(source, feed.Bytes);
        }
        text.Should().Be(await File.ReadAllTextAsync(golden, Encoding.UTF8));
        // Thunderbird's parser reads it too, with each start where it was published.
        var parsed = (await IcalJs.ReadAsync(golden)).GetProperty(golden).EnumerateArray().Select(e => e.GetProperty("start").GetString()).ToList();
        parsed.Should().Equal("2026-09-08T09:30", "2026-09-16T14:00", "2026-09-22T09:30");
        text.Should().NotContain("张小明").And.Contain("张同学").And.NotContain("13800001234");
        text.Should().Contain("SUMMARY:[已取消] 送教上门 · 张同学").And.Contain("STATUS:CANCELLED").And.Contain("BEGIN:VALARM");
    }
}
