using System.Globalization;
using System.Text;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Infrastructure;

namespace ControlDropout.Web.Features.Audit;

/// <summary>
/// The names an audit page may put into its sentences, looked up when the page is rendered (the chain itself
/// holds ids only, never a child's name): objects by their type and id, actors by their login.
/// </summary>
public sealed class AuditNames
{
    private readonly Dictionary<string, string> _objects = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _actors = new(StringComparer.Ordinal);

    public static AuditNames None { get; } = new();

    /// <summary>The name of an object: a child's masked name, a staff member's name, a term's name, "刘某某 第2版".</summary>
    public AuditNames Record(string type, string id, string name)
    {
        _objects[type + ":" + id] = name;
        return this;
    }

    public AuditNames Actor(string login, string displayName)
    {
        _actors[login] = displayName;
        return this;
    }

    public string? NameOf(string type, string id) => _objects.GetValueOrDefault(type + ":" + id);

    public string? ActorName(string login) => _actors.GetValueOrDefault(login);
}

/// <summary>
/// 审计记录 as one Chinese sentence an inspector can read: who (name and role), did what, to which record (a child
/// by masked name, a staff member by name), which fields changed and how, and when in Beijing time. Pure: the
/// names come in <see cref="AuditNames"/>; secrets are only ever said to have been changed ("已更换").
/// </summary>
public static class AuditSentences
{
    public static string RoleName(string role) => role switch
    {
        Roles.Admin => "系统管理员",
        Roles.Approver => "审批人",
        Roles.Coordinator => "协调员",
        Roles.Teacher => "教师",
        Roles.Auditor => "督导",
        "system" or "" => "系统",
        _ => "未知角色",
    };

    /// <summary>Every record type the trail names: each EF entity and each event's object.</summary>
    public static readonly IReadOnlyDictionary<string, string> ObjectTypes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["County"] = "县（区）", ["Township"] = "乡镇", ["Village"] = "村", ["School"] = "学校", ["Staff"] = "送教人员",
        ["Student"] = "学生", ["Assessment"] = "评估", ["StudentExit"] = "离开送教记录", ["TransferNotice"] = "转出通知",
        ["StoredDocument"] = "附件", ["Term"] = "学期", ["CountyPolicy"] = "县送教规则", ["Closure"] = "停课日",
        ["TimetableRun"] = "排课任务", ["Timetable"] = "课表", ["TimetableSession"] = "课次", ["StaffLeave"] = "请假",
        ["ServerSecret"] = "服务器密钥", ["SessionStaff"] = "课次人员", ["VisitRecord"] = "送教记录", ["VisitPhoto"] = "送教照片",
        ["Plan"] = "送教方案", ["PlanVersion"] = "方案版本", ["AppUser"] = "账号", ["AuditEntry"] = "审计记录",
        ["Ledger"] = "送教台账", ["TeachingFile"] = "送教档案", ["Import"] = "名册导入", ["Report"] = "统计报表",
        ["MonthlyReport"] = "月度报表", ["TermReport"] = "学期报表", ["FamilyCard"] = "家庭课表卡",
        ["IdentityRole"] = "角色", ["IdentityUserRole"] = "账号角色",
    };

    /// <summary>Every property of every audited record, in Chinese (a test holds this to the EF model).</summary>
    public static readonly IReadOnlyDictionary<string, string> FieldNames = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["AcknowledgedAt"] = "接收确认时间", ["AcknowledgedBy"] = "接收确认人", ["AcknowledgementNote"] = "接收说明", ["Action"] = "操作",
        ["Actor"] = "操作人", ["ApprovalNo"] = "审批文号", ["AssessmentId"] = "评估", ["AssessmentValidMonths"] = "评估有效期（月）",
        ["Assessments"] = "评估", ["At"] = "时间", ["Availability"] = "可用时间", ["BaseLat"] = "出发地纬度", ["BaseLon"] = "出发地经度",
        ["BaseName"] = "出发地", ["BirthDate"] = "出生日期", ["CanTeachRemotely"] = "可远程授课", ["CancelRequested"] = "已请求取消",
        ["CapturedAt"] = "拍摄时间", ["ChangeReason"] = "修改原因", ["ChangedAt"] = "修改时间", ["CheckInAccuracyMeters"] = "签到定位精度（米）",
        ["CheckInAt"] = "签到时间", ["CheckInLat"] = "签到纬度", ["CheckInLon"] = "签到经度", ["ChildResponse"] = "学生表现",
        ["ClosedReason"] = "关闭原因", ["Code"] = "代码", ["Conclusion"] = "评估结论", ["Confirmation"] = "家长确认方式",
        ["ConfirmedAt"] = "家长确认时间", ["Content"] = "内容", ["ContentType"] = "文件类型", ["CorrectionReason"] = "更正原因",
        ["CountyCode"] = "县（区）代码", ["CoursePlan"] = "课程安排", ["CreatedAt"] = "创建时间", ["CreatedBy"] = "创建人", ["Date"] = "日期",
        ["Day"] = "星期", ["DecidedAt"] = "审批时间", ["DecidedBy"] = "审批人", ["Department"] = "所属部门", ["DisabilityCategory"] = "残疾类别",
        ["DisabilityCertificateNo"] = "残疾证号", ["DisabilityGrade"] = "残疾等级", ["DisabilityRegisteredOn"] = "残联登记日期",
        ["DocumentNo"] = "文号", ["EffectiveFrom"] = "生效日期", ["EffectiveUntil"] = "截止日期", ["End"] = "结束时间", ["Error"] = "错误信息",
        ["Ethnicity"] = "民族", ["FarFromHomeMeters"] = "离家过远距离（米）", ["FeedReminderMinutes"] = "日历提醒（分钟）",
        ["FeedTokenHash"] = "日历订阅令牌", ["FeedVersion"] = "日历版本", ["FileName"] = "文件名", ["FinishedAt"] = "完成时间", ["FirstDay"] = "首日",
        ["From"] = "开始", ["FromCountyCode"] = "转出县代码", ["FromStudentId"] = "原学生记录", ["Gender"] = "性别", ["Goals"] = "教学目标",
        ["GoalsAddressed"] = "涉及目标", ["GradeException"] = "年级例外", ["GuardianFeedback"] = "家长反馈", ["GuardianName"] = "家长姓名",
        ["Guardians"] = "监护人", ["Hash"] = "哈希值", ["Height"] = "高度（像素）", ["HomeLat"] = "家庭位置纬度", ["HomeLon"] = "家庭位置经度",
        ["HomeTask"] = "家庭作业", ["HomeVisitsPerWeek"] = "每周上门次数", ["Id"] = "编号", ["IdCardNo"] = "身份证号", ["Kind"] = "类型",
        ["LastDay"] = "末日", ["Lat"] = "纬度", ["LeftOn"] = "离开日期", ["Length"] = "文件大小（字节）", ["LessonMinutes"] = "每课时分钟数",
        ["LessonsPerVisit"] = "每次课时数", ["Lon"] = "经度", ["MakeUpDate"] = "补课日期", ["MaxAge"] = "最大年龄", ["MaxAwayMinutesPerDay"] = "每日最长外出（分钟）", ["MaxTravelMinutesPerDay"] = "每日驾车上限（分钟）", ["StartTimeStepMinutes"] = "开始时间间隔（分钟）", ["ChangePenaltyMinutes"] = "调整代价（分钟）",
        ["MaxDisabilityGrade"] = "最重残疾等级", ["MaxSessionsPerWeek"] = "每周最多送教次数", ["MeetingLink"] = "会议链接", ["Members"] = "评估成员",
        ["MinAge"] = "最小年龄", ["MinSessionsPerTeachingWeek"] = "每教学周最少送教次数", ["Missed"] = "缺课", ["MissedGraceHours"] = "缺课判定宽限（小时）",
        ["MissedReason"] = "缺课原因", ["Mode"] = "送教方式", ["MovedBecause"] = "调整原因", ["Name"] = "姓名或名称", ["NationalStudentNo"] = "全国学籍号",
        ["Note"] = "备注", ["Number"] = "版本号", ["ObjectId"] = "对象编号", ["ObjectType"] = "对象类型", ["Opinion"] = "审批意见",
        ["OriginTimetableId"] = "原课表", ["Phone"] = "电话", ["PhotoIds"] = "照片", ["Place"] = "送教地点", ["PlacedSessions"] = "已排课次",
        ["PlanId"] = "方案", ["PreferredStaffIds"] = "指定送教人员", ["PreviousHash"] = "前一条哈希值", ["PreviousId"] = "前一版本",
        ["Progress"] = "进度", ["ClaimedBy"] = "排课实例", ["HeartbeatAt"] = "最近心跳", ["TakeOvers"] = "接管次数", ["PublishedAt"] = "发布时间", ["PublishedBy"] = "发布人", ["Reason"] = "原因", ["ReasonCode"] = "原因代码",
        ["ReasonMessage"] = "原因说明", ["RecordedAt"] = "记录时间", ["RecordedBy"] = "记录人", ["Relation"] = "关系",
        ["RemoteCountsTowardHomeMinimum"] = "远程计入上门次数", ["RemoteSessionsPerWeek"] = "每周远程次数", ["ReportDocumentId"] = "评估报告",
        ["RequestId"] = "请求编号", ["RequireCheckIn"] = "要求签到", ["RequireGuardianConfirmation"] = "要求家长确认", ["RequiredPhotos"] = "要求照片张数",
        ["RequiredConfirmation"] = "记录时要求家长确认", ["RequiredCheckIn"] = "记录时要求签到",
        ["RequiredSessions"] = "应送次数", ["RequiredSkills"] = "所需专业", ["RescheduleReason"] = "改期原因", ["Revision"] = "修订号", ["Role"] = "角色",
        ["RunId"] = "排课任务", ["ScenarioJson"] = "排课输入", ["SchoolId"] = "学校", ["SchoolOfRecordId"] = "学籍学校", ["SentAt"] = "发送时间",
        ["Sequence"] = "序号", ["SessionId"] = "课次", ["SessionKey"] = "课次编号", ["Sessions"] = "课次", ["Sha256"] = "文件指纹",
        ["SignatureSvg"] = "家长签名", ["Skills"] = "专业", ["StaffId"] = "送教人员", ["StaffIds"] = "送教人员", ["StaffPresent"] = "到场人员",
        ["Start"] = "开始时间", ["StartDate"] = "开始日期", ["StartedAt"] = "开始时间", ["StartedBy"] = "发起人", ["Status"] = "状态",
        ["StudentId"] = "学生", ["StudentName"] = "学生姓名", ["SubmittedAt"] = "提交时间", ["SubmittedBy"] = "提交人", ["Summary"] = "摘要",
        ["TeachingWeekdays"] = "教学日", ["Team"] = "送教团队", ["TeamSize"] = "团队人数", ["TemplateJson"] = "模板", ["TermId"] = "学期",
        ["TimetableId"] = "课表", ["To"] = "结束", ["ToCountyCode"] = "转入县代码", ["TownshipCode"] = "乡镇", ["TravelMinutes"] = "路程（分钟）",
        ["TravelToleranceMinutes"] = "路程容差（分钟）", ["Unassigned"] = "未排上的学生", ["UnassignedSessions"] = "未排课次", ["UploadedAt"] = "上传时间",
        ["UploadedBy"] = "上传人", ["Value"] = "值", ["Version"] = "版本", ["Versions"] = "版本", ["VillageCode"] = "村", ["Week"] = "周次",
        ["Width"] = "宽度（像素）", ["Windows"] = "时间窗口",
        // The account (ASP.NET Core Identity's columns and ours).
        ["UserName"] = "登录名", ["NormalizedUserName"] = "登录名（检索用）", ["Email"] = "电子邮箱", ["NormalizedEmail"] = "电子邮箱（检索用）",
        ["EmailConfirmed"] = "邮箱已验证", ["PasswordHash"] = "密码", ["SecurityStamp"] = "安全标记", ["ConcurrencyStamp"] = "并发标记",
        ["PhoneNumber"] = "手机号", ["PhoneNumberConfirmed"] = "手机号已验证", ["TwoFactorEnabled"] = "双重验证", ["LockoutEnd"] = "锁定截止",
        ["LockoutEnabled"] = "允许锁定", ["AccessFailedCount"] = "登录失败次数", ["DisplayName"] = "显示名",
        // Words of event summaries.
        ["format"] = "格式", ["rows"] = "行数", ["term"] = "学期", ["role"] = "角色", ["school"] = "学校", ["staff"] = "送教人员",
        ["creates"] = "新增", ["updates"] = "更新", ["month"] = "月份", ["unit"] = "填报单位", ["photo"] = "照片", ["session"] = "课次", ["student"] = "学生",
    };

    /// <summary>Fields whose values are secrets or signatures: a sentence says only that they were replaced.</summary>
    public static readonly IReadOnlySet<string> Secrets = new HashSet<string>(StringComparer.Ordinal)
    {
        "FeedTokenHash", "PasswordHash", "SecurityStamp", "ConcurrencyStamp", "SignatureSvg", "Hash", "PreviousHash", "Value",
    };

    /// <summary>What each action does, as a verb; a read worth recording says what was read.</summary>
    public static readonly IReadOnlyDictionary<string, string> Actions = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["added"] = "新增了", ["modified"] = "修改了", ["deleted"] = "删除了",
        ["export"] = "导出了", ["export-unmasked"] = "导出了未遮蔽的", ["read-unmasked"] = "查看了未遮蔽的",
        ["read-document"] = "下载了", ["read-photo"] = "查看了", ["import"] = "导入了", ["role-granted"] = "授予角色给",
        ["print"] = "打印了", ["read"] = "查看了", ["download"] = "下载了",
        ["exported"] = "导出了", ["viewed"] = "查看了", ["read-signature"] = "查看了", ["print-family-card"] = "打印了家庭课表卡：",
        ["set-meeting-link"] = "更改了一次远程课的会议链接：",
    };

    /// <summary>Free-text summaries of reads, as the code writes them.</summary>
    private static readonly Dictionary<string, string> Phrases = new(StringComparer.Ordinal)
    {
        ["ID card, certificate, registration number and guardian phones shown"] = "显示了身份证号、残疾证号、学籍号和监护人电话",
        ["guardian phones shown"] = "显示了监护人电话",
        ["guardian signature shown"] = "显示了家长签名",
        ["staff phones and confirmation code shown"] = "显示了送教人员电话和确认码",
        ["meeting link set"] = "已设置本课次自己的链接",
        ["meeting link cleared"] = "已清除，改用方案的链接",
    };

    private static readonly Dictionary<string, string> Formats = new(StringComparer.OrdinalIgnoreCase)
    {
        ["xlsx"] = "电子表格", ["csv"] = "逗号分隔文本", ["html"] = "网页", ["json"] = "数据文件", ["pdf"] = "打印文件",
    };

    /// <summary>One entry as a sentence: 2026年9月7日 周一 09:00（北京时间），张老师（教师）修改了送教记录「刘某某 9月7日」：……。</summary>
    public static string Of(AuditEntryDto e, AuditNames names)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(names);
        var who = e.Actor is "system" or "" ? "系统" : $"{names.ActorName(e.Actor) ?? e.Actor}（{RoleName(e.Role)}）";
        var verb = Actions.GetValueOrDefault(e.Action) ?? ActionWords(e.Action);
        var what = ObjectPhrase(e.ObjectType, e.ObjectId, names);
        var details = e.Action switch
        {
            "added" or "modified" or "deleted" => Changes(e.ObjectType, e.Summary),
            _ => EventDetails(e.Summary, names),
        };
        var sentence = new StringBuilder().Append(Zh.DateTime(e.At)).Append("（北京时间），").Append(who).Append(verb).Append(what);
        if (details.Length > 0)
        {
            sentence.Append('：').Append(details);
        }
        return sentence.Append('。').ToString();
    }

    private static string ActionWords(string action) =>
        string.Concat(action.Split('-', StringSplitOptions.RemoveEmptyEntries).Select(w => Actions.GetValueOrDefault(w) ?? w switch
        {
            "unmasked" => "（未遮蔽）",
            "granted" => "授予了",
            "revoked" => "撤销了",
            _ => w,
        }));

    private static string ObjectPhrase(string type, string id, AuditNames names)
    {
        if (type == "Import")
        {
            // An import's id is the kind of roster it read.
            return id switch
            {
                "students" => "学生名册",
                "staff" => "送教人员名册",
                "assessments" => "评估结论名册",
                _ => "名册",
            };
        }
        if (type == "Report")
        {
            // A report's id is its period: "monthly:2026-09" or "term:{the term's id}".
            var (kind, period) = id.IndexOf(':', StringComparison.Ordinal) is var colon and > 0 ? (id[..colon], id[(colon + 1)..]) : ("", id);
            return kind switch
            {
                "monthly" when DateOnly.TryParseExact(period + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month) => $"{month.Year}年{month.Month}月的月报",
                "term" => names.NameOf("Term", period) is { } term ? $"「{term}」的学期报告" : "学期报告",
                _ => "统计报表",
            };
        }
        var noun = ObjectTypes.GetValueOrDefault(type) ?? type;
        var name = names.NameOf(type, id);
        return name is not null ? $"{noun}「{name}」" : id.Length > 0 ? $"{noun}（编号 {id}）" : noun;
    }

    /// <summary>"Date: 2026-11-30 → 2026-12-01; Name: changed" as 日期由 2026-11-30 改为 2026-12-01；姓名或名称已修改.</summary>
    private static string Changes(string type, string summary)
    {
        var parts = new List<string>();
        foreach (var (field, value) in Pairs(summary))
        {
            var label = FieldNames.GetValueOrDefault(field) ?? field;
            if (Secrets.Contains(field))
            {
                parts.Add(label + "已更换");
            }
            else if (value == "changed")
            {
                parts.Add(label + "已修改");
            }
            else if (value.Split(" → ") is [var before, var after])
            {
                parts.Add(before == "∅"
                    ? $"{label}为 {Value(type, field, after)}"
                    : $"{label}由 {Value(type, field, before)} 改为 {Value(type, field, after)}");
            }
            else
            {
                parts.Add($"{label}：{Value(type, field, value)}");
            }
        }
        return string.Join("；", parts);
    }

    private static string EventDetails(string summary, AuditNames names)
    {
        if (Phrases.TryGetValue(summary, out var phrase))
        {
            return phrase;
        }
        if (summary.StartsWith("assessment report ", StringComparison.Ordinal) && summary.EndsWith(" downloaded", StringComparison.Ordinal))
        {
            return $"评估报告（文件指纹 {summary["assessment report ".Length..^" downloaded".Length]}）";
        }
        var parts = new List<string>();
        foreach (var (key, value) in Pairs(summary))
        {
            var label = FieldNames.GetValueOrDefault(key) ?? key;
            var shown = key switch
            {
                "format" => Formats.GetValueOrDefault(value) ?? value,
                "role" => RoleName(value),
                "term" => names.NameOf("Term", value) is { } t ? $"「{t}」" : value,
                "school" => names.NameOf("School", value) is { } s ? $"「{s}」" : value,
                "staff" => names.NameOf("Staff", value) is { } st ? $"「{st}」" : value,
                "file sha256" => value.Length > 12 ? value[..12] : value,
                "month" => value.Length == 7 ? $"{value[..4]}年{int.Parse(value.AsSpan(5), CultureInfo.InvariantCulture)}月" : value,
                _ => value,
            };
            // A part without a key is a phrase of its own ("…; staff phones and confirmation code shown").
            parts.Add(key.Length == 0 ? Phrases.GetValueOrDefault(value) ?? value : key == "file sha256" ? $"文件指纹 {shown}" : $"{label} {shown}");
        }
        return string.Join("，", parts);
    }

    /// <summary>"a: 1; b: 2" and "a=1; b=2" as pairs; text without a key is kept whole.</summary>
    private static IEnumerable<(string Key, string Value)> Pairs(string summary)
    {
        foreach (var part in summary.Split("; ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = part.IndexOf(": ", StringComparison.Ordinal);
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            yield return colon > 0 && (equals < 0 || colon < equals) ? (part[..colon], part[(colon + 2)..])
                : equals > 0 ? (part[..equals], part[(equals + 1)..])
                : ("", part);
        }
    }

    /// <summary>A value as stored, in the words of the pages: dates yyyy-MM-dd, instants in Beijing time, enums in Chinese.</summary>
    public static string Value(string type, string field, string value)
    {
        if (value == "∅")
        {
            return "空";
        }
        if (value is "True" or "False")
        {
            return value == "True" ? "是" : "否";
        }
        if (value.Length > 19 && value[4] == '-' && value[10] == 'T'
            && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            return Conventions.InChina(at).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        }
        return (type, field) switch
        {
            ("Plan" or "PlanVersion", "Status") when Enum.TryParse<PlanStatus>(value, out var s) => Zh.Of(s),
            ("TimetableRun", "Status") when Enum.TryParse<RunStatus>(value, out var s) => Zh.Of(s),
            ("Timetable", "Status") when Enum.TryParse<TimetableStatus>(value, out var s) => Zh.Of(s),
            ("TimetableSession", "Status") when Enum.TryParse<SessionStatus>(value, out var s) => Zh.Of(s),
            ("Student", "Status") when Enum.TryParse<StudentStatus>(value, out var s) => Zh.Of(s),
            (_, "Status") when Enum.TryParse<PlanStatus>(value, out var s) => Zh.Of(s),
            (_, "Mode") when Enum.TryParse<TeachingMode>(value, out var m) => Zh.Of(m),
            (_, "Mode") when value is SessionModes.Home or SessionModes.Remote => Zh.SessionMode(value),
            ("School", "Kind") when Enum.TryParse<SchoolKind>(value, out var k) => Of(k),
            (_, "Kind") when Enum.TryParse<ExitKind>(value, out var k) => Of(k),
            (_, "Department") when Enum.TryParse<Department>(value, out var d) => Zh.Of(d),
            (_, "DisabilityCategory") when Enum.TryParse<DisabilityCategory>(value, out var c) => Zh.Of(c),
            (_, "DisabilityGrade" or "MaxDisabilityGrade") when int.TryParse(value, CultureInfo.InvariantCulture, out var g) => Zh.Grade(g),
            (_, "Conclusion") when Enum.TryParse<AssessmentConclusion>(value, out var c) => Zh.Of(c),
            (_, "Confirmation") when Enum.TryParse<GuardianConfirmation>(value, out var c) => Of(c),
            (_, "Place") when Enum.TryParse<VisitPlace>(value, out var p) => Zh.Of(p),
            (_, "Week") => Zh.Week(value),
            _ => value,
        };
    }

    private static string Of(SchoolKind kind) => kind switch
    {
        SchoolKind.Regular => "普通学校",
        SchoolKind.Special => "特殊教育学校",
        SchoolKind.ResourceCentre => "特殊教育资源中心",
        _ => "其他",
    };

    private static string Of(ExitKind kind) => kind switch
    {
        ExitKind.RegularClass => "随班就读",
        ExitKind.SpecialSchool => "特教学校就读",
        ExitKind.Transfer => "转出本县",
        ExitKind.AgedOut => "年满16周岁",
        ExitKind.Death => "死亡",
        _ => "其他",
    };

    private static string Of(GuardianConfirmation confirmation) => confirmation switch
    {
        GuardianConfirmation.Signature => "手写签名",
        GuardianConfirmation.Code => "确认码",
        _ => "未确认",
    };
}
