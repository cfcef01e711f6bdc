namespace ControlDropout.Web.Infrastructure;

/// <summary>
/// Marks a rule of one feature that other features are meant to use as it is — the term calendar,
/// the masking of identity numbers — so that it is written once. Everything else in a feature folder is
/// reached only through that feature's use cases and contracts (checked by the architecture test).
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class SharedRuleAttribute : Attribute;
