namespace ControlDropout.Web.Infrastructure;

/// <summary>Authorization policies by role; auditors appear in none of them, so they can read and never write.</summary>
public static class Policies
{
    public const string EditPlans = "edit-plans";
    public const string Decide = "decide";
    public const string RecordDisruptions = "record-disruptions";
}
