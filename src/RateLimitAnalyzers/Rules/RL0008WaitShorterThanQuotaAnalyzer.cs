using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using RateLimitAnalyzers.Knowledge;
using RateLimitAnalyzers.Knowledge.Endpoints;

namespace RateLimitAnalyzers.Rules;

/// <summary>
/// RL0008: a loop against a catalogued endpoint that does wait between requests, but a fixed time shorter than the
/// quota allows (<c>Task.Delay(100)</c> against 1 request per second): it is still throttled, only later.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class RL0008WaitShorterThanQuotaAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property: the pacer key the fix shares the pacer under.</summary>
    public const string EndpointKeyProperty = RL0001PagingLoopWithoutPacingAnalyzer.EndpointKeyProperty;

    /// <summary>Diagnostic property: the quota the fix writes into the code.</summary>
    public const string QuotaProperty = RL0001PagingLoopWithoutPacingAnalyzer.QuotaProperty;

    /// <summary>Diagnostic property: "true" when the wait is <c>Task.Delay</c>, so the fix awaits the pacer.</summary>
    public const string IsAsyncProperty = FunctionFacts.IsAsyncProperty;

    /// <summary>Diagnostic property: the token the pacer's wait is given: the delay's own, else the function's.</summary>
    public const string CancellationTokenProperty = FunctionFacts.CancellationTokenProperty;

    /// <summary>Diagnostic property: "true" when the loop has this one fixed wait, which the fix can replace.</summary>
    public const string IsOnlyWaitProperty = "IsOnlyWait";

    // Windows up to a minute long: any loop that runs for one window's length meets them. A longer window (5,000 an hour)
    // binds only a run that lasts that long, which a loop's code does not show.
    private static readonly TimeSpan s_longestWindowConsidered = TimeSpan.FromMinutes(1);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.WaitShorterThanQuota);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(OnCompilationStart);
    }

    private static void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        var knowledge = HttpKnowledge.For(context.Compilation, context.Options, context.CancellationToken);
        if (knowledge is null)
        {
            return;
        }

        GatedOperationActions.Register(context, knowledge, c => AnalyzeLoop(c, knowledge), OperationKind.Loop);
    }

    private static void AnalyzeLoop(OperationAnalysisContext context, HttpKnowledge knowledge)
    {
        var loop = (ILoopOperation)context.Operation;
        var facts = RequestLoop.Analyze(loop, knowledge, context.CancellationToken);
        if (facts.EverySends.IsEmpty || !facts.IsPaced || facts.IsRetry
            || facts.FindTarget(knowledge, context.CancellationToken) is not { Entry: { HasQuota: true } target } resolved
            || Interval(target) is not { } interval
            || facts.EverySends.Any(send => knowledge.SendsThroughPacingHandler(send, context.CancellationToken)))
        {
            // A client whose handler covers the endpoint waits for a turn under its quota before each request: a short
            // delay beside it costs time, not quota.
            return;
        }

        // Every wait in the iteration must be a fixed delay that runs every time: a pacer, a limiter, a helper or a wait
        // the server's headers drive may be what keeps the pace, and a conditional delay is not the loop's pace.
        var waits = new List<(IInvocationOperation Call, TimeSpan Duration)>();
        foreach (var call in ControlFlow.DescendantsInSameFunction(loop.Body).OfType<IInvocationOperation>())
        {
            if (!knowledge.IsPacing(call, context.CancellationToken))
            {
                continue;
            }

            if (FixedDelay(call, knowledge) is not { } duration || !ControlFlow.RunsEveryTime(call, loop) || knowledge.FollowsServerPacing(call, context.CancellationToken))
            {
                return;
            }

            waits.Add((call, duration));
        }

        var total = TimeSpan.FromTicks(waits.Sum(w => w.Duration.Ticks));
        if (waits.Count == 0 || total >= interval.Interval)
        {
            return;
        }

        var first = waits.OrderBy(w => w.Call.Syntax.SpanStart).First().Call;
        var properties = ImmutableDictionary.CreateBuilder<string, string?>();
        var additionalLocations = ImmutableArray<Location>.Empty;
        if (PacingFixData.AddClientFixLikeRL0002(properties, context.Compilation, context.Options, resolved, target, knowledge, context.CancellationToken) is { } client)
        {
            // RL0002 reports the same request and gives its client this endpoint's policy: the loop is then paced by that
            // client, once, whichever fix runs first; the delay stays, as it does after RL0002's fix.
            additionalLocations = ImmutableArray.Create(client);
        }

        properties[EndpointKeyProperty] = target.Key;
        properties[QuotaProperty] = QuotaText.Format(target.Quota);
        properties[IsOnlyWaitProperty] = waits.Count == 1 ? "true" : "false";
        FunctionFacts.Add(properties, first, context.ContainingSymbol, knowledge);
        properties[IsAsyncProperty] = knowledge.Is(first.TargetMethod.ContainingType, knowledge.Task) ? "true" : "false";
        if (first.Arguments.FirstOrDefault(a => knowledge.Is(a.Parameter?.Type, knowledge.CancellationToken) && a.ArgumentKind == ArgumentKind.Explicit) is { } token)
        {
            properties[CancellationTokenProperty] = token.Value.Syntax.ToString();
        }

        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.WaitShorterThanQuota,
            first.Syntax.GetLocation(),
            additionalLocations,
            properties.ToImmutable(),
            Milliseconds(total),
            target.Name,
            interval.Window.Describe(),
            Milliseconds(interval.Interval)));
    }

    /// <summary>The longest time one request must take, W/N, over the windows up to a minute long; null when there are none.</summary>
    private static (QuotaWindowInfo Window, TimeSpan Interval)? Interval(CatalogEntry target)
    {
        (QuotaWindowInfo Window, TimeSpan Interval)? tightest = null;
        foreach (var window in target.Quota)
        {
            if (window.Limit <= 0 || window.Period > s_longestWindowConsidered)
            {
                continue;
            }

            var interval = TimeSpan.FromTicks(window.Period.Ticks / window.Limit);
            if (tightest is null || interval > tightest.Value.Interval)
            {
                tightest = (window, interval);
            }
        }

        return tightest;
    }

    /// <summary>The duration of <c>Task.Delay(100)</c>, <c>Thread.Sleep(TimeSpan.FromMilliseconds(100))</c>: a constant the code shows; null for any other wait.</summary>
    private static TimeSpan? FixedDelay(IInvocationOperation call, HttpKnowledge knowledge)
    {
        if (!(call.TargetMethod.Name == "Delay" && knowledge.Is(call.TargetMethod.ContainingType, knowledge.Task))
            && !(call.TargetMethod.Name == "Sleep" && knowledge.Is(call.TargetMethod.ContainingType, knowledge.Thread)))
        {
            return null;
        }

        var argument = call.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 0);
        if (argument is null)
        {
            return null;
        }

        var value = UrlText.SkipConversions(argument.Value);
        if (value.ConstantValue is { HasValue: true, Value: int milliseconds })
        {
            return milliseconds > 0 ? TimeSpan.FromMilliseconds(milliseconds) : null;
        }

        if (value is IInvocationOperation { TargetMethod: { IsStatic: true, ContainingType.Name: "TimeSpan" } factory, Arguments.Length: 1 } made
            && UrlText.SkipConversions(made.Arguments[0].Value).ConstantValue is { HasValue: true, Value: { } number })
        {
            var amount = Convert.ToDouble(number, CultureInfo.InvariantCulture);
            TimeSpan? duration = factory.Name switch
            {
                "FromMilliseconds" => TimeSpan.FromMilliseconds(amount),
                "FromSeconds" => TimeSpan.FromSeconds(amount),
                "FromMinutes" => TimeSpan.FromMinutes(amount),
                _ => null,
            };
            return duration > TimeSpan.Zero ? duration : null;
        }

        return null;
    }

    private static string Milliseconds(TimeSpan duration) =>
        Math.Round(duration.TotalMilliseconds).ToString("N0", CultureInfo.InvariantCulture) + " ms";
}
