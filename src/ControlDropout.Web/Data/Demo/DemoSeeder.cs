using System.Globalization;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Timetables;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace ControlDropout.Web.Data.Demo;

/// <summary>
/// Seeds a demo county on an empty database: real 临翔区 township and village names from
/// <c>data/lincang-places.csv</c> (行政区划数据 © Vonng/adcode, CC BY 4.0), synthetic children and homes
/// (scattered 1–12 km from a township point, never a real address), staff, approved plans, and a
/// published timetable for the current term. Demo users share one demo-only password.
/// </summary>
public sealed class DemoSeeder(AppDbContext db, UserManager<AppUser> users, RunWorker worker, TimeProvider clock)
{
    public const string CountyCode = "530902";
    public const string DefaultPassword = "ControlDropout-demo-2026";
    public static readonly string[] DemoUsers = ["admin", "approver", "coordinator", "teacher", "auditor"];

    private static readonly string[] Surnames = ["李", "王", "张", "杨", "赵", "陈", "刘", "罗", "段", "字", "鲁", "俸", "周", "田", "尹", "魏"];

    /// <summary>The demo's expert committee (synthetic names).</summary>
    private static readonly List<string> CommitteeMembers = ["李某（特教）", "王某（康复）", "张某（医生）"];

    /// <summary>A synthetic 身份证号 of the county's place code, the child's birth date and gender, with a right check digit.</summary>
    private static string SyntheticIdCard(Student child, Random rng) =>
        ControlDropout.Web.Features.People.IdentityNumbers.Compose(CountyCode, child.BirthDate, 2 * rng.Next(450) + (child.Gender == "男" ? 1 : 0));

    /// <summary>True when it seeded; false when the database already had a county.</summary>
    public async Task<bool> SeedAsync(string password, CancellationToken ct)
    {
        if (await db.Counties.AnyAsync(ct).ConfigureAwait(false))
        {
            return false;
        }
        var rng = new Random(20260901);
        var places = CountyPlaces.Read(CountyCode) ?? throw new InvalidOperationException($"{CountyPlaces.FileName} has no county {CountyCode}");
        db.Counties.Add(new County { Code = CountyCode, Name = places.CountyName });
        var towns = places.Townships;
        db.Townships.AddRange(towns);
        db.Villages.AddRange(places.Villages);
        // The demo county asks for the family's confirmation and a check-in (issue 14): records without them show no_evidence.
        var policy = CountyPolicy.LincangDefault(CountyCode);
        (policy.RequireGuardianConfirmation, policy.RequireCheckIn) = (true, true);
        db.Policies.Add(policy);

        var located = towns.Where(t => t.Lat is not null).ToList();
        var special = new School { Id = SchoolId.New(), CountyCode = CountyCode, TownshipCode = located[0].Code, Name = "临翔区特殊教育学校", Kind = SchoolKind.Special, Lat = places.Lat!.Value, Lon = places.Lon!.Value };
        db.Schools.Add(special);
        var townSchools = located.Take(4).Select(t => new School { Id = SchoolId.New(), CountyCode = CountyCode, TownshipCode = t.Code, Name = t.Name + "中心学校", Kind = SchoolKind.Regular, Lat = t.Lat!.Value, Lon = t.Lon!.Value }).ToList();
        db.Schools.AddRange(townSchools);

        var weekdays = Enumerable.Range(1, 5).ToList();
        var staff = new List<Staff>();
        for (var i = 0; i < 8; i++)
        {
            var atSpecial = i < 4;
            var school = atSpecial ? special : townSchools[i % townSchools.Count];
            var department = i == 6 ? Department.Health : i == 7 ? Department.DisabledPersonsFederation : Department.Education;
            staff.Add(new Staff
            {
                Id = StaffId.New(), CountyCode = CountyCode, SchoolId = school.Id, Department = department,
                Name = $"{Surnames[rng.Next(Surnames.Length)]}老师", BaseName = school.Name, BaseLat = school.Lat, BaseLon = school.Lon,
                Skills = department == Department.Health ? ["medical", "rehabilitation"] : atSpecial && i % 2 == 0 ? ["special-education", "rehabilitation"] : ["special-education"],
                Availability = [.. weekdays.Where(d => atSpecial || (d + i) % 2 == 0 || d == 3).Select(d => new WeeklyWindow { Day = d, From = new TimeOnly(8, 0), To = new TimeOnly(18, 0) })],
                MaxSessionsPerWeek = atSpecial ? 8 : 5, MaxAwayMinutesPerDay = 600, CanTeachRemotely = i != 7,
            });
        }
        db.Staff.AddRange(staff);

        var today = Conventions.ChinaDay(clock.GetUtcNow());
        var term = CurrentTerm(today);
        db.Terms.Add(term);
        // A week before the term: when its plans were approved and its timetable published (never in the future).
        var termStarts = new DateTimeOffset(term.FirstDay.ToDateTime(new TimeOnly(10, 0)), Conventions.ChinaOffset).AddDays(-7);
        var beforeTerm = termStarts < clock.GetUtcNow() ? termStarts : clock.GetUtcNow();

        for (var i = 0; i < 24; i++)
        {
            var town = located[rng.Next(located.Count)];
            var (lat, lon) = ControlDropout.Scheduling.Travel.TravelTimes.Destination(town.Lat!.Value, town.Lon!.Value, 1 + rng.NextDouble() * 11, rng.NextDouble() * 2 * Math.PI);
            var villages = places.Villages.Where(v => v.TownshipCode == town.Code).ToList();
            var child = new Student
            {
                Id = StudentId.New(), CountyCode = CountyCode, SchoolOfRecordId = townSchools[i % townSchools.Count].Id,
                Name = $"{Surnames[rng.Next(Surnames.Length)]}某某", Gender = i % 2 == 0 ? "男" : "女", Ethnicity = i % 3 == 0 ? "佤族" : "汉族",
                BirthDate = new DateOnly(2011 + rng.Next(8), 1 + rng.Next(12), 1 + rng.Next(28)),
                DisabilityCategory = (DisabilityCategory)rng.Next(7), DisabilityGrade = 1 + rng.Next(2),
                // Synthetic numbers in the official shapes: never a real person's.
                DisabilityCertificateNo = $"530902{2011 + i % 8}{rng.Next(1000000, 9999999)}{1 + rng.Next(7)}{1 + rng.Next(2)}",
                NationalStudentNo = $"G530902{rng.Next(10000000, 99999999)}{rng.Next(100, 999)}",
                DisabilityRegisteredOn = term.FirstDay.AddDays(-400 - rng.Next(700)),
                VillageCode = villages.Count > 0 ? villages[rng.Next(villages.Count)].Code : town.Code + "000",
                HomeLat = Math.Round(lat, 5), HomeLon = Math.Round(lon, 5),
                Guardians = [new Guardian { Name = $"{Surnames[rng.Next(Surnames.Length)]}某", Relation = i % 2 == 0 ? "母亲" : "父亲", Phone = $"1390000{rng.Next(1000, 9999)}" }],
            };
            child.Assessments.Add(new Assessment
            {
                StudentId = child.Id, Date = term.FirstDay.AddDays(-60), Conclusion = i % 6 == 5 ? AssessmentConclusion.RemoteTeaching : AssessmentConclusion.HomeTeaching,
                DocumentNo = $"临翔教专评〔{term.FirstDay.Year}〕{i + 1}号", Members = CommitteeMembers, RecordedBy = "coordinator",
            });
            child.IdCardNo = SyntheticIdCard(child, rng);
            db.Students.Add(child);
            // Approved before the term began: in force from its first day.
            var plan = new Plan { Id = PlanId.New(), StudentId = child.Id, TermId = term.Id, CountyCode = CountyCode, SchoolId = child.SchoolOfRecordId, EffectiveFrom = term.FirstDay };
            var remote = i % 6 == 5;
            plan.Versions.Add(new PlanVersion
            {
                PlanId = plan.Id, Number = 1, Status = PlanStatus.Active, CreatedBy = "coordinator", CreatedAt = beforeTerm.AddDays(-5),
                SubmittedBy = "coordinator", SubmittedAt = beforeTerm.AddDays(-4), DecidedBy = "approver", DecidedAt = beforeTerm, Opinion = "同意",
                CoursePlan = "生活适应、沟通与交往、康复训练", Content = "认识日常用品；练习抓握与进食；简单指令理解", Goals = ["能独立用勺进食", "能回应自己的名字"],
                Mode = remote ? TeachingMode.Remote : TeachingMode.Home, HomeVisitsPerWeek = remote ? 0 : (i % 5 == 0 ? 2 : 1), RemoteSessionsPerWeek = remote ? 1 : 0,
                LessonsPerVisit = 2, TeamSize = 1, RequiredSkills = ["special-education"],
                Windows = [.. weekdays.Where(d => (d + i) % 3 != 0).Select(d => new WeeklyWindow { Day = d, From = new TimeOnly(9, 0), To = new TimeOnly(16, 30) })],
            });
            db.Plans.Add(plan);
        }
        // Three more children whose plans the coordinator has just submitted: the approver's queue is not empty.
        for (var i = 0; i < 3; i++)
        {
            var town = located[rng.Next(located.Count)];
            var child = new Student
            {
                Id = StudentId.New(), CountyCode = CountyCode, SchoolOfRecordId = special.Id, Name = $"{Surnames[rng.Next(Surnames.Length)]}某某", Gender = i % 2 == 0 ? "女" : "男",
                Ethnicity = "汉族", BirthDate = new DateOnly(2014 + i, 3 + i, 10), DisabilityCategory = DisabilityCategory.Multiple, DisabilityGrade = i == 2 ? 3 : 1,
                DisabilityCertificateNo = $"530902{2014 + i}{rng.Next(1000000, 9999999)}71", NationalStudentNo = $"G530902{rng.Next(10000000, 99999999)}{rng.Next(100, 999)}",
                DisabilityRegisteredOn = term.FirstDay.AddDays(-200),
                VillageCode = town.Code + "000", HomeLat = town.Lat!.Value + 0.02, HomeLon = town.Lon!.Value + 0.02,
                Guardians = [new Guardian { Name = $"{Surnames[rng.Next(Surnames.Length)]}某", Relation = "母亲", Phone = $"1390000{rng.Next(1000, 9999)}" }],
            };
            child.Assessments.Add(new Assessment
            {
                StudentId = child.Id, Date = term.FirstDay.AddDays(-30), Conclusion = AssessmentConclusion.HomeTeaching,
                DocumentNo = $"临翔教专评〔{term.FirstDay.Year}〕{31 + i}号", Members = CommitteeMembers, RecordedBy = "coordinator",
            });
            child.IdCardNo = SyntheticIdCard(child, rng);
            db.Students.Add(child);
            var plan = new Plan { Id = PlanId.New(), StudentId = child.Id, TermId = term.Id, CountyCode = CountyCode, SchoolId = special.Id };
            plan.Versions.Add(new PlanVersion
            {
                PlanId = plan.Id, Number = 1, Status = PlanStatus.Submitted, CreatedBy = "coordinator", CreatedAt = clock.GetUtcNow(), SubmittedBy = "coordinator", SubmittedAt = clock.GetUtcNow(),
                CoursePlan = "生活适应、康复训练", Content = "日常生活动作训练；认识家庭成员", Goals = ["能配合完成穿衣动作"], Mode = TeachingMode.Home, HomeVisitsPerWeek = 1,
                LessonsPerVisit = 2, TeamSize = 1, RequiredSkills = ["special-education"],
                Windows = [.. weekdays.Select(d => new WeeklyWindow { Day = d, From = new TimeOnly(9, 0), To = new TimeOnly(16, 0) })],
            });
            db.Plans.Add(plan);
        }
        await db.SaveChangesAsync(ct).ConfigureAwait(false);

        foreach (var name in DemoUsers)
        {
            var user = new AppUser
            {
                UserName = name, CountyCode = CountyCode, DisplayName = name,
                SchoolId = name == "coordinator" ? special.Id : null, StaffId = name == "teacher" ? staff[0].Id : null,
            };
            var created = await users.CreateAsync(user, password).ConfigureAwait(false);
            if (!created.Succeeded)
            {
                throw new InvalidOperationException("demo user: " + string.Join("; ", created.Errors.Select(e => e.Description)));
            }
            await users.AddToRoleAsync(user, name).ConfigureAwait(false);
        }

        // The county's history: the term's timetable was solved and published before the term began.
        var run = new TimetableRun { CountyCode = CountyCode, TermId = term.Id, StartedBy = "approver", CreatedAt = beforeTerm };
        db.Runs.Add(run);
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        await worker.ProcessAsync(run.Id, term.FirstDay, ct).ConfigureAwait(false);
        db.ChangeTracker.Clear();
        var timetable = await db.Timetables.SingleAsync(t => t.RunId == run.Id, ct).ConfigureAwait(false);
        foreach (var u in timetable.Unassigned)
        {
            u.AcknowledgedBy = "approver";
            u.AcknowledgedAt = clock.GetUtcNow();
            u.AcknowledgementNote = "演示数据";
        }
        timetable.Status = Domain.TimetableStatus.Published;
        timetable.PublishedBy = "approver";
        timetable.PublishedAt = beforeTerm.AddDays(2);
        timetable.EffectiveFrom = term.FirstDay;
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        await RecordPastVisitsAsync(timetable.Id, staff[0].Id, policy, rng, ct).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Visit records for the weeks already past, as a county a few weeks into term would have them:
    /// most delivered on the day, a few never recorded (missed weeks), one entered ten days late and
    /// one without content, so that the inspector's pages have something true to show.
    /// </summary>
    private async Task RecordPastVisitsAsync(Guid timetableId, StaffId demoTeacher, CountyPolicy policy, Random rng, CancellationToken ct)
    {
        var china = TimeSpan.FromHours(8);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(china).DateTime);
        var past = await db.Sessions.Where(s => s.TimetableId == timetableId && s.Date < today).OrderBy(s => s.Date).ThenBy(s => s.Start).ToListAsync(ct).ConfigureAwait(false);
        var homes = await db.Students.Where(s => s.CountyCode == CountyCode).ToDictionaryAsync(s => s.Id, s => (s.HomeLat, s.HomeLon), ct).ConfigureAwait(false);
        for (var i = 0; i < past.Count; i++)
        {
            var session = past[i];
            // About one session in twelve goes unrecorded: those children show a missed week.
            if (rng.Next(12) == 0)
            {
                continue;
            }
            var late = i == past.Count / 2;
            var empty = i == past.Count / 3;
            // One or two delivered records without the evidence the county asks for: the inspector's no_evidence.
            var bare = i == past.Count / 4 || i == past.Count * 3 / 4;
            var recordedAt = new DateTimeOffset(session.Date.ToDateTime(session.End), china).AddMinutes(40).AddDays(late ? 10 : 0);
            if (recordedAt > clock.GetUtcNow())
            {
                // Not entered yet: it is still within the days a teacher has to record it.
                continue;
            }
            // The record makes the session delivered, as recording it on the page would.
            session.Status = SessionStatus.Delivered;
            session.ChangedAt = recordedAt;
            session.Sequence++;
            var visit = new VisitRecord
            {
                CountyCode = CountyCode, SessionKey = session.SessionKey, StudentId = session.StudentId, Version = 1, Date = session.Date,
                Start = session.Start, End = session.End, StaffPresent = [.. session.StaffIds], Mode = session.Mode,
                Place = session.Mode == "remote" ? VisitPlace.Online : VisitPlace.Home,
                Content = empty ? "" : "认识日常用品；练习抓握与进食", GoalsAddressed = ["能独立用勺进食"], ChildResponse = "能配合完成大部分练习",
                GuardianFeedback = "孩子情绪稳定", GuardianName = "家长", HomeTask = "每天练习用勺两次",
                RecordedBy = session.StaffIds.Contains(demoTeacher.Value) ? "teacher" : "coordinator", RecordedAt = recordedAt,
            };
            visit.RequireAsOf(policy);
            if (!bare)
            {
                // A synthetic signature (a few wavy strokes) and a check-in at the start, within ~100 m of home.
                var started = new DateTimeOffset(session.Date.ToDateTime(session.Start), china);
                visit.Confirmation = GuardianConfirmation.Signature;
                visit.SignatureSvg = Features.Visits.Signatures.Svg(SyntheticSignature(rng));
                visit.ConfirmedAt = new DateTimeOffset(session.Date.ToDateTime(session.End), china).AddMinutes(-5);
                visit.CheckInAt = started.AddMinutes(-rng.Next(2, 10));
                if (session.Mode != "remote" && homes.TryGetValue(session.StudentId, out var home))
                {
                    (visit.CheckInLat, visit.CheckInLon, visit.CheckInAccuracyMeters) =
                        (Math.Round(home.HomeLat + (rng.NextDouble() - 0.5) * 0.001, 3), Math.Round(home.HomeLon + (rng.NextDouble() - 0.5) * 0.001, 3), rng.Next(10, 60));
                }
            }
            db.Visits.Add(visit);
        }
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Two or three wavy strokes in the 600 × 240 box, as a finger signs.</summary>
    private static List<string> SyntheticSignature(Random rng) =>
        [.. Enumerable.Range(0, rng.Next(2, 4)).Select(stroke => string.Join(' ', Enumerable.Range(0, 12).Select(p => string.Create(CultureInfo.InvariantCulture,
            $"{60 + stroke * 160 + p * 12},{120 + Math.Round(Math.Sin((p + stroke) * 0.9) * 40 + rng.Next(-5, 5))}"))))];

    /// <summary>The term that contains (or next follows) today: autumn from 1 September, spring from 1 March.</summary>
    public static Term CurrentTerm(DateOnly today)
    {
        var autumnYear = today.Month >= 8 ? today.Year : today.Month <= 1 ? today.Year - 1 : (int?)null;
        return autumnYear is { } y
            ? new Term { Id = TermId.New(), CountyCode = CountyCode, Name = $"{y}年秋季学期", FirstDay = new DateOnly(y, 9, 1), LastDay = new DateOnly(y + 1, 1, 22) }
            : new Term { Id = TermId.New(), CountyCode = CountyCode, Name = $"{today.Year}年春季学期", FirstDay = new DateOnly(today.Year, 3, 1), LastDay = new DateOnly(today.Year, 7, 10) };
    }

}
