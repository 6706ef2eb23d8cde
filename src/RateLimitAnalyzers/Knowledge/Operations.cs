using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace RateLimitAnalyzers.Knowledge;

/// <summary>
/// The small questions every part of the knowledge asks of operations and call syntax: which variable or member an
/// operation names, the root of its tree, a loop's condition, the name a call is made by, the values a local is
/// given. One home for each, so that the rules read code the same way everywhere.
/// </summary>
internal static class Operations
{
    /// <summary>The local, parameter, field or property an operation reads or writes, through conversions; null for anything else.</summary>
    public static ISymbol? SymbolOf(IOperation operation) => UrlText.SkipConversions(operation) switch
    {
        ILocalReferenceOperation local => local.Local,
        IParameterReferenceOperation parameter => parameter.Parameter,
        IFieldReferenceOperation field => field.Field,
        IPropertyReferenceOperation property => property.Property,
        _ => null,
    };

    /// <summary>
    /// The local, parameter, or field or property of this object (not another object's, not an indexer) that an
    /// operation names, as it is: what a loop can carry from one iteration to the next.
    /// </summary>
    public static ISymbol? OwnSymbolOf(IOperation operation) => operation switch
    {
        ILocalReferenceOperation local => local.Local,
        IParameterReferenceOperation parameter => parameter.Parameter,
        IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance } } field => field.Field,
        IPropertyReferenceOperation { Instance: null or IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance }, Arguments.IsEmpty: true } property => property.Property,
        _ => null,
    };

    /// <summary>The field or property an operation reads or writes, through conversions; null for a local, a parameter or anything else.</summary>
    public static ISymbol? ReferencedMember(IOperation operation) => SymbolOf(operation) is { Kind: SymbolKind.Field or SymbolKind.Property } member ? member : null;

    /// <summary>
    /// Whether code runs only while a field or property of its object (or a static one) is still null, and sets it:
    /// <c>_icon ??= Fetch()</c>, <c>if (_token is null) { ...; _token = ...; }</c>. It runs once, the first time, not
    /// each time the code around it does, so a request made there is not repeated by a loop or a caller that repeats
    /// that code. A loop between the code and the test repeats it, so the climb stops at one.
    /// </summary>
    public static bool RunsOnlyWhileUnset(IOperation operation)
    {
        for (var (child, parent) = (operation, operation.Parent); parent is not null; (child, parent) = (parent, parent.Parent))
        {
            switch (parent)
            {
                case ILoopOperation or IAnonymousFunctionOperation or ILocalFunctionOperation or IMethodBodyBaseOperation:
                    return false;
                case ICoalesceAssignmentOperation coalesce when ReferenceEquals(coalesce.Value, child):
                    return OwnSymbolOf(coalesce.Target) is { Kind: SymbolKind.Field or SymbolKind.Property };
                case IConditionalOperation { Syntax: IfStatementSyntax } conditional when ReferenceEquals(conditional.WhenTrue, child)
                    && NullTestedMember(conditional.Condition) is { } member:
                    return SetsMember(conditional.WhenTrue, member);
            }
        }

        return false;

        static ISymbol? NullTestedMember(IOperation condition)
        {
            var (tested, other) = UrlText.SkipConversions(condition) switch
            {
                IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals } equals => (equals.LeftOperand, (IOperation?)equals.RightOperand),
                IIsPatternOperation { Pattern: IConstantPatternOperation constant } pattern => (pattern.Value, constant.Value),
                _ => (condition, null),
            };
            if (other is null)
            {
                return null;
            }

            if (IsNull(tested))
            {
                (tested, other) = (other, tested);
            }

            return IsNull(other) && OwnSymbolOf(UrlText.SkipConversions(tested)) is { Kind: SymbolKind.Field or SymbolKind.Property } member ? member : null;
        }

        static bool IsNull(IOperation operation) => UrlText.SkipConversions(operation).ConstantValue is { HasValue: true, Value: null };

        static bool SetsMember(IOperation code, ISymbol member)
        {
            foreach (var write in code.DescendantsAndSelf())
            {
                if (write is IAssignmentOperation assignment && SymbolEqualityComparer.Default.Equals(OwnSymbolOf(assignment.Target), member))
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>The top of the operation tree an operation belongs to: its method's body, or the initializer it is in.</summary>
    public static IOperation Root(IOperation operation)
    {
        while (operation.Parent is not null)
        {
            operation = operation.Parent;
        }

        return operation;
    }

    /// <summary>The condition a <c>while</c>, <c>do</c> or <c>for</c> loop tests; null for <c>foreach</c> and <c>for (;;)</c>.</summary>
    public static IOperation? LoopCondition(ILoopOperation loop) => loop switch
    {
        IWhileLoopOperation whileLoop => whileLoop.Condition,
        IForLoopOperation forLoop => forLoop.Condition,
        _ => null,
    };

    /// <summary>The name a call is made by, from syntax alone (<c>Get</c> for <c>client.Get&lt;T&gt;(...)</c>, <c>x?.Send()</c>, <c>Run()</c>).</summary>
    public static string? InvokedName(InvocationExpressionSyntax call) => call.Expression switch
    {
        MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
        MemberBindingExpressionSyntax binding => binding.Name.Identifier.ValueText,
        SimpleNameSyntax name => name.Identifier.ValueText,
        _ => null,
    };

    /// <summary>
    /// The variables a value spreads to through assignments, to a fixpoint: <paramref name="reached"/> grows by every
    /// target whose assigned value <paramref name="carries"/> it (asked with what is reached so far). Taint from a
    /// response, an attempt counter's growth: one walk for every such question.
    /// </summary>
    public static void Spread(HashSet<ISymbol> reached, IReadOnlyList<(ISymbol Target, IOperation Value)> assignments, System.Func<IOperation, bool> carries)
    {
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var (target, value) in assignments)
            {
                if (!reached.Contains(target) && carries(value))
                {
                    reached.Add(target);
                    changed = true;
                }
            }
        }
    }

    /// <summary>
    /// The variable an assignment target writes to: <c>cursor</c>, or <c>query</c> in <c>query.Cursor = ...</c>. A member set in an
    /// object initializer (<c>new HttpRequestMessage(...) { Content = body }</c>) belongs to the new object, not to state the loop carries.
    /// </summary>
    public static ISymbol? RootSymbol(IOperation? operation)
    {
        while (operation is not null)
        {
            if (OwnSymbolOf(operation) is { } own)
            {
                return own;
            }

            switch (operation)
            {
                case IMemberReferenceOperation member:
                    operation = member.Instance;
                    break;
                case IArrayElementReferenceOperation element:
                    operation = element.ArrayReference;
                    break;
                case IConversionOperation conversion:
                    operation = conversion.Operand;
                    break;
                case IDeclarationExpressionOperation declaration:
                    operation = declaration.Expression;
                    break;
                default:
                    return null;
            }
        }

        return null;
    }

    /// <summary>The values the local a reference names is given in its function: its initializer and plain assignments.</summary>
    public static IEnumerable<IOperation> LocalValues(ILocalReferenceOperation reference) => LocalValues(reference.Local, Root(reference));

    /// <summary>The values a local is given in the tree under <paramref name="root"/>: its initializer and plain assignments.</summary>
    public static IEnumerable<IOperation> LocalValues(ILocalSymbol local, IOperation root)
    {
        foreach (var operation in root.Descendants())
        {
            switch (operation)
            {
                case IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, local) && declarator.GetVariableInitializer() is { } initializer:
                    yield return initializer.Value;
                    break;
                case ISimpleAssignmentOperation assignment when assignment.Target is ILocalReferenceOperation target && SymbolEqualityComparer.Default.Equals(target.Local, local):
                    yield return assignment.Value;
                    break;
            }
        }
    }
}
