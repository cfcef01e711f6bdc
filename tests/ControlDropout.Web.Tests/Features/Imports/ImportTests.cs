using System.Net;
using System.Text;
using System.Text.Json;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;

namespace ControlDropout.Web.Tests.Features.Imports;

/// <summary>POST /api/imports/{kind} and the templates: the county's rosters in, all or nothing, never a 500.</summary>
public sealed class ImportTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;

    public ImportTests(ServiceFactory factory) => _factory = factory;

    private static string SchoolName(TestCounty county) => county.Code == "530902" ? "临翔区特殊教育学校" : "沧源佤族自治县特殊教育学校";

    private static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(HttpClient client, string kind, byte[] file, string fileName, bool dryRun)
    {
        using var form = Rosters.Form(file, fileName);
        var response = await client.PostAsync(new Uri($"/api/imports/{kind}{(dryRun ? "?dryRun=true" : "")}", UriKind.Relative), form);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private static (int Rows, int Valid, int Creates, int Updates, List<(int Row, string Column, string Message)> Errors) Read(JsonElement body) => (
        body.GetProperty("rows").GetInt32(), body.GetProperty("valid").GetInt32(), body.GetProperty("creates").GetInt32(), body.GetProperty("updates").GetInt32(),
        [.. body.GetProperty("errors").EnumerateArray().Select(e => (e.GetProperty("row").GetInt32(), e.GetProperty("column").GetString()!, e.GetProperty("message").GetString()!))]);

    private async Task<T> DbAsync<T>(Func<AppDbContext, Task<T>> query)
    {
        using var scope = _factory.Services.CreateScope();
        return await query(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    private Task<int> StudentsAsync(string county) => DbAsync(db => db.Students.CountAsync(s => s.CountyCode == county));

    private Task<int> AuditRowsAsync() => DbAsync(db => db.Audit.CountAsync());

    [Fact]
    public async Task A_300_row_xlsx_roster_imports_and_a_corrected_one_updates_only_the_changed_rows()
    {
        var county = await _factory.LincangAsync();
        var admin = await county.As("admin");
        var rows = Rosters.Children(county.Code, SchoolName(county), 300, new DateOnly(2012, 1, 1));
        var file = Rosters.Xlsx(rows, Rosters.StudentHeaders);
        var before = await StudentsAsync(county.Code);

        var (status, body) = await PostAsync(admin, "students", file, "roster.xlsx", dryRun: true);
        status.Should().Be(HttpStatusCode.OK, body.ToString());
        var dry = Read(body);
        dry.Errors.Should().BeEmpty();
        (dry.Rows, dry.Valid, dry.Creates, dry.Updates).Should().Be((300, 300, 300, 0));
        (await StudentsAsync(county.Code)).Should().Be(before, "a dry run stores nothing");

        (status, body) = await PostAsync(admin, "students", file, "roster.xlsx", dryRun: false);
        status.Should().Be(HttpStatusCode.OK, body.ToString());
        (Read(body).Creates, Read(body).Updates).Should().Be((300, 0));
        (await StudentsAsync(county.Code)).Should().Be(before + 300);
        var imported = await DbAsync(db => db.Students.SingleAsync(s => s.IdCardNo == rows[2].GetValueOrDefault("身份证号")));
        imported.VillageCode.Should().Be(county.Code + "102202", "南美 / 坡脚 resolve without their suffixes");
        (imported.HomeLat, imported.HomeLon).Should().Be((23.86, 100.2), "坡脚 has no position of its own: its township's");
        imported.Guardians.Single().Phone.Should().Be("13900000002");
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(file));
        (await DbAsync(db => db.Audit.CountAsync(a => a.Action == "import" && a.Summary.Contains(sha) && a.Summary.Contains("creates=300"))))
            .Should().Be(1, "the import itself is on the trail with its file hash and counts");

        foreach (var row in rows.Take(10))
        {
            row["姓名"] += "改";
        }
        (status, body) = await PostAsync(admin, "students", Rosters.Xlsx(rows, Rosters.StudentHeaders), "roster-2.xlsx", dryRun: false);
        status.Should().Be(HttpStatusCode.OK, body.ToString());
        (Read(body).Creates, Read(body).Updates).Should().Be((0, 10));

        (status, body) = await PostAsync(admin, "students", Rosters.Xlsx(rows, Rosters.StudentHeaders), "roster-2.xlsx", dryRun: false);
        status.Should().Be(HttpStatusCode.OK);
        (Read(body).Creates, Read(body).Updates).Should().Be((0, 0), "the same roster again changes nothing");
        (await StudentsAsync(county.Code)).Should().Be(before + 300);
    }

    [Fact]
    public async Task A_300_row_gb18030_csv_roster_imports_and_reimports_as_updates()
    {
        var county = await _factory.LincangAsync();
        var approver = await county.As("approver");
        var rows = Rosters.Children(county.Code, SchoolName(county), 300, new DateOnly(2013, 6, 1));
        var before = await StudentsAsync(county.Code);

        var (status, body) = await PostAsync(approver, "students", Rosters.Csv(rows, Rosters.StudentHeaders, Rosters.Gb18030()), "名册.csv", dryRun: false);
        status.Should().Be(HttpStatusCode.OK, body.ToString());
        (Read(body).Creates, Read(body).Updates).Should().Be((300, 0));
        (await DbAsync(db => db.Students.CountAsync(s => s.Name == "学生299" && s.CountyCode == county.Code))).Should().BeGreaterThan(0, "GB18030 decodes");

        foreach (var row in rows.Skip(100).Take(10))
        {
            row["监护人电话"] = "13700000000";
        }
        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: true);
        var withBom = utf8.GetPreamble().Concat(Rosters.Csv(rows, Rosters.StudentHeaders, utf8)).ToArray();
        (status, body) = await PostAsync(approver, "students", withBom, "名册.csv", dryRun: false);
        status.Should().Be(HttpStatusCode.OK, body.ToString());
        (Read(body).Creates, Read(body).Updates).Should().Be((0, 10), "the same children in UTF-8 with a BOM, ten phones changed");
        (await StudentsAsync(county.Code)).Should().Be(before + 300);
    }

    [Fact]
    public async Task A_roster_with_three_bad_rows_is_refused_whole_naming_exactly_those_cells()
    {
        var county = await _factory.LincangAsync();
        var admin = await county.As("admin");
        var rows = Rosters.Children(county.Code, SchoolName(county), 20, new DateOnly(2014, 2, 1));
        var card = rows[3]["身份证号"];
        rows[3]["身份证号"] = card[..17] + (card[17] == '0' ? '1' : '0');
        rows[7]["村/社区"] = "碗窑村X";
        rows[12]["残疾等级"] = "5";
        var students = await StudentsAsync(county.Code);
        var audit = await AuditRowsAsync();

        var (status, body) = await PostAsync(admin, "students", Rosters.Xlsx(rows, Rosters.StudentHeaders), "bad.xlsx", dryRun: false);

        status.Should().Be((HttpStatusCode)422, body.ToString());
        body.GetProperty("code").GetString().Should().Be("import_rejected");
        var report = Read(body);
        report.Errors.Select(e => (e.Row, e.Column)).Should().Equal((5, "身份证号"), (9, "村/社区"), (14, "残疾等级"));
        report.Errors[0].Message.Should().Contain("校验位");
        report.Errors[1].Message.Should().Contain("碗窑村委会", "the closest known village is named");
        (report.Rows, report.Valid).Should().Be((20, 17));
        (await StudentsAsync(county.Code)).Should().Be(students, "all or nothing");
        (await AuditRowsAsync()).Should().Be(audit);
    }

    [Fact]
    public async Task Duplicates_inside_one_file_and_blank_rows()
    {
        var county = await _factory.LincangAsync();
        var admin = await county.As("admin");
        var rows = Rosters.Children(county.Code, SchoolName(county), 3, new DateOnly(2014, 9, 1));
        rows.Insert(1, []);
        rows.Add(new Dictionary<string, string>(rows[0]));
        var (status, body) = await PostAsync(admin, "students", Rosters.Xlsx(rows, Rosters.StudentHeaders), "dup.xlsx", dryRun: true);
        status.Should().Be(HttpStatusCode.OK);
        var report = Read(body);
        report.Rows.Should().Be(4, "the blank row is skipped");
        report.Errors.Should().ContainSingle().Which.Should().Match<(int Row, string Column, string Message)>(e => e.Row == 6 && e.Column == "身份证号" && e.Message.Contains("第 2 行"));
    }

    [Fact]
    public async Task Files_that_are_not_rosters_are_refused_never_with_a_500()
    {
        var county = await _factory.LincangAsync();
        var admin = await county.As("admin");
        var students = await StudentsAsync(county.Code);

        var (status, body) = await PostAsync(admin, "students", Rosters.ZipBomb(), "bomb.xlsx", dryRun: false);
        status.Should().Be(HttpStatusCode.BadRequest, body.ToString());
        body.GetProperty("code").GetString().Should().Be("not_a_spreadsheet");

        var exe = new byte[4096];
        exe[0] = (byte)'M';
        exe[1] = (byte)'Z';
        Random.Shared.NextBytes(exe.AsSpan(2));
        (status, body) = await PostAsync(admin, "students", exe, "roster.xlsx", dryRun: false);
        status.Should().Be(HttpStatusCode.BadRequest);
        body.GetProperty("code").GetString().Should().Be("not_a_spreadsheet");

        (status, body) = await PostAsync(admin, "students", exe, "roster.csv", dryRun: true);
        status.Should().Be(HttpStatusCode.BadRequest, "binary bytes are not a CSV either");

        var fakeZip = "PK\u0003\u0004garbage"u8.ToArray();
        (status, _) = await PostAsync(admin, "students", fakeZip, "roster.xlsx", dryRun: true);
        status.Should().Be(HttpStatusCode.BadRequest);

        (status, body) = await PostAsync(admin, "students", new byte[6 * 1024 * 1024], "big.xlsx", dryRun: true);
        status.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        body.GetProperty("title").GetString().Should().Contain("5 MB");

        (status, _) = await PostAsync(admin, "pets", Rosters.Xlsx([], Rosters.StudentHeaders), "x.xlsx", dryRun: true);
        status.Should().Be(HttpStatusCode.NotFound);
        (await StudentsAsync(county.Code)).Should().Be(students);
    }

    [Fact]
    public async Task More_than_5000_rows_is_refused_as_too_many_even_above_the_servers_1_mb_body_limit()
    {
        var county = await _factory.LincangAsync();
        var admin = await county.As("admin");
        var rows = Rosters.Children(county.Code, SchoolName(county), 5001, new DateOnly(2011, 1, 1));
        rows.ForEach(r => r["备注"] = new string('注', 60));
        var csv = Rosters.Csv(rows, [.. Rosters.StudentHeaders, "备注"], Encoding.UTF8);
        csv.Length.Should().BeGreaterThan(1024 * 1024);
        var (status, body) = await PostAsync(admin, "students", csv, "big.csv", dryRun: true);
        status.Should().Be((HttpStatusCode)422, body.ToString());
        body.GetProperty("code").GetString().Should().Be("too_many_rows");
    }

    [Fact]
    public async Task A_formula_cell_is_a_row_error_in_xlsx_and_in_csv_never_evaluated_or_stored()
    {
        var county = await _factory.LincangAsync();
        var admin = await county.As("admin");
        var rows = Rosters.Children(county.Code, SchoolName(county), 2, new DateOnly(2015, 3, 1));
        var xlsx = Rosters.WithFormula(Rosters.Xlsx(rows, Rosters.StudentHeaders), "A3", "HYPERLINK(\"http://evil.example\",\"点我\")");
        var students = await StudentsAsync(county.Code);

        var (status, body) = await PostAsync(admin, "students", xlsx, "formula.xlsx", dryRun: false);
        status.Should().Be((HttpStatusCode)422, body.ToString());
        Read(body).Errors.Should().ContainSingle().Which.Should().Be((3, "姓名", "单元格含公式，请粘贴为数值"));

        rows[1]["监护人"] = "=HYPERLINK(\"http://evil.example\",\"点我\")";
        (status, body) = await PostAsync(admin, "students", Rosters.Csv(rows, Rosters.StudentHeaders, Encoding.UTF8), "formula.csv", dryRun: false);
        status.Should().Be((HttpStatusCode)422, body.ToString());
        Read(body).Errors.Should().ContainSingle().Which.Should().Be((3, "监护人", "单元格含公式，请粘贴为数值"));
        (await StudentsAsync(county.Code)).Should().Be(students);
    }

    [Fact]
    public async Task Each_template_uploaded_unchanged_checks_clean_and_commits()
    {
        var county = await _factory.LincangAsync();
        var coordinator = await county.As("coordinator");
        (await coordinator.GetAsync(new Uri("/api/imports/templates/pets.xlsx", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.NotFound);
        foreach (var kind in new[] { "students", "staff", "assessments" })
        {
            var response = await coordinator.GetAsync(new Uri($"/api/imports/templates/{kind}.xlsx", UriKind.Relative));
            response.StatusCode.Should().Be(HttpStatusCode.OK);
            var template = await response.Content.ReadAsByteArrayAsync();
            using (var stream = new MemoryStream(template))
            {
                stream.GetSheetNames().Should().Contain("填写说明");
            }
            var (status, body) = await PostAsync(coordinator, kind, template, $"{kind}.xlsx", dryRun: true);
            status.Should().Be(HttpStatusCode.OK, body.ToString());
            Read(body).Errors.Should().BeEmpty(kind);
            Read(body).Rows.Should().Be(1);
            (status, body) = await PostAsync(coordinator, kind, template, $"{kind}.xlsx", dryRun: false);
            status.Should().Be(HttpStatusCode.OK, body.ToString());
            (Read(body).Creates + Read(body).Updates).Should().BeLessThanOrEqualTo(1);
        }
        var child = await DbAsync(db => db.Students.Include(s => s.Assessments).SingleAsync(s => s.CountyCode == county.Code && s.Name == "示例学生"));
        child.Assessments.Should().ContainSingle(a => a.Conclusion == AssessmentConclusion.HomeTeaching && a.Members.Count == 3);
        child.SchoolOfRecordId.Should().Be(county.School);
    }

    [Fact]
    public async Task A_coordinator_imports_only_for_their_school_and_another_countys_names_are_not_ours()
    {
        var county = await _factory.LincangAsync();
        var other = await _factory.OtherCountyAsync();
        await DbAsync(async db =>
        {
            if (!await db.Schools.AnyAsync(s => s.Name == "博尚镇中心小学"))
            {
                db.Schools.Add(new School { Id = SchoolId.New(), CountyCode = county.Code, TownshipCode = county.Code + "101", Name = "博尚镇中心小学", Kind = SchoolKind.Regular });
                await db.SaveChangesAsync();
            }
            return 0;
        });
        var coordinator = await county.As("coordinator");
        var rows = Rosters.Children(county.Code, SchoolName(county), 2, new DateOnly(2015, 7, 1));
        rows[1]["学籍学校"] = "博尚镇中心小学";
        var (status, body) = await PostAsync(coordinator, "students", Rosters.Xlsx(rows, Rosters.StudentHeaders), "scope.xlsx", dryRun: true);
        status.Should().Be(HttpStatusCode.OK);
        Read(body).Errors.Should().ContainSingle().Which.Should().Match<(int Row, string Column, string Message)>(e => e.Row == 3 && e.Column == "学籍学校" && e.Message.Contains("本校"));

        // The other county's template names its own school: in this county that school does not exist.
        var otherTemplate = await (await other.As("admin")).GetByteArrayAsync(new Uri("/api/imports/templates/students.xlsx", UriKind.Relative));
        (status, body) = await PostAsync(await county.As("admin"), "students", otherTemplate, "other.xlsx", dryRun: true);
        status.Should().Be(HttpStatusCode.OK);
        Read(body).Errors.Should().ContainSingle().Which.Column.Should().Be("学籍学校");
        var mine = await (await county.As("admin")).GetByteArrayAsync(new Uri("/api/imports/templates/students.xlsx", UriKind.Relative));
        using var sheet = new MemoryStream(mine);
        var example = (IDictionary<string, object>)MiniExcel.Query(sheet, useHeaderRow: true).First();
        example["学籍学校"].Should().Be(SchoolName(county));
        ((string)example["身份证号"]).Should().StartWith(county.Code);

        (await (await county.As("teacher")).PostAsync(new Uri("/api/imports/students?dryRun=true", UriKind.Relative), Rosters.Form(mine, "t.xlsx")))
            .StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    private static readonly string[] StaffHeaders = ["姓名", "所属部门", "专长", "学校", "手机号", "可用日", "每周课次上限", "可远程"];

    [Fact]
    public async Task Staff_are_matched_by_phone()
    {
        var county = await _factory.LincangAsync();
        var admin = await county.As("admin");
        var rows = new List<Dictionary<string, string>>
        {
            new() { ["姓名"] = "杨医生", ["所属部门"] = "卫健", ["专长"] = "医疗、康复", ["学校"] = "", ["手机号"] = "13611112222", ["可用日"] = "一三五", ["每周课次上限"] = "6", ["可远程"] = "否" },
            new() { ["姓名"] = "何老师", ["所属部门"] = "教育", ["专长"] = "特教、言语", ["学校"] = SchoolName(county), ["手机号"] = "13611113333", ["可用日"] = "周一至周五", ["每周课次上限"] = "", ["可远程"] = "是" },
        };
        var (status, body) = await PostAsync(admin, "staff", Rosters.Xlsx(rows, StaffHeaders), "staff.xlsx", dryRun: false);
        status.Should().Be(HttpStatusCode.OK, body.ToString());
        (Read(body).Creates, Read(body).Updates).Should().Be((2, 0));
        var doctor = await DbAsync(db => db.Staff.SingleAsync(s => s.Phone == "13611112222"));
        doctor.Skills.Should().Equal("medical", "rehabilitation");
        doctor.Availability.Select(w => w.Day).Should().Equal(1, 3, 5);
        doctor.Availability.Should().OnlyContain(w => w.From == new TimeOnly(8, 0) && w.To == new TimeOnly(18, 0));
        doctor.BaseName.Should().Be("博尚镇", "no school: the county's first located township");

        rows[0]["姓名"] = "杨医师";
        rows[0]["每周课次上限"] = "4";
        (status, body) = await PostAsync(admin, "staff", Rosters.Xlsx(rows, StaffHeaders), "staff.xlsx", dryRun: false);
        status.Should().Be(HttpStatusCode.OK, body.ToString());
        (Read(body).Creates, Read(body).Updates).Should().Be((0, 1));
        (await DbAsync(db => db.Staff.SingleAsync(s => s.Phone == "13611112222"))).Should().Match<Staff>(s => s.Id == doctor.Id && s.Name == "杨医师" && s.MaxSessionsPerWeek == 4);

        rows[1]["专长"] = "跳舞";
        rows[1]["可用日"] = "周八";
        (status, body) = await PostAsync(admin, "staff", Rosters.Xlsx(rows, StaffHeaders), "staff.xlsx", dryRun: true);
        Read(body).Errors.Select(e => (e.Row, e.Column)).Should().Equal((3, "专长"), (3, "可用日"));
    }

    private static readonly string[] AssessmentHeaders = ["身份证号", "全国学籍号", "评估日期", "文号", "评估成员", "结论", "意见"];

    [Fact]
    public async Task Assessments_are_created_then_updated_and_a_leaving_conclusion_is_sent_to_the_child_page()
    {
        var county = await _factory.LincangAsync();
        var admin = await county.As("admin");
        var children = Rosters.Children(county.Code, SchoolName(county), 2, new DateOnly(2016, 1, 10));
        (await PostAsync(admin, "students", Rosters.Xlsx(children, Rosters.StudentHeaders), "c.xlsx", dryRun: false)).Status.Should().Be(HttpStatusCode.OK);
        var rows = new List<Dictionary<string, string>>
        {
            new() { ["身份证号"] = children[0]["身份证号"], ["评估日期"] = "2026-06-15", ["文号"] = "临教专评〔2026〕12号", ["评估成员"] = "张三、李四", ["结论"] = "送教上门", ["意见"] = "每周一次" },
            new() { ["全国学籍号"] = children[1]["全国学籍号"], ["评估日期"] = "2026/6/16", ["文号"] = "临教专评〔2026〕13号", ["评估成员"] = "张三", ["结论"] = "远程送教", ["意见"] = "" },
        };
        var (status, body) = await PostAsync(admin, "assessments", Rosters.Xlsx(rows, AssessmentHeaders), "a.xlsx", dryRun: false);
        status.Should().Be(HttpStatusCode.OK, body.ToString());
        (Read(body).Creates, Read(body).Updates).Should().Be((2, 0));

        rows[0]["意见"] = "每周两次";
        (status, body) = await PostAsync(admin, "assessments", Rosters.Xlsx(rows, AssessmentHeaders), "a.xlsx", dryRun: false);
        status.Should().Be(HttpStatusCode.OK, body.ToString());
        (Read(body).Creates, Read(body).Updates).Should().Be((0, 1));
        var card = children[0]["身份证号"];
        var assessment = await DbAsync(db => db.Assessments.SingleAsync(a => a.DocumentNo == "临教专评〔2026〕12号" && db.Students.Any(s => s.Id == a.StudentId && s.IdCardNo == card)));
        assessment.Note.Should().Be("每周两次");
        assessment.RecordedBy.Should().Be(county.Accounts["admin"]);

        rows[1]["结论"] = "随班就读";
        rows[1]["评估日期"] = "2026-08-01";
        (status, body) = await PostAsync(admin, "assessments", Rosters.Xlsx(rows, AssessmentHeaders), "a.xlsx", dryRun: false);
        status.Should().Be((HttpStatusCode)422);
        Read(body).Errors.Should().ContainSingle().Which.Should().Be((3, "结论", "请在学生页面登记该评估（涉及离开送教）"));
    }
}
