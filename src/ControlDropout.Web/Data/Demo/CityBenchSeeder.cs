using System.Diagnostics;
using System.Globalization;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Calendar;
using ControlDropout.Web.Features.Feeds;
using ControlDropout.Web.Features.People;
using ControlDropout.Web.Features.Timetables;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ControlDropout.Web.Data.Demo;

/// <summary>
/// <c>bench-seed-city [--children 300] [--staff 75] [--out DIR] [--solve]</c>: 临沧's eight counties at city size for the
/// city benchmark (tests/bench/city), on an empty database: real townships and villages from <c>data/lincang-places.csv</c>,
/// synthetic children, guardians, phones and identity numbers (never a real person's), staff with availability and
/// skills, plans approved before the term, the current term with its holidays, a published timetable, and the term's
/// visit records up to today. Accounts per county: <c>{code}-admin</c>, <c>-approver</c>, <c>-auditor</c> (the inspector),
/// <c>-coordinator</c>, <c>-teacher</c>, all with the bench password.
/// </summary>
/// <remarks>
/// The timetable is laid out by the seed (round robin over the staff, each within the child's windows) and published
/// as the service publishes a run's draft: a 300-child solve per county (20 s template + holiday weeks) would spend the
/// seed's whole budget, and the benchmark times a real run of one county on its own. <c>--solve</c> runs the real
/// solver through <see cref="RunWorker"/> for every county instead.
/// <para>
/// Audit: each county is written in one transaction holding the chain's <see cref="WriteLock"/>; the per-row entries
/// the context would add for every child, plan and visit are dropped before they are stored, and the transaction
/// appends one chained entry (<see cref="SeedAction"/>) that says what the seed wrote. The chain stays whole: no row
/// was chained onto and then removed, and the one row chains onto the true head.
/// </para>
/// </remarks>
public static class CityBenchSeeder
{
    public const string SeedAction = "bench-seeded";
    public const string BenchPassword = "ControlDropout-bench-2026";

    /// <summary>临沧's eight county-level divisions.</summary>
    public static readonly string[] CountyCodes = ["530902", "530921", "530922", "530923", "530924", "530925", "530926", "530927"];

    public static readonly string[] Accounts = [Roles.Admin, Roles.Approver, Roles.Auditor, Roles.Coordinator, Roles.Teacher];

    private const int BatchSize = 4000;
    private const int StaffSessionsPerWeek = 8;
    private const int LessonMinutes = 40;
    private const int LessonsPerVisit = 2;

    /// <summary>Daily starting times of a staff member's sessions: four visits a day at most, with the drive between.</summary>
    private static readonly TimeOnly[] Starts = [new(9, 0), new(10, 40), new(13, 30), new(15, 10)];

    private static readonly string[] Surnames = ["李", "王", "张", "杨", "赵", "陈", "刘", "罗", "段", "字", "鲁", "俸", "周", "田", "尹", "魏", "岩", "俄", "鲍", "刀"];

    /// <summary>Children and staff per county; the folder the lists are written to; whether to run the real solver.</summary>
    public sealed record Options(int Children, int Staff, string Out, bool Solve);

    public static Task<int> RunAsync(WebApplication app, string[] args)
    {
        string? Arg(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        return SeedAsync(app.Services, new Options(int.Parse(Arg("--children") ?? "300", CultureInfo.InvariantCulture), int.Parse(Arg("--staff") ?? "75", CultureInfo.InvariantCulture),
            Arg("--out") ?? "city-bench", args.Contains("--solve")));
    }

    /// <summary>Seeds the eight counties and writes counties.txt, feeds.txt and writable.txt into <see cref="Options.Out"/>; returns the exit code.</summary>
    public static async Task<int> SeedAsync(IServiceProvider services, Options options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Directory.CreateDirectory(options.Out);
        var password = Environment.GetEnvironmentVariable(StartupCommands.AdminPasswordVariable) ?? BenchPassword;
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        if (await db.Counties.AnyAsync().ConfigureAwait(false))
        {
            Console.Error.WriteLine("bench-seed-city needs an empty database");
            return 2;
        }
        var clock = scope.ServiceProvider.GetRequiredService<TimeProvider>();
        var holidays = scope.ServiceProvider.GetRequiredService<HolidayCalendar>();
        var roleIds = await db.Roles.ToDictionaryAsync(r => r.Name!, r => r.Id).ConfigureAwait(false);
        var watch = Stopwatch.StartNew();
        var counties = new List<string>();
        var feeds = new List<string>();
        var writable = new List<string>();
        var visits = 0;
        foreach (var code in CountyCodes)
        {
            await using var bulk = BulkContext(services, db);
            var county = new CountySeed(bulk, code, options, clock, holidays, scope.ServiceProvider, roleIds, password);
            var seeded = await county.SeedAsync().ConfigureAwait(false);
            counties.Add($"{code} {seeded.TermId}");
            feeds.AddRange(seeded.Feeds);
            writable.AddRange(seeded.Writable);
            visits += seeded.Visits;
            Console.WriteLine($"county {code}: {options.Children} children, {options.Staff} staff, {seeded.Sessions} sessions, {seeded.Visits} visit records ({watch.Elapsed.TotalSeconds:F1} s)");
        }
        if (options.Solve)
        {
            await SolveAndPublishAsync(scope.ServiceProvider, clock).ConfigureAwait(false);
        }
        await File.WriteAllLinesAsync(Path.Combine(options.Out, "counties.txt"), counties).ConfigureAwait(false);
        await File.WriteAllLinesAsync(Path.Combine(options.Out, "feeds.txt"), feeds).ConfigureAwait(false);
        await File.WriteAllLinesAsync(Path.Combine(options.Out, "writable.txt"), writable).ConfigureAwait(false);
        Console.WriteLine($"seeded {CountyCodes.Length} counties, {visits} visit records in {watch.Elapsed.TotalSeconds:F1} s; lists in {options.Out}");
        return 0;
    }

    /// <summary>A context on the same database whose saves drop the per-row audit entries (see the remarks above).</summary>
    private static AppDbContext BulkContext(IServiceProvider services, AppDbContext db)
    {
        var connection = db.Database.GetConnectionString();
        IInterceptor[] interceptors = [.. services.GetServices<IInterceptor>(), new SeedAuditFilter()];
        AppDbContext bulk = db.Database.IsNpgsql()
            ? new PostgresAppDbContext(new DbContextOptionsBuilder<PostgresAppDbContext>().UseNpgsql(connection).AddInterceptors(interceptors).Options)
            : new AppDbContext(new DbContextOptionsBuilder<AppDbContext>().UseSqlite(connection).AddInterceptors(interceptors).Options);
        bulk.ChangeTracker.AutoDetectChangesEnabled = false;
        return bulk;
    }

    /// <summary>With <c>--solve</c>: each county's real run from the term's first day, published as the seeded version's successor.</summary>
    private static async Task SolveAndPublishAsync(IServiceProvider services, TimeProvider clock)
    {
        var worker = services.GetRequiredService<RunWorker>();
        var db = services.GetRequiredService<AppDbContext>();
        foreach (var code in CountyCodes)
        {
            var term = await db.Terms.SingleAsync(t => t.CountyCode == code).ConfigureAwait(false);
            var run = new TimetableRun { CountyCode = code, TermId = term.Id, StartedBy = "bench-seed", CreatedAt = clock.GetUtcNow() };
            db.Runs.Add(run);
            await db.SaveChangesAsync().ConfigureAwait(false);
            var watch = Stopwatch.StartNew();
            await worker.ProcessAsync(run.Id, term.FirstDay, CancellationToken.None).ConfigureAwait(false);
            db.ChangeTracker.Clear();
            var solved = await db.Runs.AsNoTracking().SingleAsync(r => r.Id == run.Id).ConfigureAwait(false);
            Console.WriteLine($"county {code}: solved in {watch.Elapsed.TotalSeconds:F1} s, {solved.PlacedSessions}/{solved.RequiredSessions} sessions placed ({solved.Status})");
        }
    }

    /// <summary>What one county's seed leaves for the benchmark.</summary>
    private sealed record Seeded(TermId TermId, int Sessions, int Visits, List<string> Feeds, List<string> Writable);

    private sealed class CountySeed(AppDbContext db, string code, Options options, TimeProvider clock, HolidayCalendar holidays, IServiceProvider services,
        Dictionary<string, string> roleIds, string password)
    {
        private readonly Random _rng = new(int.Parse(code, CultureInfo.InvariantCulture));
        private int _pending;

        public async Task<Seeded> SeedAsync()
        {
            var places = CountyPlaces.Read(code) ?? throw new InvalidOperationException($"{CountyPlaces.FileName} has no county {code}");
            var now = clock.GetUtcNow();
            var today = Conventions.ChinaDay(now);
            await using var transaction = await WriteLock.BeginAsync(db.Database, CancellationToken.None).ConfigureAwait(false);

            db.Counties.Add(new County { Code = code, Name = places.CountyName });
            db.Townships.AddRange(places.Townships);
            db.Villages.AddRange(places.Villages);
            var policy = CountyPolicy.LincangDefault(code);
            db.Policies.Add(policy);
            var located = places.Townships.Where(t => t.Lat is not null).ToList();
            var special = new School { Id = SchoolId.New(), CountyCode = code, TownshipCode = located[0].Code, Name = places.CountyName + "特殊教育学校", Kind = SchoolKind.Special, Lat = places.Lat!.Value, Lon = places.Lon!.Value };
            var townSchools = located.Take(4).Select(t => new School { Id = SchoolId.New(), CountyCode = code, TownshipCode = t.Code, Name = t.Name + "中心学校", Kind = SchoolKind.Regular, Lat = t.Lat!.Value, Lon = t.Lon!.Value }).ToList();
            db.Schools.Add(special);
            db.Schools.AddRange(townSchools);

            var template = DemoSeeder.CurrentTerm(today);
            var term = new Term { Id = TermId.New(), CountyCode = code, Name = template.Name, FirstDay = template.FirstDay, LastDay = template.LastDay };
            db.Terms.Add(term);
            var beforeTerm = new DateTimeOffset(term.FirstDay.ToDateTime(new TimeOnly(10, 0)), Conventions.ChinaOffset).AddDays(-7).ToUniversalTime();

            var staff = Staff(special, townSchools);
            db.Staff.AddRange(staff);
            var children = Children(places, located, special, townSchools, term);
            db.Students.AddRange(children.Select(c => c.Child));
            db.Plans.AddRange(children.Select(c => c.Plan));
            await SaveAsync(force: true).ConfigureAwait(false);

            var weekly = Template(children, staff);
            var run = new TimetableRun
            {
                CountyCode = code, TermId = term.Id, StartedBy = $"{code}-approver", CreatedAt = beforeTerm, StartedAt = beforeTerm, FinishedAt = beforeTerm,
                Status = RunStatus.Succeeded, Progress = 1, RequiredSessions = weekly.Count, PlacedSessions = weekly.Count,
            };
            var timetable = new Timetable
            {
                CountyCode = code, TermId = term.Id, RunId = run.Id, CreatedAt = beforeTerm, TemplateJson = "{}", ScenarioJson = "{}",
                Status = TimetableStatus.Published, PublishedBy = $"{code}-approver", PublishedAt = beforeTerm.AddDays(2), EffectiveFrom = term.FirstDay,
            };
            run.TimetableId = timetable.Id;
            db.Runs.Add(run);
            db.Timetables.Add(timetable);
            await SaveAsync(force: true).ConfigureAwait(false);

            var weeks = TermCalendar.Weeks(term, holidays, []);
            var (sessions, visits, writable) = (0, 0, new List<string>());
            // Records are entered within the grace the county allows: the last two days' sessions are not entered yet.
            var enteredUpTo = today.AddDays(-2);
            foreach (var week in weeks.Where(w => !w.Exempt))
            {
                var teaching = week.Days.Where(d => d.IsTeaching).Select(d => d.Date).ToList();
                foreach (var slot in weekly)
                {
                    var planned = week.Monday.AddDays(slot.Day - 1);
                    var date = teaching.Contains(planned) ? planned : teaching.FirstOrDefault(d => !weekly.Any(o => o.Child == slot.Child && week.Monday.AddDays(o.Day - 1) == d));
                    if (date == default)
                    {
                        continue;
                    }
                    var session = new TimetableSession
                    {
                        TimetableId = timetable.Id, OriginTimetableId = timetable.Id, SessionKey = $"{slot.Child.Child.Id}:{slot.Mode}:{slot.Ordinal}:{week.Week}", StudentId = slot.Child.Child.Id,
                        Mode = slot.Mode, Week = week.Week, Date = date, Start = slot.Start, End = slot.Start.AddMinutes(LessonMinutes * LessonsPerVisit), StaffIds = [slot.Staff.Id.Value],
                        MovedBecause = date == planned ? null : "节假日调整", ChangedAt = timetable.PublishedAt!.Value,
                    };
                    session.Team.Add(new SessionStaff { SessionId = session.Id, StaffId = slot.Staff.Id.Value });
                    db.Sessions.Add(session);
                    sessions++;
                    // One session in twenty was never recorded: the inspector's missed weeks.
                    var recorded = date <= enteredUpTo && _rng.Next(20) != 0;
                    if (recorded)
                    {
                        db.Visits.Add(Visit(session, slot, policy));
                        visits++;
                    }
                    else if (date <= today && slot.Child.Child.SchoolOfRecordId == special.Id)
                    {
                        // The benchmark's writer records these through the API as the coordinator of the special school.
                        writable.Add(string.Join(' ', code, session.SessionKey, date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                            session.Start.ToString("HH:mm", CultureInfo.InvariantCulture), session.End.ToString("HH:mm", CultureInfo.InvariantCulture), slot.Staff.Id.Value, slot.Mode));
                    }
                    await SaveAsync(force: false).ConfigureAwait(false);
                }
            }
            await SaveAsync(force: true).ConfigureAwait(false);

            AddAccounts(special, staff[0]);
            await SaveAsync(force: true).ConfigureAwait(false);
            // Feed tokens derive from the server key: each staff member's hash is stored, and the URL written for the benchmark.
            db.ChangeTracker.AutoDetectChangesEnabled = true;
            var tokens = new FeedTokens(db);
            var feeds = new List<string>();
            foreach (var member in await db.Staff.Where(s => s.CountyCode == code).OrderBy(s => s.Name).ToListAsync().ConfigureAwait(false))
            {
                feeds.Add($"/feeds/{await tokens.CurrentAsync(member, CancellationToken.None).ConfigureAwait(false)}.ics");
            }

            var who = new AuditActor.Who("bench-seed", "system", code, "");
            var summary = string.Create(CultureInfo.InvariantCulture,
                $"city bench seed: {children.Count} children, {staff.Count} staff, {children.Count} plans, {sessions} sessions, {visits} visit records, {Accounts.Length} accounts");
            var head = await db.Audit.OrderByDescending(e => e.Id).Select(e => e.Hash).FirstOrDefaultAsync().ConfigureAwait(false) ?? AuditChain.Genesis;
            db.Audit.AddRange(AuditChain.Rows([new AuditChange(SeedAction, nameof(County), code, code, summary)], head, who, now));
            await SaveAsync(force: true).ConfigureAwait(false);
            await transaction.CommitAsync().ConfigureAwait(false);
            return new Seeded(term.Id, sessions, visits, feeds, writable);
        }

        private async Task SaveAsync(bool force)
        {
            if (!force && ++_pending < BatchSize)
            {
                return;
            }
            db.ChangeTracker.DetectChanges();
            await db.SaveChangesAsync().ConfigureAwait(false);
            db.ChangeTracker.Clear();
            _pending = 0;
        }

        private List<Staff> Staff(School special, List<School> townSchools)
        {
            var weekdays = Enumerable.Range(1, 5).ToList();
            return [.. Enumerable.Range(0, options.Staff).Select(i =>
            {
                var school = i % 3 == 0 ? special : townSchools[i % townSchools.Count];
                var department = i % 15 == 7 ? Department.Health : i % 15 == 11 ? Department.DisabledPersonsFederation : Department.Education;
                return new Staff
                {
                    Id = StaffId.New(), CountyCode = code, SchoolId = school.Id, Department = department,
                    Name = $"{Surnames[_rng.Next(Surnames.Length)]}{(char)('甲' + i % 10)}老师", Phone = $"1380{code[2..]}{i:000}",
                    BaseName = school.Name, BaseLat = school.Lat, BaseLon = school.Lon,
                    Skills = department == Department.Health ? ["medical", "rehabilitation"] : i % 2 == 0 ? ["special-education", "rehabilitation"] : ["special-education"],
                    Availability = [.. weekdays.Select(d => new WeeklyWindow { Day = d, From = new TimeOnly(8, 0), To = new TimeOnly(18, 0) })],
                    MaxSessionsPerWeek = StaffSessionsPerWeek, MaxAwayMinutesPerDay = 600, CanTeachRemotely = true,
                };
            })];
        }

        private sealed record Enrolled(Student Child, Plan Plan, PlanVersion Version);

        private List<Enrolled> Children(CountyPlaces.Places places, List<Township> located, School special, List<School> townSchools, Term term)
        {
            var result = new List<Enrolled>();
            var approvedAt = new DateTimeOffset(term.FirstDay.ToDateTime(new TimeOnly(10, 0)), Conventions.ChinaOffset).AddDays(-7).ToUniversalTime();
            var villagesOf = places.Villages.GroupBy(v => v.TownshipCode).ToDictionary(g => g.Key, g => g.ToList());
            for (var i = 0; i < options.Children; i++)
            {
                var town = located[_rng.Next(located.Count)];
                var (lat, lon) = Scheduling.Travel.TravelTimes.Destination(town.Lat!.Value, town.Lon!.Value, 1 + _rng.NextDouble() * 11, _rng.NextDouble() * 2 * Math.PI);
                var villages = villagesOf.GetValueOrDefault(town.Code) ?? [];
                var child = new Student
                {
                    Id = StudentId.New(), CountyCode = code, SchoolOfRecordId = i % 2 == 0 ? special.Id : townSchools[i / 2 % townSchools.Count].Id,
                    Name = $"{Surnames[_rng.Next(Surnames.Length)]}某{(char)('一' + i % 9)}", Gender = i % 2 == 0 ? "男" : "女", Ethnicity = i % 3 == 0 ? "佤族" : "汉族",
                    BirthDate = new DateOnly(2011 + _rng.Next(8), 1 + _rng.Next(12), 1 + _rng.Next(28)),
                    DisabilityCategory = (DisabilityCategory)_rng.Next(7), DisabilityGrade = 1 + _rng.Next(2),
                    // Synthetic numbers in the official shapes: never a real person's.
                    DisabilityCertificateNo = $"{code}{2011 + i % 8}{_rng.Next(1000000, 9999999)}{1 + _rng.Next(7)}{1 + _rng.Next(2)}",
                    NationalStudentNo = $"G{code}{_rng.Next(10000000, 99999999)}{_rng.Next(100, 999)}",
                    DisabilityRegisteredOn = term.FirstDay.AddDays(-400 - _rng.Next(700)),
                    VillageCode = villages.Count > 0 ? villages[_rng.Next(villages.Count)].Code : town.Code + "000",
                    HomeLat = Math.Round(lat, 5), HomeLon = Math.Round(lon, 5),
                    Guardians = [new Guardian { Name = $"{Surnames[_rng.Next(Surnames.Length)]}某", Relation = i % 2 == 0 ? "母亲" : "父亲", Phone = $"1390{code[2..]}{i:000}" }],
                };
                child.IdCardNo = IdentityNumbers.Compose(code, child.BirthDate, 2 * _rng.Next(450) + (child.Gender == "男" ? 1 : 0));
                var remote = i % 10 == 9;
                child.Assessments.Add(new Assessment
                {
                    StudentId = child.Id, Date = term.FirstDay.AddDays(-60), Conclusion = remote ? AssessmentConclusion.RemoteTeaching : AssessmentConclusion.HomeTeaching,
                    DocumentNo = $"{places.CountyName}教专评〔{term.FirstDay.Year}〕{i + 1}号", Members = ["李某（特教）", "王某（康复）", "张某（医生）"], RecordedBy = $"{code}-coordinator",
                });
                var plan = new Plan { Id = PlanId.New(), StudentId = child.Id, TermId = term.Id, CountyCode = code, SchoolId = child.SchoolOfRecordId, EffectiveFrom = term.FirstDay };
                // Seven children in ten are visited twice a week: the county's 300 children need about 510 visits a week of its staff's 600.
                var version = new PlanVersion
                {
                    PlanId = plan.Id, Number = 1, Status = PlanStatus.Active, CreatedBy = $"{code}-coordinator", CreatedAt = approvedAt.AddDays(-5),
                    SubmittedBy = $"{code}-coordinator", SubmittedAt = approvedAt.AddDays(-4), DecidedBy = $"{code}-approver", DecidedAt = approvedAt, Opinion = "同意",
                    ApprovalNo = $"{code}-{term.FirstDay.Year}-{i + 1:000}",
                    CoursePlan = "生活适应、沟通与交往、康复训练", Content = "认识日常用品；练习抓握与进食；简单指令理解", Goals = ["能独立用勺进食", "能回应自己的名字"],
                    Mode = remote ? TeachingMode.Remote : TeachingMode.Home, HomeVisitsPerWeek = remote ? 0 : i % 10 < 7 ? 2 : 1, RemoteSessionsPerWeek = remote ? 1 : 0,
                    LessonsPerVisit = LessonsPerVisit, TeamSize = 1, RequiredSkills = ["special-education"],
                    Windows = [.. Enumerable.Range(1, 5).Where(d => (d + i) % 5 != 0).Select(d => new WeeklyWindow { Day = d, From = new TimeOnly(9, 0), To = new TimeOnly(16, 30) })],
                };
                plan.Versions.Add(version);
                result.Add(new Enrolled(child, plan, version));
            }
            return result;
        }

        private sealed record Slot(Enrolled Child, Staff Staff, string Mode, int Ordinal, int Day, TimeOnly Start);

        /// <summary>
        /// The template week: each visit on one of the child's window days, given to the next staff member with the skill who
        /// is free at one of the day's starting times (round robin, so that the load spreads over the county's staff).
        /// </summary>
        private static List<Slot> Template(List<Enrolled> children, List<Staff> staff)
        {
            var teachers = staff.Where(s => s.Skills.Contains("special-education")).ToList();
            var taken = new HashSet<(StaffId, int, int)>();
            var load = new Dictionary<StaffId, int>();
            var result = new List<Slot>();
            var next = 0;
            foreach (var (enrolled, index) in children.Select((c, i) => (c, i)))
            {
                var v = enrolled.Version;
                var mode = v.Mode == TeachingMode.Remote ? SessionModes.Remote : SessionModes.Home;
                var count = v.HomeVisitsPerWeek + v.RemoteSessionsPerWeek;
                var days = v.Windows.Select(w => w.Day).ToList();
                for (var ordinal = 0; ordinal < count; ordinal++)
                {
                    // Children start on different days, so that no weekday runs out of staff; two visits a week fall two window days apart.
                    var day = days[(index + ordinal * 2) % days.Count];
                    Slot? placed = null;
                    for (var tried = 0; tried < teachers.Count * Starts.Length && placed is null; tried++)
                    {
                        var teacher = teachers[(next + tried / Starts.Length) % teachers.Count];
                        var start = tried % Starts.Length;
                        if (load.GetValueOrDefault(teacher.Id) < StaffSessionsPerWeek && taken.Add((teacher.Id, day, start)))
                        {
                            placed = new Slot(enrolled, teacher, mode, ordinal, day, Starts[start]);
                            load[teacher.Id] = load.GetValueOrDefault(teacher.Id) + 1;
                            next++;
                        }
                    }
                    if (placed is not null)
                    {
                        result.Add(placed);
                    }
                }
            }
            return result;
        }

        /// <summary>A delivered visit's record, entered 40 minutes after the session's end, with a check-in near home.</summary>
        private VisitRecord Visit(TimetableSession session, Slot slot, CountyPolicy policy)
        {
            // Beijing wall-clock times, stored in UTC: Npgsql writes only offset 0 to timestamp with time zone.
            var china = Conventions.ChinaOffset;
            var recordedAt = new DateTimeOffset(session.Date.ToDateTime(session.End), china).AddMinutes(40).ToUniversalTime();
            session.Status = SessionStatus.Delivered;
            session.Sequence++;
            session.ChangedAt = recordedAt;
            var home = slot.Mode == SessionModes.Home;
            var visit = new VisitRecord
            {
                CountyCode = code, SessionKey = session.SessionKey, StudentId = session.StudentId, Version = 1, Date = session.Date, Start = session.Start, End = session.End,
                StaffPresent = [.. session.StaffIds], Mode = session.Mode, Place = home ? VisitPlace.Home : VisitPlace.Online,
                Content = "认识日常用品；练习抓握与进食", GoalsAddressed = ["能独立用勺进食"], ChildResponse = "能配合完成大部分练习", GuardianFeedback = "孩子情绪稳定",
                GuardianName = "家长", HomeTask = "每天练习用勺两次", RecordedBy = $"{code}-teacher", RecordedAt = recordedAt,
                CheckInAt = new DateTimeOffset(session.Date.ToDateTime(session.Start), china).AddMinutes(-_rng.Next(2, 10)).ToUniversalTime(),
            };
            if (home)
            {
                (visit.CheckInLat, visit.CheckInLon, visit.CheckInAccuracyMeters) = (Math.Round(slot.Child.Child.HomeLat, 3), Math.Round(slot.Child.Child.HomeLon, 3), _rng.Next(10, 60));
            }
            visit.RequireAsOf(policy);
            return visit;
        }

        /// <summary>The county's five accounts, written as the sign-up would (normalised names, hashed password, a security stamp).</summary>
        private void AddAccounts(School special, Staff teacher)
        {
            var hasher = services.GetRequiredService<IPasswordHasher<AppUser>>();
            var normalizer = services.GetRequiredService<ILookupNormalizer>();
            foreach (var role in Accounts)
            {
                var name = $"{code}-{role}";
                var user = new AppUser
                {
                    UserName = name, NormalizedUserName = normalizer.NormalizeName(name), CountyCode = code, DisplayName = name,
                    SchoolId = role == Roles.Coordinator ? special.Id : null, StaffId = role == Roles.Teacher ? teacher.Id : null,
                    SecurityStamp = Guid.NewGuid().ToString("N"), ConcurrencyStamp = Guid.NewGuid().ToString(),
                };
                user.PasswordHash = hasher.HashPassword(user, password);
                db.Users.Add(user);
                db.UserRoles.Add(new IdentityUserRole<string> { UserId = user.Id, RoleId = roleIds[role] });
            }
        }
    }

    /// <summary>Drops the per-row audit entries a bulk save adds, keeping only the seed's own event (see the remarks above).</summary>
    private sealed class SeedAuditFilter : SaveChangesInterceptor
    {
        public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
        {
            Drop(eventData.Context);
            return result;
        }

        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Drop(eventData.Context);
            return ValueTask.FromResult(result);
        }

        private static void Drop(DbContext? context)
        {
            foreach (var entry in context?.ChangeTracker.Entries<AuditEntry>().Where(e => e.State == EntityState.Added && e.Entity.Action != SeedAction).ToList() ?? [])
            {
                entry.State = EntityState.Detached;
            }
        }
    }
}
