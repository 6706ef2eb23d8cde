using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using RateLimitAnalyzers.Knowledge.Endpoints;

namespace RateLimitAnalyzers.Knowledge;

/// <summary>How a fan-out starts its requests.</summary>
internal enum FanOutShape
{
    /// <summary><c>Task.WhenAll(items.Select(async x =&gt; ...))</c>: one task per item, all started together.</summary>
    WhenAllOverSelect,

    /// <summary><c>tasks.Add(...)</c> in a loop, then <c>Task.WhenAll(tasks)</c>.</summary>
    WhenAllOverLoop,

    /// <summary><c>Parallel.ForEach</c> / <c>Parallel.For</c>: threads, or with an async lambda, async void calls nobody awaits.</summary>
    Parallel,

    /// <summary><c>Parallel.ForEachAsync</c>: bounded by its degree of parallelism (the processor count unless set).</summary>
    ParallelAsync,
}

/// <summary>
/// Requests started together rather than one after another: <c>Task.WhenAll</c> over a task per item, tasks started in a
/// loop and awaited together, <c>Parallel.ForEach</c> and <c>Parallel.ForEachAsync</c>. What each item runs, the request it
/// sends, and whether anything paces the starts or bounds how many run at once.
/// </summary>
internal sealed class RequestFanOut
{
    private RequestFanOut(IInvocationOperation call, FanOutShape shape, IOperation work, RequestSend send)
    {
        Call = call;
        Shape = shape;
        Work = work;
        Send = send;
    }

    /// <summary>The call that fans out or waits for the fanned-out tasks: <c>Task.WhenAll</c>, <c>Parallel.ForEach</c>.</summary>
    public IInvocationOperation Call { get; }

    public FanOutShape Shape { get; }

    /// <summary>What runs once per item: the lambda, or for tasks started in a loop, the <c>tasks.Add(...)</c> call.</summary>
    public IOperation Work { get; }

    /// <summary>The first request the work sends.</summary>
    public RequestSend Send { get; }

    /// <summary>Whether each item waits for a turn (a pacer, a rate limiter, a delay, a paced client) before or around its request.</summary>
    public bool IsPaced { get; private set; }

    /// <summary>Whether something caps how many requests run at once: a SemaphoreSlim, a degree of parallelism, Parallel's threads.</summary>
    public bool IsBounded { get; private set; }

    /// <summary>Whether the code shows how many items there are (an array written out, <c>Enumerable.Range(0, 5)</c>, a chunk).</summary>
    public bool HasKnownSize { get; private set; }

    /// <summary>The fan-out a call starts or awaits; null for any other call, or when no request is in view.</summary>
    public static RequestFanOut? Analyze(IInvocationOperation call, HttpKnowledge knowledge, CancellationToken cancellationToken)
    {
        var method = call.TargetMethod;
        var fanOut = method.Name switch
        {
            "WhenAll" or "WaitAll" when knowledge.Is(method.ContainingType, knowledge.Task) => OverTasks(call, knowledge, cancellationToken),
            "ForEach" or "For" or "ForEachAsync" when knowledge.Is(method.ContainingType, knowledge.Parallel) => OverParallel(call, knowledge, cancellationToken),
            _ => null,
        };
        if (fanOut is null)
        {
            return null;
        }

        var scope = fanOut.Shape == FanOutShape.WhenAllOverLoop ? EnclosingLoop(fanOut.Work) ?? fanOut.Work : fanOut.Work;
        fanOut.IsPaced = knowledge.SendsThroughPacingHandler(fanOut.Send, cancellationToken)
            || scope.DescendantsAndSelf().OfType<IInvocationOperation>().Any(i => knowledge.IsPacing(i, cancellationToken))
            || IsInPacedLoop(call, knowledge, cancellationToken);
        fanOut.IsBounded |= scope.DescendantsAndSelf().OfType<IInvocationOperation>().Any(i => IsSemaphoreWait(i, knowledge));
        return fanOut;
    }

    /// <summary>Where the fanned-out request goes, resolved as every rule resolves it (a relative URL under its client's base address).</summary>
    public RequestTarget FindTarget(HttpKnowledge knowledge, CancellationToken cancellationToken) => knowledge.TargetOf(Send, cancellationToken);

    private static RequestFanOut? OverTasks(IInvocationOperation call, HttpKnowledge knowledge, CancellationToken cancellationToken)
    {
        if (call.Arguments.Length != 1 || call.Arguments[0].ArgumentKind == ArgumentKind.ParamArray)
        {
            // Task.WhenAll(first, second): a fixed handful of tasks, each written out.
            return null;
        }

        var tasks = Unwrap(call.Arguments[0].Value);
        if (tasks is ILocalReferenceOperation local && UrlText.InitializerOf(local) is { } initializer)
        {
            var created = Unwrap(initializer);
            if (created is IObjectCreationOperation { Arguments.IsEmpty: true, Initializer: null })
            {
                return OverLoop(call, local.Local, knowledge, cancellationToken);
            }

            tasks = created;
        }

        if (tasks is not IInvocationOperation { TargetMethod.Name: "Select", Arguments.Length: 2 } select
            || !knowledge.Is(select.TargetMethod.ContainingType, knowledge.LinqEnumerable)
            || Lambda(select.Arguments[1].Value) is not { } lambda
            || FirstSend(lambda, knowledge, cancellationToken) is not { } send)
        {
            return null;
        }

        return new RequestFanOut(call, FanOutShape.WhenAllOverSelect, lambda, send) { HasKnownSize = IsKnownSize(select.Arguments[0].Value) };
    }

    /// <summary><c>var tasks = new List&lt;Task&gt;(); foreach (...) tasks.Add(SendAsync(item)); await Task.WhenAll(tasks);</c></summary>
    private static RequestFanOut? OverLoop(IInvocationOperation call, ILocalSymbol tasks, HttpKnowledge knowledge, CancellationToken cancellationToken)
    {
        var root = (IOperation)call;
        while (root.Parent is not null)
        {
            root = root.Parent;
        }

        foreach (var add in root.Descendants().OfType<IInvocationOperation>())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (add is not { TargetMethod.Name: "Add", Arguments.Length: 1, Instance: ILocalReferenceOperation target }
                || !SymbolEqualityComparer.Default.Equals(target.Local, tasks)
                || EnclosingLoop(add) is not { } loop)
            {
                continue;
            }

            var started = Unwrap(add.Arguments[0].Value);
            if (started is ILocalReferenceOperation startedLocal && UrlText.InitializerOf(startedLocal) is { } startedValue)
            {
                started = startedValue;
            }

            if (FirstSend(started, knowledge, cancellationToken) is { } send)
            {
                return new RequestFanOut(call, FanOutShape.WhenAllOverLoop, add, send) { HasKnownSize = IsKnownSize(loop) };
            }
        }

        return null;
    }

    private static RequestFanOut? OverParallel(IInvocationOperation call, HttpKnowledge knowledge, CancellationToken cancellationToken)
    {
        if (call.Arguments.IsEmpty || Lambda(call.Arguments[call.Arguments.Length - 1].Value) is not { } lambda
            || FirstSend(lambda, knowledge, cancellationToken) is not { } send)
        {
            return null;
        }

        var isAsync = call.TargetMethod.Name == "ForEachAsync";
        var options = call.Arguments.FirstOrDefault(a => knowledge.Is(a.Parameter?.Type, knowledge.ParallelOptions));
        var source = call.TargetMethod.Name == "For" ? null : call.Arguments[0].Value;
        return new RequestFanOut(call, isAsync ? FanOutShape.ParallelAsync : FanOutShape.Parallel, lambda, send)
        {
            // Parallel's threads bound a synchronous body, ForEachAsync its degree of parallelism; an async lambda given to
            // Parallel.ForEach returns at its first await, so nothing bounds the requests it starts.
            IsBounded = isAsync || !lambda.Symbol.IsAsync || options is not null && SetsDegreeOfParallelism(options.Value),
            HasKnownSize = source is null ? IsConstant(call.Arguments[1].Value) : IsKnownSize(source),
        };
    }

    private static IAnonymousFunctionOperation? Lambda(IOperation value) =>
        Unwrap(value) is IDelegateCreationOperation { Target: IAnonymousFunctionOperation lambda } ? lambda : null;

    /// <summary>The first request sent in the work, also inside the lambdas it starts (<c>Task.Run(async () =&gt; ...)</c>).</summary>
    private static RequestSend? FirstSend(IOperation work, HttpKnowledge knowledge, CancellationToken cancellationToken)
    {
        foreach (var invocation in work.DescendantsAndSelf().OfType<IInvocationOperation>())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (knowledge.AsSend(invocation, cancellationToken) is { } send)
            {
                return send.Url is null ? InnerSend(send, knowledge, cancellationToken) ?? send : send;
            }
        }

        return null;
    }

    /// <summary>
    /// The request a helper of the user's sends (<c>tasks.Add(FetchAsync(id))</c>), when its body shows the URL: one
    /// level down, where the endpoint is usually written.
    /// </summary>
    private static RequestSend? InnerSend(RequestSend send, HttpKnowledge knowledge, CancellationToken cancellationToken)
    {
        foreach (var reference in send.Invocation.TargetMethod.DeclaringSyntaxReferences)
        {
            if (knowledge.OperationOf(reference.GetSyntax(cancellationToken), cancellationToken) is not { } body)
            {
                continue;
            }

            foreach (var invocation in body.DescendantsAndSelf().OfType<IInvocationOperation>())
            {
                if (knowledge.AsDirectSend(invocation, cancellationToken) is { Url: not null } inner)
                {
                    return inner;
                }
            }
        }

        return null;
    }

    private static bool IsSemaphoreWait(IInvocationOperation invocation, HttpKnowledge knowledge) =>
        invocation.TargetMethod.Name is "WaitAsync" or "Wait" && knowledge.Is(invocation.TargetMethod.ContainingType, knowledge.SemaphoreSlim);

    private static bool SetsDegreeOfParallelism(IOperation options)
    {
        options = Unwrap(options);
        if (options is ILocalReferenceOperation local && UrlText.InitializerOf(local) is { } initializer)
        {
            options = Unwrap(initializer);
        }

        // Options made elsewhere (a field, a parameter) are given the benefit of the doubt.
        return options is not IObjectCreationOperation creation
            || creation.Initializer?.Initializers.OfType<ISimpleAssignmentOperation>().Any(a => a.Target is IPropertyReferenceOperation { Property.Name: "MaxDegreeOfParallelism" }) == true;
    }

    /// <summary>
    /// A collection the code writes out (<c>new[] { a, b }</c>), a constant range, a <c>Take(5)</c>, or one chunk of a
    /// <c>Chunk(10)</c>: its size is in view, and a handful of requests at once is rarely worth a warning.
    /// </summary>
    private static bool IsKnownSize(IOperation source)
    {
        source = Unwrap(source);
        switch (source)
        {
            case IArrayCreationOperation { Initializer: not null }:
                return true;
            case IInvocationOperation { TargetMethod.Name: "Range" or "Repeat", Arguments.Length: 2 } range:
                return IsConstant(range.Arguments[1].Value);
            case IInvocationOperation { TargetMethod.Name: "Take", Arguments.Length: 2 } take:
                return IsConstant(take.Arguments[1].Value);
            case ILocalReferenceOperation local:
                if (FindForEach(local) is { } forEach)
                {
                    return Unwrap(forEach.Collection) is IInvocationOperation { TargetMethod.Name: "Chunk" };
                }

                return UrlText.InitializerOf(local) is { } initializer && IsKnownSize(initializer);
            default:
                return false;
        }
    }

    private static bool IsKnownSize(ILoopOperation loop) => loop switch
    {
        IForEachLoopOperation forEach => IsKnownSize(forEach.Collection),
        IForLoopOperation { Condition: IBinaryOperation { OperatorKind: BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual } condition } => IsConstant(condition.RightOperand),
        _ => false,
    };

    private static IForEachLoopOperation? FindForEach(ILocalReferenceOperation local)
    {
        for (var parent = local.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is IForEachLoopOperation forEach && forEach.Locals.Contains(local.Local, SymbolEqualityComparer.Default))
            {
                return forEach;
            }
        }

        return null;
    }

    private static bool IsConstant(IOperation value) => Unwrap(value).ConstantValue.HasValue;

    private static ILoopOperation? EnclosingLoop(IOperation operation)
    {
        for (var parent = operation.Parent; parent is not null; parent = parent.Parent)
        {
            switch (parent)
            {
                case ILoopOperation loop:
                    return loop;
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    return null;
            }
        }

        return null;
    }

    /// <summary>
    /// A fan-out in a loop that waits on every iteration: batches of requests with a pause between them, the classic
    /// way to keep under a per-second quota. How big a batch the quota allows is not this rule's question.
    /// </summary>
    private static bool IsInPacedLoop(IInvocationOperation call, HttpKnowledge knowledge, CancellationToken cancellationToken) =>
        EnclosingLoop(call) is { } loop
        && ControlFlow.DescendantsInSameFunction(loop.Body).OfType<IInvocationOperation>().Any(i => !ReferenceEquals(i, call) && knowledge.IsPacing(i, cancellationToken));

    private static IOperation Unwrap(IOperation operation)
    {
        operation = UrlText.SkipConversions(operation);
        // items.Select(...).ToList(), and a list's own ToArray(): the same tasks, copied.
        while (operation is IInvocationOperation { TargetMethod.Name: "ToList" or "ToArray" or "ToImmutableArray" or "AsEnumerable" } copy
            && (copy is { Instance: null, Arguments.Length: 1 } || copy is { Instance: not null, Arguments.IsEmpty: true }))
        {
            operation = UrlText.SkipConversions(copy.Instance ?? copy.Arguments[0].Value);
        }

        return operation;
    }
}
