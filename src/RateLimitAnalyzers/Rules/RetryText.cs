using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using RateLimitAnalyzers.Knowledge;
using RateLimitAnalyzers.Knowledge.Endpoints;

namespace RateLimitAnalyzers.Rules;

/// <summary>How RL0003 and RL0004 name a retry in their messages and where they put the squiggle.</summary>
internal static class RetryText
{
    /// <summary>"This retry loop", "This retry by recursion", "This code".</summary>
    public static string Subject(RetryLoop retry) => retry switch
    {
        { Loop: not null, IsRetry: true } => "This retry loop",
        { Loop: not null } => "This loop",
        { RecursiveCall: not null } => "This retry by recursion",
        _ => "This code",
    };

    /// <summary>"This Polly retry (RetryStrategyOptions&lt;HttpResponseMessage&gt;)", "This Polly WaitAndRetryAsync policy".</summary>
    public static string PollySubject(PollyRetry retry) =>
        retry.Kind == PollyRetryKind.Policy ? "This Polly " + retry.Api + " policy" : "This Polly retry (" + retry.Api + ")";

    /// <summary>The loop keyword, so that a loop's finding sits where RL0001's would.</summary>
    public static Location LoopLocation(RetryLoop retry) =>
        retry.Loop is { } loop
            ? RL0001PagingLoopWithoutPacingAnalyzer.LoopKeyword(loop.Syntax).GetLocation()
            : retry.RecursiveCall is { Syntax: InvocationExpressionSyntax call } ? NameOf(call).GetLocation() : retry.Root.Syntax.GetLocation();

    /// <summary><c>new RetryStrategyOptions&lt;T&gt;</c> for v8 options, the method name for a v7 policy.</summary>
    public static Location PollyLocation(PollyRetry retry) => retry.Operation.Syntax switch
    {
        ObjectCreationExpressionSyntax creation => Location.Create(creation.SyntaxTree, TextSpan.FromBounds(creation.NewKeyword.SpanStart, creation.Type.Span.End)),
        ImplicitObjectCreationExpressionSyntax implicitCreation => Location.Create(implicitCreation.SyntaxTree, TextSpan.FromBounds(implicitCreation.NewKeyword.SpanStart, implicitCreation.ArgumentList.Span.End)),
        InvocationExpressionSyntax call => NameOf(call).GetLocation(),
        var other => other.GetLocation(),
    };

    private static ExpressionSyntax NameOf(InvocationExpressionSyntax call) => call.Expression switch
    {
        MemberAccessExpressionSyntax member => member.Name,
        var other => other,
    };

    /// <summary>A length the way people say it: <c>500 ms</c>, <c>5 s</c>, <c>2 min</c>.</summary>
    public static string Duration(double milliseconds)
    {
        if (milliseconds >= 60_000 && milliseconds % 60_000 == 0)
        {
            return (milliseconds / 60_000).ToString(CultureInfo.InvariantCulture) + " min";
        }

        return milliseconds >= 1000 && milliseconds % 100 == 0
            ? (milliseconds / 1000).ToString("0.#", CultureInfo.InvariantCulture) + " s"
            : milliseconds.ToString("0.#", CultureInfo.InvariantCulture) + " ms";
    }

    /// <summary><c>429</c>, <c>503</c>, <c>429 or 503</c>.</summary>
    public static string Statuses(IEnumerable<int> statuses) =>
        string.Join(" or ", statuses.OrderBy(s => s).Select(s => s.ToString(CultureInfo.InvariantCulture)));

    /// <summary>
    /// What the catalog knows about how an endpoint throttles: "Archiva POST /api/ingest/event answers 429 with Retry-After
    /// (100 requests per 60 s)".
    /// </summary>
    public static string DescribeThrottling(CatalogEntry target)
    {
        var text = target.Name;
        var signals = target.ThrottleSignals;
        if (!signals.IsDefaultOrEmpty && !signals[0].StartsWith("body", System.StringComparison.Ordinal) && !signals[0].StartsWith("header", System.StringComparison.Ordinal))
        {
            text += " answers " + signals[0];
        }
        else
        {
            text += " throttles";
        }

        if (!target.RateLimitHeaders.IsDefaultOrEmpty)
        {
            text += " and reports its limit in " + string.Join(", ", target.RateLimitHeaders);
        }

        return target.HasQuota
            ? text + " (" + QuotaText.Describe(target.Quota) + (target.QuotaNote is null ? string.Empty : ", " + target.QuotaNote) + ")"
            : text;
    }
}
