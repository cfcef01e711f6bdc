using System.Reflection;
using ControlDropout.Web.Infrastructure;
using ControlDropout.Web.Tests.Support;
using FluentAssertions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ControlDropout.Web.Tests.Access;

/// <summary>
/// The one door, checked on the compiled web assembly (method bodies read as IL, see <see cref="IlReferences"/>):
/// <list type="number">
/// <item>A page model (and the async state machines and lambdas inside it) calls no method of a
/// <c>*Endpoints</c> class, and uses neither the old caller and result helpers
/// (<c>Infrastructure.Caller</c>, <c>Infrastructure.Outcome</c>) nor <see cref="IAuthorizationService"/>:
/// it calls its feature's use cases and asks <see cref="CurrentUser.May"/>.</item>
/// <item>A type in feature folder A (<c>Features/A</c>, namespace <c>ControlDropout.Web.Features.A</c>) names a
/// type of another feature B only when that type is one of B's doors or contracts:
/// <b>a use case</b> — a class whose public constructor takes <see cref="CurrentUser"/> (the caller it checks) —
/// or <b>a contract</b> — a record, record struct or enum (data with no behaviour) — or <b>a shared rule</b>, a
/// type marked <see cref="SharedRuleAttribute"/> (the term calendar, masking). Everything else of
/// B (its endpoints, workflows, builders, pictures, page models) is B's own.</item>
/// </list>
/// Today's offenders are listed in <see cref="Known"/>; the test fails on any offence not listed and on
/// any listed one that is gone, so the list can only shrink, to empty.
/// </summary>
public sealed class ArchitectureTests
{
    private const string Root = "ControlDropout.Web.";
    private const string FeaturesRoot = Root + "Features.";

    /// <summary>Offences that exist today, to be removed as the one-door work lands. Do not add to it.</summary>
    private static readonly string[] Known =
    [
    ];

    private static readonly Assembly Web = typeof(CurrentUser).Assembly;

    /// <summary>The old ways a page reached authorization and results: replaced by CurrentUser, use cases and Result.</summary>
    private static readonly Dictionary<Type, string> OldStyles = new()
    {
        [typeof(IAuthorizationService)] = "uses IAuthorizationService (ask CurrentUser.May)",
        [typeof(AuthorizationServiceExtensions)] = "uses IAuthorizationService (ask CurrentUser.May)",
    };

    [Fact]
    public void Pages_and_features_go_through_the_one_door()
    {
        var found = Offences().ToHashSet(StringComparer.Ordinal);
        var added = found.Except(Known, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var gone = Known.Except(found, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        string.Join("\n", added.Select(a => $"\"{a}\",")).Should().BeEmpty("a page calls use cases, not endpoints or the old helpers, and a feature uses another's use cases and contracts only (see ArchitectureTests' summary)");
        string.Join("\n", gone).Should().BeEmpty("these offences are fixed: remove them from ArchitectureTests.Known");
    }

    [Fact]
    public void The_reader_sees_a_page_calling_an_endpoint()
    {
        // The reader itself, on a case that exists in any version: the IL of a known call is found.
        var members = IlReferences.MembersUsedIn(typeof(ArchitectureTests).GetMethod(nameof(Sample), BindingFlags.NonPublic | BindingFlags.Static)!);
        members.OfType<MethodBase>().Select(m => m.Name).Should().Contain(nameof(Permissions.Has));
        IlReferences.TypesUsedBy(typeof(ArchitectureTests)).Should().Contain(typeof(Permissions));
    }

    private static bool Sample() => Permissions.Has(global::ControlDropout.Web.Data.Roles.Admin, Permission.ReadAudit);

    /// <summary>Every offence in the web assembly as "From → To: what".</summary>
    public static IEnumerable<string> Offences()
    {
        foreach (var type in Web.GetTypes().Where(t => t.DeclaringType is null && t.Namespace?.StartsWith(Root, StringComparison.Ordinal) == true))
        {
            var used = IlReferences.TypesUsedBy(type);
            if (typeof(PageModel).IsAssignableFrom(type))
            {
                foreach (var endpoints in IlReferences.MembersUsedBy(type).OfType<MethodBase>().Select(m => m.DeclaringType)
                    .Where(t => t is not null && t.Assembly == Web && t.Name.EndsWith("Endpoints", StringComparison.Ordinal)).Distinct())
                {
                    yield return $"{Name(type)} → {Name(endpoints!)}: a page calls an endpoint";
                }
                foreach (var old in OldStyles.Where(o => used.Contains(o.Key)).Select(o => o.Value).Distinct())
                {
                    yield return $"{Name(type)}: a page {old}";
                }
            }
            if (FeatureOf(type) is not { } feature)
            {
                continue;
            }
            foreach (var other in used.Where(u => u.Assembly == Web && FeatureOf(u) is { } f && f != feature && !IsContract(u) && !IsUseCase(u) && !IsSharedRule(u))
                .Select(Name).Distinct())
            {
                yield return $"{Name(type)} → {other}: another feature's internals";
            }
        }
    }

    private static string? FeatureOf(Type type) =>
        type.Namespace is { } ns && ns.StartsWith(FeaturesRoot, StringComparison.Ordinal) ? ns[FeaturesRoot.Length..].Split('.')[0] : null;

    /// <summary><c>Features.Plans.DetailsModel</c> → <c>Plans.DetailsModel</c>; nested types with a dot.</summary>
    private static string Name(Type type)
    {
        var name = (type.FullName ?? type.Name).Replace('+', '.');
        return name.StartsWith(FeaturesRoot, StringComparison.Ordinal) ? name[FeaturesRoot.Length..] : name[Root.Length..];
    }

    /// <summary>A record, record struct or enum: data another feature may read and send.</summary>
    private static bool IsContract(Type type) =>
        type.IsEnum
        || type.GetMethod("<Clone>$", BindingFlags.Public | BindingFlags.Instance) is not null
        || (type.IsValueType && type.GetMethod("PrintMembers", BindingFlags.NonPublic | BindingFlags.Instance) is not null);

    /// <summary>A rule its feature offers to the others as it is (the term calendar, masking): marked, so that it is a decision.</summary>
    private static bool IsSharedRule(Type type) => type.GetCustomAttribute<SharedRuleAttribute>() is not null;

    /// <summary>A use case: a class that takes the caller by constructor, so that it checks who acts.</summary>
    private static bool IsUseCase(Type type) =>
        type is { IsClass: true, IsAbstract: false } && type.GetConstructors().Any(c => c.GetParameters().Any(p => p.ParameterType == typeof(CurrentUser)));
}
