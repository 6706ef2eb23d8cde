using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace RateLimitAnalyzers.Knowledge;

/// <summary>How a retry waits between attempts, from the weakest answer to the strongest.</summary>
internal enum RetryWaitKind
{
    /// <summary>Nothing waits: the next attempt goes out the moment the last one failed.</summary>
    None,

    /// <summary>The same wait before every attempt (<c>Task.Delay(1000)</c>, <c>_ => TimeSpan.FromSeconds(2)</c>).</summary>
    Constant,

    /// <summary>Something waits, but the code does not show how long (a helper, a limiter, a pacer): never reported.</summary>
    Unknown,

    /// <summary>The wait grows with the attempts (<c>Math.Pow(2, attempt)</c>, <c>delay *= 2</c>).</summary>
    Growing,

    /// <summary>The wait is randomised (<c>Random</c>, the runtime's backoff, Polly's <c>UseJitter</c>).</summary>
    Jittered,

    /// <summary>The wait is what the server asked for (<c>Retry-After</c>, a rate-limit reset header).</summary>
    ServerHint,
}

/// <summary>One call that waits inside a retry, and what the code shows of its length.</summary>
/// <param name="Call">The waiting call: <c>Task.Delay</c>, <c>Thread.Sleep</c>, the runtime's backoff, a helper.</param>
/// <param name="Kind">How long it waits, as far as the code shows.</param>
/// <param name="Delay">The argument that gives the length, when the call is a plain delay.</param>
/// <param name="DelayInMilliseconds">Whether <paramref name="Delay"/> counts milliseconds (<c>Task.Delay(int)</c>) rather than being a TimeSpan.</param>
/// <param name="Token">The CancellationToken the wait already takes, if any.</param>
internal sealed record RetryWait(IInvocationOperation Call, RetryWaitKind Kind, IOperation? Delay, bool DelayInMilliseconds, IOperation? Token)
{
    /// <summary>The statement that is this wait and nothing else (<c>await Task.Delay(1000, ct);</c>), which a fix can replace.</summary>
    public IExpressionStatementOperation? Statement
    {
        get
        {
            // await Task.Delay(1000, ct).ConfigureAwait(false); is the wait as much as await Task.Delay(1000, ct); is.
            var parent = Call.Parent is IInvocationOperation { TargetMethod.Name: "ConfigureAwait" } configured && configured.Instance == Call ? configured.Parent : Call.Parent;
            return (parent is IAwaitOperation awaited ? awaited.Parent : parent) as IExpressionStatementOperation;
        }
    }

    /// <summary>The length in milliseconds, when it is a constant the code spells out.</summary>
    public double? DelayMilliseconds => Delay is null ? null : DelayValue.Milliseconds(Delay, DelayInMilliseconds);
}

/// <summary>Reads the length of a wait: a constant, something that grows with the attempts, a random, or the server's hint.</summary>
internal static class DelayValue
{
    /// <summary>
    /// Classifies a delay. <paramref name="varying"/> holds the variables that change from one attempt to the next (the attempt
    /// counter, a delay doubled on each pass); <paramref name="readsHint"/> says whether an operation reads the server's hint.
    /// </summary>
    public static RetryWaitKind Classify(IOperation value, ISet<ISymbol> varying, System.Func<IOperation, bool> readsHint, int depth = 0)
    {
        if (readsHint(value))
        {
            return RetryWaitKind.ServerHint;
        }

        var kind = RetryWaitKind.Constant;
        foreach (var node in value.DescendantsAndSelf())
        {
            switch (node)
            {
                case IInvocationOperation call when IsRandom(call.TargetMethod.ContainingType) || IsRandom(call.Instance?.Type) || IsRuntimeBackoff(call.TargetMethod.ContainingType):
                case IPropertyReferenceOperation property when IsRandom(property.Property.ContainingType):
                    return RetryWaitKind.Jittered;
            }
        }

        foreach (var node in value.DescendantsAndSelf())
        {
            switch (node)
            {
                case ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation or IPropertyReferenceOperation
                    when Operations.SymbolOf(node) is { } symbol && varying.Contains(symbol):
                    return RetryWaitKind.Growing;
                case ILocalReferenceOperation local when depth < 4 && UrlText.InitializerOf(local) is { } initializer:
                    kind = Max(kind, Classify(initializer, varying, readsHint, depth + 1));
                    break;
                case IInvocationOperation call when !IsTimeSpanFactory(call.TargetMethod) && !IsRandom(call.TargetMethod.ContainingType):
                    kind = Max(kind, call.Arguments.Any(a => References(a.Value, varying)) ? RetryWaitKind.Growing : RetryWaitKind.Unknown);
                    break;
            }
        }

        return kind;
    }

    /// <summary>A constant delay's length in milliseconds: <c>1000</c>, <c>TimeSpan.FromSeconds(5)</c>, <c>TimeSpan.Zero</c>, <c>new TimeSpan(0, 1, 0)</c>.</summary>
    public static double? Milliseconds(IOperation value, bool inMilliseconds)
    {
        value = UrlText.SkipConversions(value);
        if (value.ConstantValue is { HasValue: true, Value: { } constant } && constant is not string && constant is not bool)
        {
            var number = System.Convert.ToDouble(constant, System.Globalization.CultureInfo.InvariantCulture);
            return inMilliseconds ? number : null;
        }

        switch (value)
        {
            case IFieldReferenceOperation { Field: { Name: "Zero", ContainingType.Name: "TimeSpan" } }:
                return 0;
            case IInvocationOperation { TargetMethod: { ContainingType.Name: "TimeSpan" } method } call when call.Arguments.Length == 1
                && Number(call.Arguments[0].Value) is { } amount:
                return method.Name switch
                {
                    "FromMilliseconds" => amount,
                    "FromSeconds" => amount * 1000,
                    "FromMinutes" => amount * 60_000,
                    "FromHours" => amount * 3_600_000,
                    "FromDays" => amount * 86_400_000,
                    "FromTicks" => amount / 10_000,
                    _ => null,
                };
            case IObjectCreationOperation { Type.Name: "TimeSpan" } creation when creation.Arguments.All(a => Number(a.Value) is not null):
                var parts = creation.Arguments.Select(a => Number(a.Value)!.Value).ToArray();
                return parts.Length switch
                {
                    1 => parts[0] / 10_000,
                    3 => ((parts[0] * 60) + parts[1]) * 60_000 + (parts[2] * 1000),
                    4 => ((((parts[0] * 24) + parts[1]) * 60) + parts[2]) * 60_000 + (parts[3] * 1000),
                    5 => ((((parts[0] * 24) + parts[1]) * 60) + parts[2]) * 60_000 + (parts[3] * 1000) + parts[4],
                    _ => null,
                };
        }

        return null;
    }

    /// <summary>Whether an operation reads any of the symbols.</summary>
    public static bool References(IOperation value, ISet<ISymbol> symbols) =>
        symbols.Count > 0 && value.DescendantsAndSelf().Any(node => Operations.SymbolOf(node) is { } symbol && symbols.Contains(symbol));

    private static bool IsTimeSpanFactory(IMethodSymbol method) =>
        method.ContainingType is { Name: "TimeSpan" or "Math" or "Convert" or "Int32" or "Int64" or "Double" } type
        && type.ContainingNamespace?.ToDisplayString() == "System";

    /// <summary>The runtime's <c>Backoff</c>: exponential with full jitter.</summary>
    private static bool IsRuntimeBackoff(ITypeSymbol? type) =>
        type is { Name: RetryRuntime.BackoffName } && type.ContainingNamespace?.ToDisplayString() == PacingRuntime.Namespace;

    private static bool IsRandom(ITypeSymbol? type) =>
        type is { Name: "Random" } && type.ContainingNamespace?.ToDisplayString() == "System";

    private static double? Number(IOperation value) =>
        value.ConstantValue is { HasValue: true, Value: { } constant } && constant is not string && constant is not bool
            ? System.Convert.ToDouble(constant, System.Globalization.CultureInfo.InvariantCulture)
            : null;

    private static RetryWaitKind Max(RetryWaitKind a, RetryWaitKind b) => a > b ? a : b;
}
