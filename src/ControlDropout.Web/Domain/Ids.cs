using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace ControlDropout.Web.Domain;

// Typed ids: a plan id cannot be passed where a student id is expected. Each is a version-7 Guid
// (time-ordered, so inserts stay append-only) stored as text; each carries its EF converter.

/// <summary>学校</summary>
public readonly record struct SchoolId(Guid Value)
{
    public static SchoolId New() => new(Guid.CreateVersion7());
    public override string ToString() => Value.ToString();
    internal sealed class Converter() : ValueConverter<SchoolId, Guid>(id => id.Value, value => new SchoolId(value));
}

/// <summary>送教教师 or team member</summary>
public readonly record struct StaffId(Guid Value)
{
    public static StaffId New() => new(Guid.CreateVersion7());
    public override string ToString() => Value.ToString();
    internal sealed class Converter() : ValueConverter<StaffId, Guid>(id => id.Value, value => new StaffId(value));
}

/// <summary>学生 / 送教对象</summary>
public readonly record struct StudentId(Guid Value)
{
    public static StudentId New() => new(Guid.CreateVersion7());
    public override string ToString() => Value.ToString();
    internal sealed class Converter() : ValueConverter<StudentId, Guid>(id => id.Value, value => new StudentId(value));
}

/// <summary>个性化送教方案</summary>
public readonly record struct PlanId(Guid Value)
{
    public static PlanId New() => new(Guid.CreateVersion7());
    public override string ToString() => Value.ToString();
    internal sealed class Converter() : ValueConverter<PlanId, Guid>(id => id.Value, value => new PlanId(value));
}

/// <summary>学期</summary>
public readonly record struct TermId(Guid Value)
{
    public static TermId New() => new(Guid.CreateVersion7());
    public override string ToString() => Value.ToString();
    internal sealed class Converter() : ValueConverter<TermId, Guid>(id => id.Value, value => new TermId(value));
}
