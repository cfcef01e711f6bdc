using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Audit;
using ControlDropout.Web.Tests.Features.People;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.DependencyInjection;

namespace ControlDropout.Web.Tests.Features.Audit;

/// <summary>Issue 14 §6: every kind of audit entry reads as one Chinese sentence, with no English word left.</summary>
public sealed partial class AuditSentencesTests : IClassFixture<ServiceFactory>
{
    private static readonly DateTimeOffset At = new(2026, 11, 30, 1, 5, 0, TimeSpan.Zero);
    private const string SomeId = "0193a3c5-7f3e-7c2a-9d1b-2f4e5a6b7c8d";
    private const string Sha = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    private readonly ServiceFactory _factory;

    public AuditSentencesTests(ServiceFactory factory)
    {
        factory.Settings["Access:LoginAttemptsPerMinute"] = "1000";
        _factory = factory;
    }

    /// <summary>
    /// Every event and audited read the code writes, with a summary as the code writes it. A new
    /// <c>RecordReadAsync("…")</c> or <c>SaveChangesWithEventAsync("…")</c> fails <see cref="Every_action_string_in_the_code_has_a_sentence"/>
    /// until it is added here (and, when it reads as English, to <see cref="AuditSentences"/>).
    /// </summary>
    private static readonly (string Action, string Type, string Id, string Summary)[] Events =
    [
        ("role-granted", "AppUser", SomeId, $"role: teacher; staff: {SomeId}"),
        ("role-granted", "AppUser", SomeId, $"role: coordinator; school: {SomeId}"),
        ("role-granted", "AppUser", SomeId, "role: auditor"),
        ("export", "Ledger", SomeId, "format: xlsx; rows: 12"),
        ("export-unmasked", "Ledger", SomeId, "format: csv; rows: 3"),
        ("read-unmasked", "Student", SomeId, "ID card, certificate, registration number and guardian phones shown"),
        ("read-unmasked", "Student", SomeId, "guardian phones shown"),
        ("read-document", "Assessment", SomeId, $"assessment report {Sha[..12]} downloaded"),
        ("import", "Import", "students", $"file sha256={Sha}; rows=40; creates=38; updates=2"),
        ("import", "Import", "staff", $"file sha256={Sha}; rows=4; creates=4; updates=0"),
        ("import", "Import", "assessments", $"file sha256={Sha}; rows=4; creates=4; updates=0"),
        ("export", "TeachingFile", SomeId, $"term: {SomeId}; format: xlsx"),
        ("export", "TeachingFile", SomeId, $"term: {SomeId}; format: html"),
        ("exported", "Report", "monthly:2026-09", "format: xlsx; unit: 临翔区"),
        ("exported", "Report", $"term:{SomeId}", "format: html; unit: 临翔区"),
        ("viewed", "VisitPhoto", SomeId, $"送教照片 {Sha[..12]}"),
        ("read-signature", "VisitRecord", SomeId, "guardian signature shown"),
        ("print-family-card", "Student", SomeId, $"term: {SomeId}; staff phones and confirmation code shown"),
        ("set-meeting-link", "Student", SomeId, "meeting link set"),
        ("set-meeting-link", "Student", SomeId, "meeting link cleared"),
    ];

    /// <summary>Domain types the chain never records (working state shared between instances, not records).</summary>
    private static readonly HashSet<string> SkippedByTheChain = ["AuditEntry", "CheckedUpload", "ConfirmationMiss"];

    [Fact]
    public async Task Every_property_of_every_audited_record_has_a_Chinese_name()
    {
        var missing = (await AuditedTypesAsync())
            .SelectMany(t => t.GetProperties().Select(p => $"{t.ClrType.Name}.{p.Name}").Concat([t.ClrType.Name]))
            .Where(n => n.Contains('.', StringComparison.Ordinal) ? !AuditSentences.FieldNames.ContainsKey(n[(n.IndexOf('.', StringComparison.Ordinal) + 1)..]) : !AuditSentences.ObjectTypes.ContainsKey(n))
            .ToList();
        missing.Should().BeEmpty("every field and record type the trail can name needs its Chinese word in AuditSentences");
    }

    [Fact]
    public async Task Every_record_type_added_modified_or_deleted_reads_as_Chinese()
    {
        foreach (var type in await AuditedTypesAsync())
        {
            var name = type.ClrType.Name;
            var properties = type.GetProperties().ToList();
            var added = string.Join("; ", properties.SelectMany(p => Samples(p).Select(v => $"{p.Name}: ∅ → {v}")));
            var modified = string.Join("; ", properties.SelectMany(p => Samples(p).Select(v => $"{p.Name}: {v} → {v}").Append($"{p.Name}: changed")));
            foreach (var (action, summary) in new[] { ("added", added), ("modified", modified), ("deleted", added) })
            {
                AssertChinese(Sentence(action, name, SomeId, summary), $"{action} {name}");
            }
        }
    }

    [Fact]
    public void Every_event_and_audited_read_reads_as_Chinese()
    {
        foreach (var (action, type, id, summary) in Events)
        {
            AssertChinese(Sentence(action, type, id, summary), $"{action} {type}: {summary}");
        }
    }

    [Fact]
    public void Every_action_string_in_the_code_has_a_sentence()
    {
        var source = Path.Combine(RepositoryRoot(), "src", "ControlDropout.Web");
        var found = new HashSet<(string, string)>();
        foreach (var file in Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories).Where(f => !f.Contains($"{Path.DirectorySeparatorChar}Migrations{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            foreach (Match call in AuditCall().Matches(File.ReadAllText(file)))
            {
                var type = call.Groups["type"].Value;
                foreach (Match action in Literal().Matches(call.Groups["action"].Value))
                {
                    found.Add((action.Groups[1].Value, type));
                }
            }
        }
        found.Should().NotBeEmpty().And.Contain(("export", "TeachingFile"));
        var known = Events.Select(e => (e.Action, e.Type)).ToHashSet();
        found.Where(f => !known.Contains(f)).Should().BeEmpty("each action the code records needs a sample summary in AuditSentencesTests.Events and a Chinese sentence");
        foreach (var (action, type) in found)
        {
            AuditSentences.Actions.Should().ContainKey(action);
            AuditSentences.ObjectTypes.Should().ContainKey(type);
        }
    }

    [Fact]
    public void The_issue_examples_read_as_Chinese_with_the_secret_only_said_to_have_changed()
    {
        var names = new AuditNames().Record("Staff", SomeId, "李老师").Actor("approver-1", "王审批");
        var feed = AuditSentences.Of(Entry("modified", "Staff", SomeId, "FeedTokenHash: changed", "approver-1", "approver"), names);
        feed.Should().Be("2026年11月30日 周一 09:05（北京时间），王审批（审批人）修改了送教人员「李老师」：日历订阅令牌已更换。");

        var moved = AuditSentences.Of(Entry("modified", "VisitRecord", SomeId, "Date: 2026-11-30 → 2026-12-01; Place: Home → Online; Content: changed"), AuditNames.None);
        moved.Should().Contain("日期由 2026-11-30 改为 2026-12-01").And.Contain("送教地点由 学生家中 改为 线上").And.Contain("内容已修改").And.NotContain("11/30/2026");

        var plan = AuditSentences.Of(Entry("modified", "PlanVersion", SomeId, "Status: Draft → Submitted; SubmittedAt: ∅ → 2026-11-30T01:05:00.0000000+00:00"),
            new AuditNames().Record("PlanVersion", SomeId, "刘某某 第2版"));
        plan.Should().Contain("方案版本「刘某某 第2版」").And.Contain("状态由 草稿 改为 待审批").And.Contain("提交时间为 2026-11-30 09:05");

        foreach (var secret in new[] { "PasswordHash", "SecurityStamp", "SignatureSvg", "FeedTokenHash" })
        {
            AuditSentences.Of(Entry("modified", "AppUser", SomeId, $"{secret}: changed"), AuditNames.None).Should().Contain("已更换");
        }
    }

    [Fact]
    public async Task A_child_with_a_full_name_is_named_on_the_trail_by_surname_only()
    {
        var county = await _factory.OtherCountyAsync();
        var child = await county.NewChildAsync();
        using (var scope = _factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var stored = await db.Students.SingleAsync(s => s.Id == child);
            stored.Name = "孙小明";
            await db.SaveChangesAsync();
        }
        await (await county.As("coordinator")).CreatePlanAsync(child, county.Term);
        (await (await county.As("approver")).GetAsync($"/api/students/{child}/teaching-file?termId={county.Term}")).EnsureSuccessStatusCode();

        var rows = await (await county.As("auditor")).GetFromJsonAsync<List<JsonElement>>("/api/audit");

        var sentences = rows!.Select(r => r.GetProperty("sentence").GetString()!).ToList();
        sentences.Should().Contain(s => s.Contains("导出了送教档案「孙某某」", StringComparison.Ordinal));
        sentences.Should().NotContain(s => s.Contains("孙小明", StringComparison.Ordinal), "the trail names a child without showing who");
    }

    [Fact]
    public async Task The_trail_names_the_child_of_a_plan_and_of_a_teaching_file_export_by_masked_name()
    {
        var county = await _factory.LincangAsync();
        var coordinator = await county.As("coordinator");
        var child = await county.NewChildAsync();
        var (_, plan) = await coordinator.CreatePlanAsync(child, county.Term);
        plan.Should().NotBeNull();
        var approver = await county.As("approver");
        (await approver.GetAsync($"/api/students/{child}/teaching-file?termId={county.Term}")).EnsureSuccessStatusCode();
        string masked;
        using (var scope = _factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            masked = await db.Students.Where(s => s.Id == child).Select(s => s.Name).SingleAsync();
        }

        var rows = await (await county.As("auditor")).GetFromJsonAsync<List<JsonElement>>("/api/audit");

        var export = rows!.First(r => r.GetProperty("objectType").GetString() == "TeachingFile" && r.GetProperty("objectId").GetString() == child.ToString());
        export.GetProperty("sentence").GetString().Should().Contain($"导出了送教档案「{masked}」").And.Contain("审批人").And.Contain("电子表格").And.Contain("北京时间");
        var added = rows!.First(r => r.GetProperty("objectType").GetString() == "Plan" && r.GetProperty("action").GetString() == "added" && r.GetProperty("actor").GetString() == county.Accounts["coordinator"]);
        added.GetProperty("sentence").GetString().Should().Contain("新增了送教方案「").And.Contain("（协调员）");
        foreach (var row in rows!)
        {
            // Logins of the test accounts are the only Latin words (real accounts show their display names).
            var sentence = row.GetProperty("sentence").GetString()!;
            foreach (var login in county.Accounts.Values)
            {
                sentence = sentence.Replace(login, "", StringComparison.Ordinal);
            }
            AssertChinese(sentence, row.GetProperty("summary").GetString()!);
        }

        var page = await (await _factory.SignedInAsync(county, "auditor")).GetStringAsync(new Uri("/inspect/audit", UriKind.Relative));
        page.Should().Contain($"导出了送教档案「{masked}」").And.NotContain("TeachingFile").And.NotContain(": changed");
    }

    // —— helpers ——

    private async Task<List<IEntityType>> AuditedTypesAsync()
    {
        await _factory.LincangAsync();
        using var scope = _factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return db.Model.GetEntityTypes()
            .Where(t => !t.IsOwned() && (t.ClrType.Namespace == typeof(Student).Namespace || t.ClrType == typeof(AppUser)) && !SkippedByTheChain.Contains(t.ClrType.Name))
            .ToList();
    }

    /// <summary>Values as the chain writes them, every member of an enum included.</summary>
    private static IEnumerable<string> Samples(IProperty property)
    {
        var type = Nullable.GetUnderlyingType(property.ClrType) ?? property.ClrType;
        if (type.IsEnum)
        {
            return Enum.GetNames(type);
        }
        return property.Name switch
        {
            "Mode" when type == typeof(string) => [SessionModes.Home, SessionModes.Remote],
            "Week" => ["2026-W48"],
            "DisabilityGrade" or "MaxDisabilityGrade" => ["2"],
            _ when type == typeof(DateOnly) => ["2026-11-30"],
            _ when type == typeof(TimeOnly) => ["08:30"],
            _ when type == typeof(DateTimeOffset) => [At.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)],
            _ when type == typeof(bool) => ["True", "False"],
            _ when type == typeof(string) => ["张三"],
            _ when type.IsPrimitive || type == typeof(decimal) => ["3"],
            _ => [SomeId],
        };
    }

    private static AuditEntryDto Entry(string action, string type, string id, string summary, string actor = "张老师", string role = "teacher") =>
        new(1, At, actor, role, action, type, id, summary, "0HN8:00000001", "");

    private static string Sentence(string action, string type, string id, string summary) =>
        AuditSentences.Of(Entry(action, type, id, summary), AuditNames.None);

    private static void AssertChinese(string sentence, string because)
    {
        var left = Whitelisted().Replace(sentence, "");
        EnglishWord().Matches(left).Select(m => m.Value).Should().BeEmpty($"「{sentence}」 ({because}) should read as Chinese");
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, "src", "ControlDropout.Web")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }

    [GeneratedRegex(@"(?:RecordReadAsync|SaveChangesWithEventAsync)\((?<action>[^,]*),\s*(?:""(?<type>\w+)""|nameof\((?<type>\w+)\))")]
    private static partial Regex AuditCall();

    [GeneratedRegex(@"""([^""]+)""")]
    private static partial Regex Literal();

    /// <summary>Ids and codes a sentence may show as they are: UUIDs, hashes, request ids.</summary>
    [GeneratedRegex(@"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|\b[0-9a-fA-F]{12,64}\b|0HN[0-9A-Z:]+")]
    private static partial Regex Whitelisted();

    [GeneratedRegex("[A-Za-z]+")]
    private static partial Regex EnglishWord();
}
