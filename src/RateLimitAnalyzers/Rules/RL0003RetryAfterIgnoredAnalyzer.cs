using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using RateLimitAnalyzers.Knowledge;

namespace RateLimitAnalyzers.Rules;

/// <summary>
/// RL0003: code tells a throttled response (429, 503, a catalogued throttle body) from others, then waits a time of its own
/// choosing or retries at once, and nothing reads the <c>Retry-After</c> the server sent with it. Also a Polly retry that
/// handles 429 and waits on its own schedule.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class RL0003RetryAfterIgnoredAnalyzer : RetryRuleAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.RetryAfterIgnored);

    private protected override bool AnalyzesFunctions => true;

    private protected override void AnalyzeFunction(OperationAnalysisContext context, RetryKnowledge retries)
    {
        (IOperation? Body, IMethodSymbol? Function) target = context.Operation switch
        {
            IMethodBodyBaseOperation method => (method, context.ContainingSymbol as IMethodSymbol),
            ILocalFunctionOperation local => (local.Body, local.Symbol),
            IAnonymousFunctionOperation lambda => (lambda.Body, lambda.Symbol),
            _ => (null, null),
        };
        var (body, function) = target;

        if (body is not null && function is not null)
        {
            Report(context, retries, retries.AnalyzeFunction(body, function, context.CancellationToken));
        }
    }

    private protected override void Report(OperationAnalysisContext context, RetryKnowledge retries, RetryLoop retry)
    {
        foreach (var handling in RetryFindings.IgnoredThrottles(retry))
        {
            var properties = ImmutableDictionary.CreateBuilder<string, string?>();
            var locations = new List<Location>();
            if (handling.Site is { } site && handling.Response is { } response && (handling.Kind != ThrottlePathKind.CatchClause || handling.EnsureSuccess is not null))
            {
                RetryFixData.AddSite(properties, locations, site);
                properties[RetryFixData.Response] = response.Name;
                properties[RetryFixData.Statuses] = string.Join(",", handling.Signal.IsBodySignal ? new[] { ThrottleTest.TooManyRequests } : handling.Signal.Statuses.ToArray());
                if (handling.EnsureSuccess is not null)
                {
                    properties[RetryFixData.Fix] = RetryFixData.FixEnsureSuccess;
                }

                // Without a counter the old delay would stay a constant fallback, and without a bound a while (true) would
                // wait it forever: RL0004's findings in the fixed code. One finding per root cause, so the fix brings both.
                RetryFixData.AddAttempts(properties, locations, retry);

                RetryFixData.AddDelay(properties, handling.Wait);
                RetryFixData.AddFunctionFacts(properties, handling.Wait, handling.Test, context.ContainingSymbol, retries.Http);
            }

            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.RetryAfterIgnored,
                handling.Test.Syntax.GetLocation(),
                locations,
                properties.ToImmutable(),
                RetryText.Subject(retry),
                DescribeHandling(handling),
                DescribeAdvice(retry)));
        }
    }

    private static string DescribeHandling(ThrottleHandling handling)
    {
        var statuses = handling.Signal.IsBodySignal ? "a throttled response" : "a " + RetryText.Statuses(handling.Signal.Statuses);
        if (handling.EnsureSuccess is not null)
        {
            return "retries the " + RetryText.Statuses(handling.Signal.Statuses) + " that EnsureSuccessStatusCode() threw, after the response and its headers are gone,";
        }

        if (handling.Kind == ThrottlePathKind.CatchClause)
        {
            return "retries " + statuses + " caught as an HttpRequestException, which carries no headers,";
        }

        if (handling.Kind == ThrottlePathKind.LoopCondition)
        {
            return "repeats the request while it gets " + statuses;
        }

        return handling.Wait switch
        {
            { Kind: RetryWaitKind.Constant, DelayMilliseconds: { } milliseconds } => "waits a fixed " + RetryText.Duration(milliseconds) + " after " + statuses,
            { Kind: RetryWaitKind.Constant } => "waits a fixed time after " + statuses,
            not null => "waits after " + statuses,
            null => "retries " + statuses + " at once",
        };
    }

    private static string DescribeAdvice(RetryLoop retry) =>
        retry.Target is { } target
            ? RetryText.DescribeThrottling(target) + ": wait as long as it asks"
            : "the server's Retry-After says how long its window needs: wait that long, and back off when it sends none";

    private protected override void Report(OperationAnalysisContext context, PollyRetry retry)
    {
        if (!RetryFindings.IgnoresRetryAfter(retry))
        {
            return;
        }

        var properties = ImmutableDictionary.CreateBuilder<string, string?>();
        var locations = new List<Location>();
        string action;
        var statuses = RetryText.Statuses(retry.ThrottleStatuses);
        if (retry.Kind == PollyRetryKind.Policy)
        {
            action = retry.HandlesThrottleAsException ? "retries " + statuses + " caught as an HttpRequestException, which carries no headers,"
                : retry.WaitKind == RetryWaitKind.None ? "retries " + statuses + " at once"
                : "retries " + statuses + " after a sleep that ignores the response,";
        }
        else if (retry.Assignments.ContainsKey("DelayGenerator"))
        {
            action = "retries " + statuses + " and its DelayGenerator waits";
        }
        else if (retry.Kind == PollyRetryKind.HttpStrategyOptions)
        {
            action = "retries " + statuses + " with ShouldRetryAfterHeader = false, so it waits";
            properties[RetryFixData.Fix] = RetryFixData.FixRetryAfterHeader;
        }
        else
        {
            action = "retries " + statuses + " on its own delay schedule";
            if (retry.Operation.Type is INamedTypeSymbol { TypeArguments.Length: 1 })
            {
                properties[RetryFixData.Fix] = RetryFixData.FixDelayGenerator;
            }
        }

        RetryFixData.AddPollyTarget(properties, locations, retry);

        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.RetryAfterIgnored,
            RetryText.PollyLocation(retry),
            locations,
            properties.ToImmutable(),
            RetryText.PollySubject(retry),
            action,
            retry.Kind == PollyRetryKind.Policy
                ? "the server's Retry-After says how long to wait: read it from the outcome in the sleep duration provider"
                : "the server's Retry-After says how long to wait: read it in a DelayGenerator"));
    }
}
