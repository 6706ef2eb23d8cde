using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using RateLimitAnalyzers.Knowledge;

namespace RateLimitAnalyzers.Rules;

/// <summary>
/// RL0004: a retry of HTTP work (a loop or a recursion that repeats the same request after a failure, a Polly v7 policy, a
/// Polly v8 retry strategy) waits nothing or the same time before every attempt, or a <c>while (true)</c> retry has no bound.
/// A retry that ignores Retry-After is RL0003's finding instead: one finding per root cause.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class RL0004RetryWithoutBackoffAnalyzer : RetryRuleAnalyzer
{
    /// <summary>Diagnostic property of a Polly v7 fix: how many retries the rewritten policy makes.</summary>
    public const string RetryCountProperty = "RetryCount";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.RetryWithoutBackoff);

    private protected override void AnalyzeCall(OperationAnalysisContext context, RetryKnowledge retries, IInvocationOperation call)
    {
        // A method that calls itself: look at it as a retry by recursion, once, from its first recursive call.
        for (var current = call.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation)
            {
                return;
            }

            (IOperation? Body, IMethodSymbol? Function) target = current switch
            {
                ILocalFunctionOperation local => (local.Body, local.Symbol),
                IMethodBodyBaseOperation method => (method, context.ContainingSymbol as IMethodSymbol),
                _ => (null, null),
            };
            var (body, function) = target;

            if (body is null || function is null)
            {
                continue;
            }

            if (SymbolEqualityComparer.Default.Equals(call.TargetMethod.OriginalDefinition, function.OriginalDefinition))
            {
                var retry = retries.AnalyzeFunction(body, function, context.CancellationToken);
                if (ReferenceEquals(retry.RecursiveCall, call))
                {
                    Report(context, retries, retry);
                }
            }

            return;
        }
    }

    private protected override void Report(OperationAnalysisContext context, RetryKnowledge retries, RetryLoop retry)
    {
        if (!RetryFindings.LacksBackoff(retry) || retry.Sends.IsEmpty)
        {
            return;
        }

        var properties = ImmutableDictionary.CreateBuilder<string, string?>();
        var locations = new List<Location>();
        var waitLacks = !retry.ReadsHint && retry.WaitKind <= RetryWaitKind.Constant;
        var wait = retry.Waits.FirstOrDefault();
        var site = waitLacks ? retry.BackoffSite
            : wait?.Statement is { } waitStatement ? new WaitSite(WaitEdit.InsertBefore, waitStatement.Syntax)
            : retry.Waits.IsEmpty ? retry.BackoffSite : null;
        if (site is not null && (retry.Counter is not null || retry.Loop is not null))
        {
            RetryFixData.AddSite(properties, locations, site);
            RetryFixData.AddAttempts(properties, locations, retry);
            if (!waitLacks)
            {
                properties[RetryFixData.KeepWait] = "true";
            }

            RetryFixData.AddDelay(properties, waitLacks ? wait : null);
            RetryFixData.AddFunctionFacts(properties, wait, retry.Root, context.ContainingSymbol, retries.Http);
        }

        var endpoint = RuleText.DescribeEndpoint(retry.Sends[0], retry.Target);
        string problem;
        if (!waitLacks)
        {
            problem = "retries " + endpoint + " forever, with no attempt limit or deadline";
        }
        else
        {
            problem = "repeats " + endpoint + (wait switch
            {
                null => " with no wait between attempts",
                { DelayMilliseconds: { } milliseconds } => " after the same " + RetryText.Duration(milliseconds) + " every time",
                _ => " after the same wait every time",
            }) + (retry.IsUnbounded ? ", forever" : string.Empty);
        }

        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.RetryWithoutBackoff,
            RetryText.LoopLocation(retry),
            locations,
            properties.ToImmutable(),
            retry.Loop is null ? "This retry by recursion" : "This retry loop",
            problem,
            DescribeAdvice(retry.Target, retry.IsUnbounded)));
    }

    private static string DescribeAdvice(Knowledge.Endpoints.CatalogEntry? target, bool unbounded)
    {
        var advice = "back off exponentially with jitter so the server's counter can reset" + (unbounded ? ", and give up after a few attempts" : string.Empty);
        return target is null ? advice : advice + " (" + target.DescribeQuota() + ")";
    }

    private protected override void Report(OperationAnalysisContext context, PollyRetry retry)
    {
        if (!RetryFindings.LacksBackoff(retry))
        {
            return;
        }

        var properties = ImmutableDictionary.CreateBuilder<string, string?>();
        var locations = new List<Location>();
        string problem;
        if (retry.Kind == PollyRetryKind.Policy)
        {
            problem = retry.WaitKind == RetryWaitKind.None
                ? (retry.RunsForever ? "retries forever with no wait between attempts" : "retries with no wait between attempts")
                : "waits the same " + (retry.DelayMilliseconds is { } ms ? RetryText.Duration(ms) + " " : "time ") + "before every attempt";
            if (!retry.HasOtherArguments && RetryCount(retry) is { } count)
            {
                properties[RetryFixData.Fix] = RetryFixData.FixPolicy;
                properties[RetryCountProperty] = count;
                if (SleepDelay(retry) is { } delay)
                {
                    properties[RetryFixData.Delay] = delay.Syntax.ToString();
                    properties[RetryFixData.DelayInMilliseconds] = "false";
                }
            }
        }
        else
        {
            problem = retry.WaitKind == RetryWaitKind.None
                ? "retries with no wait between attempts (Delay = TimeSpan.Zero)"
                : "waits the same " + (retry.DelayMilliseconds is { } ms ? RetryText.Duration(ms) + " " : "time ") + "before every attempt ("
                    + (retry.Assignments.ContainsKey("BackoffType") ? "constant backoff)" : "the default constant backoff)");
            properties[RetryFixData.Fix] = RetryFixData.FixBackoffOptions;
        }

        RetryFixData.AddPollyTarget(properties, locations, retry);

        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.RetryWithoutBackoff,
            RetryText.PollyLocation(retry),
            locations,
            properties.ToImmutable(),
            RetryText.PollySubject(retry),
            problem,
            DescribeAdvice(null, retry.RunsForever)));
    }

    /// <summary>How many retries a v7 policy makes: its retry count, the number of durations, 1 for a bare <c>Retry()</c>, and 3 for a policy that retried forever.</summary>
    private static string? RetryCount(PollyRetry retry)
    {
        var call = (IInvocationOperation)retry.Operation;
        if (call.Arguments.FirstOrDefault(a => a.Parameter?.Name == "retryCount" && a.ArgumentKind == ArgumentKind.Explicit) is { } count)
        {
            return count.Value.Syntax.ToString();
        }

        if (retry.RunsForever)
        {
            return "3";
        }

        if (retry.SleepArgument is { } sleep)
        {
            return sleep.Value.DescendantsAndSelf().OfType<IArrayInitializerOperation>().FirstOrDefault() is { } durations
                ? durations.ElementValues.Length.ToString(CultureInfo.InvariantCulture)
                : null;
        }

        return "1";
    }

    /// <summary>The constant duration a v7 sleep gives, as written, to keep as the backoff's base.</summary>
    private static IOperation? SleepDelay(PollyRetry retry)
    {
        var sleep = retry.SleepArgument?.Value is { } value ? UrlText.SkipConversions(value) : null;
        return sleep switch
        {
            IDelegateCreationOperation { Target: IAnonymousFunctionOperation provider } =>
                ControlFlow.DescendantsInSameFunction(provider.Body).OfType<IReturnOperation>().FirstOrDefault()?.ReturnedValue,
            not null => sleep.DescendantsAndSelf().OfType<IArrayInitializerOperation>().FirstOrDefault()?.ElementValues.FirstOrDefault(),
            null => null,
        };
    }
}
