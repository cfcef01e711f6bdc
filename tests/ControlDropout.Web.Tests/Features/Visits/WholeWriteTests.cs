using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace ControlDropout.Web.Tests.Features.Visits;

/// <summary>
/// Issue 11 §2: a write is checked whole before anything is stored. The old service stored the record and
/// then computed its flags (and failed there: "500 but stored"); the database here refuses to answer any
/// command on a context after it has saved a visit record, and can fail the audit row of a new record.
/// </summary>
public sealed class WholeWriteTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;
    private static readonly Trap Database = new();

    public WholeWriteTests(ServiceFactory factory)
    {
        _factory = factory;
        _factory.ConfigureTestServices = services => services.AddSingleton<IInterceptor>(Database);
    }

    /// <summary>
    /// After a context has committed a visit record, any further command on it fails; a new record's audit row can be
    /// made to fail. (Committed, not saved: what the save's own transaction does before it commits — the audit row,
    /// coverage's summary — is the save, and stands or falls with it.)
    /// </summary>
    private sealed class Trap : DbCommandInterceptor, IDbTransactionInterceptor
    {
        private readonly ConditionalWeakTable<DbContext, object> _saved = [];

        /// <summary>While set, the audit row of a new visit record cannot be written.</summary>
        public bool DoomVisits { get; set; }

        public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Arm(eventData.Context);
            return Task.CompletedTask;
        }

        public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Arm(eventData.Context);

        private void Arm(DbContext? context)
        {
            if (context is not null && context.ChangeTracker.Entries<VisitRecord>().Any())
            {
                _saved.AddOrUpdate(context, new object());
            }
        }

        private void Check(DbCommand command, CommandEventData data)
        {
            if (data.Context is { } context && _saved.TryGetValue(context, out _))
            {
                throw new IOException("simulated failure after the save");
            }
            if (DoomVisits && command.CommandText.Contains("INSERT INTO \"Audit\"", StringComparison.Ordinal)
                && command.Parameters.Cast<DbParameter>().Any(p => p.Value is nameof(VisitRecord)))
            {
                throw new IOException("simulated failure while writing the audit row");
            }
        }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Check(command, eventData);
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Check(command, eventData);
            return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
        }

        public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
        {
            Check(command, eventData);
            return base.ScalarExecutingAsync(command, eventData, result, cancellationToken);
        }
    }

    private static object Body(string key, Guid staff, string date) => new
    {
        sessionKey = key, date, start = "09:00", end = "10:20", staffPresent = new[] { staff }, place = "Home", content = "抓握练习", goalsAddressed = new[] { "能独立抓握勺子" },
    };

    [Fact]
    public async Task A_record_is_answered_from_what_was_computed_before_the_save()
    {
        var records = await RecordsCounty.SeedAsync(_factory);
        var county = records.County;
        var key = await VisitSeeds.AddSessionAsync(county, records.Ours, new DateOnly(2026, 9, 9), county.Teacher);
        var response = await (await county.As("teacher")).PostAsJsonAsync("/api/visits", Body(key, county.Teacher.Value, "2026-09-09"));
        response.StatusCode.Should().Be(HttpStatusCode.Created, "nothing is read after the save: " + await response.Content.ReadAsStringAsync());
        (await VisitSeeds.RecordsOfAsync(county, key)).Should().Be(1);
    }

    [Fact]
    public async Task A_record_whose_audit_row_cannot_be_written_is_not_stored()
    {
        var records = await RecordsCounty.SeedAsync(_factory);
        var county = records.County;
        var key = await VisitSeeds.AddSessionAsync(county, records.Ours, new DateOnly(2026, 9, 10), county.Teacher);
        Database.DoomVisits = true;
        try
        {
            var teacher = await county.As("teacher");
            var status = await StatusAsync(() => teacher.PostAsJsonAsync("/api/visits", Body(key, county.Teacher.Value, "2026-09-10")));
            status.Should().BeGreaterThanOrEqualTo(500);
        }
        finally
        {
            Database.DoomVisits = false;
        }
        (await VisitSeeds.RecordsOfAsync(county, key)).Should().Be(0, "a 500 never leaves a row behind");
    }

    /// <summary>The status of a request that fails on the server (the test host may hand the exception through).</summary>
    private static async Task<int> StatusAsync(Func<Task<HttpResponseMessage>> send)
    {
        try
        {
            return (int)(await send()).StatusCode;
        }
        catch (IOException)
        {
            return 500;
        }
    }
}
