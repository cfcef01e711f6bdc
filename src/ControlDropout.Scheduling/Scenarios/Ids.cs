namespace ControlDropout.Scheduling.Scenarios;

/// <summary>Identifies a student (送教对象) within one scenario.</summary>
public readonly record struct StudentId(string Value)
{
    /// <inheritdoc />
    public override string ToString() => Value;
}

/// <summary>Identifies a teacher or team member (送教教师/团队成员) within one scenario.</summary>
public readonly record struct TeacherId(string Value)
{
    /// <inheritdoc />
    public override string ToString() => Value;
}

/// <summary>Identifies a place (a home, a school, a village committee) within one scenario.</summary>
public readonly record struct PlaceId(string Value)
{
    /// <inheritdoc />
    public override string ToString() => Value;
}
