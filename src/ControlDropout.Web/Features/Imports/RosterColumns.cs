namespace ControlDropout.Web.Features.Imports;

/// <summary>A roster column: its Chinese header, whether the file must have it, and the rule the notes sheet shows.</summary>
public sealed record RosterColumn(string Header, bool Required, string Rule);

/// <summary>The columns of each roster, in the template's order: the one list the reader, the template and its notes share.</summary>
public static class RosterColumns
{
    public static readonly RosterColumn[] Students =
    [
        new("姓名", true, "必填，不超过 50 字"),
        new("性别", true, "男 或 女（与身份证号一致；填了身份证号可留空）"),
        new("民族", false, "如 汉族、彝族、佤族"),
        new("出生日期", true, "如 2016-03-02（与身份证号一致；填了身份证号可留空）"),
        new("身份证号", true, "18 位，最后一位可为 X，校验位须正确；身份证号和全国学籍号至少填一项，再次导入时据此找到同一学生"),
        new("全国学籍号", true, "如 G530902201603020012；无身份证号时据此找到同一学生"),
        new("残疾类别", true, "视力、听力、言语、肢体、智力、精神、多重 之一"),
        new("残疾等级", true, "1–4 或 一级、二级、三级、四级（一级最重）"),
        new("残疾人证号", false, "残联核发的残疾人证号"),
        new("发证日期", false, "残疾人证发证日期，如 2025-12-01；与残疾人证号、类别、等级一起即为残联登记"),
        new("学籍学校", true, "本县学校的全称；协调人只能填本校（可留空，即本校）"),
        new("乡镇", true, "本县乡镇名称，如 博尚镇（可省略“镇/乡/街道”）"),
        new("村/社区", true, "该乡镇的村/社区名称，如 碗窑村委会（可省略“村委会/社区”）；家庭位置取该村（否则乡镇）的坐标"),
        new("监护人", false, "监护人姓名"),
        new("关系", false, "与学生关系，如 母亲"),
        new("监护人电话", false, "11 位手机号"),
    ];

    public static readonly RosterColumn[] Staff =
    [
        new("姓名", true, "必填，不超过 50 字"),
        new("所属部门", true, "教育、卫健、残联、民政 之一"),
        new("专长", true, "用“、”分隔：" + string.Join("；", RosterCells.SkillWords.Select(s => $"{s.Words} → {s.Code}"))),
        new("学校", false, "本县学校全称（县卫健、残联等人员可留空）；协调人只能填本校（可留空，即本校）。工作地点取学校位置，否则取本县第一个有坐标的乡镇"),
        new("手机号", true, "11 位手机号；再次导入时据此找到同一人"),
        new("可用日", true, "如 周一至周五、一三五、1,3,5；时段均为 08:00–18:00"),
        new("每周课次上限", false, "0–40 的整数，留空为 8"),
        new("可远程", false, "是 或 否，留空为否"),
    ];

    public static readonly RosterColumn[] Assessments =
    [
        new("身份证号", true, "已登记学生的身份证号（与全国学籍号至少填一项）"),
        new("全国学籍号", false, "已登记学生的全国学籍号"),
        new("评估日期", true, "如 2026-06-15，不晚于今天；同一学生、同一日期、同一文号再次导入即为更正"),
        new("文号", false, "专家委员会评估结论的文号，如 临教专评〔2026〕12号"),
        new("评估成员", false, "用“、”分隔，如 张三、李四、王五"),
        new("结论", true, "送教上门、远程送教、暂缓 之一（随班就读、特教学校涉及离开送教，请在学生页面登记）"),
        new("意见", false, "评估意见，不超过 4000 字"),
    ];

    public static RosterColumn[] Of(string kind) => kind switch
    {
        ImportKinds.Students => Students,
        ImportKinds.Staff => Staff,
        _ => Assessments,
    };

    public static int Index(string kind, string header)
    {
        var index = Array.FindIndex(Of(kind), c => c.Header == header);
        return index < 0 ? int.MaxValue : index;
    }
}
