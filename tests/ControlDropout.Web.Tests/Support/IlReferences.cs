using System.Reflection;
using System.Reflection.Emit;

namespace ControlDropout.Web.Tests.Support;

/// <summary>
/// What a type uses, read from the compiled assembly: the members its method bodies call, create,
/// load or take a token of (<c>call</c>, <c>callvirt</c>, <c>newobj</c>, <c>ldftn</c>, <c>ldfld</c>, <c>ldtoken</c>, …),
/// and the types in its signatures (fields, properties, parameters, returns, base type). The compiler's
/// nested types (async state machines, lambda closures) count as the type that holds them.
/// </summary>
public static class IlReferences
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Dictionary<ushort, OpCode> OpCodesByValue = typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => (ushort)o.Value);

    /// <summary>The type and every type nested in it, however deep.</summary>
    public static IEnumerable<Type> WithNested(Type type) => type.GetNestedTypes(Declared).SelectMany(WithNested).Prepend(type);

    /// <summary>The outermost type that holds a nested one (a state machine's page model).</summary>
    public static Type Outermost(Type type)
    {
        while (type.DeclaringType is { } outer)
        {
            type = outer;
        }
        return type;
    }

    /// <summary>Every member the type (and its nested types) uses in a method body.</summary>
    public static IEnumerable<MemberInfo> MembersUsedBy(Type type) =>
        WithNested(type).SelectMany(t => t.GetMethods(Declared).Cast<MethodBase>().Concat(t.GetConstructors(Declared))).SelectMany(MembersUsedIn);

    /// <summary>Every type the type (and its nested types) names: in bodies and in signatures, with generic arguments and element types.</summary>
    public static HashSet<Type> TypesUsedBy(Type type)
    {
        var found = new HashSet<Type>();
        foreach (var t in WithNested(type))
        {
            Add(found, t.BaseType);
            foreach (var field in t.GetFields(Declared))
            {
                Add(found, field.FieldType);
            }
            foreach (var property in t.GetProperties(Declared))
            {
                Add(found, property.PropertyType);
            }
            foreach (var method in t.GetMethods(Declared).Cast<MethodBase>().Concat(t.GetConstructors(Declared)))
            {
                if (method is MethodInfo m)
                {
                    Add(found, m.ReturnType);
                }
                foreach (var parameter in method.GetParameters())
                {
                    Add(found, parameter.ParameterType);
                }
            }
        }
        foreach (var member in MembersUsedBy(type))
        {
            switch (member)
            {
                case Type t:
                    Add(found, t);
                    break;
                case FieldInfo f:
                    Add(found, f.DeclaringType);
                    Add(found, f.FieldType);
                    break;
                case MethodBase m:
                    Add(found, m.DeclaringType);
                    if (m is MethodInfo { IsGenericMethod: true } generic)
                    {
                        foreach (var argument in generic.GetGenericArguments())
                        {
                            Add(found, argument);
                        }
                    }
                    break;
            }
        }
        return found;
    }

    private static void Add(HashSet<Type> found, Type? type)
    {
        if (type is null || type.IsGenericParameter)
        {
            return;
        }
        if (type.HasElementType)
        {
            Add(found, type.GetElementType());
            return;
        }
        if (type.IsConstructedGenericType)
        {
            foreach (var argument in type.GetGenericArguments())
            {
                Add(found, argument);
            }
            type = type.GetGenericTypeDefinition();
        }
        found.Add(type);
    }

    /// <summary>The members one method body refers to by token.</summary>
    public static IEnumerable<MemberInfo> MembersUsedIn(MethodBase method)
    {
        var il = Body(method);
        if (il is null)
        {
            return [];
        }
        var found = new List<MemberInfo>();
        var typeArguments = method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (var i = 0; i < il.Length;)
        {
            OpCode op;
            if (il[i] == 0xFE)
            {
                op = OpCodesByValue[(ushort)(0xFE00 | il[i + 1])];
                i += 2;
            }
            else
            {
                op = OpCodesByValue[il[i]];
                i += 1;
            }
            switch (op.OperandType)
            {
                case OperandType.InlineNone:
                    break;
                case OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok:
                    if (Resolve(method.Module, BitConverter.ToInt32(il, i), typeArguments, methodArguments) is { } member)
                    {
                        found.Add(member);
                    }
                    i += 4;
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    i += 1;
                    break;
                case OperandType.InlineVar:
                    i += 2;
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    i += 8;
                    break;
                case OperandType.InlineSwitch:
                    i += 4 + (4 * BitConverter.ToInt32(il, i));
                    break;
                default: // InlineBrTarget, InlineI, InlineSig, InlineString, ShortInlineR: four bytes.
                    i += 4;
                    break;
            }
        }
        return found;
    }

    private static byte[]? Body(MethodBase method)
    {
        try
        {
            return method.GetMethodBody()?.GetILAsByteArray();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static MemberInfo? Resolve(Module module, int token, Type[]? typeArguments, Type[]? methodArguments)
    {
        try
        {
            return module.ResolveMember(token, typeArguments, methodArguments);
        }
        catch (Exception e) when (e is ArgumentException or TypeLoadException or MissingMemberException or BadImageFormatException or FileNotFoundException)
        {
            return null; // A member of an assembly that is not loaded: not one of ours.
        }
    }
}
