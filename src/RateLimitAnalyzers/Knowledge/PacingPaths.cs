using System;
using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace RateLimitAnalyzers.Knowledge;

/// <summary>What a call does for pacing: sends a request, waits for a turn, both, or neither.</summary>
[Flags]
internal enum CallEffect
{
    None = 0,
    Sends = 1,
    Waits = 2,
}

/// <summary>
/// Whether something waits on every path: through each iteration of a loop that sends, or through a method.
/// Follows the operation tree the way the code runs, so that a wait in each arm of an <c>if</c>, a <c>?:</c> or a
/// <c>switch</c>, or in a <c>finally</c>, counts, and a wait that a <c>continue</c> jumps past does not. Of a path
/// the walk keeps only whether it has sent and whether it has waited: the order does not matter to the question.
/// </summary>
internal sealed class PacingPaths
{
    // Asked again each time a nested loop's body is walked: the callers answer from what they already know.
    private readonly Func<IInvocationOperation, CallEffect> _effectOf;
    private readonly CancellationToken _cancellationToken;

    // Shared by every sweep of an expression, each of which empties it before walking anything else.
    private readonly Stack<IOperation> _pending = new();

    // Paths that jumped to a label (a continue, a break, a goto) and rejoin where the label is.
    private Dictionary<ILabelSymbol, Paths> _jumps = new(SymbolEqualityComparer.Default);

    // Paths that left through a return.
    private Paths _returned;

    // Every point the innermost enclosing try body passed through: where it may throw, and so where its catches start.
    private Paths _passed;

    private PacingPaths(Func<IInvocationOperation, CallEffect> effectOf, CancellationToken cancellationToken)
    {
        _effectOf = effectOf;
        _cancellationToken = cancellationToken;
    }

    /// <summary>The kinds of path, by what they have done so far; a value is the set of kinds the paths reaching a point can be.</summary>
    [Flags]
    private enum Paths : byte
    {
        None = 0,
        Idle = 1,
        Waited = 2,
        Sent = 4,
        SentAndWaited = 8,
    }

    /// <summary>
    /// Whether every path from one iteration of <paramref name="loop"/> to the next that sends a request also waits.
    /// An iteration that sends nothing (an early <c>continue</c> on a cached page) needs no wait; one that leaves the
    /// loop sends no next request to wait for.
    /// </summary>
    public static bool PacesEveryIteration(ILoopOperation loop, Func<IInvocationOperation, CallEffect> effectOf, CancellationToken cancellationToken)
    {
        var walker = new PacingPaths(effectOf, cancellationToken);
        var end = walker.Walk(loop.Body, Paths.Idle) | walker.TakeJumps(loop.ContinueLabel);
        var again = walker.LoopCondition(loop, walker.AtLoopBottom(loop, end)).Again;
        return (again & Paths.Sent) == Paths.None;
    }

    /// <summary>Whether every path through a method's (or a local function's) body that returns to its caller waits.</summary>
    public static bool WaitsOnEveryPath(IOperation body, Func<IInvocationOperation, CallEffect> effectOf, CancellationToken cancellationToken)
    {
        body = body switch
        {
            ILocalFunctionOperation function => (IOperation?)function.Body ?? function.IgnoredBody ?? body,
            IAnonymousFunctionOperation lambda => lambda.Body,
            _ => body,
        };

        var walker = new PacingPaths(effectOf, cancellationToken);
        var end = walker.Walk(body, Paths.Idle) | walker._returned;
        return end != Paths.None && (end & (Paths.Idle | Paths.Sent)) == Paths.None;
    }

    private Paths Walk(IOperation? operation, Paths at)
    {
        if (operation is null || at == Paths.None)
        {
            return at;
        }

        _passed |= at;
        var after = operation switch
        {
            IBlockOperation block => Sequence(block.Operations, at),
            IConditionalOperation conditional => IfElse(conditional, at),
            IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.ConditionalOr } => Both(Condition(operation, at)),
            ICoalesceOperation coalesce => Optionally(coalesce.WhenNull, Walk(coalesce.Value, at)),
            ICoalesceAssignmentOperation coalesce => Optionally(coalesce.Value, Walk(coalesce.Target, at)),
            IConditionalAccessOperation access => Optionally(access.WhenNotNull, Walk(access.Operation, at)),
            ISwitchOperation switchStatement => Switch(switchStatement, at),
            ISwitchExpressionOperation switchExpression => Switch(switchExpression, at),
            ITryOperation tryStatement => Try(tryStatement, at),
            ILoopOperation loop => NestedLoop(loop, at),
            IBranchOperation branch => Jump(branch.Target, at),
            IReturnOperation { Kind: OperationKind.YieldReturn } yield => Walk(yield.ReturnedValue, at),
            IReturnOperation exit => Return(exit, at),
            IThrowOperation toss => Throw(toss, at),
            IAnonymousFunctionOperation or ILocalFunctionOperation => at,
            _ when operation.Syntax is ExpressionSyntax || operation is IInvocationOperation => Straight(operation, at),
            _ => Sequence(operation.ChildOperations, at),
        };
        _passed |= after;
        return after;
    }

    private Paths Sequence(IEnumerable<IOperation> operations, Paths at)
    {
        foreach (var operation in operations)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            at = Walk(operation, at);
        }

        return at;
    }

    /// <summary>
    /// An expression with no branch of its own. It sends and waits in some order, but that order changes neither
    /// whether a path sent nor whether it waited, and an expression jumps nowhere but out through a throw; so its
    /// calls are read in one sweep (no recursion through a long concatenation) and only its branches walked.
    /// </summary>
    private Paths Straight(IOperation expression, Paths at)
    {
        var effect = CallEffect.None;
        List<IOperation>? branches = null;
        _pending.Push(expression);
        while (_pending.Count > 0)
        {
            var current = _pending.Pop();
            if (current is IInvocationOperation invocation)
            {
                effect |= _effectOf(invocation);
            }

            foreach (var child in current.ChildOperations)
            {
                if (child is IAnonymousFunctionOperation or ILocalFunctionOperation)
                {
                    continue;
                }

                if (IsBranching(child))
                {
                    (branches ??= new List<IOperation>()).Add(child);
                }
                else
                {
                    _pending.Push(child);
                }
            }
        }

        at = Apply(at, effect);
        if (branches is not null)
        {
            foreach (var branch in branches)
            {
                at = Walk(branch, at);
            }
        }

        return at;
    }

    private static bool IsBranching(IOperation operation) => operation is IConditionalOperation
        or ICoalesceOperation
        or ICoalesceAssignmentOperation
        or IConditionalAccessOperation
        or IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.ConditionalOr }
        or ISwitchExpressionOperation
        or IThrowOperation;

    private static Paths Apply(Paths at, CallEffect effect)
    {
        if ((effect & CallEffect.Sends) != 0)
        {
            at = Map(at, Paths.Idle | Paths.Sent, Paths.Sent, Paths.Waited | Paths.SentAndWaited, Paths.SentAndWaited);
        }

        if ((effect & CallEffect.Waits) != 0)
        {
            at = Map(at, Paths.Idle | Paths.Waited, Paths.Waited, Paths.Sent | Paths.SentAndWaited, Paths.SentAndWaited);
        }

        return at;
    }

    private static Paths Map(Paths at, Paths from, Paths to, Paths otherFrom, Paths otherTo) =>
        ((at & from) != Paths.None ? to : Paths.None) | ((at & otherFrom) != Paths.None ? otherTo : Paths.None);

    private Paths IfElse(IConditionalOperation conditional, Paths at)
    {
        var (whenTrue, whenFalse) = Condition(conditional.Condition, at);
        return Walk(conditional.WhenTrue, whenTrue) | (conditional.WhenFalse is null ? whenFalse : Walk(conditional.WhenFalse, whenFalse));
    }

    /// <summary>The paths on which a condition comes out true and false: <c>a &amp;&amp; b</c> is only true where <c>b</c> ran.</summary>
    private (Paths WhenTrue, Paths WhenFalse) Condition(IOperation condition, Paths at)
    {
        switch (condition)
        {
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } conjunction:
                {
                    var (leftTrue, leftFalse) = Condition(conjunction.LeftOperand, at);
                    var (rightTrue, rightFalse) = Condition(conjunction.RightOperand, leftTrue);
                    return (rightTrue, leftFalse | rightFalse);
                }

            case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalOr } disjunction:
                {
                    var (leftTrue, leftFalse) = Condition(disjunction.LeftOperand, at);
                    var (rightTrue, rightFalse) = Condition(disjunction.RightOperand, leftFalse);
                    return (leftTrue | rightTrue, rightFalse);
                }

            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } negation:
                {
                    var (whenTrue, whenFalse) = Condition(negation.Operand, at);
                    return (whenFalse, whenTrue);
                }

            default:
                {
                    var after = Walk(condition, at);
                    return (after, after);
                }
        }
    }

    private static Paths Both((Paths WhenTrue, Paths WhenFalse) outcomes) => outcomes.WhenTrue | outcomes.WhenFalse;

    private Paths Optionally(IOperation part, Paths at) => at | Walk(part, at);

    private Paths Switch(ISwitchOperation switchStatement, Paths at)
    {
        var value = Walk(switchStatement.Value, at);
        var after = Paths.None;
        var coversEveryValue = false;
        foreach (var section in switchStatement.Cases)
        {
            var entry = Paths.None;
            foreach (var clause in section.Clauses)
            {
                coversEveryValue |= clause is IDefaultCaseClauseOperation;
                entry |= clause is IPatternCaseClauseOperation { Guard: { } guard } ? Condition(guard, value).WhenTrue : value;
            }

            after |= Sequence(section.Body, entry);
        }

        return after | (coversEveryValue ? Paths.None : value) | TakeJumps(switchStatement.ExitLabel);
    }

    // A value no arm matches throws, so only the arms lead on.
    private Paths Switch(ISwitchExpressionOperation switchExpression, Paths at)
    {
        var value = Walk(switchExpression.Value, at);
        var after = Paths.None;
        foreach (var arm in switchExpression.Arms)
        {
            after |= Walk(arm.Value, arm.Guard is null ? value : Condition(arm.Guard, value).WhenTrue);
        }

        return after;
    }

    private Paths Try(ITryOperation tryStatement, Paths at)
    {
        var outerJumps = _jumps;
        var outerReturned = _returned;
        var outerPassed = _passed;
        _jumps = new Dictionary<ILabelSymbol, Paths>(SymbolEqualityComparer.Default);
        _returned = Paths.None;
        _passed = Paths.None;

        var after = Walk(tryStatement.Body, at);
        var mayThrow = _passed | at;
        _passed = outerPassed | mayThrow;
        foreach (var catchClause in tryStatement.Catches)
        {
            var entry = catchClause.Filter is null ? mayThrow : Condition(catchClause.Filter, mayThrow).WhenTrue;
            after |= Walk(catchClause.Handler, entry);
        }

        var innerJumps = _jumps;
        var innerReturned = _returned;
        _jumps = outerJumps;
        _returned = outerReturned;

        // Whichever way the try is left, through a continue, a break or a return too, its finally runs on the way.
        foreach (var jump in innerJumps)
        {
            AddJump(jump.Key, Walk(tryStatement.Finally, jump.Value));
        }

        _returned |= Walk(tryStatement.Finally, innerReturned);
        return Walk(tryStatement.Finally, after);
    }

    /// <summary>A loop inside the one analysed: its body may run any number of times, a do-while's at least once.</summary>
    private Paths NestedLoop(ILoopOperation loop, Paths at)
    {
        at = loop switch
        {
            IForLoopOperation forLoop => Sequence(forLoop.Before, at),
            IForEachLoopOperation forEach => Walk(forEach.Collection, at),
            _ => at,
        };

        var conditionFirst = loop is not IWhileLoopOperation { ConditionIsTop: false };
        var head = at;
        var exits = Paths.None;

        // The paths at the loop's head only grow, and there are four kinds of path: a few rounds settle them.
        for (var round = 0; round < 8; round++)
        {
            Paths next;
            if (conditionFirst)
            {
                var (enter, leave) = LoopCondition(loop, head);
                exits |= leave;
                next = AtLoopBottom(loop, Walk(loop.Body, enter) | TakeJumps(loop.ContinueLabel));
            }
            else
            {
                var (again, leave) = LoopCondition(loop, Walk(loop.Body, head) | TakeJumps(loop.ContinueLabel));
                exits |= leave;
                next = again;
            }

            var grown = head | next;
            if (grown == head)
            {
                break;
            }

            head = grown;
        }

        return exits | TakeJumps(loop.ExitLabel);
    }

    /// <summary>
    /// The paths on which the loop's condition runs another iteration, and those on which it ends the loop. A foreach
    /// may end at any iteration; a <c>for (;;)</c> only through a break.
    /// </summary>
    private (Paths Again, Paths Leave) LoopCondition(ILoopOperation loop, Paths at) => loop switch
    {
        IWhileLoopOperation { Condition: { } condition } => Condition(condition, at),
        IForLoopOperation { Condition: { } condition } => Condition(condition, at),
        IForLoopOperation => (at, Paths.None),
        _ => (at, at),
    };

    private Paths AtLoopBottom(ILoopOperation loop, Paths at) =>
        loop is IForLoopOperation forLoop ? Sequence(forLoop.AtLoopBottom, at) : at;

    private Paths Jump(ILabelSymbol target, Paths at)
    {
        AddJump(target, at);
        return Paths.None;
    }

    private void AddJump(ILabelSymbol target, Paths at)
    {
        if (at != Paths.None)
        {
            _jumps[target] = _jumps.TryGetValue(target, out var earlier) ? earlier | at : at;
        }
    }

    /// <summary>The paths that jumped to a label, once the walk reaches where it stands. A goto elsewhere is never taken up: its paths are dropped.</summary>
    private Paths TakeJumps(ILabelSymbol target)
    {
        if (!_jumps.TryGetValue(target, out var paths))
        {
            return Paths.None;
        }

        _jumps.Remove(target);
        return paths;
    }

    private Paths Return(IReturnOperation exit, Paths at)
    {
        _returned |= Walk(exit.ReturnedValue, at);
        return Paths.None;
    }

    // A throw leaves the loop or the method, unless a catch takes it up (see Try); either way no path goes on from here.
    private Paths Throw(IThrowOperation toss, Paths at)
    {
        Walk(toss.Exception, at);
        return Paths.None;
    }
}
