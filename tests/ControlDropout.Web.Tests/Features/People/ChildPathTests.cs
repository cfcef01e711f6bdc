using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.People;
using ControlDropout.Web.Tests.Features.Coverage;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlDropout.Web.Tests.Features.People;

/// <summary>What the child-path tests read back from the store and ask of the API, stated once.</summary>
internal static class ChildPathFacts
{
    public static async Task<Plan> PlanOfAsync(TestCounty county, StudentId child)
    {
        using var scope = county.Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await db.Plans.AsNoTracking().Include(p => p.Versions).SingleAsync(p => p.StudentId == child && p.TermId == county.Term);
    }

    public static async Task<Student> StudentAsync(TestCounty county, StudentId child)
    {
        using var scope = county.Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await db.Students.AsNoTracking().SingleAsync(s => s.Id == child);
    }

    public static async Task BornOnAsync(TestCounty county, StudentId child, DateOnly birth)
    {
        using var scope = county.Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        (await db.Students.SingleAsync(s => s.Id == child)).BirthDate = birth;
        await db.SaveChangesAsync();
    }

    public static Task<HttpResponseMessage> ExitAsync(HttpClient client, StudentId child, object body) =>
        client.PostAsJsonAsync($"/api/students/{child}/exit", body);

    public static async Task<int> AuditRowsAsync(TestCounty county, string objectType)
    {
        using var scope = county.Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await db.Audit.CountAsync(a => a.ObjectType == objectType);
    }
}

/// <summary>Issue 13 §4: an assessment concluding 随班就读 ends the plan from the last day of teaching, end to end.</summary>
public sealed class ChildPathRegularClassTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;

    public ChildPathRegularClassTests(ServiceFactory factory) => _factory = factory;

    [Fact]
    public async Task An_assessment_concluding_regular_class_closes_the_plan_from_its_last_day_cancels_later_sessions_and_shows_in_the_ledger()
    {
        var county = await _factory.LincangAsync();
        var child = (await SchedulableCounty.AddAsync(county, children: 1))[0];
        await TermFacts.NameAsync(county, child, "随班就读童");
        var approver = await county.As("approver");
        await approver.RunAndPublishAsync(county.Term);
        var lastDay = new DateOnly(2026, 10, 15);
        var before = await TermFacts.SessionsAsync(county, child);
        before.Should().Contain(s => s.Date > lastDay && s.Status == SessionStatus.Scheduled, "the published timetable teaches the child after the last day");
        var kept = before.Where(s => s.Date <= lastDay).Select(s => (s.SessionKey, s.Date, s.Status)).ToList();
        kept.Should().NotBeEmpty();

        var coordinator = await county.As("coordinator");
        var assessed = await coordinator.PostAsJsonAsync($"/api/students/{child}/assessments",
            new { date = "2026-09-05", conclusion = "RegularClass", documentNo = "临教专评〔2026〕12号", members = new[] { "王委员" }, lastDayOfTeaching = "2026-10-15" });

        assessed.StatusCode.Should().Be(HttpStatusCode.Created, await assessed.Content.ReadAsStringAsync());
        var plan = await ChildPathFacts.PlanOfAsync(county, child);
        plan.Versions.Should().OnlyContain(v => v.Status == PlanStatus.Closed);
        plan.EffectiveUntil.Should().Be(lastDay);
        plan.ClosedReason.Should().Be("评估为随班就读（临教专评〔2026〕12号）");

        var after = await TermFacts.SessionsAsync(county, child);
        after.Where(s => s.Date > lastDay).Should().NotBeEmpty().And.OnlyContain(s => s.Status == SessionStatus.Cancelled, "nobody is sent after the last day; calendars are told");
        after.Where(s => s.Date <= lastDay).Select(s => (s.SessionKey, s.Date, s.Status)).Should().BeEquivalentTo(kept, "the sessions up to the last day stay as they were");

        var student = await coordinator.GetFromJsonAsync<JsonElement>($"/api/students/{child}");
        student.GetProperty("status").GetString().Should().Be("Left");
        student.GetProperty("leftOn").GetString().Should().Be("2026-10-15");
        var exits = await coordinator.GetFromJsonAsync<JsonElement>($"/api/students/{child}/exits");
        var exit = exits.EnumerateArray().Should().ContainSingle().Subject;
        exit.GetProperty("kind").GetString().Should().Be("RegularClass");
        exit.GetProperty("reason").GetString().Should().Be("专家委员会评估结论：随班就读（临教专评〔2026〕12号）");
        exit.GetProperty("assessmentId").GetGuid().Should().NotBeEmpty();
        (await ChildPathFacts.AuditRowsAsync(county, nameof(StudentExit))).Should().BeGreaterThan(0, "the exit is on the audit trail");

        var row = (await TermFacts.LedgerAsync(county)).Single(r => r["姓名"] == "随班就读童");
        row["备注"].Should().StartWith("2026-10-15 评估为随班就读（临教专评〔2026〕12号）");
        row["生效日期"].Should().Be("2026-09-01 至 2026-10-15", "the child stays in the ledger of the term for the days the plan was in force");

        var again = await coordinator.CreatePlanAsync(child, county.Term);
        again.Response.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await again.Response.ReadJsonAsync()).GetProperty("code").GetString().Should().Be("child_left");
    }

    [Fact]
    public async Task A_last_day_of_teaching_in_the_past_is_refused_and_nothing_changes()
    {
        var county = await _factory.LincangAsync();
        var child = (await SchedulableCounty.AddAsync(county, children: 1))[0];

        var refused = await (await county.As("coordinator")).PostAsJsonAsync($"/api/students/{child}/assessments",
            new { date = "2026-09-01", conclusion = "SpecialSchool", lastDayOfTeaching = "2026-09-04" });

        refused.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await refused.ReadJsonAsync()).GetProperty("errors").TryGetProperty("lastDayOfTeaching", out _).Should().BeTrue();
        (await ChildPathFacts.StudentAsync(county, child)).Status.Should().Be(StudentStatus.Enrolled);
        (await ChildPathFacts.PlanOfAsync(county, child)).Versions.Single().Status.Should().Be(PlanStatus.Active);
    }
}

/// <summary>Issue 13 §4: a transfer closes the plan here and leaves a notice for the receiving county's bureau.</summary>
public sealed class ChildPathTransferTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;

    public ChildPathTransferTests(ServiceFactory factory) => _factory = factory;

    [Fact]
    public async Task A_transfer_closes_the_plan_and_the_receiving_county_alone_sees_and_acknowledges_the_notice()
    {
        var county = await _factory.LincangAsync();
        var other = await _factory.OtherCountyAsync();
        var child = (await SchedulableCounty.AddAsync(county, children: 1))[0];
        await TermFacts.NameAsync(county, child, "转出童");

        var moved = await ChildPathFacts.ExitAsync(await county.As("coordinator"), child,
            new { kind = "Transfer", lastDay = "2026-09-30", reason = "随父母迁居", toCountyCode = other.Code });

        moved.StatusCode.Should().Be(HttpStatusCode.OK, await moved.Content.ReadAsStringAsync());
        var plan = await ChildPathFacts.PlanOfAsync(county, child);
        plan.Versions.Should().OnlyContain(v => v.Status == PlanStatus.Closed);
        plan.EffectiveUntil.Should().Be(new DateOnly(2026, 9, 30));
        plan.ClosedReason.Should().Be($"转出至沧源佤族自治县（{other.Code}）：随父母迁居");
        (await ChildPathFacts.StudentAsync(county, child)).Status.Should().Be(StudentStatus.Left);

        var theirs = await (await other.As("admin")).GetFromJsonAsync<JsonElement>("/api/transfers");
        var notice = theirs.EnumerateArray().Should().ContainSingle(n => n.GetProperty("studentName").GetString() == "转出童").Subject;
        notice.GetProperty("fromCountyName").GetString().Should().Be("临翔区");
        notice.GetProperty("lastDay").GetString().Should().Be("2026-09-30");
        notice.GetProperty("note").GetString().Should().Be("随父母迁居");
        notice.GetProperty("birthDate").GetString().Should().Be("2015-02-01");
        notice.TryGetProperty("idCardNo", out _).Should().BeFalse("identity numbers are not copied across counties");
        notice.GetProperty("acknowledgedAt").ValueKind.Should().Be(JsonValueKind.Null);
        var id = notice.GetProperty("id").GetGuid();

        var ours = await (await county.As("admin")).GetFromJsonAsync<JsonElement>("/api/transfers");
        ours.EnumerateArray().Should().NotContain(n => n.GetProperty("id").GetGuid() == id, "the sending county does not receive its own notice");
        (await (await county.As("admin")).PostAsync(new Uri($"/api/transfers/{id}/acknowledge", UriKind.Relative), null)).StatusCode
            .Should().Be(HttpStatusCode.NotFound, "another county's notice is as absent as a missing one");
        (await (await other.As("coordinator")).GetAsync(new Uri("/api/transfers", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.Forbidden);

        var acknowledged = await (await other.As("approver")).PostAsync(new Uri($"/api/transfers/{id}/acknowledge", UriKind.Relative), null);
        acknowledged.StatusCode.Should().Be(HttpStatusCode.OK);
        (await acknowledged.ReadJsonAsync()).GetProperty("acknowledgedBy").GetString().Should().Be(other.Accounts["approver"]);

        var row = (await TermFacts.LedgerAsync(county)).Single(r => r["姓名"] == "转出童");
        row["备注"].Should().StartWith($"2026-09-30 转出至沧源佤族自治县（{other.Code}）：随父母迁居");

        var twice = await ChildPathFacts.ExitAsync(await county.As("approver"), child, new { kind = "Other", lastDay = "2026-10-01", reason = "再次" });
        twice.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await twice.ReadJsonAsync()).GetProperty("code").GetString().Should().Be("child_left");
    }

    [Fact]
    public async Task The_transfers_page_lists_a_notice_and_acknowledges_it()
    {
        var county = await _factory.LincangAsync();
        var other = await _factory.OtherCountyAsync();
        var child = (await SchedulableCounty.AddAsync(county, children: 1))[0];
        await TermFacts.NameAsync(county, child, "页面转出童");
        (await ChildPathFacts.ExitAsync(await county.As("approver"), child, new { kind = "Transfer", lastDay = "2026-09-20", toCountyCode = other.Code }))
            .StatusCode.Should().Be(HttpStatusCode.OK);
        var browser = await PageBrowser.SignedInAsync(_factory, other, "admin");

        var page = await browser.GetStringAsync(new Uri("/transfers", UriKind.Relative));
        page.Should().Contain("页面转出童").And.Contain("确认已收到");
        var id = (await (await other.As("admin")).GetFromJsonAsync<JsonElement>("/api/transfers")).EnumerateArray()
            .Single(n => n.GetProperty("studentName").GetString() == "页面转出童").GetProperty("id").GetGuid();
        var posted = await browser.PostAsync(new Uri($"/transfers?handler=Acknowledge&id={id}", UriKind.Relative),
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = PageBrowser.TokenIn(page) }));

        posted.StatusCode.Should().Be(HttpStatusCode.Redirect);
        var notice = (await (await other.As("admin")).GetFromJsonAsync<JsonElement>("/api/transfers")).EnumerateArray().Single(n => n.GetProperty("id").GetGuid() == id);
        notice.GetProperty("acknowledgedBy").GetString().Should().Be(other.Accounts["admin"]);
    }
}

/// <summary>Issue 13 §4: turning 16 during the term is warned from 30 days before, and the AgedOut exit ends the plan.</summary>
public sealed class ChildPathAgeOutTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;

    public ChildPathAgeOutTests(ServiceFactory factory) => _factory = factory;

    [Fact]
    public void The_rule_warns_from_thirty_days_before_the_sixteenth_birthday_within_the_term()
    {
        var policy = CountyPolicy.LincangDefault("530902");
        var today = new DateOnly(2026, 9, 7);
        var termEnd = new DateOnly(2027, 1, 22);

        ChildPath.AgeOutWarningOf(new DateOnly(2010, 10, 7), today, termEnd, policy)!.Message.Should().Be("将于 2026-10-07 年满 16 周岁，义务教育阶段送教将结束");
        ChildPath.AgeOutWarningOf(new DateOnly(2010, 10, 7), today, termEnd, policy)!.SuggestedLastDay.Should().Be(new DateOnly(2026, 10, 6));
        ChildPath.AgeOutWarningOf(new DateOnly(2010, 10, 8), today, termEnd, policy).Should().BeNull("31 days before is not yet warned");
        ChildPath.AgeOutWarningOf(new DateOnly(2011, 1, 23), new DateOnly(2027, 1, 1), termEnd, policy).Should().BeNull("a birthday after the term's end is the next term's");
        var passed = ChildPath.AgeOutWarningOf(new DateOnly(2010, 9, 1), today, termEnd, policy)!;
        passed.SuggestedLastDay.Should().Be(today, "a last day in the past is not offered");
        passed.Message.Should().StartWith("已于 2026-09-01 年满 16 周岁");
    }

    [Fact]
    public async Task The_queue_and_the_child_page_warn_from_thirty_days_before_and_the_aged_out_exit_closes_the_plan()
    {
        var county = await _factory.LincangAsync();
        var children = await SchedulableCounty.AddAsync(county, children: 2);
        var (turning, notYet) = (children[0], children[1]);
        await TermFacts.NameAsync(county, turning, "将满十六");
        await TermFacts.NameAsync(county, notYet, "还差一天");
        // The clock's day is 2026-09-07: 30 days before 2026-10-07, 31 before 2026-10-08.
        await ChildPathFacts.BornOnAsync(county, turning, new DateOnly(2010, 10, 7));
        await ChildPathFacts.BornOnAsync(county, notYet, new DateOnly(2010, 10, 8));
        var browser = await PageBrowser.SignedInAsync(_factory, county, "approver");

        var queue = await browser.GetStringAsync(new Uri("/approve", UriKind.Relative));
        queue.Should().Contain("将于 2026-10-07 年满 16 周岁，义务教育阶段送教将结束").And.Contain($"/children/{turning}#path");
        queue.Should().NotContain("2026-10-08 年满 16 周岁").And.NotContain($"/children/{notYet}#path");
        var page = await browser.GetStringAsync(new Uri($"/children/{turning}", UriKind.Relative));
        page.Should().Contain("将于 2026-10-07 年满 16 周岁").And.Contain("value=\"2026-10-06\"", "the form proposes the day before the birthday");
        (await browser.GetStringAsync(new Uri($"/children/{notYet}", UriKind.Relative))).Should().NotContain("年满 16 周岁");

        // The page's form records the AgedOut exit with the proposed day.
        var posted = await browser.PostAsync(new Uri($"/children/{turning}?handler=Exit", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Exit.Kind"] = "AgedOut", ["Exit.LastDay"] = "2026-10-06", ["Exit.Reason"] = "", ["__RequestVerificationToken"] = PageBrowser.TokenIn(page),
        }));

        posted.StatusCode.Should().Be(HttpStatusCode.Redirect, await posted.Content.ReadAsStringAsync());
        var plan = await ChildPathFacts.PlanOfAsync(county, turning);
        plan.Versions.Should().OnlyContain(v => v.Status == PlanStatus.Closed);
        plan.EffectiveUntil.Should().Be(new DateOnly(2026, 10, 6));
        plan.ClosedReason.Should().Be("年满16周岁，义务教育阶段送教结束");
        (await browser.GetStringAsync(new Uri("/approve", UriKind.Relative))).Should().NotContain("将于 2026-10-07 年满 16 周岁", "a child who left is no longer warned");
        (await browser.GetStringAsync(new Uri($"/children/{turning}", UriKind.Relative))).Should().Contain("年满16周岁，义务教育阶段送教结束").And.NotContain("登记离开送教（关闭送教方案）");
    }
}

/// <summary>Issue 13 §4: the exit's refusals name the field; scope and role are asked first.</summary>
public sealed class ChildPathRefusalTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;

    public ChildPathRefusalTests(ServiceFactory factory) => _factory = factory;

    [Theory]
    [InlineData("Death")]
    [InlineData("Other")]
    public async Task Death_and_other_exits_need_a_reason(string kind)
    {
        var county = await _factory.LincangAsync();
        var child = await county.NewChildAsync();

        var refused = await ChildPathFacts.ExitAsync(await county.As("approver"), child, new { kind, lastDay = "2026-09-10", reason = " " });

        refused.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await refused.ReadJsonAsync()).GetProperty("errors").EnumerateObject().Select(e => e.Name).Should().Equal("reason");
        (await ChildPathFacts.StudentAsync(county, child)).Status.Should().Be(StudentStatus.Enrolled);
    }

    [Fact]
    public async Task A_past_last_day_a_missing_kind_and_a_transfer_to_the_own_county_are_refused_by_field()
    {
        var county = await _factory.LincangAsync();
        var child = await county.NewChildAsync();
        var approver = await county.As("approver");

        async Task<IEnumerable<string>> FieldsAsync(object body)
        {
            var response = await ChildPathFacts.ExitAsync(approver, child, body);
            response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
            return (await response.ReadJsonAsync()).GetProperty("errors").EnumerateObject().Select(e => e.Name).ToList();
        }

        (await FieldsAsync(new { kind = "Death", lastDay = "2026-09-06", reason = "病故" })).Should().Equal("lastDay");
        (await FieldsAsync(new { lastDay = "2026-09-08", reason = "x" })).Should().Equal("kind");
        (await FieldsAsync(new { kind = "Transfer", lastDay = "2026-09-08", toCountyCode = county.Code })).Should().Equal("toCountyCode");
        (await FieldsAsync(new { kind = "Transfer", lastDay = "2026-09-08", toCountyCode = "53A927" })).Should().Equal("toCountyCode");
        (await FieldsAsync(new { kind = "Transfer", lastDay = "2026-09-08" })).Should().Equal("toCountyCode");
    }

    [Fact]
    public async Task Another_countys_child_is_not_found_and_teachers_and_auditors_may_not_record_an_exit()
    {
        var county = await _factory.LincangAsync();
        var other = await _factory.OtherCountyAsync();
        var body = new { kind = "Death", lastDay = "2026-09-10", reason = "病故" };

        (await ChildPathFacts.ExitAsync(await county.As("approver"), other.Eligible, body)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await ChildPathFacts.ExitAsync(await county.As("teacher"), county.Eligible, body)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await ChildPathFacts.ExitAsync(await county.As("auditor"), county.Eligible, body)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await ChildPathFacts.StudentAsync(county, county.Eligible)).Status.Should().Be(StudentStatus.Enrolled);
        (await ChildPathFacts.StudentAsync(other, other.Eligible)).Status.Should().Be(StudentStatus.Enrolled);
    }

    [Fact]
    public async Task The_child_pages_exit_form_shows_a_refusal_beside_the_field_and_changes_nothing()
    {
        var county = await _factory.LincangAsync();
        var child = await county.NewChildAsync();
        var browser = await PageBrowser.SignedInAsync(_factory, county, "coordinator");
        var page = await browser.GetStringAsync(new Uri($"/children/{child}", UriKind.Relative));
        page.Should().Contain("登记离开送教（关闭送教方案）").And.NotContain("年满 16 周岁");

        var refused = await browser.PostAsync(new Uri($"/children/{child}?handler=Exit", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Exit.Kind"] = "Other", ["Exit.LastDay"] = "2026-09-20", ["Exit.Reason"] = "", ["__RequestVerificationToken"] = PageBrowser.TokenIn(page),
        }));

        refused.StatusCode.Should().Be(HttpStatusCode.OK);
        var html = await refused.Content.ReadAsStringAsync();
        html.Should().Contain("请填写原因").And.Contain("value=\"2026-09-20\"", "what was typed stays");
        (await ChildPathFacts.StudentAsync(county, child)).Status.Should().Be(StudentStatus.Enrolled);
    }

    [Fact]
    public async Task A_death_recorded_by_the_coordinator_closes_a_draft_plan_with_the_reason()
    {
        var county = await _factory.LincangAsync();
        var child = await county.NewChildAsync();
        var coordinator = await county.As("coordinator");
        var (_, draft) = await coordinator.CreatePlanAsync(child, county.Term);

        var recorded = await ChildPathFacts.ExitAsync(coordinator, child, new { kind = "Death", lastDay = "2026-09-07", reason = "因病去世" });

        recorded.StatusCode.Should().Be(HttpStatusCode.OK);
        var plan = await ChildPathFacts.PlanOfAsync(county, child);
        plan.Versions.Single().Status.Should().Be(PlanStatus.Closed);
        plan.ClosedReason.Should().Be("死亡：因病去世");
        plan.EffectiveUntil.Should().BeNull("a draft was never in force");
        (await coordinator.ActAsync(draft!, "submit", etag: draft!.ETag)).StatusCode.Should().Be(HttpStatusCode.PreconditionFailed, "the plan moved on");
    }
}
