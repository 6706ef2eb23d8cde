using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace RateLimitAnalyzers.Knowledge;

/// <summary>Small questions about where an operation runs, asked by several rules.</summary>
internal static class ControlFlow
{
    /// <summary>
    /// Whether <paramref name="operation"/> runs every time <paramref name="root"/> runs: it is not in a
    /// branch, a catch, a short-circuited operand, a nested loop's body, or a lambda.
    /// </summary>
    public static bool RunsEveryTime(IOperation operation, IOperation root)
    {
        var child = operation;
        for (var parent = operation.Parent; parent is not null; child = parent, parent = parent.Parent)
        {
            if (ReferenceEquals(child, root))
            {
                return true;
            }

            switch (parent)
            {
                case IConditionalOperation conditional when !ReferenceEquals(child, conditional.Condition):
                case ISwitchCaseOperation:
                case ISwitchExpressionArmOperation:
                case ICatchClauseOperation:
                case ICoalesceOperation coalesce when ReferenceEquals(child, coalesce.WhenNull):
                case IConditionalAccessOperation access when ReferenceEquals(child, access.WhenNotNull):
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } conjunction when ReferenceEquals(child, conjunction.RightOperand) && !IsLoopConditionConjunct(conjunction, root):
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalOr } disjunction when ReferenceEquals(child, disjunction.RightOperand):
                case IAnonymousFunctionOperation:
                case ILocalFunctionOperation:
                    return false;
                case ILoopOperation loop when !ReferenceEquals(parent, root) && ReferenceEquals(child, loop.Body):
                    // A do-while body runs at least once; any other nested body may run zero times.
                    if (loop is not IWhileLoopOperation { ConditionIsTop: false })
                    {
                        return false;
                    }

                    break;
            }
        }

        return ReferenceEquals(child, root);
    }

    /// <summary>
    /// Whether <paramref name="conjunction"/> is the loop's condition or a conjunct of it: every iteration whose
    /// body runs has evaluated all of <c>a &amp;&amp; b &amp;&amp; c</c>.
    /// </summary>
    private static bool IsLoopConditionConjunct(IBinaryOperation conjunction, IOperation root)
    {
        IOperation current = conjunction;
        while (current.Parent is IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } outer)
        {
            current = outer;
        }

        return root switch
        {
            IWhileLoopOperation loop => ReferenceEquals(loop.Condition, current),
            IForLoopOperation loop => ReferenceEquals(loop.Condition, current),
            _ => false,
        };
    }

    /// <summary>Descendants that run as part of <paramref name="root"/> itself, not inside a lambda or local function declared there.</summary>
    public static System.Collections.Generic.IEnumerable<IOperation> DescendantsInSameFunction(IOperation root) => Descendants(root, skipLoops: false);

    /// <summary>
    /// Descendants that belong to <paramref name="root"/>'s own scope: in the same function, and not inside a loop nested
    /// in it (a loop is a scope of its own: a retry or a throttle check there is that loop's).
    /// </summary>
    public static System.Collections.Generic.IEnumerable<IOperation> DescendantsInSameScope(IOperation root) => Descendants(root, skipLoops: true);

    private static System.Collections.Generic.IEnumerable<IOperation> Descendants(IOperation root, bool skipLoops)
    {
        var stack = new System.Collections.Generic.Stack<IOperation>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var current = stack.Pop();
            yield return current;
            foreach (var child in current.ChildOperations)
            {
                if (child is IAnonymousFunctionOperation or ILocalFunctionOperation || skipLoops && child is ILoopOperation)
                {
                    continue;
                }

                stack.Push(child);
            }
        }
    }
}
