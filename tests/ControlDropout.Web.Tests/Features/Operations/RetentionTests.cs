using System.Net.Http.Json;
using System.Text.Json;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Audit;
using ControlDropout.Web.Features.Operations;
using ControlDropout.Web.Features.Visits;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlDropout.Web.Tests.Features.Operations;

/// <summary>PIPL retention: children who left more than five years ago are anonymised; the past term's ledger keeps its counts.</summary>
public sealed class RetentionTests : IClassFixture<ServiceFactory>
{
    private const string GuardianPhone = "13912345678";
    private const string IdCard = "530902201403020021";

    private readonly ServiceFactory _factory;

    public RetentionTests(ServiceFactory factory) => _factory = factory;

    /// <summary>A child of spring 2021 with everything personal a child can have, who left on <paramref name="leftOn"/>.</summary>
    private async Task<StudentId> LeftChildAsync(TestCounty county, TermId term, string name, DateOnly leftOn, string photoSha)
    {
        using var scope = _factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var document = new StoredDocument
        {
            CountyCode = county.Code, Sha256 = photoSha, FileName = "评估报告.pdf", ContentType = "application/pdf", Content = [1, 2, 3],
            UploadedBy = "admin", UploadedAt = DateTimeOffset.UnixEpoch,
        };
        db.Documents.Add(document);
        var child = new Student
        {
            Id = StudentId.New(), CountyCode = county.Code, SchoolOfRecordId = county.School, Name = name, Gender = "女", BirthDate = new DateOnly(2010, 3, 2),
            DisabilityCategory = DisabilityCategory.Physical, DisabilityGrade = 1, DisabilityCertificateNo = "53090220100302002X41", IdCardNo = IdCard,
            NationalStudentNo = "G530902201003020021", VillageCode = county.Code + "101201", HomeLat = 23.8, HomeLon = 100.1,
            Guardians = [new Guardian { Name = "陈大妈", Relation = "母亲", Phone = GuardianPhone }], Status = StudentStatus.Left, LeftOn = leftOn,
        };
        child.Assessments.Add(new Assessment { StudentId = child.Id, Date = new DateOnly(2021, 2, 1), Conclusion = AssessmentConclusion.HomeTeaching, Note = "家住陈家寨", ReportDocumentId = document.Id });
        db.Students.Add(child);
        db.Exits.Add(new StudentExit { StudentId = child.Id, CountyCode = county.Code, Kind = ExitKind.Other, LastDay = leftOn, Reason = "迁居", RecordedBy = "admin", RecordedAt = DateTimeOffset.UnixEpoch });
        var plan = new Plan { Id = PlanId.New(), StudentId = child.Id, TermId = term, CountyCode = county.Code, SchoolId = county.School };
        plan.Versions.Add(new PlanVersion
        {
            PlanId = plan.Id, Number = 1, Status = PlanStatus.Active, CreatedBy = "coordinator", CreatedAt = DateTimeOffset.UnixEpoch, HomeVisitsPerWeek = 1, LessonsPerVisit = 2,
            TeamSize = 1, Goals = ["能独立抓握勺子"], DecidedBy = "approver", DecidedAt = new DateTimeOffset(2021, 2, 20, 2, 0, 0, TimeSpan.Zero),
        });
        db.Plans.Add(plan);
        var run = new TimetableRun { CountyCode = county.Code, TermId = term, StartedBy = "approver", CreatedAt = DateTimeOffset.UnixEpoch, Status = RunStatus.Succeeded };
        var timetable = new Timetable { CountyCode = county.Code, TermId = term, RunId = run.Id, CreatedAt = DateTimeOffset.UnixEpoch, TemplateJson = "{}", ScenarioJson = "{}", Status = TimetableStatus.Published };
        db.Runs.Add(run);
        db.Timetables.Add(timetable);
        for (var week = 0; week < 3; week++)
        {
            var date = new DateOnly(2021, 3, 2).AddDays(7 * week);
            var session = new TimetableSession
            {
                TimetableId = timetable.Id, SessionKey = $"{child.Id}:home:0:{week}", StudentId = child.Id, Mode = SessionModes.Home, Week = ControlDropout.Web.Features.Calendar.TermCalendar.IsoWeekName(date),
                Date = date, Start = new TimeOnly(9, 0), End = new TimeOnly(10, 20), StaffIds = [county.Teacher.Value],
            };
            db.Sessions.Add(session);
            // Two of the three visits recorded, with the guardian's signed name; the third is missed.
            if (week < 2)
            {
                db.Visits.Add(new VisitRecord
                {
                    CountyCode = county.Code, SessionKey = session.SessionKey, StudentId = child.Id, Version = 1, Date = date, Start = session.Start, End = session.End,
                    StaffPresent = [county.Teacher.Value], Mode = SessionModes.Home, Content = "练习抓握", GoalsAddressed = ["能独立抓握勺子"], GuardianName = "陈大妈",
                    RecordedBy = "teacher", RecordedAt = new DateTimeOffset(date.ToDateTime(new TimeOnly(4, 0)), TimeSpan.Zero),
                });
            }
        }
        db.VisitPhotos.Add(new VisitPhoto
        {
            CountyCode = county.Code, SessionKey = $"{child.Id}:home:0:0", StudentId = child.Id, Sha256 = photoSha, ContentType = "image/jpeg", Width = 1, Height = 1, Length = 3,
            UploadedBy = "teacher", UploadedAt = DateTimeOffset.UnixEpoch,
        });
        await db.SaveChangesAsync();
        var path = scope.ServiceProvider.GetRequiredService<VisitPhotos>().PathOf(photoSha);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, [1, 2, 3]);
        return child.Id;
    }

    private static string Sha(char c) => new(c, 64);

    [Fact]
    public async Task Children_who_left_more_than_five_years_ago_are_anonymised_once_the_ledger_keeps_its_counts_and_the_chain_verifies()
    {
        var county = await _factory.LincangAsync();
        var term = new Term { Id = TermId.New(), CountyCode = county.Code, Name = "2021年春季学期", FirstDay = new DateOnly(2021, 3, 1), LastDay = new DateOnly(2021, 7, 9) };
        using (var scope = _factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.Terms.Add(term);
            await db.SaveChangesAsync();
        }
        // Today is 7 September 2026: five years back is 7 September 2021.
        var old = await LeftChildAsync(county, term.Id, "陈小花", new DateOnly(2021, 7, 9), Sha('a'));
        var recent = await LeftChildAsync(county, term.Id, "林小草", new DateOnly(2022, 1, 14), Sha('b'));
        var approver = await county.As("approver");
        async Task<List<Dictionary<string, string>>> Ledger() =>
            (await approver.GetFromJsonAsync<List<Dictionary<string, string>>>($"/api/ledger?termId={term.Id}&format=json"))!.OrderBy(r => r["出生日期"] + r["姓名"], StringComparer.Ordinal).ToList();
        static IEnumerable<string> Counts(Dictionary<string, string> row) => new[] { "本学期计划次数", "已送次数", "缺送次数", "累计课时" }.Select(c => row[c]);
        var before = await Ledger();
        before.Should().HaveCount(2);
        before.SelectMany(Counts).Should().Contain(c => c != "0", "the past term has sessions and records to count");

        int anonymised;
        using (var scope = _factory.Services.CreateScope())
        {
            anonymised = await scope.ServiceProvider.GetRequiredService<Retention>().RunAsync(CancellationToken.None);
        }

        anonymised.Should().Be(1);
        using (var scope = _factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var gone = await db.Students.AsNoTracking().Include(s => s.Assessments).SingleAsync(s => s.Id == old);
            gone.Name.Should().Be(Retention.AnonymousName);
            (gone.IdCardNo, gone.DisabilityCertificateNo, gone.NationalStudentNo).Should().Be(("", "", ""));
            gone.Guardians.Should().BeEmpty();
            (gone.HomeLat, gone.HomeLon).Should().Be((0, 0));
            gone.BirthDate.Should().Be(new DateOnly(2010, 1, 1));
            gone.Assessments.Should().OnlyContain(a => a.ReportDocumentId == null && a.Note == "");
            (await db.Documents.CountAsync(d => d.Sha256 == Sha('a'))).Should().Be(0);
            (await db.VisitPhotos.CountAsync(p => p.StudentId == old)).Should().Be(0);
            (await db.Visits.Where(v => v.StudentId == old).Select(v => v.GuardianName).ToListAsync()).Should().HaveCount(2).And.OnlyContain(n => n == "");
            var photos = scope.ServiceProvider.GetRequiredService<VisitPhotos>();
            File.Exists(photos.PathOf(Sha('a'))).Should().BeFalse();
            File.Exists(photos.PathOf(Sha('b'))).Should().BeTrue();

            var kept = await db.Students.AsNoTracking().SingleAsync(s => s.Id == recent);
            (kept.Name, kept.IdCardNo, kept.Guardians.Single().Phone).Should().Be(("林小草", IdCard, GuardianPhone));
            (await db.Students.AsNoTracking().SingleAsync(s => s.Id == county.Eligible)).Name.Should().Be("张某某");

            var events = await db.Audit.AsNoTracking().Where(e => e.Action == Retention.EventAction).ToListAsync();
            events.Should().ContainSingle().Which.Should().Match<AuditEntry>(e => e.ObjectId == old.Value.ToString() && e.CountyCode == county.Code);
            var trail = await db.Audit.AsNoTracking().Select(e => e.Summary + " " + e.ObjectId).ToListAsync();
            trail.Should().NotContain(s => s.Contains("陈小花") || s.Contains(GuardianPhone) || s.Contains(IdCard) || s.Contains("陈大妈"));
            (await AuditQueries.VerifyChainAsync(db, CancellationToken.None)).Intact.Should().BeTrue();
        }

        var after = await Ledger();
        after.Select(r => Counts(r).ToList()).Should().BeEquivalentTo(before.Select(r => Counts(r).ToList()));
        after.Select(r => r["姓名"]).Should().Contain(Retention.AnonymousName).And.Contain("林小草");

        // Idempotent: a second run finds nobody and writes nothing.
        using (var scope = _factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var auditBefore = await db.Audit.CountAsync();
            (await scope.ServiceProvider.GetRequiredService<Retention>().RunAsync(CancellationToken.None)).Should().Be(0);
            (await db.Audit.CountAsync()).Should().Be(auditBefore);
        }
    }
}
