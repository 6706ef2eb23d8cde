using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using RateLimitAnalyzers.Knowledge.Endpoints;

namespace RateLimitAnalyzers.Knowledge;

/// <summary>
/// A condition that tells a throttled response from others: <c>response.StatusCode == HttpStatusCode.TooManyRequests</c>,
/// <c>(int)response.StatusCode is 429 or 503</c>, <c>e.StatusCode == ...</c> in a catch filter, or a body check for the text
/// the catalog says an API answers when over quota (Archiva's <c>"error":"Rate limit exceeded"</c>).
/// </summary>
/// <param name="Statuses">The throttling statuses tested for (429, 503); empty for a body check.</param>
/// <param name="WhenTrue">Whether the condition holds for the throttled response (<c>==</c>), or for the others (<c>!=</c>).</param>
/// <param name="Instance">What the status was read from: the response, or the caught exception; null for a body check.</param>
internal sealed record ThrottleTest(ImmutableArray<int> Statuses, bool WhenTrue, IOperation? Instance)
{
    public const int TooManyRequests = 429;
    public const int ServiceUnavailable = 503;

    /// <summary>The <c>HttpStatusCode</c> member of a throttling status (<see cref="TooManyRequests"/> or <see cref="ServiceUnavailable"/>).</summary>
    public static string MemberName(int status) => status == ServiceUnavailable ? nameof(ServiceUnavailable) : nameof(TooManyRequests);

    /// <summary>Whether code's text may name a throttling status, by number or by <c>HttpStatusCode</c> member: a cheap look before binding it.</summary>
    public static bool MayNameThrottleStatus(string text)
    {
        foreach (var status in new[] { TooManyRequests, ServiceUnavailable })
        {
            if (text.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture)) || text.Contains(MemberName(status)))
            {
                return true;
            }
        }

        return false;
    }

    public bool IsBodySignal => Statuses.IsEmpty;

    /// <summary>The local holding the response whose status was tested, when there is one.</summary>
    public ILocalSymbol? ResponseLocal => Instance is ILocalReferenceOperation local ? local.Local : null;

    /// <summary>Reads a condition; null when it does not test for a throttled response.</summary>
    /// <param name="helpers">What a call in the condition tests, when it is a predicate of the user's (<c>ShouldRetry(response.StatusCode, attempt)</c>).</param>
    public static ThrottleTest? Read(IOperation? condition, CatalogEntry? target, Func<IInvocationOperation, ThrottleTest?>? helpers = null)
    {
        if (condition is null)
        {
            return null;
        }

        condition = UrlText.SkipConversions(condition);
        switch (condition)
        {
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not:
                return Read(not.Operand, target, helpers) is { } inner ? inner with { WhenTrue = !inner.WhenTrue } : null;

            case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalOr or BinaryOperatorKind.ConditionalAnd } logical:
                return Combine(logical, Read(logical.LeftOperand, target, helpers), Read(logical.RightOperand, target, helpers));

            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } comparison:
                return ReadComparison(comparison, target);

            case IIsPatternOperation isPattern when StatusSource(isPattern.Value) is { } source:
                return ReadPattern(isPattern.Pattern) is { } matched ? new ThrottleTest(matched.Statuses, matched.WhenTrue, source) : null;

            case IInvocationOperation call when IsBodySignalCheck(call, target):
                return new ThrottleTest(ImmutableArray<int>.Empty, true, null);

            case IInvocationOperation call when helpers?.Invoke(call) is { } helped:
                return helped;
        }

        return null;
    }

    /// <summary>The throttling statuses a <c>case</c> label or switch-expression arm names.</summary>
    public static ImmutableArray<int> StatusesOf(ICaseClauseOperation clause) => clause switch
    {
        ISingleValueCaseClauseOperation single when ThrottleStatus(single.Value) is { } status => ImmutableArray.Create(status),
        IPatternCaseClauseOperation pattern when ReadPattern(pattern.Pattern) is { WhenTrue: true } matched => matched.Statuses,
        _ => ImmutableArray<int>.Empty,
    };

    /// <summary>
    /// Whether this is the status of a response or an HTTP exception: a <c>StatusCode</c>, possibly cast or unwrapped, or a
    /// status a method is handed (an <c>HttpStatusCode</c> parameter), which is its own source.
    /// </summary>
    public static IOperation? StatusSource(IOperation value)
    {
        value = UrlText.SkipConversions(value);
        if (value is IParameterReferenceOperation { Parameter.Type: { Name: "HttpStatusCode", ContainingNamespace: { Name: "Net", ContainingNamespace.Name: "System" } } })
        {
            return value;
        }

        if (value is IConditionalAccessOperation { WhenNotNull: { } whenNotNull } access)
        {
            // response?.StatusCode: the status of what the access reads.
            return StatusSource(whenNotNull) is IConditionalAccessInstanceOperation ? UrlText.SkipConversions(access.Operation) : null;
        }

        if (value is IPropertyReferenceOperation { Property.Name: "Value" } nullableValue && nullableValue.Instance is not null)
        {
            value = UrlText.SkipConversions(nullableValue.Instance);
        }
        else if (value is IInvocationOperation { TargetMethod.Name: "GetValueOrDefault", Instance: { } nullable })
        {
            value = UrlText.SkipConversions(nullable);
        }

        return value is IPropertyReferenceOperation { Property.Name: "StatusCode", Instance: { } instance } ? UrlText.SkipConversions(instance) : null;
    }

    /// <summary>429 or 503 when the value is that constant: a literal, an <c>HttpStatusCode</c> member, or a cast of either.</summary>
    public static int? ThrottleStatus(IOperation value)
    {
        for (var current = value; ; current = ((IConversionOperation)current).Operand)
        {
            if (current.ConstantValue is { HasValue: true, Value: { } constant } && IsIntegral(constant))
            {
                var status = Convert.ToInt64(constant, System.Globalization.CultureInfo.InvariantCulture);
                return status is TooManyRequests or ServiceUnavailable ? (int)status : null;
            }

            if (current is not IConversionOperation)
            {
                return null;
            }
        }
    }

    /// <summary>
    /// Whether this operation itself reads the server's hint: <c>Headers.RetryAfter</c>, or a <c>Retry-After</c>,
    /// <c>RateLimit-*</c> or <c>X-RateLimit-*</c> header named by a constant.
    /// </summary>
    public static bool IsHintRead(IOperation operation) =>
        operation is IPropertyReferenceOperation { Property.Name: "RetryAfter" }
        || operation.ConstantValue is { HasValue: true, Value: string text } && IsHintHeaderName(text);

    /// <summary>
    /// Whether a string is the name of a response header that says when to come back: <c>Retry-After</c> (and the
    /// <c>retry-after-ms</c>, <c>x-ms-retry-after-ms</c> variants), or a rate-limit header, the standard ones
    /// (<c>RateLimit-*</c>, <c>X-RateLimit-*</c>, <c>X-Rate-Limit-*</c>) and a vendor's (<c>X-Contentful-RateLimit-Reset</c>,
    /// <c>X-HubSpot-RateLimit-Remaining</c>, <c>x-ms-ratelimit-remaining-subscription-reads</c>). A header name is one
    /// token of letters, digits and hyphens: a message that mentions a rate limit is none.
    /// </summary>
    public static bool IsHintHeaderName(string text)
    {
        var name = text.Trim();
        if (name.Length == 0 || name.Any(c => !(char.IsLetterOrDigit(c) || c == '-')))
        {
            return false;
        }

        return name.IndexOf("Retry-After", StringComparison.OrdinalIgnoreCase) >= 0
            || name.IndexOf("RateLimit", StringComparison.OrdinalIgnoreCase) >= 0
            || name.IndexOf("Rate-Limit", StringComparison.OrdinalIgnoreCase) >= 0;
    }

    private static ThrottleTest? ReadComparison(IBinaryOperation comparison, CatalogEntry? target)
    {
        var whenTrue = comparison.OperatorKind == BinaryOperatorKind.Equals;
        foreach (var (side, other) in new[] { (comparison.LeftOperand, comparison.RightOperand), (comparison.RightOperand, comparison.LeftOperand) })
        {
            if (StatusSource(side) is { } source && ThrottleStatus(other) is { } status)
            {
                return new ThrottleTest(ImmutableArray.Create(status), whenTrue, source);
            }

            if (target?.ThrottleBodyPattern is { } pattern && other.ConstantValue is { HasValue: true, Value: string text } && MatchesBodySignal(text, pattern))
            {
                return new ThrottleTest(ImmutableArray<int>.Empty, whenTrue, null);
            }
        }

        return null;
    }

    private static ThrottleTest? Combine(IBinaryOperation logical, ThrottleTest? left, ThrottleTest? right)
    {
        if (left is null || right is null)
        {
            // `throttled && attempt < 3`, `throttled || timedOut`: true still means throttled. A negated test next to
            // an unrelated condition says nothing certain about which branch the throttled response takes.
            var single = left ?? right;
            return single is { WhenTrue: true } ? single : null;
        }

        if (left.WhenTrue != right.WhenTrue)
        {
            return null;
        }

        // `a == 429 || a == 503` is true for either; `a != 429 && a != 503` is false for either.
        var union = logical.OperatorKind == BinaryOperatorKind.ConditionalOr == left.WhenTrue;
        return union ? new ThrottleTest(left.Statuses.Union(right.Statuses).ToImmutableArray(), left.WhenTrue, left.Instance ?? right.Instance) : left;
    }

    private static (ImmutableArray<int> Statuses, bool WhenTrue)? ReadPattern(IPatternOperation pattern)
    {
        switch (pattern)
        {
            case IConstantPatternOperation constant when ThrottleStatus(constant.Value) is { } status:
                return (ImmutableArray.Create(status), true);
            case INegatedPatternOperation negated when ReadPattern(negated.Pattern) is { } inner:
                return (inner.Statuses, !inner.WhenTrue);
            case IBinaryPatternOperation { OperatorKind: BinaryOperatorKind.Or } or:
                var left = ReadPattern(or.LeftPattern);
                var right = ReadPattern(or.RightPattern);
                if (left is { WhenTrue: true } l && right is { WhenTrue: true } r)
                {
                    return (l.Statuses.Union(r.Statuses).ToImmutableArray(), true);
                }

                return left is { WhenTrue: true } ? left : right is { WhenTrue: true } ? right : null;
        }

        return null;
    }

    private static bool IsBodySignalCheck(IInvocationOperation call, CatalogEntry? target)
    {
        if (target?.ThrottleBodyPattern is not { } pattern || call.TargetMethod.Name is not ("Contains" or "StartsWith" or "EndsWith" or "Equals" or "IndexOf"))
        {
            return false;
        }

        return call.Arguments.Any(a => a.Value.ConstantValue is { HasValue: true, Value: string text } && MatchesBodySignal(text, pattern));
    }

    /// <summary>
    /// Whether a string in the code is the catalog's body signal: the whole pattern (spacing aside), or, when the pattern is
    /// <c>"key":"message"</c>, the message alone (<c>body.Contains("Rate limit exceeded")</c>).
    /// </summary>
    private static bool MatchesBodySignal(string text, string pattern)
    {
        static string Squeeze(string s) => new(s.Where(c => !char.IsWhiteSpace(c)).ToArray());

        var squeezed = Squeeze(text);
        var squeezedPattern = Squeeze(pattern);
        if (squeezedPattern.Length > 0 && squeezed.IndexOf(squeezedPattern, StringComparison.OrdinalIgnoreCase) >= 0)
        {
            return true;
        }

        var colon = pattern.IndexOf(':');
        var message = colon < 0 ? null : pattern.Substring(colon + 1).Trim().Trim('"');
        return message is { Length: >= 8 } && !message.All(char.IsDigit) && text.IndexOf(message, StringComparison.OrdinalIgnoreCase) >= 0;
    }

    private static bool IsIntegral(object value) => value is int or long or short or ushort or uint or byte or sbyte;
}
