using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Plans;
using ControlDropout.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlDropout.Web.Tests.Access;

/// <summary>
/// Real records to call every route with, and a valid request for each (body, If-Match from the real
/// ETag, form fields and antiforgery token), so that a refusal is about who calls, not what was sent.
/// Writes get fresh records of their own (a plan in the state the action needs, a child, a staff member
/// with nothing scheduled, a session not yet recorded), so that one caller's success cannot change
/// what the next caller meets.
/// </summary>
public sealed class AccessCalls(ServiceFactory factory, TestCounty home, HttpClient coordinator, HttpClient approver, HttpClient teacher)
{
    private PlanDto _draft = null!;
    private PlanDto _submitted = null!;
    private Guid _published;
    private Guid _draftTimetable;
    private Guid _run;
    private StudentId _unassigned;
    private string _feedToken = "";
    private JsonElement _policy;
    private List<TimetableSession> _sessions = [];
    private int _nextSession = 1;
    private int _serial;

    /// <summary>
    /// The county as it is mid-term: the teacher account's staff member teaches three children on a
    /// published timetable; a newer draft leaves a child unassigned; a draft and a submitted plan.
    /// </summary>
    public async Task SeedAsync()
    {
        using (var scope = factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var me = await db.Staff.SingleAsync(s => s.Id == home.Teacher).ConfigureAwait(false);
            (me.BaseLat, me.BaseLon, me.MaxAwayMinutesPerDay, me.MaxSessionsPerWeek) = (23.8868, 100.0925, 600, 10);
            me.Availability = [.. Enumerable.Range(1, 5).Select(d => new WeeklyWindow { Day = d, From = new TimeOnly(8, 0), To = new TimeOnly(18, 0) })];
            await db.SaveChangesAsync().ConfigureAwait(false);
        }
        await SchedulableCounty.AddAsync(home, 3).ConfigureAwait(false);
        _published = await approver.RunAndPublishAsync(home.Term).ConfigureAwait(false);
        // A child no one can teach (no braille teacher), so that the next draft has someone to acknowledge.
        _unassigned = (await SchedulableCounty.AddAsync(home, 1, skills: ["braille"]).ConfigureAwait(false))[0];
        var started = await approver.PostAsJsonAsync("/api/timetables/runs", new { termId = home.Term.Value }).ConfigureAwait(false);
        started.EnsureSuccessStatusCode();
        await SettleAsync(cancelRuns: false).ConfigureAwait(false);
        var run = await approver.GetFromJsonAsync<JsonElement>(started.Headers.Location!.ToString()).ConfigureAwait(false);
        (_run, _draftTimetable) = (run.GetProperty("id").GetGuid(), run.GetProperty("timetableId").GetGuid());

        using (var scope = factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            _sessions = [.. (await db.Sessions.AsNoTracking().Where(s => s.TimetableId == _published).ToListAsync().ConfigureAwait(false))
                .Where(s => s.StaffIds.Contains(home.Teacher.Value)).OrderBy(s => s.Date).ThenBy(s => s.Start).ThenBy(s => s.SessionKey, StringComparer.Ordinal)];
        }
        if (_sessions.Count < 30)
        {
            throw new InvalidOperationException($"the teacher has {_sessions.Count} sessions on the published timetable; the matrix needs 30");
        }
        _draft = await PlanAsync(PlanStatus.Draft).ConfigureAwait(false);
        _submitted = await PlanAsync(PlanStatus.Submitted).ConfigureAwait(false);
        var links = await teacher.GetFromJsonAsync<JsonElement>("/api/staff/me/feed").ConfigureAwait(false);
        var url = links.GetProperty("url").GetString()!;
        _feedToken = url[(url.LastIndexOf('/') + 1)..^".ics".Length];
        _policy = await approver.GetFromJsonAsync<JsonElement>("/api/policy").ConfigureAwait(false);
    }

    /// <summary>
    /// Waits until no timetable run is queued or running, so that nothing writes behind a fingerprint's
    /// back. A run the matrix started is cancelled first (as <c>…/cancel</c> would): the matrix asks who
    /// may start one, not what it computes.
    /// </summary>
    public async Task SettleAsync(bool cancelRuns = true)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            using var scope = factory.Services.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            if (cancelRuns)
            {
                await db.Runs.Where(r => r.Status == RunStatus.Queued || r.Status == RunStatus.Running)
                    .ExecuteUpdateAsync(u => u.SetProperty(r => r.CancelRequested, true)).ConfigureAwait(false);
            }
            if (!await db.Runs.AnyAsync(r => r.Status == RunStatus.Queued || r.Status == RunStatus.Running).ConfigureAwait(false))
            {
                return;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("a timetable run did not finish within a minute");
            }
            await Task.Delay(50).ConfigureAwait(false);
        }
    }

    /// <summary>The request for one route as one caller, with the records it needs created first.</summary>
    public async Task<HttpRequestMessage> BuildAsync(AccessRoute route, AccessVisitor visitor)
    {
        var call = new Call(route, visitor);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in route.Parameters)
        {
            values[name] = await ValueAsync(call, name).ConfigureAwait(false);
        }
        var url = route.Fill(n => values[n]) + (route.Handler is null ? "" : $"?handler={route.Handler}");
        var request = new HttpRequestMessage(new HttpMethod(route.Method), new Uri(url, UriKind.Relative));
        if (route.IsPage)
        {
            if (route.IsWrite)
            {
                var form = await FormAsync(call).ConfigureAwait(false);
                form["__RequestVerificationToken"] = visitor.FormToken;
                request.Content = new FormUrlEncodedContent(form);
            }
        }
        else
        {
            if (call.Plan is { } plan)
            {
                request.Headers.TryAddWithoutValidation("If-Match", plan.ETag);
            }
            if (route.IsWrite)
            {
                request.Content = JsonContent.Create(await BodyAsync(call).ConfigureAwait(false), options: ServiceFactory.Json);
            }
        }
        return request;
    }

    /// <summary>The records one call works on, made on first use.</summary>
    private sealed class Call(AccessRoute route, AccessVisitor visitor)
    {
        public AccessRoute Route { get; } = route;
        public AccessVisitor Visitor { get; } = visitor;
        public PlanDto? Plan { get; set; }
        public TimetableSession? Session { get; set; }
        public Guid? Visit { get; set; }
        public StudentId? Child { get; set; }
    }

    private static bool Under(Call call, params string[] prefixes) => prefixes.Any(p => call.Route.Template.StartsWith(p, StringComparison.Ordinal));

    /// <summary>A real value for a route parameter: the record family is told by the route's prefix.</summary>
    private async Task<string> ValueAsync(Call call, string name)
    {
        var route = call.Route;
        switch (name)
        {
            case "documentName":
                return "v1";
            case "token":
                return _feedToken;
            case "code":
                return "404";
            case "key":
                return (await SessionAsync(call).ConfigureAwait(false)).SessionKey;
            case "studentId" when Under(call, "/api/timetables/"):
                return _unassigned.Value.ToString();
            case "termId":
                return home.Term.Value.ToString();
            case "kind" when Under(call, "/api/imports/"):
                return "students";
            case "assessmentId" or "aid":
                return (await AssessmentOfAsync(await StudentOfAsync(call).ConfigureAwait(false), withReport: call.Route.Template.EndsWith("/report", StringComparison.Ordinal)).ConfigureAwait(false)).ToString();
        }
        if (name != "id")
        {
            throw new NotSupportedException($"{route.Row}: teach AccessCalls.ValueAsync a real value for {{{name}}}");
        }
        if (Under(call, "/api/plans/", "/plans/"))
        {
            return (await PlanOfAsync(call).ConfigureAwait(false)).Id.ToString();
        }
        if (Under(call, "/api/timetables/runs/"))
        {
            return _run.ToString();
        }
        if (Under(call, "/api/timetables/"))
        {
            return (route.Action is "publish" or "acknowledge" or "changes" ? _draftTimetable : _published).ToString();
        }
        if (Under(call, "/api/terms/"))
        {
            return home.Term.Value.ToString();
        }
        if (Under(call, "/api/staff/", "/staff/"))
        {
            // Leave re-plans the staff member's sessions: it gets someone with nothing scheduled.
            return (route.IsWrite && route.Action != "reset" ? await StaffAsync().ConfigureAwait(false) : home.Teacher).Value.ToString();
        }
        if (Under(call, "/api/students/", "/children/"))
        {
            return (await StudentOfAsync(call).ConfigureAwait(false)).Value.ToString();
        }
        if (Under(call, "/api/visits/"))
        {
            return (await VisitAsync(call).ConfigureAwait(false)).ToString();
        }
        if (Under(call, "/api/photos/", "/photos/"))
        {
            return (await PhotoAsync(call).ConfigureAwait(false)).ToString();
        }
        if (Under(call, "/api/users/"))
        {
            // A user no caller of the matrix signs in as: signing them out everywhere spoils no later call.
            using var scope = factory.Services.CreateScope();
            var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Web.Data.AppUser>>();
            return (await users.FindByNameAsync(home.Accounts["approver2"]).ConfigureAwait(false))!.Id;
        }
        if (Under(call, "/api/schools/"))
        {
            return home.School.Value.ToString();
        }
        if (Under(call, "/api/transfers/"))
        {
            return (await TransferInAsync().ConfigureAwait(false)).ToString();
        }
        throw new NotSupportedException($"{route.Row}: teach AccessCalls.ValueAsync which record {{id}} is");
    }

    /// <summary>A notice of a child transferred in to the home county from another one.</summary>
    private async Task<Guid> TransferInAsync()
    {
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var notice = new TransferNotice
        {
            FromCountyCode = "530927", ToCountyCode = home.Code, FromStudentId = StudentId.New(), StudentName = "转入童", Gender = "女", BirthDate = new DateOnly(2015, 3, 1),
            DisabilityCategory = DisabilityCategory.Physical, DisabilityGrade = 1, LastDay = new DateOnly(2026, 9, 30), Note = "", SentAt = DateTimeOffset.UnixEpoch,
        };
        db.TransferNotices.Add(notice);
        await db.SaveChangesAsync().ConfigureAwait(false);
        return notice.Id;
    }

    /// <summary>The plan state an action starts from.</summary>
    private static PlanStatus StateFor(AccessRoute route) => route.Action switch
    {
        "submit" => PlanStatus.Draft,
        "approve" or "reject" or "gradeexception" => PlanStatus.Submitted,
        "activate" => PlanStatus.Approved,
        "close" => PlanStatus.Active,
        _ when route.Template.StartsWith("/plans/edit", StringComparison.Ordinal) => PlanStatus.Draft,
        _ when route.Method == "PUT" => PlanStatus.Draft,
        _ => PlanStatus.Submitted,
    };

    private async Task<PlanDto> PlanOfAsync(Call call)
    {
        var state = StateFor(call.Route);
        call.Plan ??= call.Route.IsWrite ? await PlanAsync(state).ConfigureAwait(false) : state == PlanStatus.Draft ? _draft : _submitted;
        return call.Plan;
    }

    /// <summary>A plan of a fresh child, taken through the real API to the given state.</summary>
    private async Task<PlanDto> PlanAsync(PlanStatus state)
    {
        var (created, plan) = await coordinator.CreatePlanAsync(await home.NewChildAsync().ConfigureAwait(false), home.Term).ConfigureAwait(false);
        await Ensure(created, "create a plan").ConfigureAwait(false);
        async Task<PlanDto> Step(HttpClient client, string action, object? body = null)
        {
            var response = await client.ActAsync(plan!, action, body).ConfigureAwait(false);
            await Ensure(response, action + " a plan").ConfigureAwait(false);
            return await response.ReadPlanAsync().ConfigureAwait(false);
        }
        if (state >= PlanStatus.Submitted)
        {
            plan = await Step(coordinator, "submit").ConfigureAwait(false);
        }
        if (state is PlanStatus.Approved or PlanStatus.Active)
        {
            plan = await Step(approver, "approve", new { opinion = "同意" }).ConfigureAwait(false);
        }
        if (state == PlanStatus.Active)
        {
            plan = await Step(approver, "activate").ConfigureAwait(false);
        }
        return plan!;
    }

    private static async Task Ensure(HttpResponseMessage response, string what)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"the matrix's setup could not {what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync().ConfigureAwait(false)}");
        }
    }

    /// <summary>GETs share the first session; each write gets the next one not yet recorded.</summary>
    private Task<TimetableSession> SessionAsync(Call call)
    {
        call.Session ??= call.Route.IsWrite ? _sessions[_nextSession++ % _sessions.Count] : _sessions[0];
        return Task.FromResult(call.Session);
    }

    /// <summary>
    /// The child of a route under /api/students or /children: reads get a child the teacher teaches, with an
    /// active plan and sessions (so that a teaching file exists); writes a fresh child of their own.
    /// </summary>
    private async Task<StudentId> StudentOfAsync(Call call) =>
        call.Route.IsWrite && call.Route.Handler is null ? await ChildAsync(call).ConfigureAwait(false) : _sessions[0].StudentId;

    /// <summary>An assessment of the child (the first one, or one added), with a committee report kept for the routes that read it.</summary>
    private async Task<Guid> AssessmentOfAsync(StudentId child, bool withReport)
    {
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var assessment = await db.Assessments.Where(a => a.StudentId == child).OrderBy(a => a.Date).FirstOrDefaultAsync().ConfigureAwait(false);
        if (assessment is null)
        {
            assessment = new Assessment { StudentId = child, Date = new DateOnly(2026, 6, 20), Conclusion = AssessmentConclusion.HomeTeaching };
            db.Assessments.Add(assessment);
        }
        if (withReport && assessment.ReportDocumentId is null)
        {
            var pdf = "%PDF-1.4\n%%EOF\n"u8.ToArray();
            var report = new StoredDocument
            {
                CountyCode = home.Code, Sha256 = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(pdf)), FileName = "评估报告.pdf",
                ContentType = "application/pdf", Content = pdf, UploadedBy = "access-matrix", UploadedAt = DateTimeOffset.UnixEpoch,
            };
            db.Documents.Add(report);
            assessment.ReportDocumentId = report.Id;
        }
        await db.SaveChangesAsync().ConfigureAwait(false);
        return assessment.Id;
    }

    private async Task<StudentId> ChildAsync(Call call)
    {
        call.Child ??= await home.NewChildAsync().ConfigureAwait(false);
        return call.Child.Value;
    }

    private async Task<StaffId> StaffAsync()
    {
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var staff = new Staff
        {
            Id = StaffId.New(), CountyCode = home.Code, SchoolId = home.School, Department = Department.Education, Name = "请假老师", BaseName = "县特殊教育学校",
            BaseLat = 23.8868, BaseLon = 100.0925, MaxSessionsPerWeek = 8, Skills = ["special-education"],
        };
        db.Staff.Add(staff);
        await db.SaveChangesAsync().ConfigureAwait(false);
        return staff.Id;
    }

    /// <summary>A visit the teacher recorded an hour ago on a session of their own.</summary>
    private async Task<Guid> VisitAsync(Call call)
    {
        // Reads (the signature) share one record of the first session; each write gets a record of its own session.
        if (!call.Route.IsWrite && _readVisit is { } shared)
        {
            call.Visit = shared;
            return shared;
        }
        var session = await SessionAsync(call).ConfigureAwait(false);
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var visit = new VisitRecord
        {
            CountyCode = home.Code, SessionKey = session.SessionKey, StudentId = session.StudentId, Version = 1, Date = session.Date,
            Start = session.Start, End = session.End, Mode = session.Mode, StaffPresent = [home.Teacher.Value], Content = "认识日常用品",
            ChildResponse = "能配合", GuardianFeedback = "满意", GuardianName = "张某", HomeTask = "每天练习抓握",
            RecordedBy = home.Accounts["teacher"], RecordedAt = factory.Clock.GetUtcNow().AddHours(-1),
            // Signed, so that the signature's route has something to answer.
            Confirmation = GuardianConfirmation.Signature, ConfirmedAt = factory.Clock.GetUtcNow().AddHours(-1),
            SignatureSvg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 600 240\"><polyline fill=\"none\" stroke=\"#000\" stroke-width=\"3\" points=\"10,10 20,20\"/></svg>",
        };
        db.Visits.Add(visit);
        await db.SaveChangesAsync().ConfigureAwait(false);
        call.Visit = visit.Id;
        if (!call.Route.IsWrite)
        {
            _readVisit = visit.Id;
        }
        return visit.Id;
    }

    /// <summary>A photo of the first session, stored as the service stores one (its file on disk), through the real use case.</summary>
    private async Task<Guid> PhotoAsync(Call call)
    {
        var session = await SessionAsync(call).ConfigureAwait(false);
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var photos = scope.ServiceProvider.GetRequiredService<Web.Features.Visits.VisitPhotos>();
        var (jpeg, width, height) = Web.Features.Visits.VisitPhotos.Reencode(Features.Visits.TestImages.Jpeg(64, 48)).Value;
        var sha = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(jpeg)).ToLowerInvariant();
        var path = photos.PathOf(sha);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, jpeg).ConfigureAwait(false);
        var photo = new VisitPhoto
        {
            CountyCode = home.Code, SessionKey = session.SessionKey, StudentId = session.StudentId, Sha256 = sha, ContentType = "image/jpeg",
            Width = width, Height = height, Length = jpeg.Length, UploadedBy = home.Accounts["teacher"], UploadedAt = factory.Clock.GetUtcNow(),
        };
        db.VisitPhotos.Add(photo);
        await db.SaveChangesAsync().ConfigureAwait(false);
        return photo.Id;
    }

    private Guid? _readVisit;

    private int Serial() => Interlocked.Increment(ref _serial);

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Time(TimeOnly time) => time.ToString("HH:mm", CultureInfo.InvariantCulture);

    /// <summary>A day late in the term, different for each call, so that closures and leave never overlap one another.</summary>
    private DateOnly LateDay() => new DateOnly(2026, 11, 30).AddDays(Serial());

    private async Task<object> VisitBodyAsync(Call call, string? correction)
    {
        var s = await SessionAsync(call).ConfigureAwait(false);
        return new
        {
            sessionKey = s.SessionKey, date = Day(s.Date), start = Time(s.Start), end = Time(s.End), staffPresent = new[] { home.Teacher.Value },
            place = "Home", content = "认识日常用品，练习抓握", goalsAddressed = Array.Empty<string>(), childResponse = "能配合", guardianFeedback = "满意",
            guardianName = "张某", homeTask = "每天练习抓握", missed = false, correctionReason = correction,
        };
    }

    /// <summary>A valid JSON body for each API write; an unknown write gets <c>{}</c> (teach it here).</summary>
    private async Task<object> BodyAsync(Call call)
    {
        var route = call.Route;
        var visitor = call.Visitor;
        switch (route.Method, route.Template)
        {
            case ("POST", "/api/auth/login"):
                return new { userName = visitor.UserName ?? home.Accounts["auditor"], password = ServiceFactory.Password };
            case ("POST", "/api/plans/"):
                return new CreatePlanRequest((await ChildAsync(call).ConfigureAwait(false)).Value, home.Term.Value, Api.WeeklyHomePlan());
            case ("PUT", "/api/plans/{id:guid}"):
                return Api.WeeklyHomePlan(visits: 2);
            case ("POST", "/api/terms/"):
                var year = 2030 + Serial();
                return new { name = $"{year}年春季学期", firstDay = $"{year}-03-01", lastDay = $"{year}-07-10", teachingWeekdays = new[] { 1, 2, 3, 4, 5 } };
            case ("PUT", "/api/policy/"):
                return _policy;
            case ("POST", "/api/staff/"):
                return new
                {
                    name = "新老师", department = "Education", schoolId = home.School.Value, skills = new[] { "special-education" }, baseName = "县特殊教育学校",
                    baseLat = 23.8868, baseLon = 100.0925, availability = new[] { new WindowDto(1, "08:00", "17:00") }, maxSessionsPerWeek = 8,
                    maxAwayMinutesPerDay = 480, canTeachRemotely = true,
                };
            case ("POST", "/api/students/"):
                return new
                {
                    name = "新某某", gender = "男", birthDate = "2016-01-01", disabilityCategory = "Intellectual", disabilityGrade = 1, schoolOfRecordId = home.School.Value,
                    villageCode = home.Code + "101201", homeLat = 23.80, homeLon = 100.10, guardians = new[] { new { name = "张某", relation = "母亲", phone = "13800001234" } },
                };
            case ("POST", "/api/visits/"):
                return await VisitBodyAsync(call, null).ConfigureAwait(false);
            case ("PUT", "/api/visits/{id:guid}"):
                return await VisitBodyAsync(call, "补充家长反馈").ConfigureAwait(false);
            case ("POST", "/api/timetables/runs"):
                return new { termId = home.Term.Value };
            case ("POST", "/api/schools/"):
                return new { name = $"新学校{Serial()}", kind = "Regular", townshipCode = home.Code + "102" };
            case ("PUT", "/api/schools/{id:guid}"):
                // The home school as it is: renaming it would change what later calls see.
                using (var scope = factory.Services.CreateScope())
                {
                    var school = await scope.ServiceProvider.GetRequiredService<Web.Data.AppDbContext>().Schools.FindAsync(home.School).ConfigureAwait(false);
                    return new { name = school!.Name, kind = school.Kind.ToString(), townshipCode = school.TownshipCode };
                }
            case ("POST", "/api/users/"):
                return new { userName = $"matrix-user-{Serial()}", displayName = "新用户", role = "auditor", password = ServiceFactory.Password };
            case ("PUT", "/api/staff/me/feed/reminder"):
                return new { minutes = 30 };
        }
        var day = LateDay();
        return route.Action switch
        {
            "approve" or "reject" => new { opinion = "同意" },
            "gradeexception" => new { reason = "家长坚持送教，专家组同意" },
            "closures" => new { townshipCode = home.Code + "101", firstDay = Day(day), lastDay = Day(day), reason = "道路塌方" },
            "leave" => new { firstDay = Day(day), lastDay = Day(day), reason = "病假" },
            "assessments" => new { date = "2026-09-01", conclusion = "HomeTeaching" },
            "acknowledge" => new { note = "已知，下周补排" },
            _ => new { },
        };
    }

    /// <summary>The form each page handler posts, as its page renders it; an unknown handler posts only its token.</summary>
    private async Task<Dictionary<string, string>> FormAsync(Call call)
    {
        var route = call.Route;
        var template = route.Template;
        if (template == "/login")
        {
            return new() { ["UserName"] = call.Visitor.UserName ?? home.Accounts["auditor"], ["Password"] = ServiceFactory.Password };
        }
        if (template.StartsWith("/plans/edit", StringComparison.Ordinal))
        {
            var plan = await PlanOfAsync(call).ConfigureAwait(false);
            var form = new Dictionary<string, string>
            {
                ["Form.TermId"] = home.Term.Value.ToString(), ["Form.ETag"] = plan.ETag, ["Form.CoursePlan"] = "生活适应与康复训练",
                ["Form.Content"] = "认识日常用品，练习抓握", ["Form.Goals"] = "能独立抓握勺子", ["Form.Mode"] = "Home", ["Form.HomeVisitsPerWeek"] = "1",
                ["Form.RemoteSessionsPerWeek"] = "0", ["Form.LessonsPerVisit"] = "2", ["Form.TeamSize"] = "1", ["Form.RequiredSkills"] = "special-education",
            };
            for (var d = 0; d < 7; d++)
            {
                (form[$"Form.Days[{d}].On"], form[$"Form.Days[{d}].From"], form[$"Form.Days[{d}].To"]) = (d < 5 ? "true" : "false", "09:00", "16:30");
            }
            return form;
        }
        if (template.StartsWith("/plans/", StringComparison.Ordinal))
        {
            var plan = await PlanOfAsync(call).ConfigureAwait(false);
            return new() { ["etag"] = plan.ETag, ["Opinion"] = "同意", ["Reason"] = "家长坚持送教，专家组同意" };
        }
        if (template == "/policy")
        {
            // The planning rules as they stand: the call changes nothing another row depends on.
            return new() { ["Form.StartTimeStepMinutes"] = "5", ["Form.ChangePenaltyMinutes"] = "60" };
        }
        if (template == "/closures")
        {
            var day = Day(LateDay());
            return new() { ["Form.TownshipCode"] = home.Code + "101", ["Form.FirstDay"] = day, ["Form.LastDay"] = day, ["Form.Reason"] = "道路塌方" };
        }
        if (template.StartsWith("/staff/", StringComparison.Ordinal))
        {
            var day = Day(LateDay());
            return new() { ["Leave.FirstDay"] = day, ["Leave.LastDay"] = day, ["Leave.Reason"] = "病假" };
        }
        if (template.StartsWith("/sessions/", StringComparison.Ordinal))
        {
            var s = await SessionAsync(call).ConfigureAwait(false);
            return new()
            {
                ["Form.Date"] = Day(s.Date), ["Form.Start"] = Time(s.Start), ["Form.End"] = Time(s.End), ["Form.StaffPresent"] = home.Teacher.Value.ToString(),
                ["Form.Place"] = "Home", ["Form.Content"] = "认识日常用品，练习抓握", ["Form.ChildResponse"] = "能配合", ["Form.GuardianFeedback"] = "满意",
                ["Form.GuardianName"] = "张某", ["Form.HomeTask"] = "每天练习抓握",
            };
        }
        if (template == "/timetable")
        {
            return route.Action switch
            {
                "start" => new() { ["termId"] = home.Term.Value.ToString() },
                "cancel" => new() { ["runId"] = _run.ToString() },
                "acknowledge" => new() { ["timetableId"] = _draftTimetable.ToString(), ["studentId"] = _unassigned.Value.ToString(), ["note"] = "已知，下周补排" },
                _ => new() { ["timetableId"] = _draftTimetable.ToString() },
            };
        }
        return [];
    }

    /// <summary>
    /// The order rows are called in: reads first; then writes on records of their own; then the
    /// county's calendar and policy; then the timetable (acknowledge and publish the draft before a new
    /// run replaces it); last what ends sessions.
    /// </summary>
    public static int Phase(AccessRoute route)
    {
        if (route.EndsSessions)
        {
            return 9;
        }
        if (!route.IsWrite)
        {
            return 0;
        }
        if (route.Template.StartsWith("/api/timetables", StringComparison.Ordinal) || route.Template == "/timetable")
        {
            return route.Action switch { "acknowledge" => 4, "publish" => 5, "cancel" => 6, _ => 7 };
        }
        return route.Template.StartsWith("/api/terms", StringComparison.Ordinal) || route.Template.StartsWith("/api/policy", StringComparison.Ordinal)
            || route.Template is "/closures" or "/policy" ? 3 : 1;
    }
}
