using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Calendar;
using ControlDropout.Web.Features.Coverage;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace ControlDropout.Web.Data;

/// <summary>
/// The county service's database: Identity, places, people, terms and plans. This type is the SQLite database
/// (and owns its migrations); <see cref="PostgresAppDbContext"/> is the same model on PostgreSQL with its own.
/// </summary>
public class AppDbContext : IdentityDbContext<AppUser>, IDataProtectionKeyContext
{
    private readonly AuditActor? _actor;
    private readonly TimeProvider? _clock;
    private readonly HolidayCalendar? _holidays;

    public AppDbContext(DbContextOptions<AppDbContext> options, AuditActor? actor = null, TimeProvider? clock = null, HolidayCalendar? holidays = null)
        : this((DbContextOptions)options, actor, clock, holidays)
    {
    }

    /// <summary>For <see cref="PostgresAppDbContext"/>, whose options are its own type's.</summary>
    protected AppDbContext(DbContextOptions options, AuditActor? actor, TimeProvider? clock, HolidayCalendar? holidays = null)
        : base(options) => (_actor, _clock, _holidays) = (actor, clock, holidays);

    /// <summary>The holidays coverage's summary is derived with (the service's; the shipped ones for a context made by hand).</summary>
    private HolidayCalendar Holidays => _holidays ?? ShippedHolidays.Value;

    private static readonly Lazy<HolidayCalendar> ShippedHolidays = new(HolidayCalendar.Shipped);

    public DbSet<County> Counties => Set<County>();
    public DbSet<Township> Townships => Set<Township>();
    public DbSet<Village> Villages => Set<Village>();
    public DbSet<School> Schools => Set<School>();
    public DbSet<Staff> Staff => Set<Staff>();
    public DbSet<Student> Students => Set<Student>();
    public DbSet<Assessment> Assessments => Set<Assessment>();
    public DbSet<StudentExit> Exits => Set<StudentExit>();
    public DbSet<TransferNotice> TransferNotices => Set<TransferNotice>();
    public DbSet<StoredDocument> Documents => Set<StoredDocument>();
    public DbSet<Term> Terms => Set<Term>();
    public DbSet<CountyPolicy> Policies => Set<CountyPolicy>();
    public DbSet<Closure> Closures => Set<Closure>();
    public DbSet<TimetableRun> Runs => Set<TimetableRun>();
    public DbSet<Timetable> Timetables => Set<Timetable>();
    public DbSet<TimetableSession> Sessions => Set<TimetableSession>();
    public DbSet<StaffLeave> Leave => Set<StaffLeave>();
    public DbSet<ServerSecret> Secrets => Set<ServerSecret>();
    public DbSet<SessionStaff> SessionStaff => Set<SessionStaff>();

    public DbSet<AuditEntry> Audit => Set<AuditEntry>();
    public DbSet<VisitRecord> Visits => Set<VisitRecord>();
    public DbSet<VisitPhoto> VisitPhotos => Set<VisitPhoto>();
    /// <summary>Coverage per child and teaching week, derived and kept in step on every save (<see cref="CoverageSummary"/>).</summary>
    public DbSet<CoverageWeek> CoverageWeeks => Set<CoverageWeek>();
    /// <summary>The summary's version per county and term (<see cref="CoverageVersion"/>).</summary>
    public DbSet<CoverageVersion> CoverageVersions => Set<CoverageVersion>();

    public DbSet<CheckedUpload> CheckedUploads => Set<CheckedUpload>();
    public DbSet<ConfirmationMiss> ConfirmationMisses => Set<ConfirmationMiss>();

    /// <summary>The keys cookies and bearer tokens are protected with, shared by every instance on this database.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>Calendar feeds as built at the last change (<see cref="Features.Feeds.StoredFeeds"/>).</summary>
    public DbSet<Features.Feeds.FeedDocument> FeedDocuments => Set<Features.Feeds.FeedDocument>();

    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        SaveChangesAsync(acceptAllChangesOnSuccess).GetAwaiter().GetResult();

    /// <summary>
    /// Saves the change and its audit rows in one transaction that holds the <see cref="WriteLock"/> from the
    /// start, so that two writers never chain onto the same last row; coverage's summary rows the change touches
    /// are recomputed in the same transaction.
    /// </summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        FillTeams();
        var changes = AuditChain.Describe(ChangeTracker);
        var touched = CoverageSummary.Touched(ChangeTracker);
        if (changes.Count == 0 && touched.IsEmpty)
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken).ConfigureAwait(false);
        }
        return await SaveWithAuditAsync(changes, touched, acceptAllChangesOnSuccess, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Records a read worth auditing — an export, an unmasked view — on the same chain as changes.
    /// </summary>
    public async Task RecordReadAsync(string action, string objectType, string objectId, string summary, CancellationToken ct)
    {
        var county = (_actor?.Current() ?? AuditActor.System).County;
        await SaveWithAuditAsync([new AuditChange(action, objectType, objectId, county, summary)], new SummaryScope(), acceptAllChangesOnSuccess: true, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Saves the pending changes with one more row on the trail that says what they were for (an import
    /// with its file hash and counts), all in one transaction: the event is recorded only with its changes.
    /// </summary>
    public Task<int> SaveChangesWithEventAsync(string action, string objectType, string objectId, string summary, CancellationToken ct) =>
        SaveChangesWithEventAsync(action, objectType, objectId, summary, county: null, ct);

    /// <summary>As above, for a background job, which acts for no county of its own: it names the county its event belongs to.</summary>
    public async Task<int> SaveChangesWithEventAsync(string action, string objectType, string objectId, string summary, string? county, CancellationToken ct)
    {
        FillTeams();
        county ??= (_actor?.Current() ?? AuditActor.System).County;
        var changes = AuditChain.Describe(ChangeTracker).Append(new AuditChange(action, objectType, objectId, county, summary)).ToList();
        return await SaveWithAuditAsync(changes, CoverageSummary.Touched(ChangeTracker), acceptAllChangesOnSuccess: true, ct).ConfigureAwait(false);
    }

    private async Task<int> SaveWithAuditAsync(IReadOnlyList<AuditChange> changes, SummaryScope touched, bool acceptAllChangesOnSuccess, CancellationToken cancellationToken)
    {
        if (Database.CurrentTransaction is not null)
        {
            return await SaveInTransactionAsync(changes, touched, acceptAllChangesOnSuccess, cancellationToken).ConfigureAwait(false);
        }
        await using var transaction = await WriteLock.BeginAsync(Database, cancellationToken).ConfigureAwait(false);
        var saved = await SaveInTransactionAsync(changes, touched, acceptAllChangesOnSuccess, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return saved;
    }

    private async Task<int> SaveInTransactionAsync(IReadOnlyList<AuditChange> changes, SummaryScope touched, bool acceptAllChangesOnSuccess, CancellationToken cancellationToken)
    {
        // The lock also serialises summary refreshes: each reads what the one before it wrote.
        await WriteLock.TakeAsync(Database, cancellationToken).ConfigureAwait(false);
        if (changes.Count > 0)
        {
            await AppendAuditAsync(changes, cancellationToken).ConfigureAwait(false);
        }
        var saved = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken).ConfigureAwait(false);
        // After the save, so that the term record read for the summary sees what was just written.
        await CoverageSummary.RefreshAsync(this, Holidays, touched, cancellationToken).ConfigureAwait(false);
        return saved;
    }

    private async Task AppendAuditAsync(IReadOnlyList<AuditChange> changes, CancellationToken ct)
    {
        // Inside a caller's transaction too: on PostgreSQL the lock is what makes the head read below the true head.
        await WriteLock.TakeAsync(Database, ct).ConfigureAwait(false);
        var previous = await Audit.OrderByDescending(e => e.Id).Select(e => e.Hash).FirstOrDefaultAsync(ct).ConfigureAwait(false) ?? AuditChain.Genesis;
        Audit.AddRange(AuditChain.Rows(changes, previous, _actor?.Current() ?? AuditActor.System, (_clock ?? TimeProvider.System).GetUtcNow()));
    }

    /// <summary>
    /// A new session's team rows follow its staff list, and a session nobody said otherwise of was
    /// created by its own version, so no writer can forget either.
    /// </summary>
    private void FillTeams()
    {
        foreach (var entry in ChangeTracker.Entries<TimetableSession>().Where(e => e.State == EntityState.Added))
        {
            var session = entry.Entity;
            if (session.OriginTimetableId == Guid.Empty)
            {
                session.OriginTimetableId = session.TimetableId;
            }
            if (session.Team.Count == 0)
            {
                session.Team.AddRange(session.StaffIds.Distinct().Select(id => new SessionStaff { SessionId = session.Id, StaffId = id }));
            }
        }
    }
    public DbSet<Plan> Plans => Set<Plan>();
    public DbSet<PlanVersion> PlanVersions => Set<PlanVersion>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<SchoolId>().HaveConversion<SchoolId.Converter>();
        configurationBuilder.Properties<StaffId>().HaveConversion<StaffId.Converter>();
        configurationBuilder.Properties<StudentId>().HaveConversion<StudentId.Converter>();
        configurationBuilder.Properties<PlanId>().HaveConversion<PlanId.Converter>();
        configurationBuilder.Properties<TermId>().HaveConversion<TermId.Converter>();
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<County>().HasKey(c => c.Code);
        builder.Entity<Township>().HasKey(t => t.Code);
        builder.Entity<Township>().HasIndex(t => t.CountyCode);
        builder.Entity<Village>().HasKey(v => v.Code);
        builder.Entity<Village>().HasIndex(v => v.TownshipCode);
        builder.Entity<School>().HasIndex(s => s.CountyCode);
        builder.Entity<ServerSecret>().HasKey(s => s.Name);
        builder.Entity<CheckedUpload>(b =>
        {
            b.HasKey(u => new { u.UserName, u.Sha256 });
            b.HasIndex(u => u.KeptUntilUnixSeconds);
        });
        builder.Entity<ConfirmationMiss>(b =>
        {
            b.HasKey(m => m.Key);
            b.HasIndex(m => m.Day);
        });
        // One version number per session key: a visit recorded twice at once is stored once.
        builder.Entity<VisitRecord>().HasIndex(v => new { v.SessionKey, v.Version }).IsUnique();
        builder.Entity<VisitRecord>().HasIndex(v => new { v.CountyCode, v.Date });
        // A child's records (the term record behind coverage's summary, refreshed on every visit saved): without it
        // SQLite answers "these children's records" by reading the county's whole term through the date index.
        builder.Entity<VisitRecord>().HasIndex(v => new { v.CountyCode, v.StudentId });
        builder.Entity<VisitPhoto>().HasIndex(p => new { p.CountyCode, p.SessionKey });
        builder.Entity<AuditEntry>(b =>
        {
            b.HasKey(e => e.Id);
            b.Property(e => e.Id).ValueGeneratedOnAdd();
            b.HasIndex(e => new { e.CountyCode, e.Id });
        });
        builder.Entity<Staff>(b =>
        {
            b.HasIndex(s => s.CountyCode);
            b.HasIndex(s => s.FeedTokenHash).IsUnique();
            b.HasIndex(s => new { s.CountyCode, s.Phone });
            b.OwnsMany(s => s.Availability, w => w.ToJson());
        });
        builder.Entity<Student>(b =>
        {
            b.HasIndex(s => s.CountyCode);
            b.OwnsMany(s => s.Guardians, g => g.ToJson());
            b.HasMany(s => s.Assessments).WithOne().HasForeignKey(a => a.StudentId);
            // A roster import finds a child again by these; empty means "not given".
            b.HasIndex(s => new { s.CountyCode, s.IdCardNo });
            b.HasIndex(s => new { s.CountyCode, s.NationalStudentNo });
        });
        builder.Entity<StudentExit>().HasIndex(e => new { e.CountyCode, e.StudentId });
        builder.Entity<TransferNotice>().HasIndex(n => n.ToCountyCode);
        builder.Entity<StoredDocument>().HasIndex(d => new { d.CountyCode, d.Sha256 });
        builder.Entity<Term>().HasIndex(t => t.CountyCode);
        builder.Entity<Closure>().HasIndex(c => new { c.CountyCode, c.FirstDay });
        builder.Entity<TimetableRun>().HasIndex(r => new { r.CountyCode, r.Status });
        builder.Entity<TimetableRun>().Property(r => r.ClaimedBy).HasMaxLength(200);
        builder.Entity<Features.Feeds.FeedDocument>(b =>
        {
            b.HasKey(f => f.StaffId);
            b.HasIndex(f => f.TokenHash).IsUnique();
            b.HasIndex(f => f.CountyCode);
        });
        // At most one queued or running run per county, kept by the database rather than a read-then-write.
        // RunStatus is stored as its number: Queued = 0, Running = 1.
        builder.Entity<TimetableRun>().HasIndex(r => r.CountyCode, "IX_Runs_OneActivePerCounty").IsUnique().HasFilter("\"Status\" IN (0, 1)");
        builder.Entity<StaffLeave>().HasIndex(l => new { l.CountyCode, l.StaffId });
        builder.Entity<Timetable>(b =>
        {
            b.HasIndex(t => new { t.CountyCode, t.TermId, t.Status });
            b.OwnsMany(t => t.Unassigned, u => u.ToJson());
            b.HasMany(t => t.Sessions).WithOne().HasForeignKey(s => s.TimetableId);
        });
        builder.Entity<SessionStaff>(b =>
        {
            b.HasKey(t => new { t.SessionId, t.StaffId });
            b.HasIndex(t => t.StaffId);
        });
        builder.Entity<TimetableSession>(b =>
        {
            b.HasMany(s => s.Team).WithOne().HasForeignKey(t => t.SessionId).OnDelete(DeleteBehavior.Cascade);
            b.HasIndex(s => new { s.TimetableId, s.Date });
            b.HasIndex(s => new { s.TimetableId, s.SessionKey }).IsUnique();
            // A child's sessions in the published version (coverage's refresh after each visit saved).
            b.HasIndex(s => new { s.TimetableId, s.StudentId });
        });
        builder.Entity<CountyPolicy>().HasKey(p => p.CountyCode);
        builder.ApplyConfiguration(new CoverageWeekConfiguration());
        builder.ApplyConfiguration(new CoverageVersionConfiguration());
        builder.Entity<Plan>(b =>
        {
            b.HasIndex(p => new { p.CountyCode, p.StudentId, p.TermId }).IsUnique();
            b.HasMany(p => p.Versions).WithOne().HasForeignKey(v => v.PlanId);
        });
        builder.Entity<PlanVersion>(b =>
        {
            b.HasIndex(v => new { v.PlanId, v.Number }).IsUnique();
            b.Property(v => v.Revision).IsConcurrencyToken();
            b.OwnsMany(v => v.Windows, w => w.ToJson());
        });
    }
}
