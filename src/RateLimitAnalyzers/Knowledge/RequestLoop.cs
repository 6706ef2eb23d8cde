using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using RateLimitAnalyzers.Knowledge.Endpoints;

namespace RateLimitAnalyzers.Knowledge;

/// <summary>
/// What a loop does with HTTP requests: which requests it sends on every iteration, whether something paces
/// them, and how one iteration's request depends on the previous iteration's response. Paging loops (RL0001)
/// and retry loops (the retry rules) are told apart here, so that no loop is both.
/// </summary>
internal sealed class RequestLoop
{
    // Properties of a response that say how it went, not what it holds: a condition on them alone is a retry
    // or error check, not a paging decision.
    private static readonly ImmutableHashSet<string> s_statusMembers = ImmutableHashSet.Create(
        "StatusCode", "IsSuccessStatusCode", "IsSuccessful", "IsSuccess", "ResponseStatus", "ReasonPhrase", "ErrorException", "ErrorMessage");

    private RequestTarget? _target;
    private bool _targetResolved;

    private RequestLoop(ILoopOperation loop)
    {
        Loop = loop;
    }

    public ILoopOperation Loop { get; }

    /// <summary>Requests sent on every iteration (not in a branch, a catch or a lambda).</summary>
    public ImmutableArray<RequestSend> EverySends { get; private set; } = ImmutableArray<RequestSend>.Empty;

    /// <summary>
    /// Whether every path through an iteration that sends also waits (a delay, a limiter, the package's pacer, or a
    /// helper that does), so that no <c>continue</c> skips the wait; known only for loops that send on every iteration.
    /// </summary>
    public bool IsPaced { get; private set; }

    /// <summary>Whether the requests differ from one iteration to the next (a cursor, a page number, the next item).</summary>
    public bool ArgumentsVary { get; private set; }

    /// <summary>
    /// Whether the requests differ only by the item of a collection the loop walks: a <c>for</c> loop's counter that the
    /// body uses only to pick items (<c>items[i]</c>, <c>text[i..j]</c>, <c>Substring(i, n)</c>), as a <c>foreach</c> walks
    /// them. Such a loop sends a request per item and may stop early on an answer; it does not page.
    /// </summary>
    public bool VariesOnlyByItem { get; private set; }

    /// <summary>
    /// Whether the requests differ only by what the last response says of itself: where it redirects (in a loop that tells
    /// 3xx from other statuses), the request it answers (<c>response.RequestMessage</c>), its status. Such a loop sends the
    /// same request again, moved (a redirect handler); it does not page, however its exit is decided.
    /// </summary>
    public bool ResendsTheLastRequest { get; private set; }

    /// <summary>The variable that carries the previous response into the next request (a cursor, a next link), if any.</summary>
    public ISymbol? PagingState { get; private set; }

    /// <summary>Whether the loop stops on what a response holds (an empty page, a <c>has_more</c> flag), not on its status.</summary>
    public bool ExitDependsOnResponse { get; private set; }

    /// <summary>The variable the exit depends on, when <see cref="ExitDependsOnResponse"/>.</summary>
    public ISymbol? ExitState { get; private set; }

    /// <summary>Whether the loop checks the response status or catches an exception around the request.</summary>
    public bool ObservesFailure { get; private set; }

    /// <summary>
    /// A paging loop: the requests change from one iteration to the next, and the next request or the exit
    /// depends on the previous response. A loop that walks the items of a collection and stops on an answer (the first
    /// chunk a moderation endpoint flags) sends a request per item: it stops on a response, but does not page.
    /// </summary>
    public bool IsPaging => !EverySends.IsEmpty && ArgumentsVary && !ResendsTheLastRequest && (PagingState is not null || (ExitDependsOnResponse && !VariesOnlyByItem));

    /// <summary>The same request, repeated after observing a failure: the retry rules' business, never RL0001's.</summary>
    public bool IsRetry => !EverySends.IsEmpty && !ArgumentsVary && ObservesFailure;

    /// <summary>Whether a member of a response or an HTTP exception says how the request went (<c>StatusCode</c>, <c>IsSuccessStatusCode</c>), not what it holds.</summary>
    public static bool IsStatusMember(string name) => s_statusMembers.Contains(name);

    /// <summary>
    /// What a loop does with requests, worked out once for every rule that asks (RL0001, RL0006, RL0008 and the retry
    /// rules all look at the same loops, in the operations their files' shared semantic model gives them).
    /// </summary>
    public static RequestLoop Analyze(ILoopOperation loop, HttpKnowledge knowledge, CancellationToken cancellationToken)
    {
        var loops = s_loops.GetValue(knowledge, static _ => new ConcurrentDictionary<ILoopOperation, RequestLoop>());
        return loops.TryGetValue(loop, out var known) ? known : loops.GetOrAdd(loop, Describe(loop, knowledge, cancellationToken));
    }

    private static readonly ConditionalWeakTable<HttpKnowledge, ConcurrentDictionary<ILoopOperation, RequestLoop>> s_loops = new();

    private static RequestLoop Describe(ILoopOperation loop, HttpKnowledge knowledge, CancellationToken cancellationToken)
    {
        var result = new RequestLoop(loop);

        // Nearly every loop in a code base sends nothing (loops over characters, tags, rows). Finding that out
        // costs one walk that stops at the first request; everything below is for the few loops that send.
        if (!SendsAnything(loop, knowledge, cancellationToken))
        {
            return result;
        }

        var operations = ControlFlow.DescendantsInSameFunction(loop).Where(o => !ReferenceEquals(o, loop) && IsPerIteration(o, loop)).ToList();

        var sends = new List<RequestSend>();
        var everySends = ImmutableArray.CreateBuilder<RequestSend>();
        var effects = new Dictionary<IInvocationOperation, CallEffect>();
        foreach (var operation in operations)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (operation is not IInvocationOperation invocation)
            {
                continue;
            }

            var effect = knowledge.IsPacing(invocation, cancellationToken) ? CallEffect.Waits : CallEffect.None;
            if (knowledge.AsRepeatedSend(invocation, cancellationToken) is { } send)
            {
                effect |= CallEffect.Sends;
                sends.Add(send);
                if (ControlFlow.RunsEveryTime(invocation, loop))
                {
                    everySends.Add(send);
                }

                if (knowledge.SendsThroughPacingHandler(send, cancellationToken))
                {
                    effect |= CallEffect.Waits;
                }
            }

            effects[invocation] = effect;
        }

        result.EverySends = everySends.ToImmutable();
        if (sends.Count == 0)
        {
            return result;
        }

        // Only a loop that sends on every iteration can be reported, and only one that waits somewhere can be paced:
        // only such a loop has its paths followed.
        // A wait the server's rate-limit headers drive paces the loop though it runs only when the quota is spent.
        result.IsPaced = !result.EverySends.IsEmpty
            && effects.Values.Any(e => (e & CallEffect.Waits) != 0)
            && (effects.Any(e => e.Value == CallEffect.Waits && knowledge.FollowsServerPacing(e.Key, cancellationToken))
                || PacingPaths.PacesEveryIteration(loop, call => effects.TryGetValue(call, out var effect) ? effect : CallEffect.None, cancellationToken));

        var assignments = CollectAssignments(loop, operations);

        // A call that keeps the page it receives in its object and asks for the next one from it (a paginator's
        // NextPage()) writes that state, from its response, on every call: the loop pages through it.
        var advanced = new Dictionary<IInvocationOperation, ImmutableArray<ISymbol>>();
        foreach (var send in sends)
        {
            var state = knowledge.StateAdvancedBy(send.Invocation, cancellationToken);
            if (state.IsEmpty)
            {
                continue;
            }

            var receiver = send.Invocation.Instance is null or IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance }
                ? state
                : Operations.RootSymbol(send.Invocation.Instance) is { } root ? ImmutableArray.Create(root) : ImmutableArray<ISymbol>.Empty;
            foreach (var symbol in receiver)
            {
                assignments.Add(new Assignment(symbol, send.Invocation));
            }

            advanced[send.Invocation] = receiver;
        }

        var followsRedirects = ChecksRedirectStatus(operations);
        var tainted = Taint(loop, assignments, sends, followsRedirects);
        var bodySpan = loop.Body.Syntax.Span;

        // A request variable declared before the loop and given a new object on each iteration (a retry that rebuilds
        // its request message) is an iteration's own, like a local declared in the body: what varies is what it is made from.
        var rebuilt = new HashSet<ISymbol>(
            assignments.GroupBy(a => a.Target, SymbolEqualityComparer.Default).Where(g => g.Key is ILocalSymbol && g.All(a => a.IsCreation)).Select(g => g.Key!),
            SymbolEqualityComparer.Default);
        bool DeclaredInBody(ISymbol symbol) =>
            rebuilt.Contains(symbol)
            || symbol is ILocalSymbol local && local.DeclaringSyntaxReferences.Any(r => r.SyntaxTree == loop.Syntax.SyntaxTree && bodySpan.Contains(r.Span));

        // In a foreach over a fixed collection, a map the iterations fill (`ids[path] = created.Id`) and look up holds
        // earlier results, not a cursor: the collection decides how many requests there are.
        bool FillsMap(ISymbol symbol) =>
            loop is IForEachLoopOperation && assignments.Where(a => SymbolEqualityComparer.Default.Equals(a.Target, symbol)).All(a => a.IsElementWrite);

        var assigned = new HashSet<ISymbol>(assignments.Select(a => a.Target), SymbolEqualityComparer.Default);
        var variesByMoreThanItem = false;
        var variesByMoreThanTheLastResponse = false;
        var judged = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        foreach (var send in result.EverySends)
        {
            var advancedBySend = advanced.TryGetValue(send.Invocation, out var own) ? own.Select(s => (s, (IOperation)send.Invocation)) : Enumerable.Empty<(ISymbol, IOperation)>();
            foreach (var (symbol, use) in Influences(send.Invocation, assignments, DeclaredInBody).Concat(advancedBySend))
            {
                if (DeclaredInBody(symbol) || !assigned.Contains(symbol))
                {
                    continue;
                }

                result.ArgumentsVary = true;
                // Each variable is read as often as the requests name it; whether it only picks items is asked once.
                if (!variesByMoreThanItem && judged.Add(symbol))
                {
                    variesByMoreThanItem = !IsItemPosition(symbol, loop);
                }

                // The last response read for no content of it (its own request sent again at a redirect's Location) is no cursor.
                var readsNoContent = tainted.Contains(symbol) && ReadsNoContent(use, followsRedirects);
                variesByMoreThanTheLastResponse |= !readsNoContent;
                if (result.PagingState is null && tainted.Contains(symbol) && !FillsMap(symbol) && !readsNoContent)
                {
                    result.PagingState = symbol;
                }
            }
        }

        result.VariesOnlyByItem = result.ArgumentsVary && !variesByMoreThanItem;
        result.ResendsTheLastRequest = result.ArgumentsVary && !variesByMoreThanTheLastResponse;
        result.ExitState = FindResponseExit(loop, operations, tainted, followsRedirects);
        result.ExitDependsOnResponse = result.ExitState is not null || ConditionHoldsSend(loop, sends);
        result.ObservesFailure = operations.Any(o => o is ICatchClauseOperation)
            || operations.Any(o => IsStatusCheck(o, tainted))
            || ChecksThrottleBody(operations, result.FindTarget(knowledge, cancellationToken)?.Entry);
        return result;
    }

    // A for loop's own counter that its body reads only to pick items of a collection: an index or a range of an element
    // access (items[i], text[i..(i + n)]), or the start or count of a slice (Substring, Skip, Take, GetRange, Slice).
    private static bool IsItemPosition(ISymbol symbol, ILoopOperation loop)
    {
        if (loop is not IForLoopOperation || symbol is not ILocalSymbol counter || !loop.Locals.Contains(counter, SymbolEqualityComparer.Default))
        {
            return false;
        }

        var read = false;
        foreach (var node in loop.Body.DescendantsAndSelf())
        {
            if (node is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, counter))
            {
                if (!PicksItem(reference))
                {
                    return false;
                }

                read = true;
            }
        }

        return read;
    }

    private static bool PicksItem(IOperation reference)
    {
        // Up through the arithmetic of the position (i + size, ^1, a bound chosen by a condition) to what it positions.
        var current = reference;
        while (true)
        {
            if (current.Parent is IBinaryOperation or IUnaryOperation or IConversionOperation or IRangeOperation or IConditionalOperation { Type: not null })
            {
                current = current.Parent;
            }
            else if (current.Parent is IArgumentOperation { Parent: IInvocationOperation { TargetMethod: { Name: "Min" or "Max" or "Clamp", ContainingType.Name: "Math" } } bound })
            {
                current = bound;
            }
            else
            {
                break;
            }
        }

        return current.Parent switch
        {
            IArrayElementReferenceOperation element => element.Indices.Contains(current),
            IImplicitIndexerReferenceOperation implicitIndexer => ReferenceEquals(implicitIndexer.Argument, current),
            IArgumentOperation { Parent: IPropertyReferenceOperation { Property.IsIndexer: true } } => true,
            IArgumentOperation { Parent: IInvocationOperation call } => s_sliceMethods.Contains(call.TargetMethod.Name),
            _ => false,
        };
    }

    private static readonly ImmutableHashSet<string> s_sliceMethods = ImmutableHashSet.Create(
        System.StringComparer.Ordinal, "Substring", "Skip", "Take", "GetRange", "Slice", "ElementAt", "AsSpan", "AsMemory");

    private static bool SendsAnything(ILoopOperation loop, HttpKnowledge knowledge, CancellationToken cancellationToken)
    {
        foreach (var operation in ControlFlow.DescendantsInSameFunction(loop))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (operation is IInvocationOperation invocation && knowledge.AsRepeatedSend(invocation, cancellationToken) is not null)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The first catalog entry an every-iteration request targets, if the code shows the target; <see cref="Analyze"/> has
    /// resolved it already (with its cancellation token).
    /// </summary>
    public CatalogEntry? FindCatalogTarget(HttpKnowledge knowledge) =>
        (_targetResolved ? _target : FindTarget(knowledge, CancellationToken.None))?.Entry;

    /// <summary>
    /// The first every-iteration request whose target the catalog knows, resolved as every rule resolves it (a relative
    /// URL under its client's base address); null when none is catalogued. Resolved once per loop.
    /// </summary>
    public RequestTarget? FindTarget(HttpKnowledge knowledge, CancellationToken cancellationToken)
    {
        if (!_targetResolved)
        {
            _target = EverySends.Select(send => knowledge.TargetOf(send, cancellationToken)).FirstOrDefault(t => t.Entry is not null);
            _targetResolved = true;
        }

        return _target;
    }

    /// <summary>Parts of the loop that run once per iteration: not a for loop's initializers, not a foreach's collection.</summary>
    private static bool IsPerIteration(IOperation operation, ILoopOperation loop)
    {
        var child = operation;
        while (child.Parent is not null && !ReferenceEquals(child.Parent, loop))
        {
            child = child.Parent;
        }

        return loop switch
        {
            IForLoopOperation forLoop => !forLoop.Before.Contains(child),
            IForEachLoopOperation forEach => !ReferenceEquals(child, forEach.Collection),
            _ => true,
        };
    }

    private static List<Assignment> CollectAssignments(ILoopOperation loop, List<IOperation> operations)
    {
        var assignments = new List<Assignment>();
        if (loop is IForEachLoopOperation forEach)
        {
            foreach (var local in forEach.Locals)
            {
                assignments.Add(new Assignment(local, forEach.Collection));
            }
        }

        foreach (var operation in operations)
        {
            switch (operation)
            {
                case IForEachLoopOperation nested:
                    // `foreach (var item in page.Items) cursor = item.Id;`: the item comes from what it iterates.
                    foreach (var local in nested.Locals)
                    {
                        assignments.Add(new Assignment(local, nested.Collection));
                    }

                    break;
                case IVariableDeclaratorOperation declarator when declarator.GetVariableInitializer() is { } initializer:
                    assignments.Add(new Assignment(declarator.Symbol, initializer.Value));
                    break;
                case ISimpleAssignmentOperation simple:
                    AddTargets(assignments, simple.Target, simple.Value);
                    break;
                case ICompoundAssignmentOperation compound:
                    AddTargets(assignments, compound.Target, compound.Value);
                    break;
                case ICoalesceAssignmentOperation coalesce:
                    AddTargets(assignments, coalesce.Target, coalesce.Value);
                    break;
                case IIncrementOrDecrementOperation increment:
                    AddTargets(assignments, increment.Target, null);
                    break;
                case IDeconstructionAssignmentOperation deconstruction:
                    AddTargets(assignments, deconstruction.Target, deconstruction.Value);
                    break;
                case IArgumentOperation { Parameter.RefKind: RefKind.Out or RefKind.Ref } argument when argument.Parent is IInvocationOperation call:
                    // TryGetProperty("next", out var next): the out value comes from the receiver and the other arguments.
                    AddTargets(assignments, argument.Value, call.Instance, call.Arguments.Where(a => !ReferenceEquals(a, argument)).Select(a => a.Value).ToArray());
                    break;
            }
        }

        return assignments;
    }

    private static void AddTargets(List<Assignment> assignments, IOperation target, IOperation? value, params IOperation[] moreValues)
    {
        target = UrlText.SkipConversions(target);
        if (target is ITupleOperation tuple)
        {
            foreach (var element in tuple.Elements)
            {
                AddTargets(assignments, element, value, moreValues);
            }

            return;
        }

        if (target is IDeclarationExpressionOperation declaration)
        {
            AddTargets(assignments, declaration.Expression, value, moreValues);
            return;
        }

        if (Operations.RootSymbol(target) is { } symbol)
        {
            var isElementWrite = target is IPropertyReferenceOperation { Arguments.IsEmpty: false } or IArrayElementReferenceOperation;
            assignments.Add(new Assignment(symbol, value, moreValues) { IsElementWrite = isElementWrite });
        }
    }

    /// <summary>Variables whose value comes from a response received in this loop, followed through assignments.</summary>
    private static HashSet<ISymbol> Taint(ILoopOperation loop, List<Assignment> assignments, List<RequestSend> sends, bool followsRedirects)
    {
        // What the enclosing method returns to itself (`state = await Prepare(state, ...)`) is an accumulator it
        // threads through its recursion, not a page it received.
        var sendNodes = new HashSet<IOperation>(sends.Where(s => !IsRecursion(s.Invocation, loop)).Select(s => (IOperation)s.Invocation));
        var tainted = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        Operations.Spread(tainted, assignments.SelectMany(a => a.Values().Select(v => (a.Target, v))).ToList(), value => CarriesResponse(value, tainted, sendNodes, followsRedirects));
        return tainted;
    }

    private static bool IsRecursion(IInvocationOperation call, ILoopOperation loop) =>
        call.TargetMethod.OriginalDefinition.DeclaringSyntaxReferences.Any(r => r.SyntaxTree == loop.Syntax.SyntaxTree && r.Span.Contains(loop.Syntax.Span));

    /// <summary>Whether a value holds what a response holds (a send's result or a tainted variable), beyond its status.</summary>
    private static bool CarriesResponse(IOperation value, HashSet<ISymbol> tainted, HashSet<IOperation> sends, bool followsRedirects)
    {
        foreach (var node in value.DescendantsAndSelf())
        {
            var isResponse = (node is IInvocationOperation && sends.Contains(node))
                || (Operations.OwnSymbolOf(node) is { } symbol && tainted.Contains(symbol));
            if (isResponse && !ReadsNoContent(node, followsRedirects) && !MeasuresTransfer(node))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether this use of a response only reads how the request went (<c>response.StatusCode</c>), or where it was
    /// redirected (<c>response.Headers.Location</c>): following a redirect is the same request, not the next page.
    /// </summary>
    internal static bool OnlyStatusRead(IOperation node)
    {
        var parent = ParentOf(node);

        // Through an SDK's wrapper to the HTTP response it holds (response.HttpResponse.StatusCode), as IsStatusCheck reads it.
        while (parent is IPropertyReferenceOperation { Property.Name: var name } wrapper && !s_statusMembers.Contains(name) && name != "Headers" && ParentOf(wrapper) is IPropertyReferenceOperation)
        {
            parent = ParentOf(wrapper);
        }

        return parent is IPropertyReferenceOperation property && s_statusMembers.Contains(property.Property.Name)
            || parent is IInvocationOperation { TargetMethod.Name: "EnsureSuccessStatusCode" or "ThrowIfError" };
    }

    /// <summary>
    /// Whether this use of a response reads nothing of what the server answered that could make another request: how it
    /// went (<see cref="OnlyStatusRead"/>), where a redirect points when the loop follows redirects, or the request it
    /// answers (<c>response.RequestMessage</c>, which a redirect or a retry sends again: the same request, not the next page).
    /// </summary>
    private static bool ReadsNoContent(IOperation node, bool followsRedirects) =>
        OnlyStatusRead(node)
        || followsRedirects && RedirectRead(node)
        || ParentOf(node) is IPropertyReferenceOperation { Property.Name: "RequestMessage" };

    /// <summary>Whether this use of a response reads where it redirects to (<c>response.Headers.Location</c>).</summary>
    private static bool RedirectRead(IOperation node) =>
        ParentOf(node) is IPropertyReferenceOperation { Property.Name: "Headers" } headers && ParentOf(headers) is IPropertyReferenceOperation { Property.Name: "Location" };

    /// <summary>
    /// Whether the loop follows redirects: it tells a 3xx status from others. Then the <c>Location</c> it reads is the
    /// same request moved elsewhere, not the next page; without a 3xx check a <c>Location</c> may well name the next batch.
    /// </summary>
    private static bool ChecksRedirectStatus(List<IOperation> operations) =>
        operations.Any(o => o is IPropertyReferenceOperation { Property.Name: "StatusCode" })
        && operations.Any(o => o.ConstantValue is { HasValue: true, Value: int or long } constant
            && System.Convert.ToInt64(constant.Value, System.Globalization.CultureInfo.InvariantCulture) is >= 300 and <= 399
            && (o.Type?.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64 || o.Type?.Name == "HttpStatusCode"));

    /// <summary>
    /// Whether this use of a response only measures how much of a transfer arrived: the length of the bytes read, the
    /// count a stream's <c>Read</c> returns. A loop driven by it moves through chunks of a known size, not pages; an
    /// offset by the number of items is another matter, and still counts.
    /// </summary>
    private static bool MeasuresTransfer(IOperation node)
    {
        var parent = ParentOf(node);
        return parent is IPropertyReferenceOperation { Property.Name: "Length" or "LongLength", Instance.Type: IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_Byte } }
            || parent is IPropertyReferenceOperation { Property.Name: "Length" or "Position" or "ContentLength" } measured && IsStream(measured.Instance?.Type)
            || parent is IInvocationOperation { TargetMethod.Name: "Read" or "ReadAsync" or "ReadAtLeast" or "ReadAtLeastAsync" } read && ReferenceEquals(read.Instance, node) && IsStream(node.Type);
    }

    private static bool IsStream(ITypeSymbol? type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (current is { Name: "Stream" } && current.ContainingNamespace?.ToDisplayString() == "System.IO")
            {
                return true;
            }
        }

        return false;
    }

    private static IOperation? ParentOf(IOperation node)
    {
        var parent = node.Parent;
        while (parent is IAwaitOperation or IConversionOperation or IParenthesizedOperation)
        {
            parent = parent.Parent;
        }

        return parent;
    }

    /// <summary>
    /// The variables a send's arguments (and instance) are made from, through the loop's assignments to variables declared
    /// in its body: each read of one, with the operation that reads it.
    /// </summary>
    private static IEnumerable<(ISymbol Symbol, IOperation Use)> Influences(IInvocationOperation send, List<Assignment> assignments, System.Func<ISymbol, bool> declaredInBody)
    {
        var seen = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        var pending = new Stack<IOperation>();
        foreach (var argument in send.Arguments)
        {
            pending.Push(argument.Value);
        }

        if (send.Instance is not null)
        {
            pending.Push(send.Instance);
        }

        while (pending.Count > 0)
        {
            foreach (var node in pending.Pop().DescendantsAndSelf())
            {
                if (Operations.OwnSymbolOf(node) is not { } symbol)
                {
                    continue;
                }

                yield return (symbol, node);
                if (!seen.Add(symbol) || !declaredInBody(symbol))
                {
                    continue;
                }

                foreach (var assignment in assignments)
                {
                    if (SymbolEqualityComparer.Default.Equals(assignment.Target, symbol))
                    {
                        foreach (var value in assignment.Values())
                        {
                            pending.Push(value);
                        }
                    }
                }
            }

            // A request built in the body and then changed (request.Headers..., query.Cursor = x) counts too:
            // those writes are assignments whose root is the request variable, handled above.
        }
    }

    /// <summary>
    /// A variable holding response content that decides the loop's exit: the loop condition, or a
    /// <c>break</c>/<c>return</c> under an <c>if</c> on it. Status-only checks do not count.
    /// </summary>
    private static ISymbol? FindResponseExit(ILoopOperation loop, List<IOperation> operations, HashSet<ISymbol> tainted, bool followsRedirects)
    {
        foreach (var condition in LoopConditions(loop))
        {
            if (TaintedContentReference(condition, tainted, followsRedirects) is { } symbol)
            {
                return symbol;
            }
        }

        foreach (var operation in operations)
        {
            var exits = operation switch
            {
                IBranchOperation { BranchKind: BranchKind.Break } branch => SymbolEqualityComparer.Default.Equals(branch.Target, loop.ExitLabel),
                IReturnOperation => true,
                _ => false,
            };
            if (!exits)
            {
                continue;
            }

            for (var parent = operation.Parent; parent is not null && !ReferenceEquals(parent, loop); parent = parent.Parent)
            {
                if (parent is IConditionalOperation conditional && TaintedContentReference(conditional.Condition, tainted, followsRedirects) is { } symbol)
                {
                    return symbol;
                }
            }
        }

        return null;
    }

    private static bool ConditionHoldsSend(ILoopOperation loop, List<RequestSend> sends) =>
        LoopConditions(loop).Any(condition => sends.Any(s => condition.Syntax.Span.Contains(s.Invocation.Syntax.Span) && !OnlyStatusRead(s.Invocation)));

    private static IOperation[] LoopConditions(ILoopOperation loop) => Operations.LoopCondition(loop) is { } condition ? new[] { condition } : System.Array.Empty<IOperation>();

    private static ISymbol? TaintedContentReference(IOperation condition, HashSet<ISymbol> tainted, bool followsRedirects)
    {
        foreach (var node in condition.DescendantsAndSelf())
        {
            if (Operations.OwnSymbolOf(node) is { } symbol && tainted.Contains(symbol) && !ReadsNoContent(node, followsRedirects))
            {
                return symbol;
            }
        }

        return null;
    }

    /// <summary>A check for the text the catalog says the endpoint answers when over quota (Agora's <c>"code":300</c>): a failure check, too.</summary>
    private static bool ChecksThrottleBody(List<IOperation> operations, CatalogEntry? target) =>
        target?.ThrottleBodyPattern is not null
        && operations.Any(o => o is IConditionalOperation conditional && ThrottleTest.Read(conditional.Condition, target) is { IsBodySignal: true });

    // The status of the response, or of the HTTP response an SDK's wrapper holds (octokit's response.HttpResponse.StatusCode).
    private static bool IsStatusCheck(IOperation operation, HashSet<ISymbol> tainted) => operation switch
    {
        IPropertyReferenceOperation { Instance: { } instance } property when s_statusMembers.Contains(property.Property.Name) =>
            WrappedIn(instance) is var response && (Operations.OwnSymbolOf(response) is { } symbol && tainted.Contains(symbol) || response is IInvocationOperation or IAwaitOperation),
        IInvocationOperation { TargetMethod.Name: "EnsureSuccessStatusCode" } => true,
        _ => false,
    };

    // What a chain of property reads starts from: response.HttpResponse gives response.
    private static IOperation WrappedIn(IOperation instance)
    {
        var current = UrlText.SkipConversions(instance);
        while (current is IPropertyReferenceOperation { Instance: { } inner })
        {
            current = UrlText.SkipConversions(inner);
        }

        return current;
    }

    private readonly struct Assignment
    {
        private readonly IOperation? _value;
        private readonly IOperation[] _moreValues;

        public Assignment(ISymbol target, IOperation? value, params IOperation?[] moreValues)
        {
            Target = target;
            _value = value;
            _moreValues = moreValues.Where(v => v is not null).ToArray()!;
        }

        public ISymbol Target { get; }

        /// <summary>Whether this writes one element of the target (<c>map[key] = value</c>), not the target itself.</summary>
        public bool IsElementWrite { get; init; }

        /// <summary>Whether the target is given a new object here (<c>request = new HttpRequestMessage(...)</c>).</summary>
        public bool IsCreation => !IsElementWrite && _value is not null && UrlText.SkipConversions(_value) is IObjectCreationOperation;

        public IEnumerable<IOperation> Values()
        {
            if (_value is not null)
            {
                yield return _value;
            }

            foreach (var value in _moreValues)
            {
                yield return value;
            }
        }
    }
}
