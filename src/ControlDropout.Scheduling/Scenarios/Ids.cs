namespace ControlDropout.Scheduling.Scenarios;

/// <summary>Identifies a student (送教对象) within one scenario.</summary>
public readonly record struct StudentId(string Value)
{
    /// <inheritdoc />
    public override string ToString() => Value;
}

/// <summary>
/// Identifies a teacher or team member (送教教师/团队成员) within one scenario. Ordered by its text
/// (ordinal), so that a team can be compared as a set by sorting it.
/// </summary>
public readonly record struct TeacherId(string Value) : IComparable<TeacherId>
{
    /// <inheritdoc />
    public int CompareTo(TeacherId other) => string.CompareOrdinal(Value, other.Value);

    /// <summary>Ordinal order of the ids' text.</summary>
    public static bool operator <(TeacherId left, TeacherId right) => left.CompareTo(right) < 0;

    /// <summary>Ordinal order of the ids' text.</summary>
    public static bool operator <=(TeacherId left, TeacherId right) => left.CompareTo(right) <= 0;

    /// <summary>Ordinal order of the ids' text.</summary>
    public static bool operator >(TeacherId left, TeacherId right) => left.CompareTo(right) > 0;

    /// <summary>Ordinal order of the ids' text.</summary>
    public static bool operator >=(TeacherId left, TeacherId right) => left.CompareTo(right) >= 0;

    /// <inheritdoc />
    public override string ToString() => Value;
}

/// <summary>Identifies a place (a home, a school, a village committee) within one scenario.</summary>
public readonly record struct PlaceId(string Value)
{
    /// <inheritdoc />
    public override string ToString() => Value;
}
