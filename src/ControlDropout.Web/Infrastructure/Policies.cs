namespace ControlDropout.Web.Infrastructure;

/// <summary>Authorization policies by role; auditors appear in none of them, so they can read and never write.</summary>
public static class Policies
{
    public const string EditPlans = "edit-plans";
    /// <summary>Bureau-level work: terms, timetable runs and publishing.</summary>
    public const string Decide = "decide";
    /// <summary>Deciding on plans: a bureau approver and nobody else.</summary>
    public const string ApprovePlans = "approve-plans";
    public const string RecordDisruptions = "record-disruptions";
    public const string ReadAudit = "read-audit";
    public const string ExportLedger = "export-ledger";
}
