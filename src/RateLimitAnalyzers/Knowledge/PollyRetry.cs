using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace RateLimitAnalyzers.Knowledge;

/// <summary>Which Polly API describes the retry.</summary>
internal enum PollyRetryKind
{
    /// <summary>Polly v8: <c>new RetryStrategyOptions&lt;HttpResponseMessage&gt; { ... }</c>.</summary>
    StrategyOptions,

    /// <summary>Microsoft.Extensions.Http.Resilience: <c>new HttpRetryStrategyOptions { ... }</c>, which reads Retry-After unless told not to.</summary>
    HttpStrategyOptions,

    /// <summary>Polly v7: <c>Policy.Handle...().WaitAndRetryAsync(...)</c>, <c>.RetryAsync(...)</c>, <c>.RetryForever()</c>.</summary>
    Policy,
}

/// <summary>
/// A Polly retry as its code describes it: a v8 retry strategy's options or a v7 retry policy. What it handles (does it
/// retry 429 or 503?), how it waits, and whether the wait reads the server's Retry-After.
/// </summary>
internal sealed class PollyRetry
{
    // Polly v8's documented defaults for RetryStrategyOptions: a constant 2-second delay, no jitter.
    private const double DefaultDelayMilliseconds = 2000;

    private PollyRetry(IOperation operation, PollyRetryKind kind, string api)
    {
        Operation = operation;
        Kind = kind;
        Api = api;
    }

    /// <summary>The <c>new ...Options { }</c> creation, or the v7 retry call.</summary>
    public IOperation Operation { get; }

    public PollyRetryKind Kind { get; }

    /// <summary>What messages call it: <c>RetryStrategyOptions&lt;HttpResponseMessage&gt;</c>, <c>WaitAndRetryAsync</c>.</summary>
    public string Api { get; }

    /// <summary>Whether it retries HTTP work: typed on HttpResponseMessage, handles HttpRequestException, or runs around requests in view.</summary>
    public bool IsHttp { get; private set; }

    /// <summary>The throttling statuses its predicates handle (429, 503); empty when it does not retry them.</summary>
    public ImmutableArray<int> ThrottleStatuses { get; private set; } = ImmutableArray<int>.Empty;

    /// <summary>Whether it learns the throttled status only from an HttpRequestException, which carries no headers.</summary>
    public bool HandlesThrottleAsException { get; private set; }

    /// <summary>Whether its wait reads the server's hint (a <c>DelayGenerator</c> reading Retry-After, or <c>ShouldRetryAfterHeader</c>).</summary>
    public bool ReadsHint { get; private set; }

    public RetryWaitKind WaitKind { get; private set; }

    /// <summary>The constant base delay in milliseconds, when the code shows it.</summary>
    public double? DelayMilliseconds { get; private set; }

    /// <summary>v8: the property assignments in the options' initializer, by name.</summary>
    public ImmutableDictionary<string, ISimpleAssignmentOperation> Assignments { get; private set; } = ImmutableDictionary<string, ISimpleAssignmentOperation>.Empty;

    /// <summary>v7: the sleep-duration argument (a provider lambda or a list of durations), if any.</summary>
    public IArgumentOperation? SleepArgument { get; private set; }

    /// <summary>v7: whether the call has arguments beyond the retry count and the sleep (an onRetry callback), which a rewrite would have to keep.</summary>
    public bool HasOtherArguments { get; private set; }

    /// <summary>v7: <c>RetryForever</c> / <c>WaitAndRetryForever</c>.</summary>
    public bool RunsForever { get; private set; }

    public bool HandlesThrottle => !ThrottleStatuses.IsEmpty;

    /// <summary>A Polly v8 retry strategy's options: <c>new RetryStrategyOptions&lt;T&gt; { ... }</c> or <c>new HttpRetryStrategyOptions { ... }</c>.</summary>
    public static PollyRetry? FromOptions(IObjectCreationOperation creation, RetryKnowledge retries, CancellationToken cancellationToken)
    {
        if (creation.Type is not INamedTypeSymbol type || ResultTypeOf(type, retries) is not { } resultType)
        {
            return null;
        }

        var isHttpOptions = retries.HttpRetryStrategyOptions is not null && retries.Http.DerivesFrom(type, retries.HttpRetryStrategyOptions);
        var assignments = ImmutableDictionary.CreateBuilder<string, ISimpleAssignmentOperation>();
        foreach (var initializer in creation.Initializer?.Initializers ?? ImmutableArray<IOperation>.Empty)
        {
            if (initializer is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation property } assignment)
            {
                assignments[property.Property.Name] = assignment;
            }
        }

        var retry = new PollyRetry(creation, isHttpOptions ? PollyRetryKind.HttpStrategyOptions : PollyRetryKind.StrategyOptions, type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat))
        {
            Assignments = assignments.ToImmutable(),
        };
        retry.IsHttp = isHttpOptions || retries.IsResponse(resultType) || ExecutesRequests(creation, retries, cancellationToken);

        var shouldHandle = Value(retry, "ShouldHandle");
        retry.ThrottleStatuses = shouldHandle is null
            ? (isHttpOptions ? ImmutableArray.Create(ThrottleTest.TooManyRequests, ThrottleTest.ServiceUnavailable) : ImmutableArray<int>.Empty)
            : ThrottleStatusesIn(shouldHandle);

        var delayGenerator = Value(retry, "DelayGenerator");
        var retryAfterHeader = Value(retry, "ShouldRetryAfterHeader");
        retry.ReadsHint = delayGenerator is not null
            ? retries.ReadsHint(delayGenerator, cancellationToken)
            : isHttpOptions && retryAfterHeader?.ConstantValue is not { HasValue: true, Value: false };

        var delay = Value(retry, "Delay");
        retry.DelayMilliseconds = delay is null ? DefaultDelayMilliseconds : DelayValue.Milliseconds(delay, inMilliseconds: false);
        retry.WaitKind = delayGenerator is not null ? (retry.ReadsHint ? RetryWaitKind.ServerHint : RetryWaitKind.Unknown)
            : retry.DelayMilliseconds == 0 ? RetryWaitKind.None
            : BackoffOf(Value(retry, "BackoffType"), Value(retry, "UseJitter"), isHttpOptions);
        return retry;
    }

    /// <summary>A Polly v7 retry policy: <c>Retry</c>, <c>RetryAsync</c>, <c>RetryForever</c>, <c>WaitAndRetry...</c> on a policy builder.</summary>
    public static PollyRetry? FromPolicy(IInvocationOperation call, RetryKnowledge retries, CancellationToken cancellationToken)
    {
        var method = call.TargetMethod;
        if (!IsPolicyRetryName(method.Name))
        {
            return null;
        }

        var receiver = method.IsExtensionMethod ? call.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 0)?.Value : call.Instance;
        var builderType = receiver?.Type as INamedTypeSymbol;
        if (builderType is null || !(retries.Http.Is(builderType, retries.PolicyBuilder) || retries.Http.Is(builderType, retries.PolicyBuilderOfT)))
        {
            return null;
        }

        var retry = new PollyRetry(call, PollyRetryKind.Policy, method.Name) { RunsForever = method.Name.Contains("Forever") };
        var resultType = builderType.IsGenericType ? builderType.TypeArguments[0] : null;
        var handledExceptions = receiver!.DescendantsAndSelf().OfType<IInvocationOperation>()
            .Where(c => c.TargetMethod.Name is "Handle" or "Or" && c.TargetMethod.IsGenericMethod)
            .SelectMany(c => c.TargetMethod.TypeArguments)
            .ToList();
        retry.IsHttp = retries.IsResponse(resultType)
            || handledExceptions.Any(t => retries.Http.DerivesFrom(t, retries.HttpRequestException))
            || ExecutesRequests(call, retries, cancellationToken);
        retry.ThrottleStatuses = ThrottleStatusesIn(receiver!);
        retry.HandlesThrottleAsException = retry.HandlesThrottle && !retries.IsResponse(resultType);

        var explicitArguments = call.Arguments.Where(a => a.ArgumentKind == ArgumentKind.Explicit && !(method.IsExtensionMethod && a.Parameter?.Ordinal == 0)).ToList();
        retry.SleepArgument = explicitArguments.FirstOrDefault(a => a.Parameter?.Name is "sleepDurationProvider" or "sleepDurations");
        retry.HasOtherArguments = explicitArguments.Any(a => a.Parameter?.Name is not ("retryCount" or "sleepDurationProvider" or "sleepDurations"));
        if (!method.Name.StartsWith("WaitAndRetry", System.StringComparison.Ordinal))
        {
            retry.WaitKind = RetryWaitKind.None;
            return retry;
        }

        (retry.WaitKind, retry.DelayMilliseconds, retry.ReadsHint) = retry.SleepArgument is null
            ? (RetryWaitKind.Unknown, null, false)
            : SleepOf(retry.SleepArgument.Value, retries, cancellationToken);
        return retry;
    }

    private static bool IsPolicyRetryName(string? name) => name is not null && HttpKnowledge.PollyPolicyRetryNames.Contains(name);

    /// <summary>The TResult of <c>RetryStrategyOptions&lt;TResult&gt;</c> among the type's bases.</summary>
    private static ITypeSymbol? ResultTypeOf(INamedTypeSymbol type, RetryKnowledge retries)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (retries.Http.Is(current, retries.RetryStrategyOptions) && current.TypeArguments.Length == 1)
            {
                return current.TypeArguments[0];
            }
        }

        return null;
    }

    private static IOperation? Value(PollyRetry retry, string property) =>
        retry.Assignments.TryGetValue(property, out var assignment) ? assignment.Value : null;

    /// <summary>The 429 and 503 a predicate tests for: comparisons, patterns, and property patterns on <c>StatusCode</c>.</summary>
    private static ImmutableArray<int> ThrottleStatusesIn(IOperation predicate)
    {
        var statuses = new SortedSet<int>();
        foreach (var node in predicate.DescendantsAndSelf())
        {
            switch (node)
            {
                case IBinaryOperation or IIsPatternOperation when ThrottleTest.Read(node, null) is { WhenTrue: true, IsBodySignal: false } test:
                    statuses.UnionWith(test.Statuses);
                    break;
                case IPropertySubpatternOperation { Member: IPropertyReferenceOperation { Property.Name: "StatusCode" }, Pattern: IConstantPatternOperation constant }
                    when ThrottleTest.ThrottleStatus(constant.Value) is { } status:
                    statuses.Add(status);
                    break;
            }
        }

        return statuses.ToImmutableArray();
    }

    private static RetryWaitKind BackoffOf(IOperation? backoffType, IOperation? useJitter, bool isHttpOptions)
    {
        var jitter = useJitter is null ? isHttpOptions : useJitter.ConstantValue is { HasValue: true, Value: true };
        if (useJitter is not null && !useJitter.ConstantValue.HasValue)
        {
            return RetryWaitKind.Unknown;
        }

        if (jitter)
        {
            return RetryWaitKind.Jittered;
        }

        var backoff = backoffType is null
            ? (isHttpOptions ? "Exponential" : "Constant")
            : (UrlText.SkipConversions(backoffType) as IFieldReferenceOperation)?.Field.Name;
        return backoff switch
        {
            "Constant" => RetryWaitKind.Constant,
            "Linear" or "Exponential" => RetryWaitKind.Growing,
            _ => RetryWaitKind.Unknown,
        };
    }

    /// <summary>A v7 sleep: a provider lambda (given the attempt, and maybe the outcome) or a list of durations.</summary>
    private static (RetryWaitKind Kind, double? Milliseconds, bool ReadsHint) SleepOf(IOperation sleep, RetryKnowledge retries, CancellationToken cancellationToken)
    {
        sleep = UrlText.SkipConversions(sleep);
        if (sleep is IDelegateCreationOperation { Target: IAnonymousFunctionOperation provider })
        {
            if (retries.ReadsHint(provider.Body, cancellationToken))
            {
                return (RetryWaitKind.ServerHint, null, true);
            }

            var parameters = new HashSet<ISymbol>(provider.Symbol.Parameters, SymbolEqualityComparer.Default);
            var returned = ControlFlow.DescendantsInSameFunction(provider.Body).OfType<IReturnOperation>().Select(r => r.ReturnedValue).Where(v => v is not null).ToList();
            if (returned.Count == 0)
            {
                return (RetryWaitKind.Unknown, null, false);
            }

            var kind = returned.Max(v => DelayValue.Classify(v!, parameters, value => retries.ReadsHint(value, cancellationToken)));
            return (kind, returned.Count == 1 ? DelayValue.Milliseconds(returned[0]!, inMilliseconds: false) : null, false);
        }

        var elements = sleep switch
        {
            IArrayCreationOperation { Initializer: { } initializer } => initializer.ElementValues,
            _ => sleep.DescendantsAndSelf().OfType<IArrayInitializerOperation>().FirstOrDefault()?.ElementValues ?? default,
        };
        if (elements.IsDefaultOrEmpty)
        {
            return (RetryWaitKind.Unknown, null, false);
        }

        var lengths = elements.Select(e => DelayValue.Milliseconds(e, inMilliseconds: false)).ToList();
        if (lengths.Any(l => l is null))
        {
            return (RetryWaitKind.Unknown, null, false);
        }

        return lengths.Distinct().Count() == 1
            ? (lengths[0] == 0 ? RetryWaitKind.None : RetryWaitKind.Constant, lengths[0], false)
            : (RetryWaitKind.Growing, null, false);
    }

    /// <summary>
    /// Whether the pipeline or policy built around this retry runs HTTP requests in view: it is stored in a variable,
    /// field or property, and an <c>Execute...</c> on that, in the same type, sends one.
    /// </summary>
    private static bool ExecutesRequests(IOperation retry, RetryKnowledge retries, CancellationToken cancellationToken)
    {
        ISymbol? holder = null;
        for (var current = retry.Parent; current is not null && holder is null; current = current.Parent)
        {
            holder = current switch
            {
                IVariableDeclaratorOperation declarator => declarator.Symbol,
                ISimpleAssignmentOperation assignment => Operations.SymbolOf(assignment.Target),
                IFieldInitializerOperation field => field.InitializedFields.FirstOrDefault(),
                IPropertyInitializerOperation property => property.InitializedProperties.FirstOrDefault(),
                _ => null,
            };
            if (current is IBlockOperation or IMethodBodyBaseOperation)
            {
                break;
            }
        }

        var model = retry.SemanticModel;
        if (holder is null || model is null)
        {
            return false;
        }

        var scope = holder is ILocalSymbol
            ? retry.Syntax.FirstAncestorOrSelf<MemberDeclarationSyntax>()
            : retry.Syntax.FirstAncestorOrSelf<TypeDeclarationSyntax>();
        foreach (var invocation in scope?.DescendantNodes().OfType<InvocationExpressionSyntax>() ?? Enumerable.Empty<InvocationExpressionSyntax>())
        {
            // Names first: only an Execute call on something named like the holder is bound and looked at.
            if (invocation.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: var name, Expression: var receiverSyntax } && name.StartsWith("Execute", System.StringComparison.Ordinal)
                && ReceiverName(receiverSyntax) == holder.Name
                && retries.Http.MayInvolveRequests(invocation.ArgumentList, cancellationToken)
                && model.GetOperation(invocation, cancellationToken) is IInvocationOperation execution
                && execution.Instance is { } instance
                && SymbolEqualityComparer.Default.Equals(Operations.SymbolOf(instance), holder)
                && retries.Http.AsSend(execution, cancellationToken) is not null)
            {
                return true;
            }
        }

        return false;
    }

    private static string? ReceiverName(ExpressionSyntax receiver) => receiver switch
    {
        IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
        MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
        _ => null,
    };
}
