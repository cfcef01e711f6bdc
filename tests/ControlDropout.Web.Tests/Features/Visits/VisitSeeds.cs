using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlDropout.Web.Tests.Features.Visits;

/// <summary>Sessions and records written straight into the database, as a test of what the service does with them.</summary>
public static class VisitSeeds
{
    /// <summary>A further published session of the child (on the county's published timetable), taught by the given staff; its key.</summary>
    public static async Task<string> AddSessionAsync(TestCounty county, StudentId child, DateOnly date, params StaffId[] staff)
    {
        using var scope = county.Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var timetable = await db.Timetables.Where(t => t.CountyCode == county.Code && t.Status == TimetableStatus.Published).Select(t => t.Id).FirstAsync();
        var week = ControlDropout.Web.Features.Calendar.TermCalendar.IsoWeekName(date);
        var session = new TimetableSession
        {
            TimetableId = timetable, SessionKey = $"{child}:home:{Guid.NewGuid():N}:{week}", StudentId = child, Mode = SessionModes.Home, Week = week,
            Date = date, Start = new TimeOnly(9, 0), End = new TimeOnly(10, 20), StaffIds = [.. staff.Select(s => s.Value)],
        };
        db.Sessions.Add(session);
        await db.SaveChangesAsync();
        return session.SessionKey;
    }

    /// <summary>How many records the session has.</summary>
    public static async Task<int> RecordsOfAsync(TestCounty county, string sessionKey)
    {
        using var scope = county.Factory.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Visits.CountAsync(v => v.SessionKey == sessionKey);
    }

    /// <summary>A record stored as no request may write it now (the old service did): for the readers to survive.</summary>
    public static async Task<Guid> AddRawRecordAsync(TestCounty county, string sessionKey, StudentId child, StaffId staff, Action<VisitRecord> poison, DateTimeOffset? recordedAt = null)
    {
        using var scope = county.Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var record = new VisitRecord
        {
            CountyCode = county.Code, SessionKey = sessionKey, StudentId = child, Version = 1, Date = new DateOnly(2026, 9, 8), Start = new TimeOnly(9, 0), End = new TimeOnly(10, 20),
            StaffPresent = [staff.Value], Mode = SessionModes.Home, Content = "练习", GoalsAddressed = ["能独立抓握勺子"], RecordedBy = "teacher",
            RecordedAt = recordedAt ?? county.Factory.Clock.GetUtcNow(),
        };
        poison(record);
        db.Visits.Add(record);
        await db.SaveChangesAsync();
        return record.Id;
    }
}
