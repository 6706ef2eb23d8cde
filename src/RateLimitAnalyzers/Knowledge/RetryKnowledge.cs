using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace RateLimitAnalyzers.Knowledge;

/// <summary>
/// Which constructs retry HTTP requests, and how: loops and recursion that repeat a request after a failure
/// (<see cref="RetryLoop"/>), Polly v7 policies and v8 retry strategies (<see cref="PollyRetry"/>), and the runtime's
/// retrying send. Created once per compilation next to <see cref="HttpKnowledge"/>; the retry-specific well-known
/// types are resolved here, once.
/// </summary>
internal sealed partial class RetryKnowledge
{
    private static readonly ConditionalWeakTable<HttpKnowledge, RetryKnowledge> s_byKnowledge = new();

    private readonly ConcurrentDictionary<IMethodSymbol, bool> _methodsReadingHint = new(SymbolEqualityComparer.Default);

    private readonly ConcurrentDictionary<(IMethodSymbol Method, int Ordinal), bool> _retryHelpers = new();

    private readonly ConcurrentDictionary<(IMethodSymbol Method, int Ordinal, int Depth), bool> _limitingParameters = new();

    // RL0003 and RL0004 both look at every loop; the second asks the first's answer.
    private readonly ConcurrentDictionary<SyntaxNode, RetryLoop> _loops = new();

    // And at every function that calls itself, by its operations: RL0004 tells the recursive call by reference.
    private readonly ConcurrentDictionary<IOperation, RetryLoop> _functions = new();

    private RetryKnowledge(HttpKnowledge http, Compilation compilation)
    {
        Http = http;
        HttpResponseMessage = compilation.GetTypeByMetadataName("System.Net.Http.HttpResponseMessage");
        HttpRequestException = compilation.GetTypeByMetadataName("System.Net.Http.HttpRequestException");
        PolicyBuilder = compilation.GetTypeByMetadataName("Polly.PolicyBuilder");
        PolicyBuilderOfT = compilation.GetTypeByMetadataName("Polly.PolicyBuilder`1");
        RetryStrategyOptions = compilation.GetTypeByMetadataName("Polly.Retry.RetryStrategyOptions`1");
        HttpRetryStrategyOptions = compilation.GetTypeByMetadataName("Microsoft.Extensions.Http.Resilience.HttpRetryStrategyOptions");
    }

    public HttpKnowledge Http { get; }

    /// <summary>
    /// The retry knowledge for the compilation an analyzer starts on, shared by every rule that shares its
    /// <see cref="HttpKnowledge"/>; null when the compilation sends no HTTP requests.
    /// </summary>
    public static RetryKnowledge? For(Compilation compilation, AnalyzerOptions options, CancellationToken cancellationToken) =>
        HttpKnowledge.For(compilation, options, cancellationToken) is { } http
            ? s_byKnowledge.GetValue(http, h => new RetryKnowledge(h, compilation))
            : null;

    public INamedTypeSymbol? HttpResponseMessage { get; }

    public INamedTypeSymbol? HttpRequestException { get; }

    /// <summary>Polly v7's <c>PolicyBuilder</c>, what <c>Policy.Handle&lt;T&gt;()</c> returns.</summary>
    public INamedTypeSymbol? PolicyBuilder { get; }

    /// <summary>Polly v7's <c>PolicyBuilder&lt;TResult&gt;</c>, what <c>Policy.HandleResult&lt;T&gt;()</c> and <c>HandleTransientHttpError()</c> return.</summary>
    public INamedTypeSymbol? PolicyBuilderOfT { get; }

    /// <summary>Polly v8's <c>RetryStrategyOptions&lt;TResult&gt;</c> (the non-generic one derives from it).</summary>
    public INamedTypeSymbol? RetryStrategyOptions { get; }

    /// <summary>Microsoft.Extensions.Http.Resilience's options, which honour Retry-After by default.</summary>
    public INamedTypeSymbol? HttpRetryStrategyOptions { get; }

    /// <summary>Whether the type is HttpResponseMessage or derives from it.</summary>
    public bool IsResponse(ITypeSymbol? type) => Http.DerivesFrom(type, HttpResponseMessage);

    /// <summary>
    /// Whether a request is retried: sent inside a retry loop or a method that retries itself, inside a Polly execution
    /// whose pipeline retries (or whose building code is out of view: then we do not guess), or through the runtime's
    /// retrying send. The entry point for rules that ask "does anything retry this call?".
    /// </summary>
    public bool IsRetried(IInvocationOperation send, CancellationToken cancellationToken) => IsRetried(send, followCallers: true, cancellationToken);

    /// <param name="followCallers">
    /// Whether a send whose own method does not retry it counts as retried when every call of that method in the
    /// compilation is retried (a probe its callers already run inside their retry); followed one level.
    /// </param>
    private bool IsRetried(IInvocationOperation send, bool followCallers, CancellationToken cancellationToken)
    {
        if (Http.IsRuntimeSend(send))
        {
            return true;
        }

        IOperation child = send;
        for (var parent = send.Parent; parent is not null; child = parent, parent = parent.Parent)
        {
            cancellationToken.ThrowIfCancellationRequested();
            switch (parent)
            {
                case IInvocationOperation call when child is IArgumentOperation && Http.IsRuntimeSend(call):
                    return true;
                case IInvocationOperation call when child is IArgumentOperation && Http.IsPollyExecution(call)
                    && PollyPipelines.Retries(call.Instance, cancellationToken) != ClientProtection.None:
                    return true;
                case IInvocationOperation call when child is IArgumentOperation { Parameter: { } parameter } && RepeatsDelegate(call.TargetMethod, parameter.Ordinal, cancellationToken):
                    return true;
                case ILoopOperation loop when RequestLoop.Analyze(loop, Http, cancellationToken).IsRetry:
                    return true;
                case ILocalFunctionOperation local:
                    return local.Body is { } localBody && AnalyzeFunction(localBody, local.Symbol, cancellationToken).IsRetry;
                case IMethodBodyBaseOperation body:
                    return FunctionSymbol(body) is { } function
                        && (AnalyzeFunction(body, function, cancellationToken).IsRetry || followCallers && CallersRetry(function, cancellationToken));
            }
        }

        return false;
    }

    private bool CallersRetry(IMethodSymbol function, CancellationToken cancellationToken)
    {
        if (function.MethodKind != MethodKind.Ordinary || function.DeclaredAccessibility == Accessibility.Public && function.ContainingType?.DeclaredAccessibility == Accessibility.Public)
        {
            // A public method of a public type has callers out of view, which need not retry.
            return false;
        }

        var calls = Http.CallsTo(function, cancellationToken);
        return !calls.IsEmpty && calls.All(call => IsRetried(call, followCallers: false, cancellationToken));
    }

    /// <summary>
    /// Whether a method of the user's is a retry helper for the delegate it is given at <paramref name="ordinal"/>: a loop
    /// in it runs the delegate, looks at how it went (a catch, a status) and waits before going round again
    /// (<c>RetryHelper.Retry(async () => ..., 3, TimeSpan.FromSeconds(1))</c>).
    /// </summary>
    private bool RepeatsDelegate(IMethodSymbol method, int ordinal, CancellationToken cancellationToken)
    {
        method = (method.ReducedFrom ?? method).OriginalDefinition;
        if (method.DeclaringSyntaxReferences.IsEmpty || ordinal >= method.Parameters.Length || method.Parameters[ordinal].Type.TypeKind != TypeKind.Delegate)
        {
            return false;
        }

        return _retryHelpers.GetOrAdd((method, ordinal), key =>
        {
            var parameter = key.Method.Parameters[key.Ordinal];
            foreach (var reference in key.Method.DeclaringSyntaxReferences)
            {
                if (Http.OperationOf(reference.GetSyntax(cancellationToken), cancellationToken) is not { } body)
                {
                    continue;
                }

                foreach (var loop in ControlFlow.DescendantsInSameFunction(body).OfType<ILoopOperation>())
                {
                    var operations = ControlFlow.DescendantsInSameFunction(loop).ToList();
                    var runsDelegate = operations.Any(o => o is IInvocationOperation { TargetMethod.MethodKind: MethodKind.DelegateInvoke, Instance: IParameterReferenceOperation invoked }
                        && SymbolEqualityComparer.Default.Equals(invoked.Parameter.OriginalDefinition, parameter));
                    if (runsDelegate && ObservesOutcome(operations) && operations.Any(o => o is IInvocationOperation call && Http.IsPacing(call, cancellationToken)))
                    {
                        return true;
                    }
                }
            }

            return false;
        });
    }

    /// <summary>A loop, looked at as a retry.</summary>
    public RetryLoop AnalyzeLoop(ILoopOperation loop, CancellationToken cancellationToken) =>
        _loops.TryGetValue(loop.Syntax, out var known) ? known : _loops.GetOrAdd(loop.Syntax, DescribeLoop(loop, cancellationToken));

    private RetryLoop DescribeLoop(ILoopOperation loop, CancellationToken cancellationToken)
    {
        if (!Http.MayInvolveRequests(loop.Syntax, cancellationToken))
        {
            return new RetryLoop(loop);
        }

        if (!MayObserveOutcome(loop.Syntax))
        {
            return new RetryLoop(loop);
        }

        var operations = ControlFlow.DescendantsInSameFunction(loop).ToList();
        if (!ObservesOutcome(operations))
        {
            // Most loops never look at how a request went: they can neither retry nor handle a throttled response.
            return new RetryLoop(loop);
        }

        var facts = RequestLoop.Analyze(loop, Http, cancellationToken);
        var target = facts.EverySends.IsEmpty ? null : facts.FindCatalogTarget(Http);
        var counters = Counters(operations);
        var varying = Varying(operations, counters);
        var waits = Waits(operations, varying, cancellationToken);
        var readsHint = ReadsHint(loop, cancellationToken);
        // A foreach ends with its collection (fallback user agents, mirrors): only a while, do or for can run forever.
        var runsForever = loop is not IForEachLoopOperation && (Operations.LoopCondition(loop) is not { } condition || condition.ConstantValue is { HasValue: true, Value: true });
        var counter = counters.FirstOrDefault(c => IsInScopeThroughout(c, loop) && CountsUp(c, operations));
        var throttles = Throttles(loop, ControlFlow.DescendantsInSameScope(loop), target, waits, loop, null, cancellationToken);

        return new RetryLoop(loop)
        {
            Sends = facts.EverySends,
            Target = target,
            IsRetry = facts.IsRetry && !facts.ExitDependsOnResponse && ExitsOnSuccess(loop, operations, counters)
                && !IsReadinessPoll(loop, throttles) && !OnlyReauthenticates(operations),
            Throttles = throttles,
            ReadsHint = readsHint,
            Waits = waits,
            Counter = counter,
            HasAttemptLimit = HasAttemptLimit(operations, counters, cancellationToken) || HasGuardFlag(operations),
            HasDeadline = HasDeadline(operations),
            RunsForever = runsForever,
            BackoffSite = BackoffSite(loop, operations, waits, runsForever, counters),
        };
    }

    /// <summary>
    /// A method's or local function's body, looked at as a retry: the throttle checks outside its loops, and a retry by
    /// recursion (the method calls itself with the same arguments after a failure).
    /// </summary>
    public RetryLoop AnalyzeFunction(IOperation body, IMethodSymbol function, CancellationToken cancellationToken) =>
        _functions.TryGetValue(body, out var known) ? known : _functions.GetOrAdd(body, _ => DescribeFunction(body, function, cancellationToken));

    private RetryLoop DescribeFunction(IOperation body, IMethodSymbol function, CancellationToken cancellationToken)
    {
        // Names first: a function that calls nothing by a sending name cannot retry a request.
        if (!Http.MayInvolveRequests(body.Syntax, cancellationToken))
        {
            return new RetryLoop(body);
        }

        // Then tokens: most functions that call a sending name never look at how it went (ObservesOutcome, from syntax).
        if (!MayObserveOutcome(body.Syntax))
        {
            return new RetryLoop(body);
        }

        var operations = ControlFlow.DescendantsInSameFunction(body).ToList();
        if (!ObservesOutcome(operations))
        {
            return new RetryLoop(body);
        }

        var recursion = operations.OfType<IInvocationOperation>().Select(call => Recursion.Of(call, function)).FirstOrDefault(r => r is not null);
        var observesFailure = operations.Any(o => o is ICatchClauseOperation || o is IPropertyReferenceOperation property && RequestLoop.IsStatusMember(property.Property.Name));
        var mayRetry = recursion is not null && observesFailure && !OnlyReauthenticates(operations);
        if (!mayRetry && !MayHandleThrottle(body, cancellationToken))
        {
            // A function that cannot retry (it does not call itself after a failure, or only signs in again first): all
            // there is to find in it is a throttled response it handles, and most functions that look at how a request
            // went test for none. Known before a single call is followed to see whether it sends, which is what costs.
            return new RetryLoop(body);
        }

        var sends = operations.OfType<IInvocationOperation>()
            .Where(call => !ReferenceEquals(call, recursion?.Call))
            .Select(call => Http.AsSend(call, cancellationToken))
            .Where(send => send is not null)
            .Select(send => send!)
            .ToImmutableArray();
        if (sends.IsEmpty)
        {
            return new RetryLoop(body);
        }

        var target = sends.Select(send => Http.TargetOf(send, cancellationToken).Entry).FirstOrDefault(entry => entry is not null);
        var varying = recursion?.Varying ?? (ISet<ISymbol>)new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        var waits = Waits(operations, varying, cancellationToken);
        var counters = recursion?.Counter is { } counter ? ImmutableHashSet.Create<ISymbol>(SymbolEqualityComparer.Default, counter) : ImmutableHashSet<ISymbol>.Empty;
        var recursiveStatement = recursion?.Call.Syntax.FirstAncestorOrSelf<StatementSyntax>();

        return new RetryLoop(body)
        {
            RecursiveCall = recursion?.Call,
            Sends = sends,
            Target = target,
            IsRetry = mayRetry && !ChangesRequestBefore(recursion!.Call, sends),
            Throttles = Throttles(body, ControlFlow.DescendantsInSameScope(body), target, waits, null, recursion?.Call, cancellationToken),
            ReadsHint = ReadsHint(body, cancellationToken),
            Waits = waits,
            Counter = recursion is { CountsUp: true } ? recursion.Counter : null,
            HasAttemptLimit = HasAttemptLimit(operations, counters, cancellationToken),
            HasDeadline = HasDeadline(operations),
            BackoffSite = waits.Length == 1 && waits[0].Kind == RetryWaitKind.Constant && waits[0].Statement is { } statement
                ? new WaitSite(WaitEdit.Replace, statement.Syntax)
                : waits.IsEmpty && recursiveStatement is not null && body.Syntax.Span.Contains(recursiveStatement.Span) ? new WaitSite(WaitEdit.InsertBefore, recursiveStatement) : null,
        };
    }

    /// <summary>
    /// A cheap first look: whether the code looks at how a request went at all (a catch, a status member,
    /// <c>EnsureSuccessStatusCode()</c>, a text check that could be a throttle body). Without one there is no retry
    /// and no throttle check, and the costlier questions are not asked.
    /// </summary>
    // Calls that look at how a request went: the status thrown, or a body or message tested for a throttle.
    private static readonly ImmutableHashSet<string> s_outcomeCalls = ImmutableHashSet.Create(
        "EnsureSuccessStatusCode", "Contains", "StartsWith", "EndsWith", "Equals", "IndexOf");

    private static bool ObservesOutcome(List<IOperation> operations) => operations.Any(operation => operation switch
    {
        ICatchClauseOperation => true,
        IPropertyReferenceOperation property => RequestLoop.IsStatusMember(property.Property.Name),
        IInvocationOperation call => s_outcomeCalls.Contains(call.TargetMethod.Name),
        IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } comparison =>
            comparison.LeftOperand.Type?.SpecialType == SpecialType.System_String || comparison.RightOperand.Type?.SpecialType == SpecialType.System_String,
        _ => false,
    });

    /// <summary>For tests: <see cref="ObservesOutcome(List{IOperation})"/> of a function or loop.</summary>
    internal static bool ObservesOutcome(IOperation scope) => ObservesOutcome(ControlFlow.DescendantsInSameFunction(scope).ToList());

    /// <summary>
    /// What <see cref="ObservesOutcome(List{IOperation})"/> needs, from tokens alone, so most functions are never walked
    /// operation by operation: a <c>catch</c>, a status member or outcome call by name, or an equality that may compare
    /// strings (one with a number, character or boolean literal never does). It may pass code that does not observe the
    /// outcome, never the reverse (a test holds it to every case of the rules).
    /// </summary>
    internal static bool MayObserveOutcome(SyntaxNode scope)
    {
        foreach (var token in scope.DescendantTokens())
        {
            switch ((SyntaxKind)token.RawKind)
            {
                case SyntaxKind.CatchKeyword:
                    return true;
                case SyntaxKind.IdentifierToken when RequestLoop.IsStatusMember(token.ValueText) || s_outcomeCalls.Contains(token.ValueText):
                    return true;
                case SyntaxKind.EqualsEqualsToken or SyntaxKind.ExclamationEqualsToken
                    when token.Parent is not BinaryExpressionSyntax { Left: var left, Right: var right } || !(IsNonStringLiteral(left) || IsNonStringLiteral(right)):
                    return true;
            }
        }

        return false;

        static bool IsNonStringLiteral(ExpressionSyntax operand) =>
            operand.IsKind(SyntaxKind.NumericLiteralExpression) || operand.IsKind(SyntaxKind.CharacterLiteralExpression)
            || operand.IsKind(SyntaxKind.TrueLiteralExpression) || operand.IsKind(SyntaxKind.FalseLiteralExpression);
    }

    /// <summary>
    /// Whether anything under <paramref name="scope"/> (lambdas included) reads the server's hint: <c>Headers.RetryAfter</c>,
    /// <c>"Retry-After"</c> or a <c>RateLimit-*</c> / <c>X-RateLimit-*</c> header by name, the runtime's Retry-After and
    /// rate-limit header helpers, or one of the user's methods that does.
    /// </summary>
    public bool ReadsHint(IOperation scope, CancellationToken cancellationToken) => ReadsHint(scope, HttpKnowledge.HelperDepth, cancellationToken);

    private static IMethodSymbol? FunctionSymbol(IOperation body) => body switch
    {
        ILocalFunctionOperation local => local.Symbol,
        _ when body.Parent is ILocalFunctionOperation local => local.Symbol,
        _ => body.SemanticModel?.GetDeclaredSymbol(body.Syntax) as IMethodSymbol,
    };

    private bool ReadsHint(IOperation scope, int depth, CancellationToken cancellationToken)
    {
        foreach (var node in scope.DescendantsAndSelf())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (ThrottleTest.IsHintRead(node))
            {
                return true;
            }

            switch (node)
            {
                case IInvocationOperation call when IsRuntimeHintHelper(call.TargetMethod.ContainingType):
                    return true;
                case IInvocationOperation call when depth > 0 && UserMethodReadsHint(call, depth, cancellationToken):
                    return true;
            }
        }

        return false;
    }

    private static bool IsRuntimeHintHelper(INamedTypeSymbol? type) =>
        type is not null && type.ContainingNamespace?.ToDisplayString() == PacingRuntime.Namespace
        && type.Name is RetryRuntime.RetryAfterName or RetryRuntime.RateLimitHeadersName or PacingRuntime.RateLimitedSendName;

    /// <summary>
    /// A helper of the user's that is given the response, the exception or their headers: read it when it is in the same
    /// file; when it is elsewhere, it may well read the hint, and a rule that is unsure stays quiet.
    /// </summary>
    private bool UserMethodReadsHint(IInvocationOperation call, int depth, CancellationToken cancellationToken)
    {
        var method = (call.TargetMethod.ReducedFrom ?? call.TargetMethod).OriginalDefinition;
        if (method.DeclaringSyntaxReferences.IsEmpty || !call.Arguments.Any(a => CarriesHeaders(a.Value.Type)) && !CarriesHeaders(call.Instance?.Type))
        {
            return false;
        }

        return _methodsReadingHint.GetOrAdd(method, m =>
        {
            foreach (var reference in m.DeclaringSyntaxReferences)
            {
                if (call.SemanticModel is not { } model || reference.SyntaxTree != model.SyntaxTree)
                {
                    return true;
                }

                if (model.GetOperation(reference.GetSyntax(cancellationToken), cancellationToken) is { } body && ReadsHint(body, depth - 1, cancellationToken))
                {
                    return true;
                }
            }

            return false;
        });
    }

    // The response, its headers, an exception that carries its status, or the headers copied out of it
    // (response.Headers.ToArray(), a list or dictionary of the same pairs: whatever enumerates KeyValuePair<string, IEnumerable<string>>).
    private bool CarriesHeaders(ITypeSymbol? type) =>
        type is not null && (IsResponse(type) || type.Name is "HttpResponseHeaders" or "HttpHeaders" || Http.DerivesFrom(type, HttpRequestException) || EnumeratesHeaderPairs(type));

    private static bool EnumeratesHeaderPairs(ITypeSymbol type)
    {
        if (type is IArrayTypeSymbol array)
        {
            return IsHeaderPair(array.ElementType);
        }

        return IsEnumerableOfHeaderPairs(type) || type.AllInterfaces.Any(IsEnumerableOfHeaderPairs);

        static bool IsEnumerableOfHeaderPairs(ITypeSymbol candidate) =>
            candidate is INamedTypeSymbol { Name: "IEnumerable", TypeArguments.Length: 1 } enumerable && IsHeaderPair(enumerable.TypeArguments[0]);

        static bool IsHeaderPair(ITypeSymbol element) =>
            element is INamedTypeSymbol { Name: "KeyValuePair", TypeArguments.Length: 2 } pair
            && pair.TypeArguments[0].SpecialType == SpecialType.System_String
            && pair.TypeArguments[1] is INamedTypeSymbol { Name: "IEnumerable", TypeArguments.Length: 1 } values
            && values.TypeArguments[0].SpecialType == SpecialType.System_String;
    }
}
