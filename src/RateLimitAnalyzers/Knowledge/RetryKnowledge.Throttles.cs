using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using RateLimitAnalyzers.Knowledge.Endpoints;

namespace RateLimitAnalyzers.Knowledge;

/// <summary>Where a retry tells a throttled response from others, what runs for it, and where a fix puts the wait.</summary>
internal sealed partial class RetryKnowledge
{
    /// <summary>
    /// Whether code tests for a throttled response outside its loops, whatever it sends to: a 429 or 503 status, or the
    /// body signal of any catalogued API. What <see cref="Throttles"/> finds for the code's real target is always among
    /// what this finds, so a <see langword="false"/> here needs no send followed to learn that target.
    /// </summary>
    private bool MayHandleThrottle(IOperation root, CancellationToken cancellationToken)
    {
        var scope = ControlFlow.DescendantsInSameScope(root).ToList();
        return ThrottleTargets.Any(target => !Throttles(root, scope, target, ImmutableArray<RetryWait>.Empty, null, null, cancellationToken).IsEmpty);
    }

    // No target (a status test reads the same for every API), and one catalog entry per distinct throttle body the catalog
    // knows (Archiva's "Rate limit exceeded"): few.
    private ImmutableArray<CatalogEntry?> ThrottleTargets =>
        _throttleTargets.IsDefault
            ? _throttleTargets = Http.Catalog.Entries.Where(e => e.ThrottleBodyPattern is not null).GroupBy(e => e.ThrottleBodyPattern, StringComparer.Ordinal).Select(g => (CatalogEntry?)g.First()).Prepend(null).ToImmutableArray()
            : _throttleTargets;

    private ImmutableArray<CatalogEntry?> _throttleTargets;

    private ImmutableArray<ThrottleHandling> Throttles(
        IOperation root,
        IEnumerable<IOperation> operations,
        CatalogEntry? target,
        ImmutableArray<RetryWait> waits,
        ILoopOperation? loop,
        IInvocationOperation? recursiveCall,
        CancellationToken cancellationToken)
    {
        var handlings = ImmutableArray.CreateBuilder<ThrottleHandling>();
        foreach (var operation in operations)
        {
            cancellationToken.ThrowIfCancellationRequested();
            switch (operation)
            {
                case IConditionalOperation { Syntax: IfStatementSyntax } conditional when ThrottleTest.Read(conditional.Condition, target, call => HelperTest(call, cancellationToken)) is { } test:
                    if (test.WhenTrue)
                    {
                        handlings.Add(Describe(conditional.Condition, test, ThrottlePathKind.Branch, ImmutableArray.Create(conditional.WhenTrue)));
                    }
                    else if (conditional.WhenFalse is { } otherwise)
                    {
                        handlings.Add(Describe(conditional.Condition, test, ThrottlePathKind.Branch, ImmutableArray.Create(otherwise)));
                    }
                    else if (Leaves(conditional.WhenTrue, loop, throttled: false) && conditional.Parent is IBlockOperation block)
                    {
                        var following = block.Operations.SkipWhile(o => !ReferenceEquals(o, conditional)).Skip(1).ToImmutableArray();
                        handlings.Add(Describe(conditional.Condition, test, ThrottlePathKind.FollowingStatements, following));
                    }

                    break;

                case ISwitchOperation switchOperation when ThrottleTest.StatusSource(switchOperation.Value) is { } source:
                    foreach (var section in switchOperation.Cases)
                    {
                        var statuses = section.Clauses.SelectMany(c => ThrottleTest.StatusesOf(c)).Distinct().ToImmutableArray();
                        if (!statuses.IsEmpty)
                        {
                            handlings.Add(Describe(section.Clauses.First(c => !ThrottleTest.StatusesOf(c).IsEmpty), new ThrottleTest(statuses, true, source), ThrottlePathKind.SwitchCase, Flatten(section.Body)));
                        }
                    }

                    break;

                case ICatchClauseOperation { Filter: { } filter } catchClause when ThrottleTest.Read(filter, target, call => HelperTest(call, cancellationToken)) is { WhenTrue: true } test:
                    handlings.Add(Describe(filter, test, ThrottlePathKind.CatchClause, ImmutableArray.Create<IOperation>(catchClause.Handler)));
                    break;
            }
        }

        if (loop is not null && Operations.LoopCondition(loop) is { } condition && ThrottleTest.Read(condition, target, call => HelperTest(call, cancellationToken)) is { WhenTrue: true } loopTest)
        {
            handlings.Add(new ThrottleHandling(condition, loopTest, ThrottlePathKind.LoopCondition, ImmutableArray<IOperation>.Empty) { Retries = true });
        }

        return handlings.ToImmutable();

        ThrottleHandling Describe(IOperation test, ThrottleTest signal, ThrottlePathKind kind, ImmutableArray<IOperation> path)
        {
            var wait = waits.FirstOrDefault(w => path.Any(p => p.Syntax.Span.Contains(w.Call.Syntax.Span)));
            var retries = loop is not null
                ? !path.Any(p => Leaves(p, loop, throttled: true))
                : recursiveCall is not null && path.Any(p => p.Syntax.Span.Contains(recursiveCall.Syntax.Span));
            var ensureSuccess = kind == ThrottlePathKind.CatchClause ? EnsureSuccessBefore(test, signal) : null;
            var response = ensureSuccess is not null
                ? ((ILocalReferenceOperation)ensureSuccess.Instance!).Local
                : signal.ResponseLocal is { } local && IsResponse(local.Type) ? local
                : signal.IsBodySignal ? ResponseBehindBody(test) : null;
            return new ThrottleHandling(test, signal, kind, path)
            {
                Retries = retries,
                Wait = wait,
                EnsureSuccess = ensureSuccess,
                Response = response,
                Site = ensureSuccess is not null
                    ? (loop is not null && ensureSuccess.Syntax.FirstAncestorOrSelf<StatementSyntax>() is { } statement ? new WaitSite(WaitEdit.InsertBefore, statement) : null)
                    : SiteOnPath(kind, path, wait, recursiveCall),
            };
        }
    }

    /// <summary>
    /// What a call to a predicate of the user's tests, as if its test were written at the call: the method returns a
    /// throttle test of a status it is handed on every path that does not return <see langword="false"/>
    /// (<c>ShouldRetry(response.StatusCode, attempt)</c>, with <c>return status == (HttpStatusCode)429 || ...</c>), and the
    /// call hands it a response's status, whose response the test then reads. A predicate handed the whole response is
    /// not read: the code around the call shows no sign of looking at the outcome, which the cheap pre-check
    /// (<see cref="MayObserveOutcome"/>) must see.
    /// </summary>
    private ThrottleTest? HelperTest(IInvocationOperation call, CancellationToken cancellationToken)
    {
        var method = (call.TargetMethod.ReducedFrom ?? call.TargetMethod).OriginalDefinition;
        if (method.ReturnType.SpecialType != SpecialType.System_Boolean || method.DeclaringSyntaxReferences.IsEmpty || method.IsAbstract)
        {
            return null;
        }

        if (_throttlePredicates.GetOrAdd(method, m => ReadPredicate(m, cancellationToken)) is not { } predicate)
        {
            return null;
        }

        var argument = call.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == predicate.Ordinal)?.Value;
        if (argument is null)
        {
            return null;
        }

        return ThrottleTest.StatusSource(argument) is { } response && !ReferenceEquals(response, UrlText.SkipConversions(argument))
            ? predicate.Test with { Instance = response }
            : null;
    }

    private readonly ConcurrentDictionary<IMethodSymbol, (int Ordinal, ThrottleTest Test)?> _throttlePredicates = new(SymbolEqualityComparer.Default);

    private (int Ordinal, ThrottleTest Test)? ReadPredicate(IMethodSymbol method, CancellationToken cancellationToken)
    {
        // Text first: a predicate that names no throttling status is not bound.
        if (method.DeclaringSyntaxReferences.Length != 1
            || method.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is not { } declaration
            || !ThrottleTest.MayNameThrottleStatus(declaration.ToString())
            || Http.OperationOf(declaration, cancellationToken) is not { } body)
        {
            return null;
        }

        IParameterSymbol? tested = null;
        var statuses = ImmutableArray<int>.Empty;
        foreach (var returned in ControlFlow.DescendantsInSameFunction(body).OfType<IReturnOperation>())
        {
            if (returned.ReturnedValue is not { } value || value.ConstantValue is { HasValue: true, Value: false })
            {
                continue;
            }

            if (ThrottleTest.Read(value, null) is not { WhenTrue: true, IsBodySignal: false, Instance: IParameterReferenceOperation { Parameter: var parameter } } test
                || ThrottleTest.StatusSource(test.Instance) is null
                || tested is not null && !SymbolEqualityComparer.Default.Equals(tested, parameter))
            {
                return null;
            }

            tested = parameter;
            statuses = statuses.Union(test.Statuses).ToImmutableArray();
        }

        return tested is null ? null : (tested.Ordinal, new ThrottleTest(statuses, true, null));
    }

    /// <summary>
    /// For a body check (<c>body.Contains("Rate limit exceeded")</c>): the response the checked text was read from, when its
    /// initializer reads exactly one. Archiva's throttle body comes with Retry-After on that response, which the fix reads.
    /// </summary>
    private ILocalSymbol? ResponseBehindBody(IOperation test)
    {
        var responses = test.DescendantsAndSelf().OfType<ILocalReferenceOperation>()
            .Where(text => text.Local.Type?.SpecialType == SpecialType.System_String)
            .Select(UrlText.InitializerOf)
            .SelectMany(initializer => initializer?.DescendantsAndSelf().OfType<ILocalReferenceOperation>() ?? Enumerable.Empty<ILocalReferenceOperation>())
            .Select(reference => reference.Local)
            .Where(local => IsResponse(local.Type))
            .Distinct<ILocalSymbol>(SymbolEqualityComparer.Default)
            .ToList();
        return responses.Count == 1 ? responses[0] : null;
    }

    /// <summary>
    /// For <c>catch (HttpRequestException e) when (e.StatusCode == ...)</c>: the <c>response.EnsureSuccessStatusCode()</c> in
    /// the try block that threw it. By then the response, and its Retry-After, are gone.
    /// </summary>
    private IInvocationOperation? EnsureSuccessBefore(IOperation filter, ThrottleTest signal)
    {
        if (filter.Parent is not ICatchClauseOperation { Parent: ITryOperation tryOperation } catchClause
            || signal.Instance is not ILocalReferenceOperation exception
            || !catchClause.Locals.Contains(exception.Local, SymbolEqualityComparer.Default))
        {
            return null;
        }

        return ControlFlow.DescendantsInSameFunction(tryOperation.Body)
            .OfType<IInvocationOperation>()
            .FirstOrDefault(call => call.TargetMethod.Name == "EnsureSuccessStatusCode"
                && call.Instance is ILocalReferenceOperation local
                && IsResponse(local.Local.Type)
                && call.Parent is IExpressionStatementOperation);
    }

    /// <summary>Where the Retry-After-aware wait goes on a throttle path: in place of its wait, before its <c>continue</c> or retrying call, or at its end.</summary>
    private static WaitSite? SiteOnPath(ThrottlePathKind kind, ImmutableArray<IOperation> path, RetryWait? wait, IInvocationOperation? recursiveCall)
    {
        if (wait is not null)
        {
            return wait.Statement is { } statement ? new WaitSite(WaitEdit.Replace, statement.Syntax) : null;
        }

        switch (kind)
        {
            case ThrottlePathKind.LoopCondition:
                return null;
            case ThrottlePathKind.FollowingStatements:
            case ThrottlePathKind.SwitchCase:
                var first = kind == ThrottlePathKind.SwitchCase ? path.LastOrDefault() : path.FirstOrDefault();
                return first?.Syntax is StatementSyntax statement ? new WaitSite(WaitEdit.InsertBefore, statement) : null;
        }

        var branch = path.FirstOrDefault();
        if (branch is not IBlockOperation { Syntax: BlockSyntax block } body)
        {
            return branch?.Syntax is StatementSyntax single ? new WaitSite(WaitEdit.InsertBefore, single) : null;
        }

        var last = body.Operations.LastOrDefault();
        if (last is IBranchOperation { BranchKind: BranchKind.Continue }
            || last is not null && recursiveCall is not null && last.Syntax.Span.Contains(recursiveCall.Syntax.Span))
        {
            return last.Syntax is StatementSyntax before ? new WaitSite(WaitEdit.InsertBefore, before) : null;
        }

        return new WaitSite(WaitEdit.Append, block);
    }

    private static ImmutableArray<IOperation> Flatten(ImmutableArray<IOperation> body) =>
        body.Length == 1 && body[0] is IBlockOperation block ? block.Operations : body;

    /// <summary>
    /// Whether a path always leaves the loop (or, outside a loop, the method): it returns, throws, breaks out, or calls
    /// <c>EnsureSuccessStatusCode()</c> on a response known to be throttled.
    /// </summary>
    private static bool Leaves(IOperation operation, ILoopOperation? loop, bool throttled) => operation switch
    {
        IReturnOperation returned => returned.Kind != OperationKind.YieldReturn,
        IThrowOperation => true,
        IExpressionStatementOperation { Operation: IThrowOperation } => true,
        IExpressionStatementOperation { Operation: IInvocationOperation { TargetMethod.Name: "EnsureSuccessStatusCode" } } => throttled,
        IBranchOperation { BranchKind: BranchKind.Break } branch => loop is not null && SymbolEqualityComparer.Default.Equals(branch.Target, loop.ExitLabel),
        IBlockOperation block => block.Operations.Any(o => Leaves(o, loop, throttled)),
        IConditionalOperation { WhenFalse: { } otherwise } conditional => Leaves(conditional.WhenTrue, loop, throttled) && Leaves(otherwise, loop, throttled),
        ITryOperation tryOperation => Leaves(tryOperation.Body, loop, throttled) && tryOperation.Catches.All(c => Leaves(c.Handler, loop, throttled)),
        IUsingOperation usingOperation => Leaves(usingOperation.Body, loop, throttled),
        ILockOperation lockOperation => Leaves(lockOperation.Body, loop, throttled),
        _ => false,
    };
}
