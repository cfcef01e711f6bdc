using System.Globalization;
using System.Text;
using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Plans;
using ControlDropout.Web.Features.Visits;

using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using Microsoft.EntityFrameworkCore;

namespace ControlDropout.Web.Features.Feeds;

/// <summary>
/// A built feed: its bytes, what the HTTP layer needs to answer conditional requests, the published version it
/// was built from and the first instant the clock alone would change it (see <see cref="FeedDocument"/>).
/// </summary>
public sealed record FeedContent(byte[] Bytes, string ETag, DateTimeOffset LastModified, Guid? TimetableId, DateTimeOffset StaleAfter);

/// <summary>
/// A staff member's sessions as iCalendar (Ical.Net): from 14 days back to the end of the term,
/// from the published timetable only. Nothing in it names a child in full or carries a phone or a
/// house: SUMMARY has the mode and the surname with 同学, LOCATION the village; a remote session carries its meeting
/// link (<see cref="MeetingLinks.Of"/>) in DESCRIPTION and as an RFC 7986 CONFERENCE property. A session that was delivered
/// or missed says so in its DESCRIPTION (状态：…), as <see cref="RecordFacts.StatusOf"/> derives it.
/// </summary>
public sealed class FeedBuilder(AppDbContext db, TimeProvider clock)
{
    public const string TimeZone = "Asia/Shanghai";
    public const int DaysBack = 14;

    public async Task<FeedContent> BuildAsync(Staff staff, string sessionBaseUrl, CancellationToken ct)
    {
        var today = Conventions.ChinaDay(clock.GetUtcNow());
        var published = await db.Timetables.AsNoTracking()
            .Where(t => t.CountyCode == staff.CountyCode && t.Status == Domain.TimetableStatus.Published).Select(t => new { t.Id, t.TermId, t.PublishedAt }).ToListAsync(ct).ConfigureAwait(false);
        var ids = published.Select(p => p.Id).ToList();
        var termIds = published.Select(p => p.TermId).ToList();
        var lastDay = await db.Terms.AsNoTracking().Where(t => termIds.Contains(t.Id)).Select(t => (DateOnly?)t.LastDay).MaxAsync(ct).ConfigureAwait(false) ?? today;
        var from = today.AddDays(-DaysBack);
        var me = staff.Id.Value;
        // From the team index: a teacher's few dozen rows, not a scan of the county's sessions.
        var mine = db.SessionStaff.Where(t => t.StaffId == me).Select(t => t.SessionId);
        var sessions = (await db.Sessions.AsNoTracking()
                .Where(s => mine.Contains(s.Id) && ids.Contains(s.TimetableId) && s.Date >= from && s.Date <= lastDay)
                .ToListAsync(ct).ConfigureAwait(false))
            // A cancelled session stays 14 days after its cancellation, then leaves the feed.
            .Where(s => s.Status != SessionStatus.Cancelled || s.ChangedAt >= clock.GetUtcNow().AddDays(-DaysBack))
            .OrderBy(s => s.Date).ThenBy(s => s.Start).ThenBy(s => s.SessionKey, StringComparer.Ordinal)
            .ToList();
        var studentIds = sessions.Select(s => s.StudentId).Distinct().ToList();
        var students = await db.Students.AsNoTracking().Where(s => studentIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, ct).ConfigureAwait(false);
        var villageCodes = students.Values.Select(s => s.VillageCode).Distinct().ToList();
        var villages = await db.Villages.AsNoTracking().Where(v => villageCodes.Contains(v.Code)).ToDictionaryAsync(v => v.Code, ct).ConfigureAwait(false);
        var townshipCodes = villageCodes.Select(Conventions.TownshipOf).OfType<string>().Distinct().ToList();
        var townships = await db.Townships.AsNoTracking().Where(t => townshipCodes.Contains(t.Code)).ToDictionaryAsync(t => t.Code, ct).ConfigureAwait(false);
        var teamIds = sessions.SelectMany(s => s.StaffIds).Distinct().Select(id => new StaffId(id)).ToList();
        var team = await db.Staff.AsNoTracking().Where(s => teamIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id.Value, s => s.Name, ct).ConfigureAwait(false);
        var plans = await db.Plans.AsNoTracking().Include(p => p.Versions).Where(p => studentIds.Contains(p.StudentId) && termIds.Contains(p.TermId)).ToListAsync(ct).ConfigureAwait(false);
        var grace = await db.Policies.AsNoTracking().Where(p => p.CountyCode == staff.CountyCode).Select(p => (int?)p.MissedGraceHours).SingleOrDefaultAsync(ct).ConfigureAwait(false)
            ?? CountyPolicy.DefaultMissedGraceHours;
        var now = clock.GetUtcNow();
        var staleAfter = StaleAfter(sessions, today, now, grace);

        var calendar = new Ical.Net.Calendar { ProductId = "-//ControlDropout//送教课表//ZH", Version = "2.0", Scale = "GREGORIAN" };
        var name = $"送教课表 · {staff.Name}";
        calendar.AddProperty("X-WR-CALNAME", name);
        calendar.AddProperty("NAME", name);
        calendar.AddProperty("X-WR-TIMEZONE", TimeZone);
        calendar.AddProperty(new Ical.Net.CalendarProperty("REFRESH-INTERVAL", "PT1H") { Parameters = { new Ical.Net.CalendarParameter("VALUE", "DURATION") } });
        calendar.AddProperty("X-PUBLISHED-TTL", "PT1H");
        calendar.AddTimeZone(ChinaStandardTime());

        foreach (var s in sessions)
        {
            var child = students[s.StudentId];
            var village = villages.GetValueOrDefault(child.VillageCode);
            var township = Conventions.TownshipOf(child.VillageCode) is { } code ? townships.GetValueOrDefault(code) : null;
            var home = s.Mode == SessionModes.Home;
            var cancelled = s.Status == SessionStatus.Cancelled;
            var version = plans.FirstOrDefault(p => p.StudentId == s.StudentId)?.Versions
                .Where(v => v.Status is PlanStatus.Approved or PlanStatus.Active).OrderByDescending(v => v.Number).FirstOrDefault();
            var place = $"{township?.Name}{village?.Name}";
            var departure = home ? s.Start.AddMinutes(-Conventions.TravelMinutes(staff.BaseLat, staff.BaseLon, child.HomeLat, child.HomeLon)) : s.Start;
            var description = new StringBuilder()
                .AppendLine(CultureInfo.InvariantCulture, $"内容：{version?.Content ?? "按方案"}")
                .AppendLine(CultureInfo.InvariantCulture, $"团队：{string.Join("、", s.StaffIds.Select(id => team.GetValueOrDefault(id, "?")))}")
                .Append(CultureInfo.InvariantCulture, $"建议出发：{departure:HH:mm}");
            if (s.MovedBecause is { } why)
            {
                description.AppendLine().Append(CultureInfo.InvariantCulture, $"调整原因：{why}");
            }
            // 远程送教: the session's own meeting link, else its plan's (none for a home visit). Only https ever reaches here (MeetingLinks.Problem).
            var meeting = MeetingLinks.Of(s, version);
            if (meeting is not null)
            {
                description.AppendLine().Append(CultureInfo.InvariantCulture, $"会议链接：{meeting}");
            }
            var outcome = RecordFacts.StatusOf(s, now, grace);
            if (outcome is SessionStatus.Delivered or SessionStatus.Missed)
            {
                description.AppendLine().Append(CultureInfo.InvariantCulture, $"状态：{SessionWords.Of(s, outcome)}");
            }
            var e = new CalendarEvent
            {
                Uid = $"{s.SessionKey.Replace(':', '-')}@controldropout",
                Sequence = s.Sequence,
                DtStamp = new CalDateTime(s.ChangedAt.UtcDateTime, "UTC"),
                DtStart = new CalDateTime(s.Date, s.Start, TimeZone),
                DtEnd = new CalDateTime(s.Date, s.End, TimeZone),
                Summary = $"{(cancelled ? "[已取消] " : "")}{(home ? "送教上门" : "远程送教")} · {Surname(child.Name)}同学",
                Location = home ? place : "远程（视频）",
                Description = description.ToString(),
                Url = new Uri($"{sessionBaseUrl.TrimEnd('/')}/sessions/{s.SessionKey}"),
                Status = cancelled ? "CANCELLED" : "CONFIRMED",
            };
            if (home)
            {
                // Near the home, not on it: rounded to about a hundred metres.
                e.GeographicLocation = new GeographicLocation(Math.Round(child.HomeLat, 3), Math.Round(child.HomeLon, 3));
            }
            if (meeting is not null && Uri.TryCreate(meeting, UriKind.Absolute, out _))
            {
                // RFC 7986 CONFERENCE: clients that know it offer a "join" button; URL stays the session's page.
                e.AddProperty(new Ical.Net.CalendarProperty("CONFERENCE", meeting)
                {
                    Parameters = { new Ical.Net.CalendarParameter("VALUE", "URI"), new Ical.Net.CalendarParameter("FEATURE", "VIDEO"), new Ical.Net.CalendarParameter("LABEL", "会议链接") },
                });
            }
            if (staff.FeedReminderMinutes is { } minutes && !cancelled)
            {
                e.Alarms.Add(new Alarm { Action = "DISPLAY", Description = e.Summary, Trigger = new Trigger(Duration.FromMinutes(-minutes)) });
            }
            calendar.Events.Add(e);
        }
        // One serializer per build: Ical.Net's serializer is not thread-safe.
        var text = new CalendarSerializer().SerializeToString(calendar) ?? "";
        var bytes = Encoding.UTF8.GetBytes(text);
        var etag = "\"" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(bytes))[..32] + "\"";
        var lastModified = sessions.Count == 0 ? DateTimeOffset.UnixEpoch : sessions.Max(s => s.ChangedAt);
        // The newest version in force: when it is superseded, so is this feed.
        var newest = published.OrderByDescending(p => p.PublishedAt).Select(p => (Guid?)p.Id).FirstOrDefault();
        return new FeedContent(bytes, etag, lastModified, newest, staleAfter);
    }

    /// <summary>
    /// The content depends on the clock, so a stored feed says when it stops being true: at the next midnight in
    /// China (the window starts <see cref="DaysBack"/> days back), when a session still scheduled turns missed (its
    /// end plus the county's grace hours), or when a cancellation has been shown for <see cref="DaysBack"/> days.
    /// </summary>
    public static DateTimeOffset StaleAfter(IEnumerable<TimetableSession> sessions, DateOnly today, DateTimeOffset now, int graceHours)
    {
        var result = new DateTimeOffset(today.AddDays(1).ToDateTime(TimeOnly.MinValue), Conventions.ChinaOffset);
        foreach (var s in sessions)
        {
            var turns = s.Status switch
            {
                SessionStatus.Scheduled => RecordFacts.EndOf(s).AddHours(graceHours),
                SessionStatus.Cancelled => s.ChangedAt.AddDays(DaysBack),
                _ => DateTimeOffset.MaxValue,
            };
            if (turns > now && turns < result)
            {
                result = turns;
            }
        }
        // Stored as UTC: PostgreSQL's timestamptz takes no other offset.
        return result.ToUniversalTime();
    }

    /// <summary>
    /// Asia/Shanghai has kept UTC+8 without daylight saving since 1991, so one STANDARD part says it
    /// all; the generated one repeats the 1991 transition yearly, which some clients misread.
    /// </summary>
    private static VTimeZone ChinaStandardTime()
    {
        var zone = new VTimeZone(TimeZone);
        zone.TimeZoneInfos.Add(new Ical.Net.VTimeZoneInfo("STANDARD")
        {
            TimeZoneName = "CST",
            OffsetFrom = new UtcOffset(Conventions.ChinaOffset),
            OffsetTo = new UtcOffset(Conventions.ChinaOffset),
            DtStart = new CalDateTime(1970, 1, 1, 0, 0, 0, null),
        });
        return zone;
    }

    private static string Surname(string name) => name.Length == 0 ? "" : name[..1];
}
