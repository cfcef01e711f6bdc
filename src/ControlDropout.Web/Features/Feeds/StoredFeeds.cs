using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace ControlDropout.Web.Features.Feeds;

/// <summary>
/// Feeds built when they change, not when they are asked for. Every write that changes a staff member's feed
/// (a publish, a re-plan, a meeting link, a reminder) rebuilds the feeds it touches into <see cref="FeedDocument"/>
/// rows, in the same transaction as the change where the caller lets it; a feed request reads one row. A visit
/// record only moves one event's status: it marks its team's rows stale (<see cref="MarkStaleAsync"/>). A row that
/// is missing (an old database, a new staff member), superseded (a new version published by a path that did not
/// write feeds) or past its <see cref="FeedDocument.StaleAfter"/> is built on that request and stored. A shared rule:
/// every feature that changes a feed writes it through here.
/// </summary>
[SharedRule]
public sealed partial class StoredFeeds(AppDbContext db, FeedBuilder builder, PublicAddress address, TimeProvider clock, FeedMetrics metrics, ILogger<StoredFeeds> log)
{
    /// <summary>The advisory lock space of feed writes on PostgreSQL ("CDfe"); the second key is the county's hash.</summary>
    public const int LockSpace = 0x4344_6665;

    /// <summary>What a request reads: the stored feed, or why it must be built first.</summary>
    public sealed record Stored(StaffId StaffId, FeedContent Content, bool Superseded);

    // One statement per request: the row by its token hash, and whether the version it was built from is still in force.
    private static readonly Func<AppDbContext, string, CancellationToken, Task<Stored?>> ByToken = EF.CompileAsyncQuery(
        (AppDbContext db, string hash, CancellationToken ct) => db.Set<FeedDocument>().AsNoTracking()
            .Where(f => f.TokenHash == hash)
            .Select(f => new Stored(f.StaffId, new FeedContent(f.Bytes, f.ETag, f.LastModified, f.TimetableId, f.StaleAfter),
                f.TimetableId != null && db.Timetables.Any(t => t.Id == f.TimetableId && t.Status != TimetableStatus.Published)))
            .SingleOrDefault());

    /// <summary>The stored feed for a token hash if it is still true now; null when there is none or it must be rebuilt.</summary>
    public async Task<(Stored? Row, bool Fresh)> ReadAsync(string tokenHash, CancellationToken ct)
    {
        var row = await ByToken(db, tokenHash, ct).ConfigureAwait(false);
        return (row, row is { Superseded: false } && clock.GetUtcNow() < row.Content.StaleAfter);
    }

    /// <summary>Saves the pending change and rewrites the county's feeds in the same transaction (a publish, a re-plan).</summary>
    public Task SaveForCountyAsync(string countyCode, CancellationToken ct) =>
        InTransactionAsync(async () =>
        {
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
            await WriteAsync(countyCode, db.Staff.Where(s => s.CountyCode == countyCode), BuiltWhy.Write, ct).ConfigureAwait(false);
        }, ct);

    /// <summary>Saves the pending change and rewrites these staff members' feeds in the same transaction (a reminder).</summary>
    public Task SaveForStaffAsync(string countyCode, IReadOnlyCollection<StaffId> staff, CancellationToken ct) =>
        InTransactionAsync(async () =>
        {
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
            await WriteAsync(countyCode, db.Staff.Where(s => s.CountyCode == countyCode && staff.Contains(s.Id)), BuiltWhy.Write, ct).ConfigureAwait(false);
        }, ct);

    /// <summary>
    /// Rewrites some staff members' feeds right after a change that was saved on its own (a meeting link, a reset feed
    /// link; a visit record only marks its team's rows, <see cref="MarkStaleAsync"/>). The change
    /// is committed by then and is answered as done whatever happens here: should this fail, the row is still the old one (logged), and the next write or the
    /// next day's rebuild (<see cref="FeedDocument.StaleAfter"/>) carries it — never a 500 for a record that was stored.
    /// </summary>
    public async Task WriteForStaffAsync(string countyCode, IReadOnlyCollection<Guid> staffIds, CancellationToken ct)
    {
        var ids = staffIds.Select(id => new StaffId(id)).ToList();
        try
        {
            await InTransactionAsync(() => WriteAsync(countyCode, db.Staff.Where(s => s.CountyCode == countyCode && ids.Contains(s.Id)), BuiltWhy.Write, ct), ct).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The change it follows is committed: whatever failed here, the change stands and the feed catches up.
        catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
        {
            db.ChangeTracker.Clear();
            NotRewritten(log, ids.Count, e.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feeds of {Count} staff not rewritten after a committed change ({Error}); they catch up at the next write or rebuild")]
    private static partial void NotRewritten(ILogger logger, int count, string error);

    /// <summary>
    /// Marks a session team's stored feeds out of date right after a visit record or correction was saved on its own:
    /// one statement, and the next request for each rebuilds it (<see cref="BuildOnRequestAsync"/>). A record moves one
    /// event's status; a county records twenty visits a second at city scale, and a calendar app asks for its feed once
    /// an hour — building every team's feed on every record (under the write lock) is what held the writes up. As with
    /// <see cref="WriteForStaffAsync"/>, the record is committed by then: a failure here is logged, never a 500, and the
    /// row still turns stale at its own <see cref="FeedDocument.StaleAfter"/>.
    /// </summary>
    public async Task MarkStaleAsync(string countyCode, IReadOnlyCollection<Guid> staffIds, CancellationToken ct)
    {
        var ids = staffIds.Select(id => new StaffId(id)).ToList();
        var now = clock.GetUtcNow();
        try
        {
            await db.Set<FeedDocument>().Where(f => f.CountyCode == countyCode && ids.Contains(f.StaffId))
                .ExecuteUpdateAsync(row => row.SetProperty(f => f.StaleAfter, now), ct).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The change it follows is committed: whatever failed here, the change stands and the feed catches up.
        catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
        {
            NotRewritten(log, ids.Count, e.GetType().Name);
        }
    }

    /// <summary>Builds and stores one staff member's feed for a request that found no fresh row; returns what it stored.</summary>
    public async Task<FeedContent> BuildOnRequestAsync(Staff staff, CancellationToken ct)
    {
        FeedContent? built = null;
        await InTransactionAsync(async () =>
        {
            var written = await WriteAsync(staff.CountyCode, db.Staff.Where(s => s.Id == staff.Id), BuiltWhy.Request, ct).ConfigureAwait(false);
            built = written.Single();
        }, ct).ConfigureAwait(false);
        return built!;
    }

    private enum BuiltWhy { Write, Request }

    private async Task<List<FeedContent>> WriteAsync(string countyCode, IQueryable<Staff> which, BuiltWhy why, CancellationToken ct)
    {
        // On PostgreSQL writers run side by side: one feed writer per county at a time, and its reads start after the
        // lock, so a build never misses a change another writer committed while it waited (no lost update of a row).
        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({LockSpace}, hashtext({countyCode}))", ct).ConfigureAwait(false);
        }
        var staff = await which.AsNoTracking().OrderBy(s => s.Id).ToListAsync(ct).ConfigureAwait(false);
        var ids = staff.Select(s => s.Id).ToList();
        var rows = await db.Set<FeedDocument>().Where(f => ids.Contains(f.StaffId)).ToDictionaryAsync(f => f.StaffId, ct).ConfigureAwait(false);
        var now = clock.GetUtcNow();
        var result = new List<FeedContent>(staff.Count);
        foreach (var member in staff)
        {
            // Never a request's Host: the stored feed is served to every later request.
            var content = await builder.BuildAsync(member, address.Base, ct).ConfigureAwait(false);
            metrics.Built(why == BuiltWhy.Write ? FeedMetrics.BuiltOnWrite : FeedMetrics.BuiltOnRequest);
            if (!rows.TryGetValue(member.Id, out var row))
            {
                row = new FeedDocument { StaffId = member.Id, CountyCode = countyCode, Bytes = content.Bytes, ETag = content.ETag };
                db.Set<FeedDocument>().Add(row);
            }
            row.TokenHash = member.FeedTokenHash;
            row.Bytes = content.Bytes;
            row.ETag = content.ETag;
            row.LastModified = content.LastModified;
            row.TimetableId = content.TimetableId;
            row.StaleAfter = content.StaleAfter;
            row.BuiltAt = now;
            result.Add(content);
        }
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        return result;
    }

    /// <summary>Runs inside the caller's transaction, or in one of its own (SQLite: IMMEDIATE, the write lock first).</summary>
    private async Task InTransactionAsync(Func<Task> work, CancellationToken ct)
    {
        if (db.Database.CurrentTransaction is not null)
        {
            await work().ConfigureAwait(false);
            return;
        }
        await using IDbContextTransaction transaction = await db.Database.BeginTransactionAsync(ct).ConfigureAwait(false);
        await work().ConfigureAwait(false);
        await transaction.CommitAsync(ct).ConfigureAwait(false);
    }
}
