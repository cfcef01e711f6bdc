using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlDropout.Web.Tests.Features.People;

/// <summary>
/// Issue 14 §9 and "done when": the inspector opens one child's record and sees, week by week, who came, when, with
/// the family's confirmation, each session linked; the page links to the 送教档案 and the family 课表 card; a birth
/// date has no weekday.
/// </summary>
public sealed class ChildWeeksTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;

    public ChildWeeksTests(ServiceFactory factory)
    {
        factory.Settings["Access:LoginAttemptsPerMinute"] = "1000";
        _factory = factory;
    }

    [Fact]
    public async Task The_child_page_shows_the_term_week_by_week_with_the_familys_confirmation_and_links()
    {
        var county = await _factory.LincangAsync();
        var child = county.Eligible;
        (await (await county.As("coordinator")).CreatePlanAsync(child, county.Term)).Response.EnsureSuccessStatusCode();
        string signed, coded, open, staffName;
        using (var scope = _factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            staffName = await db.Staff.Where(s => s.Id == county.Teacher).Select(s => s.Name).SingleAsync();
            var timetable = new Timetable
            {
                CountyCode = county.Code, TermId = county.Term, RunId = Guid.NewGuid(), Status = TimetableStatus.Published, CreatedAt = _factory.Clock.GetUtcNow(),
                TemplateJson = "{}", ScenarioJson = "{}", PublishedBy = "approver", PublishedAt = _factory.Clock.GetUtcNow(),
            };
            db.Timetables.Add(timetable);
            TimetableSession Session(DateOnly date) => new()
            {
                TimetableId = timetable.Id, SessionKey = $"{child}:home:{Guid.NewGuid():N}:2026-W37", StudentId = child, Mode = SessionModes.Home, Week = "2026-W37",
                Date = date, Start = new TimeOnly(9, 0), End = new TimeOnly(10, 20), StaffIds = [county.Teacher.Value],
            };
            var sessions = new[] { Session(new DateOnly(2026, 9, 7)), Session(new DateOnly(2026, 9, 8)), Session(new DateOnly(2026, 9, 10)) };
            db.Sessions.AddRange(sessions);
            (signed, coded, open) = (sessions[0].SessionKey, sessions[1].SessionKey, sessions[2].SessionKey);
            VisitRecord Record(TimetableSession s, GuardianConfirmation confirmation, int photos) => new()
            {
                CountyCode = county.Code, SessionKey = s.SessionKey, StudentId = child, Version = 1, Date = s.Date, Start = s.Start, End = s.End,
                StaffPresent = [county.Teacher.Value], Mode = SessionModes.Home, Content = "生活适应", RecordedBy = "teacher", RecordedAt = _factory.Clock.GetUtcNow(),
                Confirmation = confirmation, ConfirmedAt = _factory.Clock.GetUtcNow(), CheckInAt = _factory.Clock.GetUtcNow(),
                PhotoIds = [.. Enumerable.Range(0, photos).Select(_ => Guid.NewGuid())],
            };
            db.Visits.AddRange(Record(sessions[0], GuardianConfirmation.Signature, 2), Record(sessions[1], GuardianConfirmation.Code, 0));
            await db.SaveChangesAsync();
        }

        var html = await (await _factory.SignedInAsync(county, "approver")).GetStringAsync(new Uri($"/children/{child}", UriKind.Relative));

        var weeks = html[html.IndexOf("id=\"weeks\"", StringComparison.Ordinal)..html.IndexOf("全部送教记录", StringComparison.Ordinal)];
        weeks.Should().Contain("第37周").And.Contain("✓签名").And.Contain("✓确认码").And.Contain("2 张").And.Contain("09:00 签到").And.Contain(staffName);
        foreach (var key in new[] { signed, coded, open })
        {
            weeks.Should().Contain($"href=\"/sessions/{Uri.EscapeDataString(key)}\"", "each session links to its page");
        }
        weeks.Should().Contain("（计划）", "a session not yet recorded shows the planned team");
        html.Should().Contain($"href=\"/children/{child}/timetable\"").And.Contain($"href=\"/children/{child}?handler=File&amp;format=html\">送教档案");
        html.Should().Contain("<dd>2016年3月2日</dd>", "a birth date has no weekday");
    }
}
