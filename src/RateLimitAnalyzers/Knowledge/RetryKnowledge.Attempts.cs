using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace RateLimitAnalyzers.Knowledge;

/// <summary>How a retry waits between attempts, counts and bounds them, and where a fix puts the backoff.</summary>
internal sealed partial class RetryKnowledge
{
    private ImmutableArray<RetryWait> Waits(List<IOperation> operations, ISet<ISymbol> varying, CancellationToken cancellationToken)
    {
        var waits = ImmutableArray.CreateBuilder<RetryWait>();
        foreach (var call in operations.OfType<IInvocationOperation>())
        {
            if (IsRuntimeWait(call.TargetMethod) || Http.IsPacing(call, cancellationToken))
            {
                waits.Add(DescribeWait(call, varying, cancellationToken));
            }
        }

        return waits.ToImmutable();
    }

    /// <summary>The runtime's own waits, which a fix inserts: <c>Backoff.DelayAsync</c>, <c>RetryAfter.DelayAsync</c>, and their synchronous forms.</summary>
    private static bool IsRuntimeWait(IMethodSymbol method) =>
        method.Name is "Delay" or "DelayAsync"
        && method.ContainingType is { Name: RetryRuntime.BackoffName or RetryRuntime.RetryAfterName } type
        && type.ContainingNamespace?.ToDisplayString() == PacingRuntime.Namespace;

    private RetryWait DescribeWait(IInvocationOperation call, ISet<ISymbol> varying, CancellationToken cancellationToken)
    {
        var type = call.TargetMethod.ContainingType;
        var token = call.Arguments.FirstOrDefault(a => Http.Is(a.Value.Type, Http.CancellationToken) && a.ArgumentKind == ArgumentKind.Explicit)?.Value;
        if (type.ContainingNamespace?.ToDisplayString() == PacingRuntime.Namespace && type.Name is RetryRuntime.BackoffName)
        {
            return new RetryWait(call, RetryWaitKind.Jittered, null, false, token);
        }

        if (IsRuntimeHintHelper(type))
        {
            return new RetryWait(call, RetryWaitKind.ServerHint, null, false, token);
        }

        bool ReadsHintHere(IOperation value) => ReadsHint(value, cancellationToken);
        if ((call.TargetMethod.Name == "Delay" && Http.Is(type, Http.Task)) || (call.TargetMethod.Name == "Sleep" && Http.Is(type, Http.Thread)))
        {
            var delay = call.Arguments.FirstOrDefault(a => a.Parameter is { Ordinal: 0 });
            if (delay is not null)
            {
                var inMilliseconds = delay.Parameter!.Type.SpecialType == SpecialType.System_Int32;
                return new RetryWait(call, DelayValue.Classify(delay.Value, varying, ReadsHintHere), delay.Value, inMilliseconds, token);
            }
        }

        // A limiter, a pacer, a timer or a helper: it waits, but how long is not in view, unless it is given the attempt.
        var kind = call.Arguments.Any(a => DelayValue.References(a.Value, varying)) ? RetryWaitKind.Growing : RetryWaitKind.Unknown;
        return new RetryWait(call, kind, null, false, token);
    }

    /// <summary>Whole-number variables counted up or down in the loop: <c>attempt++</c>, <c>retries -= 1</c>.</summary>
    private static ImmutableHashSet<ISymbol> Counters(List<IOperation> operations)
    {
        var counters = ImmutableHashSet.CreateBuilder<ISymbol>(SymbolEqualityComparer.Default);
        foreach (var operation in operations)
        {
            var target = operation switch
            {
                IIncrementOrDecrementOperation increment => increment.Target,
                ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Add or BinaryOperatorKind.Subtract } compound => compound.Target,
                _ => null,
            };
            if (target is not null && Operations.SymbolOf(target) is { } symbol && IsWholeNumber(target.Type))
            {
                counters.Add(symbol);
            }
        }

        return counters.ToImmutable();
    }

    /// <summary>
    /// Whether a loop's counter numbers its attempts: it is only ever counted up (<c>attempt++</c>, <c>retry += 1</c>). A
    /// counter of what is left (<c>left--</c>) bounds the loop as well, but a wait that backs off by it would shrink.
    /// </summary>
    private static bool CountsUp(ISymbol counter, List<IOperation> operations) =>
        operations.All(operation => operation switch
        {
            IIncrementOrDecrementOperation increment when SymbolEqualityComparer.Default.Equals(Operations.SymbolOf(increment.Target), counter) =>
                increment.Kind == OperationKind.Increment,
            ICompoundAssignmentOperation compound when SymbolEqualityComparer.Default.Equals(Operations.SymbolOf(compound.Target), counter) =>
                compound.OperatorKind == BinaryOperatorKind.Add && compound.Value.ConstantValue is { HasValue: true, Value: int and > 0 },
            _ => true,
        });

    /// <summary>
    /// Variables whose value changes from one attempt to the next: counters, variables grown from themselves
    /// (<c>delay *= 2</c>, <c>delay = delay + delay</c>), and locals computed from either.
    /// </summary>
    private static HashSet<ISymbol> Varying(List<IOperation> operations, ImmutableHashSet<ISymbol> counters)
    {
        var varying = new HashSet<ISymbol>(counters, SymbolEqualityComparer.Default);
        var assignments = new List<(ISymbol Target, IOperation Value)>();
        foreach (var operation in operations)
        {
            switch (operation)
            {
                case ICompoundAssignmentOperation compound when Operations.SymbolOf(compound.Target) is { } grown:
                    varying.Add(grown);
                    break;
                case ISimpleAssignmentOperation simple when Operations.SymbolOf(simple.Target) is { } assigned:
                    assignments.Add((assigned, simple.Value));
                    break;
                case IVariableDeclaratorOperation declarator when declarator.GetVariableInitializer() is { } initializer:
                    assignments.Add((declarator.Symbol, initializer.Value));
                    break;
            }
        }

        // A variable grown from itself (delay = delay + delay) varies whatever else it reads.
        foreach (var (target, value) in assignments)
        {
            if (value.DescendantsAndSelf().Any(node => SymbolEqualityComparer.Default.Equals(Operations.SymbolOf(node), target)))
            {
                varying.Add(target);
            }
        }

        Operations.Spread(varying, assignments, value => value.DescendantsAndSelf().Any(node => Operations.SymbolOf(node) is { } read && varying.Contains(read)));
        return varying;
    }

    private bool HasAttemptLimit(IEnumerable<IOperation> operations, ImmutableHashSet<ISymbol> counters, CancellationToken cancellationToken) =>
        HasAttemptLimit(operations, counters, HttpKnowledge.HelperDepth, cancellationToken);

    private bool HasAttemptLimit(IEnumerable<IOperation> operations, ImmutableHashSet<ISymbol> counters, int depth, CancellationToken cancellationToken) =>
        !counters.IsEmpty && operations.Any(operation => operation switch
        {
            IBinaryOperation { OperatorKind: BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual or BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual or BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } comparison =>
                DelayValue.References(comparison.LeftOperand, counters) || DelayValue.References(comparison.RightOperand, counters),
            IIsPatternOperation pattern => DelayValue.References(pattern.Value, counters),
            IInvocationOperation call when depth > 0 => call.Arguments.Any(a => a.Parameter is { } parameter && DelayValue.References(a.Value, counters)
                && LimitsParameter(call.TargetMethod, parameter.Ordinal, depth - 1, cancellationToken)),
            _ => false,
        });

    /// <summary>
    /// Whether a method of the user's that is given the attempt counter compares it with a limit: a retry policy object
    /// that decides whether to go again (<c>_retryPolicy.ShouldRetry(response, attempt)</c>). An interface or abstract
    /// method is read in the compilation's implementations; one that bounds the count is enough, since a retry whose
    /// default policy stops is not a retry "forever".
    /// </summary>
    private bool LimitsParameter(IMethodSymbol method, int ordinal, int depth, CancellationToken cancellationToken)
    {
        method = (method.ReducedFrom ?? method).OriginalDefinition;
        if (method.DeclaringSyntaxReferences.IsEmpty || ordinal >= method.Parameters.Length || !IsWholeNumber(method.Parameters[ordinal].Type))
        {
            return false;
        }

        return _limitingParameters.GetOrAdd((method, ordinal, depth), key =>
        {
            var bodies = key.Method.IsAbstract ? Http.Implementations(key.Method, cancellationToken) : ImmutableArray.Create(key.Method);
            foreach (var body in bodies)
            {
                var parameter = ImmutableHashSet.Create<ISymbol>(SymbolEqualityComparer.Default, body.Parameters[key.Ordinal]);
                foreach (var reference in body.DeclaringSyntaxReferences)
                {
                    if (Http.OperationOf(reference.GetSyntax(cancellationToken), cancellationToken) is { } operation
                        && HasAttemptLimit(ControlFlow.DescendantsInSameFunction(operation), parameter, key.Depth, cancellationToken))
                    {
                        return true;
                    }
                }
            }

            return false;
        });
    }

    /// <summary>
    /// A flag that lets the repetition happen once: set to a constant in the loop and read there too
    /// (<c>if (triedLogin) throw; triedLogin = true;</c>). It bounds the attempts as a counter compared with a limit does.
    /// </summary>
    private static bool HasGuardFlag(List<IOperation> operations)
    {
        var set = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        foreach (var operation in operations)
        {
            if (operation is ISimpleAssignmentOperation { Value.ConstantValue: { HasValue: true, Value: bool } } assignment
                && Operations.SymbolOf(assignment.Target) is ILocalSymbol { Type.SpecialType: SpecialType.System_Boolean } flag)
            {
                set.Add(flag);
            }
        }

        return set.Count > 0 && operations.Any(o => o is ILocalReferenceOperation reference && set.Contains(reference.Local) && !IsAssignedHere(o));

        static bool IsAssignedHere(IOperation reference) => reference.Parent is ISimpleAssignmentOperation assignment && ReferenceEquals(assignment.Target, reference);
    }

    /// <summary>
    /// A readiness poll: the loop runs until a deadline in its own condition (<c>while (clock.Elapsed &lt; timeout)</c>) and
    /// tells no throttled response from others. It waits for a service to come up, and a steady interval is right for that.
    /// </summary>
    private static bool IsReadinessPoll(ILoopOperation loop, ImmutableArray<ThrottleHandling> throttles) =>
        throttles.IsEmpty && Operations.LoopCondition(loop) is { } condition && HasDeadline(condition.DescendantsAndSelf());

    /// <summary>
    /// Whether every failure the loop looks at is an authentication failure (401, 407): sending again with refreshed
    /// credentials is re-authentication, not a retry of a transient failure, and needs no backoff.
    /// </summary>
    private static bool OnlyReauthenticates(List<IOperation> operations)
    {
        var sawAuthentication = false;
        foreach (var operation in operations)
        {
            switch (operation)
            {
                case ICatchClauseOperation catchClause when IsAuthenticationFailure(catchClause.ExceptionType):
                    sawAuthentication = true;
                    break;
                case ICatchClauseOperation catchClause:
                    if (catchClause.Filter is not { } filter || !filter.DescendantsAndSelf().Any(IsAuthenticationStatus))
                    {
                        return false;
                    }

                    break;
                case IPropertyReferenceOperation { Property.Name: "StatusCode" } status:
                    var comparison = status.Parent;
                    while (comparison is IConversionOperation or IParenthesizedOperation)
                    {
                        comparison = comparison.Parent;
                    }

                    if (comparison is not (IBinaryOperation or IIsPatternOperation) || !comparison.DescendantsAndSelf().Any(IsAuthenticationStatus))
                    {
                        return false;
                    }

                    sawAuthentication = true;
                    break;
                case IPropertyReferenceOperation property when RequestLoop.IsStatusMember(property.Property.Name):
                case IInvocationOperation { TargetMethod.Name: "EnsureSuccessStatusCode" }:
                    return false;
            }

            sawAuthentication |= IsAuthenticationStatus(operation);
        }

        return sawAuthentication;
    }

    // An SDK's exception for a 401 or an authentication challenge (octokit.net's AuthorizationException and its
    // TwoFactorRequiredException), by its name or a base type's.
    private static bool IsAuthenticationFailure(ITypeSymbol? exception)
    {
        for (var type = exception; type is not null && type.SpecialType != SpecialType.System_Object; type = type.BaseType)
        {
            if (type.Name.IndexOf("Unauthorized", StringComparison.Ordinal) >= 0
                || type.Name.IndexOf("Authentication", StringComparison.Ordinal) >= 0
                || type.Name.IndexOf("Authorization", StringComparison.Ordinal) >= 0
                || type.Name.IndexOf("TwoFactor", StringComparison.Ordinal) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsAuthenticationStatus(IOperation operation) =>
        operation.ConstantValue is { HasValue: true, Value: int status } && status is 401 or 407
        && (operation.Type?.SpecialType == SpecialType.System_Int32 || operation.Type?.Name == "HttpStatusCode");

    /// <summary>A clock, a stopwatch or a cancellation check that ends the retry in time.</summary>
    private static bool HasDeadline(IEnumerable<IOperation> operations) => operations.Any(operation => operation switch
    {
        IPropertyReferenceOperation { Property.Name: "IsCancellationRequested" } => true,
        IInvocationOperation { TargetMethod.Name: "ThrowIfCancellationRequested" } => true,
        IBinaryOperation { OperatorKind: BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual or BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual } comparison =>
            IsTime(comparison.LeftOperand) || IsTime(comparison.RightOperand),
        _ => false,
    });

    private static bool IsTime(IOperation operand)
    {
        var type = operand.Type;
        if (type is { Name: "DateTime" or "DateTimeOffset" or "TimeSpan" } && type.ContainingNamespace?.ToDisplayString() == "System")
        {
            return true;
        }

        return UrlText.SkipConversions(operand) is IPropertyReferenceOperation { Property: { Name: "ElapsedMilliseconds" or "ElapsedTicks" or "TickCount" or "TickCount64" } };
    }

    /// <summary>
    /// Whether the loop stops once a request succeeds: it returns or breaks outside a catch block, or its condition reads
    /// a status or a flag the body sets. A loop that never does (a heartbeat that logs failures) is not a retry.
    /// </summary>
    private static bool ExitsOnSuccess(ILoopOperation loop, List<IOperation> operations, ImmutableHashSet<ISymbol> counters)
    {
        foreach (var operation in operations)
        {
            var exits = operation switch
            {
                IReturnOperation returned => returned.Kind == OperationKind.Return,
                IBranchOperation { BranchKind: BranchKind.Break } branch => SymbolEqualityComparer.Default.Equals(branch.Target, loop.ExitLabel),
                _ => false,
            };
            if (exits && !InsideCatch(operation, loop))
            {
                return true;
            }
        }

        if (Operations.LoopCondition(loop) is not { } condition || condition.ConstantValue.HasValue)
        {
            return false;
        }

        var assignedInBody = new HashSet<ISymbol>(
            ControlFlow.DescendantsInSameFunction(loop.Body).OfType<ISimpleAssignmentOperation>()
                .Select(a => Operations.SymbolOf(a.Target))
                .Where(s => s is not null && !counters.Contains(s))!,
            SymbolEqualityComparer.Default);
        return condition.DescendantsAndSelf().Any(node =>
            node is IPropertyReferenceOperation property && RequestLoop.IsStatusMember(property.Property.Name)
            || Operations.SymbolOf(node) is { } symbol && assignedInBody.Contains(symbol));
    }

    private static bool InsideCatch(IOperation operation, IOperation root)
    {
        for (var current = operation.Parent; current is not null && !ReferenceEquals(current, root); current = current.Parent)
        {
            if (current is ICatchClauseOperation)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Where a fix puts the backoff: in place of the one constant wait; else in the first catch block that goes round again,
    /// before a <c>continue</c>, or at the end of a body that only leaves by returning or breaking.
    /// </summary>
    private static WaitSite? BackoffSite(ILoopOperation loop, List<IOperation> operations, ImmutableArray<RetryWait> waits, bool runsForever, ImmutableHashSet<ISymbol> counters)
    {
        if (!waits.IsEmpty)
        {
            return waits.Length == 1 && waits[0].Statement is { } statement ? new WaitSite(WaitEdit.Replace, statement.Syntax) : null;
        }

        var catchClause = ControlFlow.DescendantsInSameScope(loop).OfType<ICatchClauseOperation>().FirstOrDefault(c => !Leaves(c.Handler, loop, throttled: false));
        if (catchClause?.Handler.Syntax is BlockSyntax handler)
        {
            var last = catchClause.Handler.Operations.LastOrDefault();
            return last is IBranchOperation { BranchKind: BranchKind.Continue, Syntax: StatementSyntax continueStatement }
                ? new WaitSite(WaitEdit.InsertBefore, continueStatement)
                : new WaitSite(WaitEdit.Append, handler);
        }

        var continues = ControlFlow.DescendantsInSameScope(loop).OfType<IBranchOperation>()
            .FirstOrDefault(b => b.BranchKind == BranchKind.Continue && SymbolEqualityComparer.Default.Equals(b.Target, loop.ContinueLabel));
        if (continues?.Syntax is StatementSyntax beforeContinue)
        {
            return new WaitSite(WaitEdit.InsertBefore, beforeContinue);
        }

        var conditionOnlyCounts = Operations.LoopCondition(loop) is { } condition
            && condition.DescendantsAndSelf().All(node => Operations.SymbolOf(node) is not { } symbol || counters.Contains(symbol));
        return (runsForever || conditionOnlyCounts) && loop.Body.Syntax is StatementSyntax body ? new WaitSite(WaitEdit.Append, body) : null;
    }

    /// <summary>Whether a counter keeps its value across iterations and is visible in the whole body: a for variable, or a variable declared before the loop.</summary>
    private static bool IsInScopeThroughout(ISymbol counter, ILoopOperation loop) =>
        counter is IParameterSymbol or IFieldSymbol
        || counter is ILocalSymbol local && local.DeclaringSyntaxReferences.All(r => r.SyntaxTree != loop.Syntax.SyntaxTree || !loop.Body.Syntax.Span.Contains(r.Span));

    private static bool IsWholeNumber(ITypeSymbol? type) =>
        type?.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_Int16 or SpecialType.System_UInt32 or SpecialType.System_Byte;

    /// <summary>A method calling itself with the arguments it was given: a retry by recursion.</summary>
    // Calls that change the collection they are made on.
    private static readonly ImmutableHashSet<string> s_collectionChanges = ImmutableHashSet.Create(
        StringComparer.Ordinal,
        "Add", "AddRange", "Insert", "InsertRange", "Remove", "RemoveAt", "RemoveAll", "RemoveRange", "Clear", "Push", "Pop", "Enqueue", "Dequeue", "Reverse", "Sort");

    /// <summary>
    /// Whether the code changes what its requests are made from before it calls itself (<c>_messages.RemoveAt(0);
    /// return await SendAsync();</c> after the API said the conversation was too long): the next call sends another
    /// request, which is no retry, as a new cursor passed on is none (see <see cref="Recursion.Of"/>). What requests are
    /// made from: the fields and properties read in a send's arguments, or in what is assigned to the locals those
    /// arguments name (<c>request.Messages = _messages.ToList()</c>). A request message or a client built anew is still a retry.
    /// </summary>
    private bool ChangesRequestBefore(IInvocationOperation recursiveCall, ImmutableArray<RequestSend> sends)
    {
        var madeFrom = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        foreach (var send in sends)
        {
            var locals = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
            foreach (var argument in send.Invocation.Arguments)
            {
                AddMembers(argument.Value, madeFrom, locals);
            }

            foreach (var operation in Operations.Root(send.Invocation).Descendants())
            {
                switch (operation)
                {
                    case IVariableDeclaratorOperation { Initializer: { } initializer } declarator when locals.Contains(declarator.Symbol):
                        AddMembers(initializer.Value, madeFrom, locals);
                        break;
                    case ISimpleAssignmentOperation assignment when Operations.SymbolOf(assignment.Target) is ILocalSymbol local && locals.Contains(local)
                        || assignment.Target is IMemberReferenceOperation { Instance: ILocalReferenceOperation holder } && locals.Contains(holder.Local):
                        AddMembers(assignment.Value, madeFrom, locals);
                        break;
                }
            }
        }

        if (madeFrom.Count == 0)
        {
            return false;
        }

        for (IOperation current = recursiveCall; current.Parent is { } parent && parent is not (IMethodBodyBaseOperation or ILocalFunctionOperation or IAnonymousFunctionOperation); current = parent)
        {
            if (parent is not IBlockOperation block)
            {
                continue;
            }

            foreach (var statement in block.Operations.TakeWhile(o => !ReferenceEquals(o, current)))
            {
                if (statement.DescendantsAndSelf().Any(o => ChangedMember(o) is { } member && madeFrom.Contains(member)))
                {
                    return true;
                }
            }
        }

        return false;

        void AddMembers(IOperation value, HashSet<ISymbol> members, HashSet<ILocalSymbol> locals)
        {
            foreach (var node in value.DescendantsAndSelf())
            {
                if (node is ILocalReferenceOperation local)
                {
                    locals.Add(local.Local);
                }
                else if (OwnMember(node) is { } member && !Http.DerivesFrom(node.Type, Http.HttpRequestMessage) && !Http.DerivesFrom(node.Type, Http.HttpMessageInvoker))
                {
                    members.Add(member);
                }
            }
        }
    }

    // A field or property of this instance or of a type (no other object's), and the operation that changes one: an
    // assignment to it, or a call that changes the collection it holds.
    private static ISymbol? OwnMember(IOperation operation) =>
        operation is IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation } or IPropertyReferenceOperation { Instance: null or IInstanceReferenceOperation }
            ? ((IMemberReferenceOperation)operation).Member
            : null;

    private static ISymbol? ChangedMember(IOperation operation) => operation switch
    {
        IAssignmentOperation assignment => OwnMember(assignment.Target),
        IIncrementOrDecrementOperation step => OwnMember(step.Target),
        IInvocationOperation { Instance: { } collection } call when s_collectionChanges.Contains(call.TargetMethod.Name) => OwnMember(collection),
        _ => null,
    };

    private sealed class Recursion
    {
        private Recursion(IInvocationOperation call, ISymbol? counter, HashSet<ISymbol> varying)
        {
            Call = call;
            Counter = counter;
            Varying = varying;
        }

        public IInvocationOperation Call { get; }

        /// <summary>The parameter passed on as <c>attempt + 1</c> or <c>left - 1</c>, if any.</summary>
        public ISymbol? Counter { get; }

        /// <summary>Whether <see cref="Counter"/> is passed on counted up (<c>attempt + 1</c>), so it numbers the attempts.</summary>
        public bool CountsUp { get; private set; }

        /// <summary>Parameters passed on changed (the counter, a delay doubled on each call).</summary>
        public HashSet<ISymbol> Varying { get; }

        public static Recursion? Of(IInvocationOperation call, IMethodSymbol function)
        {
            if (!SymbolEqualityComparer.Default.Equals(call.TargetMethod.OriginalDefinition, function.OriginalDefinition)
                || call.Instance is not (null or IInstanceReferenceOperation))
            {
                return null;
            }

            ISymbol? counter = null;
            var countsUp = false;
            var varying = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
            foreach (var argument in call.Arguments)
            {
                if (argument.ArgumentKind != ArgumentKind.Explicit || argument.Parameter is null)
                {
                    continue;
                }

                var parameter = function.Parameters[argument.Parameter.Ordinal];
                var value = UrlText.SkipConversions(argument.Value);
                if (value is IParameterReferenceOperation same && SymbolEqualityComparer.Default.Equals(same.Parameter, parameter))
                {
                    continue;
                }

                if (!value.DescendantsAndSelf().Any(node => node is IParameterReferenceOperation p && SymbolEqualityComparer.Default.Equals(p.Parameter, parameter)))
                {
                    // Something new in its place (the next page's cursor): another request, not a retry.
                    return null;
                }

                varying.Add(parameter);
                if (counter is null && IsWholeNumber(parameter.Type) && value is IBinaryOperation { OperatorKind: BinaryOperatorKind.Add or BinaryOperatorKind.Subtract } or IIncrementOrDecrementOperation)
                {
                    counter = parameter;
                    countsUp = value is IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } or IIncrementOrDecrementOperation { Kind: OperationKind.Increment };
                }
            }

            return new Recursion(call, counter, varying) { CountsUp = countsUp };
        }
    }
}
