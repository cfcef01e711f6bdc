using ControlDropout.Web.Domain;
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

    public AppDbContext(DbContextOptions<AppDbContext> options, AuditActor? actor = null, TimeProvider? clock = null)
        : this((DbContextOptions)options, actor, clock)
    {
    }

    /// <summary>For <see cref="PostgresAppDbContext"/>, whose options are its own type's.</summary>
    protected AppDbContext(DbContextOptions options, AuditActor? actor, TimeProvider? clock)
        : base(options) => (_actor, _clock) = (actor, clock);

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

    /// <summary>The keys cookies and bearer tokens are protected with, shared by every instance on this database.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>Calendar feeds as built at the last change (<see cref="Features.Feeds.StoredFeeds"/>).</summary>
    public DbSet<Features.Feeds.FeedDocument> FeedDocuments => Set<Features.Feeds.FeedDocument>();

    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        SaveChangesAsync(acceptAllChangesOnSuccess).GetAwaiter().GetResult();

    /// <summary>
    /// Saves the change and its audit rows in one transaction that holds the <see cref="WriteLock"/> from the
    /// start, so that two writers never chain onto the same last row.
    /// </summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        FillTeams();
        var changes = AuditChain.Describe(ChangeTracker);
        if (changes.Count == 0)
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken).ConfigureAwait(false);
        }
        return await SaveWithAuditAsync(changes, acceptAllChangesOnSuccess, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Records a read worth auditing — an export, an unmasked view — on the same chain as changes.
    /// </summary>
    public async Task RecordReadAsync(string action, string objectType, string objectId, string summary, CancellationToken ct)
    {
        var county = (_actor?.Current() ?? AuditActor.System).County;
        await SaveWithAuditAsync([new AuditChange(action, objectType, objectId, county, summary)], acceptAllChangesOnSuccess: true, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Saves the pending changes with one more row on the trail that says what they were for (an import
    /// with its file hash and counts), all in one transaction: the event is recorded only with its changes.
    /// </summary>
    public async Task<int> SaveChangesWithEventAsync(string action, string objectType, string objectId, string summary, CancellationToken ct)
    {
        FillTeams();
        var county = (_actor?.Current() ?? AuditActor.System).County;
        var changes = AuditChain.Describe(ChangeTracker).Append(new AuditChange(action, objectType, objectId, county, summary)).ToList();
        return await SaveWithAuditAsync(changes, acceptAllChangesOnSuccess: true, ct).ConfigureAwait(false);
    }

    private async Task<int> SaveWithAuditAsync(IReadOnlyList<AuditChange> changes, bool acceptAllChangesOnSuccess, CancellationToken cancellationToken)
    {
        if (Database.CurrentTransaction is not null)
        {
            await AppendAuditAsync(changes, cancellationToken).ConfigureAwait(false);
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken).ConfigureAwait(false);
        }
        await using var transaction = await WriteLock.BeginAsync(Database, cancellationToken).ConfigureAwait(false);
        await AppendAuditAsync(changes, cancellationToken).ConfigureAwait(false);
        var saved = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
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
        // One version number per session key: a visit recorded twice at once is stored once.
        builder.Entity<VisitRecord>().HasIndex(v => new { v.SessionKey, v.Version }).IsUnique();
        builder.Entity<VisitRecord>().HasIndex(v => new { v.CountyCode, v.Date });
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
        });
        builder.Entity<CountyPolicy>().HasKey(p => p.CountyCode);
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
