using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using FluentAssertions;

namespace ControlDropout.Web.Tests.Support;

/// <summary>
/// The real app over a real database of its own (so that parallel requests use real connections
/// and real locking), migrations applied at start, a fake clock, and two counties of test data. The
/// database is a SQLite file, or — when <see cref="PostgresVariable"/> names a server, as the README's test
/// command does for its second pass — a PostgreSQL database made for this factory and dropped after it.
/// </summary>
public sealed class ServiceFactory : WebApplicationFactory<Program>
{
    public const string Password = "Test-password-2026";

    /// <summary>A connection string without a database (tests/postgres.sh prints one): run on PostgreSQL.</summary>
    public const string PostgresVariable = "CONTROLDROPOUT_TEST_POSTGRES";

    /// <summary>The trait that keeps a test out of the PostgreSQL pass: it is about SQLite itself (pragmas, its file).</summary>
    public const string SqliteOnly = "SqliteOnly";

    private static readonly string? PostgresServer = Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } server ? server : null;

    /// <summary>Whether this test run is the PostgreSQL pass.</summary>
    public static bool OnPostgres => PostgresServer is not null;

    private readonly string _directory;

    private readonly string _database;

    /// <summary>Whether this factory made its database, and so drops (or deletes) it when disposed.</summary>
    private readonly bool _ownsDatabase = true;

    public ServiceFactory()
    {
        _directory = Directory.CreateTempSubdirectory("controldropout-web-tests-").FullName;
        _database = "cd_test_" + Guid.NewGuid().ToString("N");
    }

    /// <summary>
    /// A second instance of the service over the database of <paramref name="first"/>, as two instances behind one
    /// proxy are: its own host, clock, caches and worker; the database (and its seeded counties) shared. The first
    /// factory owns the database: dispose it last.
    /// </summary>
    public static ServiceFactory SecondInstanceOf(ServiceFactory first)
    {
        ArgumentNullException.ThrowIfNull(first);
        return new ServiceFactory(first);
    }

    // Not public: a class fixture may have one public constructor.
    private ServiceFactory(ServiceFactory first)
    {
        _directory = first._directory;
        _database = first._database;
        _ownsDatabase = false;
    }

    /// <summary>This factory's own PostgreSQL database (migrations create it), or null on SQLite.</summary>
    public string? PostgresConnectionString => PostgresServer is { } server ? $"{server};Database={_database}" : null;

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 9, 7, 1, 0, 0, TimeSpan.Zero));

    /// <summary>Extra configuration for one test class (set before the first client is created).</summary>
    public Dictionary<string, string> Settings { get; } = [];

    /// <summary>Extra services for one test class (set before the first client is created).</summary>
    public Action<IServiceCollection>? ConfigureTestServices { get; set; }

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:Path", Path.Combine(_directory, "test.db"));
        if (PostgresConnectionString is { } postgres)
        {
            builder.UseSetting("Database:Provider", "PostgreSQL");
            builder.UseSetting("ConnectionStrings:PostgreSQL", postgres);
        }
        // Solver runs in tests are deterministic: one worker, fixed seed, deterministic limits.
        builder.UseSetting("Scheduling:Workers", "1");
        builder.UseSetting("Scheduling:TimeLimitSeconds", "0.5");
        builder.UseSetting("Scheduling:WeekTimeLimitSeconds", "0.2");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
            ConfigureTestServices?.Invoke(services);
        });
    }

    private TestCounty? _lincang;
    private TestCounty? _other;
    private readonly SemaphoreSlim _seedLock = new(1, 1);

    /// <summary>临翔区, with a school, users of every role, children and a term.</summary>
    public async Task<TestCounty> LincangAsync() => _lincang ??= await SeedAsync("530902", "临翔区").ConfigureAwait(false);

    /// <summary>A second county whose ids must never be reachable from the first.</summary>
    public async Task<TestCounty> OtherCountyAsync() => _other ??= await SeedAsync("530927", "沧源佤族自治县").ConfigureAwait(false);

    private async Task<TestCounty> SeedAsync(string countyCode, string countyName)
    {
        await _seedLock.WaitAsync().ConfigureAwait(false);
        try
        {
            using var scope = Services.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            db.Counties.Add(new County { Code = countyCode, Name = countyName });
            // Two townships and three villages, named as the real ones are, for enrolment and the roster import to resolve.
            db.Townships.AddRange(
                new Township { Code = countyCode + "101", CountyCode = countyCode, Name = "博尚镇", Lat = 23.72, Lon = 100.06 },
                new Township { Code = countyCode + "102", CountyCode = countyCode, Name = "南美乡", Lat = 23.86, Lon = 100.2 });
            db.Villages.AddRange(
                new Village { Code = countyCode + "101201", TownshipCode = countyCode + "101", Name = "碗窑村委会", Lat = 23.74, Lon = 100.05 },
                new Village { Code = countyCode + "102201", TownshipCode = countyCode + "102", Name = "南美村委会", Lat = 23.87, Lon = 100.21 },
                new Village { Code = countyCode + "102202", TownshipCode = countyCode + "102", Name = "坡脚村委会" });
            var school = new School { Id = SchoolId.New(), CountyCode = countyCode, TownshipCode = countyCode + "101", Name = countyName + "特殊教育学校", Kind = SchoolKind.Special };
            db.Schools.Add(school);
            var staff = new Staff { Id = StaffId.New(), CountyCode = countyCode, SchoolId = school.Id, Department = Department.Education, Name = "李老师", BaseName = school.Name, MaxSessionsPerWeek = 8, CanTeachRemotely = true, Skills = ["special-education"] };
            db.Staff.Add(staff);
            var term = new Term { Id = TermId.New(), CountyCode = countyCode, Name = "2026年秋季学期", FirstDay = new DateOnly(2026, 9, 1), LastDay = new DateOnly(2027, 1, 22) };
            db.Terms.Add(term);
            Student Child(string name, DateOnly birth, int grade, AssessmentConclusion? conclusion)
            {
                var child = new Student
                {
                    Id = StudentId.New(), CountyCode = countyCode, SchoolOfRecordId = school.Id, Name = name, Gender = "女", BirthDate = birth,
                    DisabilityCategory = DisabilityCategory.Multiple, DisabilityGrade = grade, DisabilityCertificateNo = "53090220150101002X41",
                    DisabilityRegisteredOn = new DateOnly(2025, 12, 1), VillageCode = countyCode + "101201", Guardians = [new Guardian { Name = "张某", Relation = "母亲", Phone = "13800001234" }],
                };
                if (conclusion is { } c)
                {
                    child.Assessments.Add(new Assessment { StudentId = child.Id, Date = new DateOnly(2026, 6, 15), Conclusion = c });
                }
                db.Students.Add(child);
                return child;
            }
            var eligible = Child("张某某", new DateOnly(2016, 3, 2), 1, AssessmentConclusion.HomeTeaching);
            var second = Child("王某某", new DateOnly(2014, 5, 9), 2, AssessmentConclusion.RemoteTeaching);
            var ineligible = Child("赵某某", new DateOnly(2009, 1, 20), 3, AssessmentConclusion.RegularClass);
            var unassessed = Child("钱某某", new DateOnly(2017, 8, 30), 1, null);
            await db.SaveChangesAsync().ConfigureAwait(false);

            var accounts = new Dictionary<string, string>();
            foreach (var role in Roles.All)
            {
                var name = $"{role}-{countyCode}";
                var user = new AppUser
                {
                    UserName = name, CountyCode = countyCode, DisplayName = name,
                    SchoolId = role == Roles.Coordinator ? school.Id : null,
                    StaffId = role == Roles.Teacher ? staff.Id : null,
                };
                (await users.CreateAsync(user, Password).ConfigureAwait(false)).Succeeded.Should().BeTrue();
                (await users.AddToRoleAsync(user, role).ConfigureAwait(false)).Succeeded.Should().BeTrue();
                accounts[role] = name;
            }
            // A second approver, so that decisions by someone other than the submitter can be tested both ways.
            var second2 = new AppUser { UserName = $"approver2-{countyCode}", CountyCode = countyCode };
            await users.CreateAsync(second2, Password).ConfigureAwait(false);
            await users.AddToRoleAsync(second2, Roles.Approver).ConfigureAwait(false);
            accounts["approver2"] = second2.UserName;
            return new TestCounty(this, countyCode, school.Id, staff.Id, term.Id, eligible.Id, second.Id, ineligible.Id, unassessed.Id, accounts);
        }
        finally
        {
            _seedLock.Release();
        }
    }

    /// <summary>A fresh child of the county's school, so that each test owns its plan.</summary>
    public async Task<StudentId> AddChildAsync(TestCounty county, int grade = 1, AssessmentConclusion? conclusion = AssessmentConclusion.HomeTeaching, DateOnly? birth = null)
    {
        using var scope = Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var child = new Student
        {
            Id = StudentId.New(), CountyCode = county.Code, SchoolOfRecordId = county.School, Name = "孙某某", Gender = "男",
            BirthDate = birth ?? new DateOnly(2015, 4, 1), DisabilityCategory = DisabilityCategory.Intellectual, DisabilityGrade = grade,
            DisabilityCertificateNo = "53090220150401001152", DisabilityRegisteredOn = new DateOnly(2025, 12, 1), VillageCode = county.Code + "101201",
        };
        if (conclusion is { } c)
        {
            child.Assessments.Add(new Assessment { StudentId = child.Id, Date = new DateOnly(2026, 6, 20), Conclusion = c });
        }
        db.Students.Add(child);
        await db.SaveChangesAsync().ConfigureAwait(false);
        return child.Id;
    }

    private readonly Dictionary<string, (string Token, DateTimeOffset At)> _tokens = [];

    /// <summary>A client logged in through the real login endpoint as the given account.</summary>
    public async Task<HttpClient> ClientAsAsync(string userName)
    {
        var client = CreateClient();
        // Tokens expire on the fake clock too: log in again once it has moved on.
        if (!_tokens.TryGetValue(userName, out var cached) || Clock.GetUtcNow() - cached.At > TimeSpan.FromHours(1))
        {
            var response = await client.PostAsJsonAsync("/api/auth/login", new { userName, password = Password }).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            var body = await response.Content.ReadFromJsonAsync<JsonElement>().ConfigureAwait(false);
            cached = (body.GetProperty("accessToken").GetString()!, Clock.GetUtcNow());
            _tokens[userName] = cached;
        }
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", cached.Token);
        return client;
    }

    private void DropPostgresDatabase()
    {
        if (PostgresServer is not { } server)
        {
            return;
        }
        Npgsql.NpgsqlConnection.ClearPool(new Npgsql.NpgsqlConnection(PostgresConnectionString));
        using var connection = new Npgsql.NpgsqlConnection($"{server};Database=postgres");
        connection.Open();
        using var drop = connection.CreateCommand();
        drop.CommandText = $"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)";
        drop.ExecuteNonQuery();
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _seedLock.Dispose();
            if (!_ownsDatabase)
            {
                return;
            }
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            DropPostgresDatabase();
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open by a finishing request; the temp folder is cleaned by the OS.
            }
        }
    }
}

/// <summary>One seeded county: its ids and the user name for each role.</summary>
public sealed record TestCounty(
    ServiceFactory Factory, string Code, SchoolId School, StaffId Teacher, TermId Term,
    StudentId Eligible, StudentId SecondEligible, StudentId Ineligible, StudentId Unassessed,
    IReadOnlyDictionary<string, string> Accounts)
{
    public Task<HttpClient> As(string role) => Factory.ClientAsAsync(Accounts[role]);

    public Task<StudentId> NewChildAsync(int grade = 1, AssessmentConclusion? conclusion = AssessmentConclusion.HomeTeaching, DateOnly? birth = null) =>
        Factory.AddChildAsync(this, grade, conclusion, birth);
}
