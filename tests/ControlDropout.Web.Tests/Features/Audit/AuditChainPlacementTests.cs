using ControlDropout.Web.Data;
using FluentAssertions;

namespace ControlDropout.Web.Tests.Features.Audit;

/// <summary>The audit hashing belongs to the data layer; the Audit feature only reads (issue 10 §2).</summary>
public sealed class AuditChainPlacementTests
{
    /// <summary>
    /// No feature's use case or endpoint; a shared rule written once for all (the holiday calendar, which coverage's
    /// summary needs to refresh in the save's own transaction) is reference data, not a feature's.
    /// </summary>
    [Fact]
    public void The_database_context_depends_on_no_feature()
    {
        var parameters = typeof(AppDbContext).GetConstructors().SelectMany(c => c.GetParameters()).Select(p => p.ParameterType);
        parameters.Should().OnlyContain(t => t.Namespace == null || !t.Namespace.StartsWith("ControlDropout.Web.Features", StringComparison.Ordinal)
            || t.GetCustomAttributes(typeof(ControlDropout.Web.Infrastructure.SharedRuleAttribute), false).Length > 0);
    }

    [Fact]
    public void The_audit_feature_writes_no_hash()
    {
        var feature = typeof(AppDbContext).Assembly.GetTypes().Where(t => t.Namespace == "ControlDropout.Web.Features.Audit").ToList();
        feature.Should().NotBeEmpty();
        feature.SelectMany(t => t.GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.DeclaredOnly))
            .Select(m => m.Name).Should().NotContain(["HashOf", "Describe"], "the chain is written in Data/AuditChain.cs");
    }
}
