using System.Globalization;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.People;
using ControlDropout.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;

namespace ControlDropout.Web.Features.Imports;

/// <summary>
/// The import templates: sheet 1 with the Chinese headers and one example row that imports as it is (a
/// synthetic child whose 身份证号 has a right check digit, a real township and village of the caller's county,
/// the caller's school), sheet 2 「填写说明」 with each column's rules.
/// </summary>
public sealed class RosterTemplates(AppDbContext db, CurrentUser me, TimeProvider clock)
{
    private const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public async Task<Result<ExportFile>> TemplateAsync(string kind, CancellationToken ct)
    {
        if (!ImportKinds.All.Contains(kind))
        {
            return Refusal.NotFound();
        }
        if (!me.May(Permission.Enrol))
        {
            return Refusal.NotAllowed();
        }
        var today = Conventions.ChinaDay(clock.GetUtcNow());
        var schools = await db.Schools.Where(s => s.CountyCode == me.CountyCode).OrderBy(s => s.Name).ToListAsync(ct).ConfigureAwait(false);
        var school = (me.IsCoordinator ? schools.FirstOrDefault(s => me.ActsFor(s.Id)) : null) ?? schools.FirstOrDefault();
        var townships = await db.Townships.Where(t => t.CountyCode == me.CountyCode).OrderBy(t => t.Code).ToListAsync(ct).ConfigureAwait(false);
        var codes = townships.Select(t => t.Code).ToList();
        var villages = await db.Villages.Where(v => codes.Contains(v.TownshipCode)).OrderBy(v => v.Code).ToListAsync(ct).ConfigureAwait(false);
        // A village whose home position is known (its own or its township's), so the example row imports.
        var village = villages.FirstOrDefault(v => v.Lat is not null && v.Lon is not null)
            ?? villages.FirstOrDefault(v => townships.Any(t => t.Code == v.TownshipCode && t.Lat is not null && t.Lon is not null));
        var township = townships.FirstOrDefault(t => t.Code == village?.TownshipCode);
        var child = Example(me.CountyCode, today);
        var example = kind switch
        {
            ImportKinds.Students => new Dictionary<string, object>
            {
                ["姓名"] = "示例学生", ["性别"] = "男", ["民族"] = "汉族", ["出生日期"] = Day(child.Birth), ["身份证号"] = child.IdCard,
                ["全国学籍号"] = "G" + child.IdCard, ["残疾类别"] = "智力", ["残疾等级"] = "二级", ["残疾人证号"] = child.IdCard + "52",
                ["发证日期"] = Day(today.AddMonths(-6)), ["学籍学校"] = school?.Name ?? "", ["乡镇"] = township?.Name ?? "", ["村/社区"] = village?.Name ?? "",
                ["监护人"] = "示例家长", ["关系"] = "母亲", ["监护人电话"] = "13800000000",
            },
            ImportKinds.Staff => new Dictionary<string, object>
            {
                ["姓名"] = "示例教师", ["所属部门"] = "教育", ["专长"] = "特殊教育、康复", ["学校"] = school?.Name ?? "", ["手机号"] = "13900000000",
                ["可用日"] = "周一至周五", ["每周课次上限"] = "8", ["可远程"] = "是",
            },
            _ => new Dictionary<string, object>
            {
                ["身份证号"] = child.IdCard, ["全国学籍号"] = "G" + child.IdCard, ["评估日期"] = Day(today.AddMonths(-1)),
                ["文号"] = string.Create(CultureInfo.InvariantCulture, $"示例专评〔{today.AddMonths(-1).Year}〕1号"), ["评估成员"] = "张三、李四、王五",
                ["结论"] = "送教上门", ["意见"] = "建议送教上门，每周一次",
            },
        };
        var notes = RosterColumns.Of(kind).Select(c => new Dictionary<string, object> { ["列名"] = c.Header, ["是否必填"] = c.Required ? "必填列" : "可选", ["填写说明"] = c.Rule }).ToList();
        notes.Add(new Dictionary<string, object> { ["列名"] = "（说明）", ["是否必填"] = "", ["填写说明"] = Explanation(kind) });
        var sheets = new Dictionary<string, object>
        {
            [ImportKinds.Title(kind)] = new[] { example },
            ["填写说明"] = notes,
        };
        using var stream = new MemoryStream();
        await stream.SaveAsAsync(sheets, cancellationToken: ct).ConfigureAwait(false);
        return new ExportFile(stream.ToArray(), ContentType, $"{kind}-template.xlsx");
    }

    private static string Explanation(string kind) => kind switch
    {
        ImportKinds.Assessments => "示例行对应学生模板中的示例学生：先导入学生模板，或换成已登记学生的身份证号。第 1 行为列名，空行跳过；单元格不可含公式；一次最多 5000 行、5 MB。",
        _ => "第 1 行为列名，请勿改动；示例行可直接导入，正式使用时请替换。空行跳过；单元格不可含公式；一次最多 5000 行、5 MB；先“检查”，没有错误后再“导入”（全部成功或全部不导入）。",
    };

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The synthetic example child: 9 years old today, 身份证号 composed for the county with a right check digit.</summary>
    public static (DateOnly Birth, string IdCard) Example(string countyCode, DateOnly today)
    {
        var birth = new DateOnly(today.Year - 9, 3, 15);
        return (birth, IdentityNumbers.Compose(countyCode, birth, 1));
    }
}
