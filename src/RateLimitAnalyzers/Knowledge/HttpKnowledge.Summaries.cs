using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace RateLimitAnalyzers.Knowledge;

// Method summaries, computed once per method: whether a method of the user's sends or paces, followed through interfaces, implementations and the lambdas callers pass; and the name index that gates the work.
internal sealed partial class HttpKnowledge
{
    /// <summary>
    /// The lambdas the compilation's calls pass for a delegate parameter of a method of the user's
    /// (<c>Run(() => http.GetStringAsync(url), ct)</c>), through an interface or base method it implements too, and through
    /// the methods that hand a delegate parameter of their own on to it (<c>Run(send) => Repeat(send, 3)</c>): those pass
    /// what their callers pass. Only the files that call the methods by name are bound, once.
    /// </summary>
    private ImmutableArray<IAnonymousFunctionOperation> LambdasPassedTo(IParameterSymbol parameter, CancellationToken cancellationToken)
    {
        if (parameter.ContainingSymbol is not IMethodSymbol method || method.DeclaringSyntaxReferences.IsEmpty)
        {
            return ImmutableArray<IAnonymousFunctionOperation>.Empty;
        }

        return _lambdasPassed.GetOrAdd((method.OriginalDefinition, parameter.Ordinal), key =>
        {
            var lambdas = ImmutableArray.CreateBuilder<IAnonymousFunctionOperation>();
            var handedOn = new Stack<(IMethodSymbol Method, int Ordinal)>();
            var seen = new HashSet<(IMethodSymbol Method, int Ordinal)>();
            handedOn.Push(key);
            while (handedOn.Count > 0 && seen.Count < MaxCallDepth)
            {
                var (receiver, ordinal) = handedOn.Pop();
                if (!seen.Add((receiver, ordinal)))
                {
                    continue;
                }

                foreach (var call in CallsTo(receiver, cancellationToken))
                {
                    foreach (var argument in call.Arguments)
                    {
                        if (argument.Parameter?.Ordinal != ordinal)
                        {
                            continue;
                        }

                        switch (UrlText.SkipConversions(argument.Value))
                        {
                            case IDelegateCreationOperation { Target: IAnonymousFunctionOperation lambda }:
                                lambdas.Add(lambda);
                                break;
                            case IParameterReferenceOperation { Parameter: { Type.TypeKind: TypeKind.Delegate, ContainingSymbol: IMethodSymbol { DeclaringSyntaxReferences.IsEmpty: false } caller } handed }:
                                handedOn.Push((caller.OriginalDefinition, handed.Ordinal));
                                break;
                        }
                    }
                }
            }

            return lambdas.ToImmutable();
        });
    }

    /// <summary>
    /// The calls that may run a method of the user's in the whole compilation: its own, and those of the interface and
    /// base methods it implements or overrides (<c>interceptor.InvokeAsync(...)</c> runs <c>RetryInterceptor.InvokeAsync</c>).
    /// Only the calls by those names, in the files that name them, are bound (see <see cref="CallNameIndex"/>), and for a
    /// private method only those inside its type, the only code that can call it: helpers of the same name in many classes
    /// (<c>FetchPageAsync</c>) are not bound for each other; kept per method.
    /// </summary>
    public ImmutableArray<IInvocationOperation> CallsTo(IMethodSymbol method, CancellationToken cancellationToken)
    {
        method = (method.ReducedFrom ?? method).OriginalDefinition;
        if (method.MethodKind is not (MethodKind.Ordinary or MethodKind.LocalFunction or MethodKind.ExplicitInterfaceImplementation))
        {
            // A lambda, a constructor or an accessor is not invoked by a name of its own: looking for one would read every file.
            return ImmutableArray<IInvocationOperation>.Empty;
        }

        return _calls.GetOrAdd(method, m =>
        {
            var calls = ImmutableArray.CreateBuilder<IInvocationOperation>();
            var index = CallNames(cancellationToken);
            var targets = DispatchedFrom(m);
            var candidates = m.DeclaredAccessibility == Accessibility.Private && targets.Length == 1 && m.ContainingType is { DeclaringSyntaxReferences.IsEmpty: false } type
                ? type.DeclaringSyntaxReferences.SelectMany(r => index.CallsByName(r.SyntaxTree, m.Name, cancellationToken).Where(call => r.Span.Contains(call.Span)))
                : targets.Where(t => t.MethodKind != MethodKind.ExplicitInterfaceImplementation).Select(t => t.Name).Distinct().SelectMany(name => CallsByName(name, cancellationToken));
            foreach (var call in candidates)
            {
                if (OperationOf(call, cancellationToken) is IInvocationOperation operation
                    && targets.Contains((operation.TargetMethod.ReducedFrom ?? operation.TargetMethod).OriginalDefinition, SymbolEqualityComparer.Default))
                {
                    calls.Add(operation);
                }
            }

            return calls.ToImmutable();
        });
    }

    /// <summary>
    /// A method and the interface and base methods a call may name to run it: the members it implements, implicitly or
    /// explicitly, and the methods it overrides. The reverse of <see cref="Implementations"/>, and like it for the
    /// compilation's own methods only: what a library's interface is called with is no business of the rules.
    /// </summary>
    private static ImmutableArray<IMethodSymbol> DispatchedFrom(IMethodSymbol method)
    {
        var targets = ImmutableArray.CreateBuilder<IMethodSymbol>();
        targets.Add(method);
        foreach (var implemented in method.ExplicitInterfaceImplementations)
        {
            AddIfInSource(implemented);
        }

        if (method.MethodKind == MethodKind.Ordinary && !method.IsStatic && method.ContainingType is { } type)
        {
            foreach (var @interface in type.AllInterfaces)
            {
                foreach (var member in @interface.GetMembers(method.Name))
                {
                    if (member is IMethodSymbol implemented
                        && SymbolEqualityComparer.Default.Equals(type.FindImplementationForInterfaceMember(member)?.OriginalDefinition, method))
                    {
                        AddIfInSource(implemented);
                    }
                }
            }
        }

        for (var overridden = method.OverriddenMethod; overridden is not null; overridden = overridden.OverriddenMethod)
        {
            AddIfInSource(overridden);
        }

        return targets.ToImmutable();

        void AddIfInSource(IMethodSymbol member)
        {
            if (!member.DeclaringSyntaxReferences.IsEmpty)
            {
                targets.Add(member.OriginalDefinition);
            }
        }
    }

    /// <summary>
    /// Whether a call into a method of the user's could send or wait at all, judged from names before any binding
    /// (see <see cref="CallNameIndex"/>). Metadata methods are never followed.
    /// </summary>
    private bool IsWorthFollowing(IMethodSymbol method, CancellationToken cancellationToken)
    {
        if (method.DeclaringSyntaxReferences.IsEmpty)
        {
            return false;
        }

        var index = CallNames(cancellationToken);
        if (method.MethodKind != MethodKind.LocalFunction)
        {
            return index.IsWorthFollowing(method.Name);
        }

        // A local function is known by its own body, which the index never reads ahead (it reads member declarations only).
        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is LocalFunctionStatementSyntax local
                && ((SyntaxNode?)local.Body ?? local.ExpressionBody) is { } body
                && index.IsWorthFollowing(body))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether a piece of code calls anything by a name that may send a request (the gate every rule passes a member through before binding it, see <see cref="Rules.GatedOperationActions"/>).</summary>
    public bool MayInvolveRequests(SyntaxNode node, CancellationToken cancellationToken)
    {
        var index = CallNames(cancellationToken);
        return index.MayCall(node, name => IsRequestName(name, index, NonRepeatingCallDepth), cancellationToken)
            || InvokesDelegateParameter(node, cancellationToken)
            || MayRepeatRequests(node, cancellationToken) && index.MayCall(node, name => IsRequestName(name, index, MaxCallDepth), cancellationToken);
    }

    /// <summary>
    /// Whether code may repeat requests, read from its text: a loop or a fan-out (comments and strings included, so it
    /// over-approximates). Only such code has its calls followed as deep as <see cref="MaxCallDepth"/> by the gate.
    /// </summary>
    private static bool MayRepeatRequests(SyntaxNode node, CancellationToken cancellationToken)
    {
        var text = node.SyntaxTree.GetText(cancellationToken).ToString(node.Span);
        foreach (var word in s_repeatWords)
        {
            for (var at = text.IndexOf(word, StringComparison.Ordinal); at >= 0; at = text.IndexOf(word, at + 1, StringComparison.Ordinal))
            {
                var end = at + word.Length;
                if ((at == 0 || !IsWordPart(text[at - 1])) && (end == text.Length || !IsWordPart(text[end])))
                {
                    return true;
                }
            }
        }

        return false;

        static bool IsWordPart(char c) => char.IsLetterOrDigit(c) || c == '_';
    }

    /// <summary>
    /// Whether any member of a file may pass <see cref="MayInvolveRequests(SyntaxNode, CancellationToken)"/>, from the
    /// names of the whole file at once: when none may, its members need not be read one by one.
    /// </summary>
    public bool MayInvolveRequests(SyntaxTree tree, CancellationToken cancellationToken)
    {
        var index = CallNames(cancellationToken);
        // The deepest tier: a file none of whose names may send however deep it is followed has no member that may.
        return index.MayCallInFile(tree, name => IsRequestName(name, index, MaxCallDepth) || IsDelegateTypeName(name, index), cancellationToken);
    }

    // The delegate types a retry helper of the user's takes what it runs as (see InvokesDelegateParameter): these, and
    // the delegate types the compilation declares (SpotifyAPI-NET's IRetryHandler.RetryFunc).
    private static readonly ImmutableHashSet<string> s_delegateTypeNames = ImmutableHashSet.Create(StringComparer.Ordinal, "Func", "Action");

    private static bool IsDelegateTypeName(string name, CallNameIndex index) => s_delegateTypeNames.Contains(name) || index.IsDelegateType(name);

    /// <summary>
    /// Whether the code runs a delegate its method is given (<c>send()</c> for a <c>Func&lt;Task&lt;T&gt;&gt; send</c>
    /// parameter): a retry helper of the user's, which sends what its callers' lambdas send. Read from the method's
    /// parameter list first, since few methods take a delegate.
    /// </summary>
    private bool InvokesDelegateParameter(SyntaxNode node, CancellationToken cancellationToken)
    {
        var index = CallNames(cancellationToken);
        var parameters = node.AncestorsAndSelf().FirstOrDefault(n => n is BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax) switch
        {
            BaseMethodDeclarationSyntax method => method.ParameterList.Parameters,
            LocalFunctionStatementSyntax local => local.ParameterList.Parameters,
            _ => default,
        };

        HashSet<string>? delegates = null;
        foreach (var parameter in parameters)
        {
            var typeName = parameter.Type switch
            {
                GenericNameSyntax generic => generic.Identifier.ValueText,
                IdentifierNameSyntax name => name.Identifier.ValueText,
                QualifiedNameSyntax { Right: var right } => right.Identifier.ValueText,
                _ => null,
            };
            if (typeName is not null && IsDelegateTypeName(typeName, index))
            {
                (delegates ??= new HashSet<string>(StringComparer.Ordinal)).Add(parameter.Identifier.ValueText);
            }
        }

        return delegates is not null && CallNameIndex.AnyCallIn(node, name => delegates.Contains(name) || name == "Invoke");
    }

    /// <summary>For tests: the gate read from the syntax's call names, which the text gate must never be stricter than.</summary>
    internal bool MayInvolveRequestsBySyntax(SyntaxNode node, CancellationToken cancellationToken)
    {
        var index = CallNames(cancellationToken);
        var calls = MayRepeatRequests(node, cancellationToken) ? MaxCallDepth : NonRepeatingCallDepth;
        return CallNameIndex.AnyCallIn(node, name => IsRequestName(name, index, calls));
    }

    // The IDE analyses each file against its own clone of the compilation (same trees, same references). The files'
    // names are kept per tree already; the fixpoint over all of them is the same for every clone, so it is kept per set
    // of trees and options too (it holds names only, nothing of one compilation).
    private static readonly SnapshotCache<CallNameIndex> s_callNameIndexes = new();

    /// <summary>
    /// The calls by this name in the compilation (<see cref="CallNameIndex.CallsByName(IReadOnlyCollection{SyntaxTree}, string, CancellationToken)"/>):
    /// for a name the index reads from the files' text, found only in the files that name it.
    /// </summary>
    internal IEnumerable<InvocationExpressionSyntax> CallsByName(string name, CancellationToken cancellationToken) =>
        CallNames(cancellationToken).CallsByName(_compilation.SyntaxTrees as IReadOnlyCollection<SyntaxTree> ?? _compilation.SyntaxTrees.ToList(), name, cancellationToken);

    /// <summary>The call-name index this compilation uses, for tests: compilations of one snapshot share the instance.</summary>
    internal CallNameIndex CallNamesForTesting(CancellationToken cancellationToken) => CallNames(cancellationToken);

    private CallNameIndex CallNames(CancellationToken cancellationToken)
    {
        var index = Volatile.Read(ref _callNames);
        if (index is null)
        {
            index = s_callNameIndexes.GetOrCreate(_compilation, Options.Provider, () =>
            {
                var pacingNames = new HashSet<string>(_compilation.SyntaxTrees.SelectMany(t => Options.For(t).PacingMethodNames()), StringComparer.Ordinal);
                return CallNameIndex.Build(
                    _compilation,
                    name => IsSendName(name) || (s_sendOrWaitNames.Contains(name) && name != "Send") || name.StartsWith("Execute", StringComparison.Ordinal) || pacingNames.Contains(name),
                    RefitHttpMethodAttribute is not null,
                    tree => !IsEmittedRuntime(tree),
                    s_sendNames.Union(s_pollyRetryNames).Union(s_delegateTypeNames)
                        .Union(RestClient is null && RestClientInterface is null ? Enumerable.Empty<string>() : s_restSharpSendNames)
                        .Union(HttpClientOrigins.RegistrationCallNames(RefitRestService is not null)),
                    "Execute",
                    cancellationToken);
            });
            Volatile.Write(ref _callNames, index);
        }

        return index;
    }

    // The runtime the package's generator emits: the rules know its types by symbol, so its own names seed nothing.
    private static bool IsEmittedRuntime(SyntaxTree tree) =>
        tree.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) && tree.FilePath.IndexOf(nameof(Generator.PacingRuntimeGenerator), StringComparison.Ordinal) >= 0;

    // One summary per method and one answer per delegate parameter, for the compilation: composed from the summaries of
    // what they call (see CallChain), so following a chain costs one summary per method, not a walk per path.
    private readonly ConcurrentDictionary<IMethodSymbol, MethodSummary> _summaries = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<(IMethodSymbol Method, int Ordinal), RequestSend?> _delegateSends = new();

    private MethodSummary Summarize(IMethodSymbol method, CancellationToken cancellationToken)
    {
        method = (method.ReducedFrom ?? method).OriginalDefinition;
        if (method.DeclaringSyntaxReferences.IsEmpty || method.IsExtern)
        {
            return MethodSummary.Nothing;
        }

        if (_summaries.TryGetValue(method, out var known))
        {
            return known;
        }

        // An interface or abstract method stands for its implementations: it is no call of its own in the chain.
        return method.IsAbstract
            ? CallChain.Follow(_summaries, method, counts: false, MaxCallDepth, MethodSummary.Nothing, m => SummarizeImplementations(m, cancellationToken))
            : CallChain.Follow(_summaries, method, counts: true, MaxCallDepth, MethodSummary.Nothing, m => ComputeSummary(m, cancellationToken));
    }

    /// <summary>
    /// What a delegate parameter of a method of the user's sends when the method runs it: what the first lambda the
    /// compilation's calls pass for it sends (<c>Run(() => http.GetStringAsync(url), ct)</c>). Running it is no call of
    /// its own in the chain: the helper that runs it already counts.
    /// </summary>
    private RequestSend? DelegateSend(IParameterSymbol parameter, CancellationToken cancellationToken)
    {
        if (parameter.ContainingSymbol is not IMethodSymbol method || method.DeclaringSyntaxReferences.IsEmpty)
        {
            return null;
        }

        var key = (method.OriginalDefinition, parameter.Ordinal);
        return _delegateSends.TryGetValue(key, out var known)
            ? known
            : CallChain.Follow(_delegateSends, key, counts: false, MaxCallDepth, null, k =>
            {
                foreach (var lambda in LambdasPassedTo(parameter, cancellationToken))
                {
                    if (FirstSend(lambda.Body, follow: true, cancellationToken) is { } send)
                    {
                        return send;
                    }
                }

                return null;
            });
    }

    /// <summary>
    /// <c>Timing.TimedAsync(() => adapter.DispatchAsync(url))</c>: a method of the user's that runs a delegate it is
    /// given sends what the lambda passed here sends, as a Polly execution does.
    /// </summary>
    private RequestSend? SendOfLambdaRunBy(IInvocationOperation invocation, CancellationToken cancellationToken)
    {
        if (invocation.TargetMethod.DeclaringSyntaxReferences.IsEmpty)
        {
            return null;
        }

        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is { } parameter
                && UrlText.SkipConversions(argument.Value) is IDelegateCreationOperation { Target: IAnonymousFunctionOperation lambda }
                && RunsDelegateParameter(parameter, cancellationToken)
                && FirstSend(lambda.Body, follow: true, cancellationToken) is { } send)
            {
                return send with { Invocation = invocation };
            }
        }

        return null;
    }

    private readonly ConcurrentDictionary<IParameterSymbol, bool> _runDelegates = new(SymbolEqualityComparer.Default);

    // Read from the method's syntax: it calls the parameter by name (action(), action.Invoke()), not merely stores it.
    private bool RunsDelegateParameter(IParameterSymbol parameter, CancellationToken cancellationToken) =>
        parameter.Type.TypeKind == TypeKind.Delegate
        && _runDelegates.GetOrAdd(parameter.OriginalDefinition, p => p.ContainingSymbol.DeclaringSyntaxReferences.Any(reference =>
            CallNameIndex.AnyCallIn(reference.GetSyntax(cancellationToken), name => name == p.Name || name == "Invoke")));

    /// <summary>
    /// An interface or abstract method does what the compilation's implementations of it do (<c>IConnection.Get</c>
    /// sends because <c>Connection.Get</c> does): it sends if one of them sends, and paces if all of them pace.
    /// </summary>
    private MethodSummary SummarizeImplementations(IMethodSymbol method, CancellationToken cancellationToken)
    {
        var implementations = Implementations(method, cancellationToken);
        var sends = false;
        var paces = !implementations.IsEmpty;
        foreach (var implementation in implementations)
        {
            var summary = Summarize(implementation, cancellationToken);
            sends |= summary.Sends;
            paces &= summary.Paces;
        }

        return new MethodSummary(sends, paces);
    }

    /// <summary>
    /// The compilation's own methods that implement an interface method or override an abstract one. Found by name in
    /// the compilation's declarations, so no code is bound to find them.
    /// </summary>
    public ImmutableArray<IMethodSymbol> Implementations(IMethodSymbol method, CancellationToken cancellationToken) =>
        _implementations.GetOrAdd(method, m =>
        {
            var found = ImmutableArray.CreateBuilder<IMethodSymbol>();
            foreach (var candidate in _compilation.GetSymbolsWithName(m.Name, SymbolFilter.Member, cancellationToken).OfType<IMethodSymbol>())
            {
                if (!candidate.IsAbstract && Implements(candidate, m))
                {
                    found.Add(candidate);
                }
            }

            return found.ToImmutable();
        });

    private static bool Implements(IMethodSymbol candidate, IMethodSymbol method)
    {
        if (method.ContainingType.TypeKind == TypeKind.Interface)
        {
            foreach (var @interface in candidate.ContainingType.AllInterfaces)
            {
                if (!SymbolEqualityComparer.Default.Equals(@interface.OriginalDefinition, method.ContainingType))
                {
                    continue;
                }

                foreach (var member in @interface.GetMembers(method.Name))
                {
                    if (SymbolEqualityComparer.Default.Equals(member.OriginalDefinition, method)
                        && SymbolEqualityComparer.Default.Equals(candidate.ContainingType.FindImplementationForInterfaceMember(member)?.OriginalDefinition, candidate.OriginalDefinition))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        for (var overridden = candidate.OverriddenMethod; overridden is not null; overridden = overridden.OverriddenMethod)
        {
            if (SymbolEqualityComparer.Default.Equals(overridden.OriginalDefinition, method))
            {
                return true;
            }
        }

        return false;
    }

    private MethodSummary ComputeSummary(IMethodSymbol method, CancellationToken cancellationToken)
    {
        var sends = false;
        var paces = false;
        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            var declaration = reference.GetSyntax(cancellationToken);
            if (!_compilation.ContainsSyntaxTree(declaration.SyntaxTree))
            {
                continue;
            }

            var body = OperationOf(declaration, cancellationToken);
            if (body is null)
            {
                continue;
            }

            HashSet<IInvocationOperation>? waits = null;
            foreach (var operation in ControlFlow.DescendantsInSameFunction(body))
            {
                if (operation is IInvocationOperation call)
                {
                    sends |= !sends && AsRepeatedSend(call, cancellationToken) is not null;
                    if (IsPacing(call, cancellationToken))
                    {
                        (waits ??= new HashSet<IInvocationOperation>()).Add(call);
                    }
                }
            }

            // Most methods wait nowhere; only one that waits somewhere has its paths followed.
            paces |= waits is not null
                && (waits.Any(wait => FollowsServerPacing(wait, cancellationToken)) || PacingPaths.WaitsOnEveryPath(body, call => waits.Contains(call) ? CallEffect.Waits : CallEffect.None, cancellationToken));
        }

        return new MethodSummary(sends, paces);
    }

    /// <summary>
    /// The operation for a node anywhere in the compilation. Following a call into the user's own method, or a client
    /// to the constructor or registration that makes it, needs operations from another syntax tree's semantic model;
    /// this is the one place the analyzers ask for one.
    /// </summary>
    public IOperation? OperationOf(SyntaxNode node, CancellationToken cancellationToken)
    {
        if (!_compilation.ContainsSyntaxTree(node.SyntaxTree))
        {
            return null;
        }

        // One model per tree, so a method body followed from several places is bound once.
#pragma warning disable RS1030 // Do not invoke Compilation.GetSemanticModel() method within a diagnostic analyzer
        var model = _models.GetOrAdd(node.SyntaxTree, tree => _compilation.GetSemanticModel(tree));
#pragma warning restore RS1030
        return model.GetOperation(node, cancellationToken);
    }

    /// <summary>
    /// The operations in a type declaration that may give a member its value or its client a base address: the
    /// member's initializer, assignments to it, and assignments to a <c>BaseAddress</c>. Found by syntax first, so
    /// only those statements are bound, not every member of the type.
    /// </summary>
    public IEnumerable<IOperation>? AssignmentsIn(SyntaxNode typeDeclaration, string memberName, CancellationToken cancellationToken)
    {
        if (!_compilation.ContainsSyntaxTree(typeDeclaration.SyntaxTree))
        {
            return null;
        }

        return Find();

        IEnumerable<IOperation> Find()
        {
            foreach (var node in typeDeclaration.DescendantNodes(n => n == typeDeclaration || n is not BaseTypeDeclarationSyntax))
            {
                var relevant = node switch
                {
                    EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax declarator } => declarator.Identifier.ValueText == memberName,
                    EqualsValueClauseSyntax { Parent: PropertyDeclarationSyntax property } => property.Identifier.ValueText == memberName,
                    AssignmentExpressionSyntax assignment when assignment.IsKind(SyntaxKind.SimpleAssignmentExpression) => AssignedName(assignment.Left) is { } name && (name == memberName || name == "BaseAddress"),
                    _ => false,
                };
                if (relevant && OperationOf(node, cancellationToken) is { } operation)
                {
                    yield return operation;
                }
            }
        }

        static string? AssignedName(ExpressionSyntax left) => left switch
        {
            IdentifierNameSyntax name => name.Identifier.ValueText,
            MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
            _ => null,
        };
    }

    private readonly ConcurrentDictionary<ISymbol, bool> _serverPacedMembers = new(SymbolEqualityComparer.Default);

    /// <summary>
    /// Whether an operation reads a field or property of the user's that only the server's pacing sets: every value
    /// assigned to it in its type, but constants (a reset to 0), comes from Retry-After or a rate-limit header, read
    /// there or in a method of the user's it calls (gh-gei's <c>_retryDelay</c>, set from <c>X-RateLimit-Reset</c> in
    /// one method and waited on in another). A wait driven by such a member follows the server's pacing.
    /// </summary>
    public bool IsServerPacedMember(IOperation operation, CancellationToken cancellationToken)
    {
        var member = Operations.ReferencedMember(operation);
        if (member is null || member.DeclaringSyntaxReferences.IsEmpty || member is IFieldSymbol { IsConst: true })
        {
            return false;
        }

        return _serverPacedMembers.GetOrAdd(member.OriginalDefinition, m => IsSetByServerPacing(m, cancellationToken));
    }

    private bool IsSetByServerPacing(ISymbol member, CancellationToken cancellationToken)
    {
        // Its own type first. A member no code of its type sets (an exception's SecondsUntilNextRequest, set in an object
        // initializer where another class throws it) is looked for in the files whose text names it; one its type sets
        // is taken to be set there.
        var own = member.ContainingType.DeclaringSyntaxReferences.Select(r => r.GetSyntax(cancellationToken)).ToList();
        var writes = own.SelectMany(type => WritesOf(member, type, cancellationToken)).ToList();
        if (writes.Count == 0 && MayBeSetOutsideItsType(member))
        {
            writes = OtherTypesNaming(member, own, cancellationToken).SelectMany(type => WritesOf(member, type, cancellationToken)).ToList();
        }

        var fromServer = false;
        foreach (var value in writes)
        {
            if (UrlText.SkipConversions(value).ConstantValue.HasValue)
            {
                continue;
            }

            if (!ComesFromServerPacing(value, HelperDepth, new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default), cancellationToken))
            {
                return false;
            }

            fromServer = true;
        }

        return fromServer;
    }

    // The values a type declaration gives the member: assignments to it and its own initializer.
    private IEnumerable<IOperation> WritesOf(ISymbol member, SyntaxNode type, CancellationToken cancellationToken)
    {
        foreach (var assignment in AssignmentsIn(type, member.Name, cancellationToken) ?? Enumerable.Empty<IOperation>())
        {
            var value = assignment switch
            {
                ISimpleAssignmentOperation simple when SymbolEqualityComparer.Default.Equals(Operations.ReferencedMember(simple.Target)?.OriginalDefinition, member) => simple.Value,
                IPropertyInitializerOperation initializer when initializer.InitializedProperties.Any(p => SymbolEqualityComparer.Default.Equals(p.OriginalDefinition, member)) => initializer.Value,
                IFieldInitializerOperation initializer when initializer.InitializedFields.Any(f => SymbolEqualityComparer.Default.Equals(f.OriginalDefinition, member)) => initializer.Value,
                _ => null,
            };
            if (value is not null)
            {
                yield return value;
            }
        }
    }

    // A field or a property with a setter that code outside its type can reach: an interface's or abstract property, a
    // get-only one or a private setter is set in its own type or not at all.
    private static bool MayBeSetOutsideItsType(ISymbol member) => member switch
    {
        IFieldSymbol field => !field.IsReadOnly && !field.IsConst && field.DeclaredAccessibility != Accessibility.Private,
        IPropertySymbol property => !property.IsAbstract && property.SetMethod is { DeclaredAccessibility: not Accessibility.Private },
        _ => false,
    };

    // The type declarations, other than the member's own, in the files whose text names the member.
    private IEnumerable<SyntaxNode> OtherTypesNaming(ISymbol member, List<SyntaxNode> own, CancellationToken cancellationToken)
    {
        foreach (var tree in _compilation.SyntaxTrees)
        {
            if (!CallNameIndex.MayNameIn(tree, member.Name, cancellationToken))
            {
                continue;
            }

            foreach (var type in tree.GetRoot(cancellationToken).DescendantNodes().OfType<BaseTypeDeclarationSyntax>())
            {
                if (!own.Contains(type))
                {
                    yield return type;
                }
            }
        }
    }

    /// <summary>
    /// Whether a value is computed from the server's pacing: it reads a hint header, a local written from one (an
    /// initializer, an assignment, an <c>out</c> argument of a call that names the header), or calls a method of the
    /// user's that reads one.
    /// </summary>
    private bool ComesFromServerPacing(IOperation value, int depth, HashSet<ILocalSymbol> visited, CancellationToken cancellationToken)
    {
        foreach (var node in value.DescendantsAndSelf())
        {
            switch (node)
            {
                case var _ when ThrottleTest.IsHintRead(node):
                    return true;
                case ILocalReferenceOperation local when visited.Add(local.Local):
                    var root = Operations.Root(node);
                    foreach (var write in Operations.LocalValues(local.Local, root).Concat(CallsFillingOut(local.Local, root)))
                    {
                        if (ComesFromServerPacing(write, depth, visited, cancellationToken))
                        {
                            return true;
                        }
                    }

                    break;
                case IInvocationOperation call when depth > 0 && (call.TargetMethod.ReducedFrom ?? call.TargetMethod) is { DeclaringSyntaxReferences.IsEmpty: false } method:
                    foreach (var reference in method.DeclaringSyntaxReferences)
                    {
                        if (OperationOf(reference.GetSyntax(cancellationToken), cancellationToken) is { } body
                            && ComesFromServerPacing(body, depth - 1, visited, cancellationToken))
                        {
                            return true;
                        }
                    }

                    break;
            }
        }

        return false;
    }

    // TryGetValues("X-RateLimit-Remaining", out var values): the call gives the local its value.
    private static IEnumerable<IOperation> CallsFillingOut(ILocalSymbol local, IOperation root) =>
        root.Descendants().OfType<IInvocationOperation>().Where(call => call.Arguments.Any(a =>
            a.Parameter?.RefKind == RefKind.Out && UrlText.SkipConversions(a.Value) switch
            {
                IDeclarationExpressionOperation { Expression: ILocalReferenceOperation declared } => SymbolEqualityComparer.Default.Equals(declared.Local, local),
                ILocalReferenceOperation assigned => SymbolEqualityComparer.Default.Equals(assigned.Local, local),
                _ => false,
            }));

    // A class: a dictionary of a value type of ours is compiled by the JIT in every build that loads the package.
    private sealed record MethodSummary(bool Sends, bool Paces)
    {
        public static MethodSummary Nothing { get; } = new(false, false);
    }
}
