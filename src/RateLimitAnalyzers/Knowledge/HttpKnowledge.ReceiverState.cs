using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace RateLimitAnalyzers.Knowledge;

// What a method of the user's keeps of the answers it receives in its own object, when it also makes its requests from
// that: a paginator whose NextPage() asks for `Response.Links.Next` and stores the page it gets back in `Response`.
// Calling such a method again asks for what the last answer pointed to, though the caller never names the cursor.
internal sealed partial class HttpKnowledge
{
    private readonly ConcurrentDictionary<IMethodSymbol, ReceiverState> _receiverStates = new(SymbolEqualityComparer.Default);

    /// <summary>
    /// The members of its receiver that a call advances: members of the called method's object that a request it sends
    /// (or a method it calls on the same object sends) is made from, and that the answer to that same request then
    /// replaces. Empty for a static or metadata method, and for most others: a token fetched once and sent with later
    /// requests is made from no earlier answer of its own request.
    /// </summary>
    public ImmutableArray<ISymbol> StateAdvancedBy(IInvocationOperation invocation, CancellationToken cancellationToken)
    {
        var method = (invocation.TargetMethod.ReducedFrom ?? invocation.TargetMethod).OriginalDefinition;
        return method.IsStatic || method.DeclaringSyntaxReferences.IsEmpty
            ? ImmutableArray<ISymbol>.Empty
            : ReceiverStateOf(method, cancellationToken).Advanced;
    }

    // An interface or abstract method advances what one of the compilation's implementations of it advances, as it
    // sends when one of them sends (`run.RunPage()` over IQueryRunner).
    private ReceiverState ReceiverStateOf(IMethodSymbol method, CancellationToken cancellationToken) =>
        method.IsAbstract
            ? CallChain.Follow(_receiverStates, method, counts: false, MaxCallDepth, ReceiverState.None, m => ReceiverStateOfImplementations(m, cancellationToken))
            : CallChain.Follow(_receiverStates, method, counts: true, MaxCallDepth, ReceiverState.None, m => ReadReceiverState(m, cancellationToken));

    private ReceiverState ReceiverStateOfImplementations(IMethodSymbol method, CancellationToken cancellationToken)
    {
        var written = ImmutableArray<ISymbol>.Empty;
        var advanced = ImmutableArray<ISymbol>.Empty;
        foreach (var implementation in Implementations(method, cancellationToken))
        {
            var state = ReceiverStateOf(implementation.OriginalDefinition, cancellationToken);
            written = written.AddRange(state.Written);
            advanced = advanced.AddRange(state.Advanced);
        }

        return written.IsEmpty ? ReceiverState.None : new ReceiverState(written, advanced);
    }

    /// <param name="Written">Members of the object the method (or a method it calls on the same object) sets from what a response holds.</param>
    /// <param name="Advanced">Of those, the ones the request whose answer sets them is made from.</param>
    private sealed record ReceiverState(ImmutableArray<ISymbol> Written, ImmutableArray<ISymbol> Advanced)
    {
        public static readonly ReceiverState None = new(ImmutableArray<ISymbol>.Empty, ImmutableArray<ISymbol>.Empty);
    }

    private ReceiverState ReadReceiverState(IMethodSymbol method, CancellationToken cancellationToken)
    {
        var written = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        var advanced = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            if (OperationOf(reference.GetSyntax(cancellationToken), cancellationToken) is not { } body)
            {
                continue;
            }

            var operations = ControlFlow.DescendantsInSameFunction(body).ToList();
            List<(ISymbol Target, IOperation Value)>? assignments = null;
            foreach (var send in operations.OfType<IInvocationOperation>())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (AsSend(send, cancellationToken) is null)
                {
                    continue;
                }

                // What this request's answer sets: through the locals that hold it (the message, its body, the page read
                // from it), and, for a method called on the same object, what that method sets from its own answers.
                assignments ??= operations.Select(AssignmentOf).Where(a => a.Target is not null).Select(a => (a.Target!, a.Value!)).ToList();
                var setByAnswer = MembersSetFrom(send, assignments, method);
                var onSameObject = !send.TargetMethod.IsStatic && (send.Instance is null || IsOwnInstance(send.Instance)) && !send.TargetMethod.DeclaringSyntaxReferences.IsEmpty;
                if (onSameObject)
                {
                    var callee = ReceiverStateOf((send.TargetMethod.ReducedFrom ?? send.TargetMethod).OriginalDefinition, cancellationToken);
                    setByAnswer.UnionWith(callee.Written);
                    advanced.UnionWith(callee.Advanced);
                }

                written.UnionWith(setByAnswer);
                foreach (var member in MembersReadInto(send, assignments, method))
                {
                    if (setByAnswer.Contains(member))
                    {
                        advanced.Add(member);
                    }
                }
            }
        }

        return written.Count == 0 ? ReceiverState.None : new ReceiverState(written.ToImmutableArray(), advanced.ToImmutableArray());

        static (ISymbol? Target, IOperation? Value) AssignmentOf(IOperation operation) => operation switch
        {
            IVariableDeclaratorOperation declarator when declarator.GetVariableInitializer() is { } initializer => (declarator.Symbol, initializer.Value),
            // `Response = page`, `Variables["after"] = cursor`, `Offset += items.Count`: what the write changes is the member it starts from.
            ISimpleAssignmentOperation assignment => (Operations.RootSymbol(assignment.Target), assignment.Value),
            ICompoundAssignmentOperation compound => (Operations.RootSymbol(compound.Target), compound.Value),
            ICoalesceAssignmentOperation coalesce => (Operations.RootSymbol(coalesce.Target), coalesce.Value),
            _ => (null, null),
        };
    }

    // The members of the method's object set from what one send answers, through the locals that hold it.
    private static HashSet<ISymbol> MembersSetFrom(IInvocationOperation send, List<(ISymbol Target, IOperation Value)> assignments, IMethodSymbol method)
    {
        var tainted = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        Operations.Spread(tainted, assignments.Where(a => a.Target is ILocalSymbol).ToList(), value => CarriesAnswer(value, send, tainted));

        var members = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        foreach (var (target, value) in assignments)
        {
            if (target is IFieldSymbol or IPropertySymbol && IsMemberOf(target, method) && CarriesAnswer(value, send, tainted))
            {
                members.Add(target.OriginalDefinition);
            }
        }

        return members;
    }

    // The members of the method's own object a request is made from: read in the send's arguments or its receiver, or in
    // the values of the locals they read (`var url = $"{_base}?pos={_position}"; await client.GetAsync(url)`).
    private static HashSet<ISymbol> MembersReadInto(IInvocationOperation send, List<(ISymbol Target, IOperation Value)> assignments, IMethodSymbol method)
    {
        var pending = new Stack<IOperation>(send.Arguments.Select(a => a.Value));
        if (send.Instance is { } instance && !IsOwnInstance(instance))
        {
            pending.Push(instance);
        }

        var members = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        var locals = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        while (pending.Count > 0)
        {
            foreach (var node in pending.Pop().DescendantsAndSelf())
            {
                switch (Operations.OwnSymbolOf(node))
                {
                    case { Kind: SymbolKind.Field or SymbolKind.Property } member when IsMemberOf(member, method):
                        members.Add(member.OriginalDefinition);
                        break;
                    case ILocalSymbol local when locals.Add(local):
                        foreach (var (target, value) in assignments)
                        {
                            if (SymbolEqualityComparer.Default.Equals(target, local))
                            {
                                pending.Push(value);
                            }
                        }

                        break;
                }
            }
        }

        return members;
    }

    // The send's result, or a local holding it, read for more than how the request went (its status).
    private static bool CarriesAnswer(IOperation value, IInvocationOperation send, HashSet<ISymbol> tainted)
    {
        foreach (var node in value.DescendantsAndSelf())
        {
            if ((ReferenceEquals(node, send) || Operations.OwnSymbolOf(node) is ILocalSymbol local && tainted.Contains(local)) && !RequestLoop.OnlyStatusRead(node))
            {
                return true;
            }
        }

        return false;
    }

    // A member of the method's own object: declared on its type or a base type of it.
    private static bool IsMemberOf(ISymbol member, IMethodSymbol method)
    {
        if (member.IsStatic)
        {
            return false;
        }

        for (var type = method.ContainingType; type is not null; type = type.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(member.ContainingType.OriginalDefinition, type.OriginalDefinition))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsOwnInstance(IOperation instance) =>
        UrlText.SkipConversions(instance) is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance };
}
