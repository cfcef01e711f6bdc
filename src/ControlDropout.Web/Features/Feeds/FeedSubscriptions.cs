using ControlDropout.Web.Data;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using QRCoder;

namespace ControlDropout.Web.Features.Feeds;

public sealed record FeedLinks(Guid StaffId, string Url, string WebcalUrl, string DownloadUrl, string QrCodeSvgUrl, int? ReminderMinutes);

/// <summary>
/// A staff member's calendar subscription: the links (absolute only from <see cref="PublicAddress"/>),
/// the QR code, the reminder, and revoking a leaked link. The one door for the API and <c>/my/calendar</c>.
/// </summary>
public sealed class FeedSubscriptions(AppDbContext db, CurrentUser me, FeedTokens tokens, PublicAddress address, StoredFeeds feeds)
{
    public const string QrCodePath = "/api/staff/me/feed/qr.svg";

    /// <summary>The caller's own staff record; none for roles without one (an approver has no feed).</summary>
    private async Task<Staff?> MineAsync(CancellationToken ct) => me.StaffId is { } id
        ? await db.Staff.SingleOrDefaultAsync(s => s.Id == id && s.CountyCode == me.CountyCode, ct).ConfigureAwait(false)
        : null;

    private FeedLinks LinksFor(Staff staff, string token)
    {
        var path = $"/feeds/{token}.ics";
        var url = address.To(path);
        return new FeedLinks(staff.Id.Value, url, address.WebcalTo(path), url + "?download=true", QrCodePath, staff.FeedReminderMinutes);
    }

    public async Task<Result<FeedLinks>> LinksAsync(CancellationToken ct)
    {
        var staff = await MineAsync(ct).ConfigureAwait(false);
        if (staff is null)
        {
            return Refusal.NotFound();
        }
        return LinksFor(staff, await tokens.CurrentAsync(staff, ct).ConfigureAwait(false));
    }

    /// <summary>The subscription URL as an SVG QR code, for a phone's camera.</summary>
    public async Task<Result<string>> QrCodeAsync(CancellationToken ct)
    {
        var links = await LinksAsync(ct).ConfigureAwait(false);
        if (links.Refusal is { } refused)
        {
            return refused;
        }
        using var data = QRCodeGenerator.GenerateQrCode(links.Value.Url, QRCodeGenerator.ECCLevel.M);
        return new SvgQRCode(data).GetGraphic(6);
    }

    public async Task<Result<FeedLinks>> SetReminderAsync(ReminderRequest request, CancellationToken ct)
    {
        if (Validation.Check(ReminderRequestValidator.Instance, request) is { } invalid)
        {
            return invalid;
        }
        var staff = await MineAsync(ct).ConfigureAwait(false);
        if (staff is null)
        {
            return Refusal.NotFound();
        }
        staff.FeedReminderMinutes = request.Minutes;
        await feeds.SaveForStaffAsync(staff.CountyCode, [staff.Id], ct).ConfigureAwait(false);
        return LinksFor(staff, await tokens.CurrentAsync(staff, ct).ConfigureAwait(false));
    }

    /// <summary>
    /// Kills the old URL. Everyone may reset their own feed; someone else's needs
    /// <see cref="Permission.ResetAnyFeed"/> and the same county. Without either the staff member is
    /// not found, exactly as one of another county.
    /// </summary>
    public async Task<Result<FeedLinks>> ResetAsync(StaffId id, CancellationToken ct)
    {
        if (me.StaffId != id && !me.May(Permission.ResetAnyFeed))
        {
            return Refusal.NotFound();
        }
        var staff = await db.Staff.SingleOrDefaultAsync(s => s.Id == id && s.CountyCode == me.CountyCode, ct).ConfigureAwait(false);
        if (staff is null || !me.IsSignedIn)
        {
            return Refusal.NotFound();
        }
        // The old URL dies with the save of the new token (the stored feed answers to it at once); the feed is then
        // built anew, as anyone who resets a feed that looks wrong expects.
        var token = await tokens.ResetAsync(staff, ct).ConfigureAwait(false);
        await feeds.WriteForStaffAsync(staff.CountyCode, [staff.Id.Value], ct).ConfigureAwait(false);
        return LinksFor(staff, token);
    }

    /// <summary>The caller's own feed reset, for <c>/my/calendar</c>.</summary>
    public Task<Result<FeedLinks>> ResetMineAsync(CancellationToken ct) =>
        me.StaffId is { } mine ? ResetAsync(mine, ct) : Task.FromResult<Result<FeedLinks>>(Refusal.NotFound());
}
