using ControlDropout.Web.Features.Imports;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;

namespace ControlDropout.Web.Tests.Features.Imports;

/// <summary>
/// A checked roster file is kept in the database: 导入 finds it on whichever instance the request reaches, for 30
/// minutes, for the user who checked it only.
/// </summary>
public sealed class CheckedUploadsTests(ServiceFactory factory) : IClassFixture<ServiceFactory>
{
    private CheckedUploads NewInstance() => new(factory.Services.GetRequiredService<IServiceScopeFactory>(), factory.Clock);

    [Fact]
    public async Task A_file_checked_on_one_instance_is_committed_from_another_and_only_by_its_user()
    {
        var content = "学生姓名\n张某某\n"u8.ToArray();
        await NewInstance().KeepAsync("coordinator-x", "abc123", "students", content, "学生名册.csv", default);

        var found = await NewInstance().FindAsync("coordinator-x", "abc123", default);
        found.Should().NotBeNull();
        found!.Content.Should().Equal(content);
        found.FileName.Should().Be("学生名册.csv");
        (await NewInstance().FindAsync("coordinator-y", "abc123", default)).Should().BeNull("another user's check is not theirs");

        await NewInstance().ForgetAsync("coordinator-x", "abc123", default);
        (await NewInstance().FindAsync("coordinator-x", "abc123", default)).Should().BeNull("a committed file is forgotten");
    }

    [Fact]
    public async Task A_check_expires_after_thirty_minutes_and_a_user_keeps_only_the_newest_few()
    {
        await NewInstance().KeepAsync("approver-x", "old", "staff", [1, 2, 3], "a.xlsx", default);
        factory.Clock.Advance(CheckedUploads.KeptFor + TimeSpan.FromSeconds(1));
        (await NewInstance().FindAsync("approver-x", "old", default)).Should().BeNull("30 minutes have passed");

        for (var i = 0; i <= CheckedUploads.KeptPerUser; i++)
        {
            await NewInstance().KeepAsync("approver-x", $"file{i}", "staff", [(byte)i], "b.xlsx", default);
            factory.Clock.Advance(TimeSpan.FromSeconds(1));
        }
        (await NewInstance().FindAsync("approver-x", "file0", default)).Should().BeNull("only the newest are kept");
        (await NewInstance().FindAsync("approver-x", $"file{CheckedUploads.KeptPerUser}", default)).Should().NotBeNull();
    }
}
