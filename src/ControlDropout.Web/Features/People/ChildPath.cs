using System.Globalization;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Plans;
using ControlDropout.Web.Infrastructure;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ControlDropout.Web.Features.People;

/// <summary>A child leaving the 送教 roster: the kind, the last day taught, the reason; the receiving county for a transfer.</summary>
public sealed record ExitRequest(ExitKind? Kind, DateOnly? LastDay, string? Reason, string? ToCountyCode = null);

public sealed record ExitDto(Guid Id, Guid StudentId, ExitKind Kind, DateOnly LastDay, string Reason, string? ToCountyCode, Guid? AssessmentId, string RecordedBy, DateTimeOffset RecordedAt);

/// <summary>A child transferred in from another county, as the receiving county's bureau sees it (no identity numbers).</summary>
public sealed record TransferNoticeDto(Guid Id, string FromCountyCode, string FromCountyName, string StudentName, string Gender, DateOnly BirthDate,
    DisabilityCategory DisabilityCategory, int DisabilityGrade, DateOnly LastDay, string Note, DateTimeOffset SentAt, string? AcknowledgedBy, DateTimeOffset? AcknowledgedAt);

/// <summary>A child turning <c>MaxAge + 1</c> (16) before the end of the term: the birthday, the last day to propose and the words to show.</summary>
public sealed record AgeOutWarning(DateOnly Birthday, DateOnly SuggestedLastDay, string Message);

/// <summary>A child of the caller's roster with an <see cref="AgeOutWarning"/>.</summary>
public sealed record AgeOutChild(Guid StudentId, string Name, AgeOutWarning Warning);

/// <summary>
/// A child's whole path off the 送教 roster (离开送教): an assessment concluding 随班就读 or 特教学校, a transfer
/// to another county (with a notice to that county's bureau), turning 16 (the end of compulsory education),
/// death or another reason. Leaving records a <see cref="StudentExit"/>, marks the child Left from the last
/// day, and ends each of the child's plans of that term or later through <see cref="PlanDecisions.EndAsync"/>
/// (span up to the last day, reason kept for the ledger, later sessions out of the published timetable).
/// The child and their history stay. A coordinator acts for their school's children, the bureau for the county.
/// </summary>
public sealed class ChildPath(AppDbContext db, CurrentUser me, PeopleDirectory directory, TimeProvider clock)
{
    /// <summary>How many days before the 16th birthday the queue and the child page warn.</summary>
    public const int AgeOutWarningDays = 30;

    /// <summary>Why the cancelled sessions of a child who left were cancelled, as calendars say.</summary>
    public const string SessionsReason = "学生已离开送教名单";

    private DateOnly Today => Conventions.ChinaDay(clock.GetUtcNow());

    /// <summary>
    /// The one rule of turning 16: a child whose <c>MaxAge + 1</c>th birthday falls on or before the term's last
    /// day is warned from <see cref="AgeOutWarningDays"/> days before it (and after it, until the exit is
    /// recorded). The proposed last day is the day before the birthday, or today when that has passed.
    /// </summary>
    public static AgeOutWarning? AgeOutWarningOf(DateOnly birth, DateOnly today, DateOnly termLastDay, CountyPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var age = policy.MaxAge + 1;
        var birthday = birth.AddYears(age);
        if (birthday > termLastDay || today < birthday.AddDays(-AgeOutWarningDays))
        {
            return null;
        }
        var dayBefore = birthday.AddDays(-1);
        var message = birthday > today
            ? string.Create(CultureInfo.InvariantCulture, $"将于 {birthday:yyyy-MM-dd} 年满 {age} 周岁，义务教育阶段送教将结束")
            : string.Create(CultureInfo.InvariantCulture, $"已于 {birthday:yyyy-MM-dd} 年满 {age} 周岁，义务教育阶段送教已结束，请登记离开送教");
        return new AgeOutWarning(birthday, dayBefore < today ? today : dayBefore, message);
    }

    /// <summary>The words a plan's <see cref="Plan.ClosedReason"/> starts with for each way of leaving.</summary>
    public static string Words(ExitKind kind, string? toCounty = null) => kind switch
    {
        ExitKind.RegularClass => "评估为随班就读",
        ExitKind.SpecialSchool => "评估为特教学校就读",
        ExitKind.Transfer => $"转出至{toCounty}",
        ExitKind.AgedOut => "年满16周岁，义务教育阶段送教结束",
        ExitKind.Death => "死亡",
        _ => "其他",
    };

    /// <summary>Records a child's leaving the roster on the API's or the page's request.</summary>
    public async Task<Result<ExitDto>> ExitAsync(StudentId id, ExitRequest request, CancellationToken ct)
    {
        if (!me.May(Permission.Enrol))
        {
            return Refusal.NotAllowed();
        }
        // The child's scope before the request's rules: another county's child answers 404 whatever the body says.
        var student = await directory.VisibleStudentAsync(id, ct).ConfigureAwait(false);
        if (student is null)
        {
            return Refusal.NotFound();
        }
        if (Validation.Check(new ExitRequestValidator(me.CountyCode, Today), request) is { } invalid)
        {
            return invalid;
        }
        if (student.Status == StudentStatus.Left)
        {
            return ChildLeft(student);
        }
        var kind = request.Kind!.Value;
        var reason = request.Reason?.Trim() ?? "";
        var toCounty = kind == ExitKind.Transfer ? request.ToCountyCode!.Trim() : null;
        var words = Words(kind);
        if (toCounty is not null)
        {
            var county = await db.Counties.AsNoTracking().SingleOrDefaultAsync(c => c.Code == toCounty, ct).ConfigureAwait(false);
            words = Words(kind, county is null ? toCounty : $"{county.Name}（{toCounty}）");
        }
        var exit = new StudentExit
        {
            StudentId = student.Id, CountyCode = student.CountyCode, Kind = kind, LastDay = request.LastDay!.Value, Reason = reason,
            ToCountyCode = toCounty, RecordedBy = me.UserName, RecordedAt = clock.GetUtcNow(),
        };
        await LeaveAsync(db, student, exit, reason.Length == 0 ? words : $"{words}：{reason}", ct).ConfigureAwait(false);
        if (toCounty is not null)
        {
            db.TransferNotices.Add(new TransferNotice
            {
                FromCountyCode = student.CountyCode, ToCountyCode = toCounty, FromStudentId = student.Id, StudentName = student.Name, Gender = student.Gender,
                BirthDate = student.BirthDate, DisabilityCategory = student.DisabilityCategory, DisabilityGrade = student.DisabilityGrade,
                LastDay = exit.LastDay, Note = reason, SentAt = exit.RecordedAt,
            });
        }
        try
        {
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
        }
        catch (DbUpdateException)
        {
            // A decision on one of the child's plans (its revision is the concurrency token) committed first.
            return Refusal.Conflict("changed_meanwhile", "学生的送教方案刚被他人修改，请刷新后重试");
        }
        return ToDto(exit);
    }

    private static Refusal ChildLeft(Student student) =>
        Refusal.Conflict("child_left", string.Create(CultureInfo.InvariantCulture, $"该学生已于 {student.LeftOn:yyyy-MM-dd} 离开送教名单"));

    /// <summary>
    /// The mechanics of leaving, shared with an assessment's conclusion (<see cref="Enrolment"/>): the exit
    /// recorded, the child Left from its last day, and each of the child's plans of a term not over by then
    /// ended after that day with <paramref name="closedReason"/>. The caller saves, in one SaveChanges.
    /// </summary>
    public static async Task LeaveAsync(AppDbContext db, Student student, StudentExit exit, string closedReason, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(student);
        ArgumentNullException.ThrowIfNull(exit);
        db.Exits.Add(exit);
        student.Status = StudentStatus.Left;
        student.LeftOn = exit.LastDay;
        var plans = await db.Plans.Include(p => p.Versions).Where(p => p.StudentId == student.Id).ToListAsync(ct).ConfigureAwait(false);
        var termIds = plans.Select(p => p.TermId).ToList();
        var terms = await db.Terms.AsNoTracking().Where(t => termIds.Contains(t.Id)).ToDictionaryAsync(t => t.Id, ct).ConfigureAwait(false);
        foreach (var plan in plans.Where(p => terms[p.TermId].LastDay >= exit.LastDay))
        {
            if (!plan.Versions.Any(v => v.Status is PlanStatus.Draft or PlanStatus.Submitted or PlanStatus.Approved or PlanStatus.Active))
            {
                // Closed or rejected already: its record stays as it was.
                continue;
            }
            await PlanDecisions.EndOnLeavingAsync(db, plan, exit.LastDay, closedReason, SessionsReason, exit.RecordedAt, exit.RecordedBy, ct).ConfigureAwait(false);
        }
    }

    /// <summary>The child's exits, newest first (normally one).</summary>
    public async Task<Result<List<ExitDto>>> ExitsAsync(StudentId id, CancellationToken ct)
    {
        var visible = await directory.VisibleStudentsAsync(ct).ConfigureAwait(false);
        if (me.IsTeacher || !await visible.AnyAsync(s => s.Id == id, ct).ConfigureAwait(false))
        {
            return Refusal.NotFound();
        }
        var exits = await db.Exits.AsNoTracking().Where(e => e.StudentId == id).ToListAsync(ct).ConfigureAwait(false);
        return exits.OrderByDescending(e => e.RecordedAt).Select(ToDto).ToList();
    }

    /// <summary>The age warning of one child of the caller's roster for the current term, or none.</summary>
    public async Task<AgeOutWarning?> AgeOutOfAsync(StudentDto child, Term? term, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(child);
        if (term is null || child.Status == StudentStatus.Left)
        {
            return null;
        }
        return AgeOutWarningOf(child.BirthDate, Today, term.LastDay, await PolicyAsync(ct).ConfigureAwait(false));
    }

    /// <summary>The children of the caller's roster with a plan of <paramref name="term"/> not closed who turn 16 before its end, soonest first.</summary>
    public async Task<Result<List<AgeOutChild>>> AgeOutWarningsAsync(Term? term, CancellationToken ct)
    {
        if (!me.May(Permission.Enrol) && !me.May(Permission.DecidePlans))
        {
            return Refusal.NotAllowed();
        }
        if (term is null)
        {
            return new List<AgeOutChild>();
        }
        var policy = await PolicyAsync(ct).ConfigureAwait(false);
        var visible = await directory.VisibleStudentsAsync(ct).ConfigureAwait(false);
        var withPlans = db.Plans.Where(p => p.TermId == term.Id && p.CountyCode == me.CountyCode).Select(p => p.StudentId);
        var children = await visible.AsNoTracking().Where(s => s.Status == StudentStatus.Enrolled && withPlans.Contains(s.Id)).ToListAsync(ct).ConfigureAwait(false);
        return children.Select(c => (Child: c, Warning: AgeOutWarningOf(c.BirthDate, Today, term.LastDay, policy)))
            .Where(x => x.Warning is not null).OrderBy(x => x.Warning!.Birthday).ThenBy(x => x.Child.Name, StringComparer.Ordinal)
            .Select(x => new AgeOutChild(x.Child.Id.Value, x.Child.Name, x.Warning!)).ToList();
    }

    /// <summary>Children transferred in to the caller's county, unacknowledged first, newest first.</summary>
    public async Task<Result<List<TransferNoticeDto>>> TransfersAsync(CancellationToken ct)
    {
        if (!me.May(Permission.ReceiveTransfers))
        {
            return Refusal.NotAllowed();
        }
        var notices = await db.TransferNotices.AsNoTracking().Where(n => n.ToCountyCode == me.CountyCode).ToListAsync(ct).ConfigureAwait(false);
        var names = await CountyNamesAsync(notices, ct).ConfigureAwait(false);
        return notices.OrderBy(n => n.AcknowledgedAt is not null).ThenByDescending(n => n.SentAt).Select(n => ToDto(n, names)).ToList();
    }

    /// <summary>The receiving bureau has taken note (and will enrol the child anew); acknowledging twice changes nothing.</summary>
    public async Task<Result<TransferNoticeDto>> AcknowledgeAsync(Guid id, CancellationToken ct)
    {
        if (!me.May(Permission.ReceiveTransfers))
        {
            return Refusal.NotAllowed();
        }
        var notice = await db.TransferNotices.SingleOrDefaultAsync(n => n.Id == id && n.ToCountyCode == me.CountyCode, ct).ConfigureAwait(false);
        if (notice is null)
        {
            return Refusal.NotFound();
        }
        if (notice.AcknowledgedAt is null)
        {
            notice.AcknowledgedBy = me.UserName;
            notice.AcknowledgedAt = clock.GetUtcNow();
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
        }
        return ToDto(notice, await CountyNamesAsync([notice], ct).ConfigureAwait(false));
    }

    private async Task<Dictionary<string, string>> CountyNamesAsync(IReadOnlyList<TransferNotice> notices, CancellationToken ct)
    {
        var codes = notices.Select(n => n.FromCountyCode).Distinct().ToList();
        return await db.Counties.AsNoTracking().Where(c => codes.Contains(c.Code)).ToDictionaryAsync(c => c.Code, c => c.Name, ct).ConfigureAwait(false);
    }

    private async Task<CountyPolicy> PolicyAsync(CancellationToken ct) =>
        await db.Policies.AsNoTracking().SingleOrDefaultAsync(p => p.CountyCode == me.CountyCode, ct).ConfigureAwait(false) ?? CountyPolicy.LincangDefault(me.CountyCode);

    public static ExitDto ToDto(StudentExit e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new(e.Id, e.StudentId.Value, e.Kind, e.LastDay, e.Reason, e.ToCountyCode, e.AssessmentId, e.RecordedBy, e.RecordedAt);
    }

    private static TransferNoticeDto ToDto(TransferNotice n, Dictionary<string, string> counties) => new(n.Id, n.FromCountyCode, counties.GetValueOrDefault(n.FromCountyCode, n.FromCountyCode),
        n.StudentName, n.Gender, n.BirthDate, n.DisabilityCategory, n.DisabilityGrade, n.LastDay, n.Note, n.SentAt, n.AcknowledgedBy, n.AcknowledgedAt);
}

/// <summary>
/// An exit's rules: a kind; a last day not in the past (what was recorded stays as it was) and within a year;
/// a reason unless the kind says it all (a transfer names the county, turning 16 says itself); for a transfer a
/// 6-digit county code other than one's own.
/// </summary>
public sealed class ExitRequestValidator : AbstractValidator<ExitRequest>
{
    public ExitRequestValidator(string ownCounty, DateOnly today)
    {
        RuleFor(r => r.Kind).Cascade(CascadeMode.Stop).NotNull().WithMessage("请选择离开送教的类别")
            .Must(k => Enum.IsDefined(k!.Value)).WithMessage("离开送教的类别不是可选的值");
        RuleFor(r => r.LastDay).Cascade(CascadeMode.Stop).NotNull().WithMessage("请填写最后送教日")
            .Sane("最后送教日")
            .Must(d => d >= today).WithMessage(string.Create(CultureInfo.InvariantCulture, $"最后送教日不能早于今天（{today:yyyy-MM-dd}）：已经过去的记录保持原样"))
            .Must(d => d <= today.AddYears(1)).WithMessage("最后送教日不能晚于一年以后");
        RuleFor(r => r.Reason).FreeText("原因");
        RuleFor(r => r.Reason).Must(r => !string.IsNullOrWhiteSpace(r))
            .When(r => r.Kind is not (null or ExitKind.Transfer or ExitKind.AgedOut)).WithMessage("请填写原因");
        RuleFor(r => r.ToCountyCode).Cascade(CascadeMode.Stop)
            .Must(c => !string.IsNullOrWhiteSpace(c)).WithMessage("转出时请填写转入县的 6 位行政区划代码")
            .Must(c => c!.Trim().Length == 6 && c.Trim().All(char.IsAsciiDigit)).WithMessage("转入县代码须为 6 位数字")
            .Must(c => c!.Trim() != ownCounty).WithMessage("转入县不能是本县")
            .When(r => r.Kind == ExitKind.Transfer);
    }
}
