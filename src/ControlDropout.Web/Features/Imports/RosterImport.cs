using System.Globalization;
using System.Security.Cryptography;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.People;
using ControlDropout.Web.Features.Plans;
using ControlDropout.Web.Infrastructure;
using FluentValidation.Results;
using Microsoft.EntityFrameworkCore;

namespace ControlDropout.Web.Features.Imports;

/// <summary>
/// 名册导入: a county's Excel rosters of children, staff and committee assessments, checked row by row with
/// the same validators and the same mapping (<see cref="Enrolment.Apply(Student, StudentRequest)"/>) as the
/// pages and the API, then stored all or nothing in one transaction with one audit row for the file (its
/// SHA-256 and counts). A coordinator imports for their own school only; the bureau for the county.
/// </summary>
public sealed class RosterImport(AppDbContext db, CurrentUser me, TimeProvider clock)
{
    private DateOnly Today => Conventions.ChinaDay(clock.GetUtcNow());

    private static readonly TimeOnly DayStarts = new(8, 0);
    private static readonly TimeOnly DayEnds = new(18, 0);
    private const int DefaultSessionsPerWeek = 8;

    /// <summary>Checks an upload (a dry run), or checks and stores it when <paramref name="commit"/> and nothing is wrong.</summary>
    public async Task<Result<ImportReport>> ImportAsync(string kind, byte[] content, string? fileName, bool commit, CancellationToken ct)
    {
        if (!ImportKinds.All.Contains(kind))
        {
            return Refusal.NotFound();
        }
        if (!me.May(kind == ImportKinds.Assessments ? Permission.RecordAssessments : Permission.Enrol))
        {
            return Refusal.NotAllowed();
        }
        var read = SheetReader.Read(content, fileName);
        if (!read.Succeeded)
        {
            return read.Refusal!;
        }
        var sheet = read.Value;
        var sha = Convert.ToHexStringLower(SHA256.HashData(content));
        var missing = RosterColumns.Of(kind).Where(c => c.Required && !sheet.Headers.Contains(c.Header))
            .Select(c => new ImportError(1, c.Header, "缺少此列（请使用导入模板）")).ToList();
        if (missing.Count > 0)
        {
            return new ImportReport(sheet.Rows.Count, 0, missing, 0, 0, sha);
        }
        var plan = kind switch
        {
            ImportKinds.Students => await StudentsAsync(sheet, ct).ConfigureAwait(false),
            ImportKinds.Staff => await StaffAsync(sheet, ct).ConfigureAwait(false),
            _ => await AssessmentsAsync(sheet, ct).ConfigureAwait(false),
        };
        var errors = plan.Errors.Distinct().OrderBy(e => e.Row).ThenBy(e => RosterColumns.Index(kind, e.Column)).ToList();
        var badRows = errors.Select(e => e.Row).ToHashSet();
        var report = new ImportReport(sheet.Rows.Count, sheet.Rows.Count(r => !badRows.Contains(r.Number)), errors, plan.Creates.Count, plan.Updates.Count, sha);
        if (commit && errors.Count == 0 && sheet.Rows.Count > 0)
        {
            foreach (var write in plan.Creates.Concat(plan.Updates))
            {
                write();
            }
            await db.SaveChangesWithEventAsync("import", "Import", kind,
                string.Create(CultureInfo.InvariantCulture, $"file sha256={sha}; rows={report.Rows}; creates={report.Creates}; updates={report.Updates}"), ct).ConfigureAwait(false);
        }
        return report;
    }

    /// <summary>What the rows would do: the errors, and the writes to make when there are none.</summary>
    private sealed record Plan(List<ImportError> Errors, List<Action> Creates, List<Action> Updates);

    /// <summary>The errors of one row, by column; a later check does not repeat a column already wrong.</summary>
    private sealed class RowErrors(SheetRow row, List<ImportError> all)
    {
        private readonly HashSet<string> _columns = [];

        public bool Any => _columns.Count > 0;

        public void Add(string column, string message)
        {
            if (_columns.Add(column))
            {
                all.Add(new ImportError(row.Number, column, message));
            }
        }

        public void Add(ValidationResult result, Func<string, string> columnOf)
        {
            foreach (var failure in result.Errors)
            {
                Add(columnOf(Validation.JsonPath(failure.PropertyName)), failure.ErrorMessage);
            }
        }
    }

    private static RowErrors Check(SheetRow row, List<ImportError> all)
    {
        var errors = new RowErrors(row, all);
        foreach (var (column, value) in row.Cells)
        {
            if (SheetReader.LooksLikeFormula(value))
            {
                errors.Add(column, SheetReader.FormulaMessage);
            }
        }
        return errors;
    }

    private async Task<(List<School> Schools, PlaceNames Places)> CountyAsync(CancellationToken ct)
    {
        var schools = await db.Schools.Where(s => s.CountyCode == me.CountyCode).OrderBy(s => s.Name).ToListAsync(ct).ConfigureAwait(false);
        var townships = await db.Townships.Where(t => t.CountyCode == me.CountyCode).OrderBy(t => t.Code).ToListAsync(ct).ConfigureAwait(false);
        var codes = townships.Select(t => t.Code).ToList();
        var villages = await db.Villages.Where(v => codes.Contains(v.TownshipCode)).OrderBy(v => v.Code).ToListAsync(ct).ConfigureAwait(false);
        return (schools, new PlaceNames(townships, villages));
    }

    /// <summary>The school a row names, or the coordinator's own when blank; a coordinator naming another school is a row error.</summary>
    private School? SchoolOf(string name, List<School> schools, RowErrors errors, string column, bool required)
    {
        var own = me.IsCoordinator ? schools.FirstOrDefault(s => me.ActsFor(s.Id)) : null;
        if (name.Length == 0)
        {
            if (own is not null)
            {
                return own;
            }
            if (required && schools.Count == 1)
            {
                return schools[0];
            }
            if (required)
            {
                errors.Add(column, "请填写学校名称");
            }
            return null;
        }
        var school = schools.FirstOrDefault(s => s.Name == name);
        if (school is null)
        {
            errors.Add(column, $"本县没有名为“{name}”的学校{PlaceNames.Closest(schools, s => s.Name, name)}");
            return null;
        }
        if (me.IsCoordinator && !me.ActsFor(school.Id))
        {
            errors.Add(column, $"您只能导入本校（{own?.Name}）的记录");
            return null;
        }
        return school;
    }

    private static DateOnly? DateCell(SheetRow row, string column, RowErrors errors, bool required)
    {
        var text = row[column];
        if (text.Length == 0)
        {
            if (required)
            {
                errors.Add(column, $"请填写{column}");
            }
            return null;
        }
        var date = RosterCells.Date(text);
        if (date is null)
        {
            errors.Add(column, $"{column}无法识别，请写成 2026-09-01 的格式");
        }
        return date;
    }

    // ---------------------------------------------------------------- children

    private static string StudentColumn(string field) => field switch
    {
        "name" => "姓名",
        "gender" => "性别",
        "ethnicity" => "民族",
        "birthDate" => "出生日期",
        "idCardNo" => "身份证号",
        "nationalStudentNo" => "全国学籍号",
        "disabilityCategory" => "残疾类别",
        "disabilityGrade" => "残疾等级",
        "disabilityCertificateNo" => "残疾人证号",
        "disabilityRegisteredOn" => "发证日期",
        "schoolOfRecordId" => "学籍学校",
        "villageCode" or "homeLat" or "homeLon" => "村/社区",
        _ when field.EndsWith(".relation", StringComparison.Ordinal) => "关系",
        _ when field.EndsWith(".phone", StringComparison.Ordinal) => "监护人电话",
        _ => "监护人",
    };

    private async Task<Plan> StudentsAsync(Sheet sheet, CancellationToken ct)
    {
        var all = new List<ImportError>(sheet.FormulaCells);
        var creates = new List<Action>();
        var updates = new List<Action>();
        var (schools, places) = await CountyAsync(ct).ConfigureAwait(false);
        var existing = await db.Students.Where(s => s.CountyCode == me.CountyCode).ToListAsync(ct).ConfigureAwait(false);
        var byCard = existing.Where(s => s.IdCardNo.Length > 0).GroupBy(s => s.IdCardNo, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var byNumber = existing.Where(s => s.NationalStudentNo.Length > 0).GroupBy(s => s.NationalStudentNo, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var seenCards = new Dictionary<string, int>(StringComparer.Ordinal);
        var seenNumbers = new Dictionary<string, int>(StringComparer.Ordinal);
        var validator = new StudentRequestValidator(me.CountyCode, Today);
        var placeholderVillage = me.CountyCode + "000000";

        foreach (var row in sheet.Rows)
        {
            var errors = Check(row, all);
            var card = IdentityNumbers.Normalise(row["身份证号"]);
            var read = card.Length > 0 ? IdentityNumbers.Read(card, out _) : null;
            var birth = row["出生日期"].Length == 0 && read is { } r1 ? r1.BirthDate : DateCell(row, "出生日期", errors, required: true);
            var gender = row["性别"].Length == 0 && read is { } r2 ? r2.Gender : RosterCells.Gender(row["性别"]);
            if (gender is null)
            {
                errors.Add("性别", "性别须为“男”或“女”");
            }
            var category = RosterCells.Category(row["残疾类别"]);
            if (category is null)
            {
                errors.Add("残疾类别", "残疾类别须为 视力、听力、言语、肢体、智力、精神、多重 之一");
            }
            var grade = RosterCells.Grade(row["残疾等级"]);
            if (grade is null)
            {
                errors.Add("残疾等级", "残疾等级须为 1–4 或 一级…四级");
            }
            var registered = DateCell(row, "发证日期", errors, required: false);
            var school = SchoolOf(row["学籍学校"], schools, errors, "学籍学校", required: true);
            var (village, lat, lon) = VillageOf(row, places, errors);
            var guardians = new List<GuardianDto>();
            if (row["监护人"].Length > 0 || row["关系"].Length > 0 || row["监护人电话"].Length > 0)
            {
                guardians.Add(new GuardianDto(row["监护人"], row["关系"], row["监护人电话"]));
            }
            var request = new StudentRequest(row["姓名"], gender ?? "男", NullIfEmpty(row["民族"]), birth ?? Today.AddYears(-10), category ?? DisabilityCategory.Multiple,
                grade ?? 1, NullIfEmpty(row["残疾人证号"]), NullIfEmpty(row["全国学籍号"]), school?.Id.Value ?? Guid.NewGuid(), village?.Code ?? placeholderVillage,
                lat, lon, guardians, NullIfEmpty(card), registered);
            errors.Add(validator.Validate(request), StudentColumn);
            if (errors.Any)
            {
                continue;
            }
            var number = request.NationalStudentNo?.Trim() ?? "";
            if (card.Length > 0 && !seenCards.TryAdd(card, row.Number))
            {
                errors.Add("身份证号", $"与第 {seenCards[card]} 行的身份证号重复");
                continue;
            }
            if (number.Length > 0 && !seenNumbers.TryAdd(number, row.Number))
            {
                errors.Add("全国学籍号", $"与第 {seenNumbers[number]} 行的全国学籍号重复");
                continue;
            }
            var match = card.Length > 0 && byCard.TryGetValue(card, out var byId) ? byId : number.Length > 0 && byNumber.TryGetValue(number, out var byNo) ? byNo : null;
            if (match is not null)
            {
                if (me.IsCoordinator && !me.ActsFor(match.SchoolOfRecordId))
                {
                    errors.Add(card.Length > 0 ? "身份证号" : "全国学籍号", "该学生已由其他学校登记，请联系县教体局");
                    continue;
                }
                if (number.Length > 0 && byNumber.TryGetValue(number, out var other) && other.Id != match.Id)
                {
                    errors.Add("全国学籍号", "该全国学籍号已属于另一名已登记的学生");
                    continue;
                }
                var scratch = Enrolment.NewStudent(me.CountyCode, match.SchoolOfRecordId);
                Enrolment.Apply(scratch, request);
                if (Fingerprint(scratch) != Fingerprint(match))
                {
                    var target = match;
                    updates.Add(() => Enrolment.Apply(target, request));
                }
                continue;
            }
            creates.Add(() =>
            {
                var student = Enrolment.NewStudent(me.CountyCode, new SchoolId(request.SchoolOfRecordId));
                Enrolment.Apply(student, request);
                db.Students.Add(student);
            });
        }
        return new Plan(all, creates, updates);
    }

    private static (Village? Village, double Lat, double Lon) VillageOf(SheetRow row, PlaceNames places, RowErrors errors)
    {
        Township? township = null;
        var townshipName = row["乡镇"];
        if (townshipName.Length == 0)
        {
            errors.Add("乡镇", "请填写乡镇");
        }
        else
        {
            township = places.Township(townshipName);
            if (township is null)
            {
                errors.Add("乡镇", $"本县没有“{townshipName}”{places.ClosestTownships(townshipName)}");
            }
        }
        var villageName = row["村/社区"];
        if (villageName.Length == 0)
        {
            errors.Add("村/社区", "请填写村/社区");
            return (null, 0, 0);
        }
        var village = township is null ? null : places.Village(township, villageName);
        if (village is null)
        {
            errors.Add("村/社区", $"{township?.Name ?? "本县"}没有“{villageName}”{places.ClosestVillages(township, villageName)}");
            return (null, 0, 0);
        }
        if (village.Lat is { } lat && village.Lon is { } lon)
        {
            return (village, lat, lon);
        }
        if (township!.Lat is { } tLat && township.Lon is { } tLon)
        {
            return (village, tLat, tLon);
        }
        errors.Add("村/社区", "该村和所在乡镇都没有坐标，请在学生页面登记家庭位置");
        return (null, 0, 0);
    }

    private static string Fingerprint(Student s) => string.Join('\u001f',
        s.SchoolOfRecordId.Value, s.Name, s.Gender, s.Ethnicity, s.BirthDate.ToString("O", CultureInfo.InvariantCulture), s.DisabilityCategory, s.DisabilityGrade,
        s.DisabilityCertificateNo, s.DisabilityRegisteredOn?.ToString("O", CultureInfo.InvariantCulture), s.NationalStudentNo, s.IdCardNo, s.VillageCode,
        s.HomeLat.ToString("R", CultureInfo.InvariantCulture), s.HomeLon.ToString("R", CultureInfo.InvariantCulture),
        string.Join('\u001e', s.Guardians.Select(g => $"{g.Name}|{g.Relation}|{g.Phone}")));

    private static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;

    // ---------------------------------------------------------------- staff

    private static string StaffColumn(string field) => field switch
    {
        "name" => "姓名",
        "department" => "所属部门",
        "phone" => "手机号",
        "maxSessionsPerWeek" => "每周课次上限",
        "schoolId" or "baseName" or "baseLat" or "baseLon" => "学校",
        _ when field.StartsWith("skills", StringComparison.Ordinal) => "专长",
        _ when field.StartsWith("availability", StringComparison.Ordinal) => "可用日",
        _ => "姓名",
    };

    private async Task<Plan> StaffAsync(Sheet sheet, CancellationToken ct)
    {
        var all = new List<ImportError>(sheet.FormulaCells);
        var creates = new List<Action>();
        var updates = new List<Action>();
        var (schools, places) = await CountyAsync(ct).ConfigureAwait(false);
        var firstLocated = places.Townships.FirstOrDefault(t => t.Lat is not null && t.Lon is not null);
        var existing = await db.Staff.Where(s => s.CountyCode == me.CountyCode && s.Phone != "").ToListAsync(ct).ConfigureAwait(false);
        var byPhone = existing.GroupBy(s => s.Phone, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);

        foreach (var row in sheet.Rows)
        {
            var errors = Check(row, all);
            var department = RosterCells.DepartmentOf(row["所属部门"]);
            if (department is null)
            {
                errors.Add("所属部门", "所属部门须为 教育、卫健、残联、民政 之一");
            }
            var (skills, unknownSkill) = RosterCells.Skills(row["专长"]);
            if (unknownSkill is not null)
            {
                errors.Add("专长", $"不认识的专长“{unknownSkill}”（可填：{string.Join("；", RosterCells.SkillWords.Select(s => s.Words))}）");
            }
            var school = SchoolOf(row["学校"], schools, errors, "学校", required: false);
            var phone = row["手机号"];
            if (phone.Length == 0)
            {
                errors.Add("手机号", "请填写手机号（导入时据此识别同一人）");
            }
            var days = RosterCells.Days(row["可用日"]);
            if (days is null)
            {
                errors.Add("可用日", "可用日无法识别，请写成 周一至周五、一三五 或 1,3,5");
            }
            var max = DefaultSessionsPerWeek;
            if (row["每周课次上限"].Length > 0 && !int.TryParse(row["每周课次上限"], NumberStyles.None, CultureInfo.InvariantCulture, out max))
            {
                errors.Add("每周课次上限", "每周课次上限须为 0 到 40 的整数");
            }
            var remote = RosterCells.YesNo(row["可远程"]);
            if (remote is null)
            {
                errors.Add("可远程", "可远程须填“是”或“否”");
            }
            var (baseName, lat, lon) = school is not null && (school.Lat != 0 || school.Lon != 0)
                ? (school.Name, school.Lat, school.Lon)
                : firstLocated is not null ? (school?.Name ?? firstLocated.Name, firstLocated.Lat!.Value, firstLocated.Lon!.Value) : (school?.Name ?? "", 0d, 0d);
            byPhone.TryGetValue(phone, out var match);
            var windows = (days ?? []).Select(d => new WindowDto(d, DayStarts.ToString("HH:mm", CultureInfo.InvariantCulture), DayEnds.ToString("HH:mm", CultureInfo.InvariantCulture))).ToList();
            var request = new StaffRequest(row["姓名"], department ?? Department.Education, school?.Id.Value, skills, baseName, lat, lon, windows, max,
                match?.MaxAwayMinutesPerDay, remote ?? false, phone, match?.MaxTravelMinutesPerDay);
            errors.Add(StaffRequestValidator.Instance.Validate(request), StaffColumn);
            if (me.IsCoordinator && school is null && !errors.Any)
            {
                errors.Add("学校", "协调人只能导入本校的人员");
            }
            if (errors.Any)
            {
                continue;
            }
            if (!seen.TryAdd(phone, row.Number))
            {
                errors.Add("手机号", $"与第 {seen[phone]} 行的手机号重复");
                continue;
            }
            if (match is not null)
            {
                if (me.IsCoordinator && (match.SchoolId is not { } theirs || !me.ActsFor(theirs)))
                {
                    errors.Add("手机号", "该手机号的人员属于其他单位，请联系县教体局");
                    continue;
                }
                var scratch = new Staff { Id = match.Id, CountyCode = match.CountyCode, Department = match.Department, Name = "", BaseName = "" };
                Enrolment.Apply(scratch, request);
                if (Fingerprint(scratch) != Fingerprint(match))
                {
                    var target = match;
                    updates.Add(() => Enrolment.Apply(target, request));
                }
                continue;
            }
            creates.Add(() =>
            {
                var staff = new Staff { Id = StaffId.New(), CountyCode = me.CountyCode, Department = request.Department, Name = "", BaseName = "" };
                Enrolment.Apply(staff, request);
                db.Staff.Add(staff);
            });
        }
        return new Plan(all, creates, updates);
    }

    private static string Fingerprint(Staff s) => string.Join('\u001f',
        s.SchoolId?.Value, s.Department, s.Name, s.Phone, string.Join(',', s.Skills), s.BaseName,
        s.BaseLat.ToString("R", CultureInfo.InvariantCulture), s.BaseLon.ToString("R", CultureInfo.InvariantCulture),
        string.Join(',', s.Availability.Select(w => $"{w.Day}@{w.From:HH:mm}-{w.To:HH:mm}")), s.MaxSessionsPerWeek, s.MaxAwayMinutesPerDay, s.MaxTravelMinutesPerDay, s.CanTeachRemotely);

    // ---------------------------------------------------------------- assessments

    private static string AssessmentColumn(string field) => field switch
    {
        "date" => "评估日期",
        "conclusion" => "结论",
        "documentNo" => "文号",
        "note" => "意见",
        _ when field.StartsWith("members", StringComparison.Ordinal) => "评估成员",
        _ => "评估日期",
    };

    private async Task<Plan> AssessmentsAsync(Sheet sheet, CancellationToken ct)
    {
        var all = new List<ImportError>(sheet.FormulaCells);
        var creates = new List<Action>();
        var updates = new List<Action>();
        var county = db.Students.Include(s => s.Assessments).Where(s => s.CountyCode == me.CountyCode);
        if (me.IsCoordinator)
        {
            var school = me.SchoolId;
            county = county.Where(s => school != null && s.SchoolOfRecordId == school);
        }
        var children = await county.ToListAsync(ct).ConfigureAwait(false);
        var byCard = children.Where(s => s.IdCardNo.Length > 0).GroupBy(s => s.IdCardNo, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var byNumber = children.Where(s => s.NationalStudentNo.Length > 0).GroupBy(s => s.NationalStudentNo, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var validator = new AssessmentRequestValidator(Today);
        var seen = new Dictionary<(StudentId, DateOnly, string), int>();
        var now = clock.GetUtcNow();

        foreach (var row in sheet.Rows)
        {
            var errors = Check(row, all);
            var card = IdentityNumbers.Normalise(row["身份证号"]);
            var number = row["全国学籍号"];
            Student? child = null;
            if (card.Length == 0 && number.Length == 0)
            {
                errors.Add("身份证号", "身份证号和全国学籍号至少填写一项");
            }
            else
            {
                child = card.Length > 0 && byCard.TryGetValue(card, out var c1) ? c1 : number.Length > 0 && byNumber.TryGetValue(number, out var c2) ? c2 : null;
                if (child is null)
                {
                    errors.Add(card.Length > 0 ? "身份证号" : "全国学籍号", "找不到该学生（须是已登记的、您所辖的学生）");
                }
            }
            var date = DateCell(row, "评估日期", errors, required: true);
            var conclusion = RosterCells.Conclusion(row["结论"]);
            if (conclusion is null)
            {
                errors.Add("结论", "结论须为 送教上门、远程送教、随班就读、特教学校、暂缓 之一");
            }
            else if (conclusion is AssessmentConclusion.RegularClass or AssessmentConclusion.SpecialSchool)
            {
                // Such a conclusion ends the child's 送教 and closes the plan in force: that is decided on the child's page, not by a file.
                errors.Add("结论", "请在学生页面登记该评估（涉及离开送教）");
            }
            var request = new AssessmentRequest(date ?? Today, conclusion ?? AssessmentConclusion.HomeTeaching, NullIfEmpty(row["文号"]), RosterCells.Members(row["评估成员"]), NullIfEmpty(row["意见"]));
            errors.Add(validator.Validate(request), AssessmentColumn);
            if (errors.Any || child is null)
            {
                continue;
            }
            var documentNo = request.DocumentNo?.Trim() ?? "";
            if (!seen.TryAdd((child.Id, request.Date, documentNo), row.Number))
            {
                errors.Add("评估日期", $"与第 {seen[(child.Id, request.Date, documentNo)]} 行是同一次评估");
                continue;
            }
            var match = child.Assessments.FirstOrDefault(a => a.Date == request.Date && a.DocumentNo == documentNo);
            if (match is not null)
            {
                var scratch = new Assessment { StudentId = child.Id, Date = match.Date, Conclusion = match.Conclusion };
                Enrolment.Apply(scratch, request, me.UserName, now);
                if (Fingerprint(scratch) != Fingerprint(match))
                {
                    var target = match;
                    updates.Add(() => Enrolment.Apply(target, request, me.UserName, now));
                }
                continue;
            }
            var owner = child;
            creates.Add(() =>
            {
                var assessment = new Assessment { StudentId = owner.Id, Date = request.Date, Conclusion = request.Conclusion };
                Enrolment.Apply(assessment, request, me.UserName, now);
                db.Assessments.Add(assessment);
            });
        }
        return new Plan(all, creates, updates);
    }

    private static string Fingerprint(Assessment a) => string.Join('\u001f', a.Date.ToString("O", CultureInfo.InvariantCulture), a.Conclusion, a.DocumentNo, string.Join('、', a.Members), a.Note);
}
