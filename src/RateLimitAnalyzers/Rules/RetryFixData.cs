using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using RateLimitAnalyzers.Knowledge;

namespace RateLimitAnalyzers.Rules;

/// <summary>
/// What RL0003 and RL0004 tell their fixes through <see cref="Diagnostic.Properties"/> and additional locations: where the
/// wait goes, the delay the code had, the response and the attempt counter to use. The fixes read this rather than
/// analysing the code again.
/// </summary>
internal static class RetryFixData
{
    /// <summary>Which rewrite applies; no value means no fix is offered.</summary>
    public const string Fix = "Fix";

    /// <summary>Put a wait at <see cref="Edit"/> on the first additional location.</summary>
    public const string FixWait = "Wait";

    /// <summary>Check the status before <c>EnsureSuccessStatusCode()</c> (the first additional location) throws the response away.</summary>
    public const string FixEnsureSuccess = "EnsureSuccess";

    /// <summary>Polly v8 options (the first additional location): add a DelayGenerator reading Retry-After, and exponential backoff.</summary>
    public const string FixDelayGenerator = "DelayGenerator";

    /// <summary><c>HttpRetryStrategyOptions</c> (the first additional location): turn <c>ShouldRetryAfterHeader</c> back on.</summary>
    public const string FixRetryAfterHeader = "RetryAfterHeader";

    /// <summary>Polly v8 options (the first additional location): exponential backoff with jitter.</summary>
    public const string FixBackoffOptions = "BackoffOptions";

    /// <summary>A Polly v7 retry call (the first additional location): wait with the runtime's backoff.</summary>
    public const string FixPolicy = "Policy";

    /// <summary>A <see cref="WaitEdit"/>: how the wait is placed at the first additional location.</summary>
    public const string Edit = "Edit";

    /// <summary>The local holding the throttled HttpResponseMessage.</summary>
    public const string Response = "Response";

    /// <summary>The old delay's expression, as written.</summary>
    public const string Delay = "Delay";

    /// <summary>"true" when <see cref="Delay"/> counts milliseconds (<c>Task.Delay(1000)</c>).</summary>
    public const string DelayInMilliseconds = "DelayInMilliseconds";

    /// <summary>The old delay in milliseconds, when it is a constant.</summary>
    public const string DelayMilliseconds = "DelayMilliseconds";

    /// <summary>The attempt counter to back off by.</summary>
    public const string Counter = "Counter";

    /// <summary>"true" when the fix declares <see cref="Counter"/> before the loop (the second additional location) and counts it up after the wait.</summary>
    public const string AddCounter = "AddCounter";

    /// <summary>"true" when the fix adds an attempt limit to an unbounded retry.</summary>
    public const string GiveUp = "GiveUp";

    /// <summary>"true" when the retry's own wait stays (it already grows or reads the hint) and only the attempt limit is added before it.</summary>
    public const string KeepWait = "KeepWait";

    /// <summary>The throttling statuses the code tests, comma-separated: <c>429,503</c>.</summary>
    public const string Statuses = "Statuses";

    /// <summary>The CancellationToken expression the inserted wait passes on.</summary>
    public const string CancellationToken = FunctionFacts.CancellationTokenProperty;

    // Names a person would give the counter the fix declares, in the order it tries them.
    private static readonly string[] s_counterNames = { "attempt", "retry", "attempts", "retryAttempt" };

    /// <summary>
    /// The attempt counter the new wait backs off by, and the limit a <c>while (true)</c> retry lacks: the retry's own
    /// counter, else one the fix declares before the loop (the next additional location) and counts up after the wait.
    /// Neither for a retry that is no loop and counts nothing: the fix can only wait a constant there.
    /// </summary>
    public static void AddAttempts(ImmutableDictionary<string, string?>.Builder properties, List<Location> locations, RetryLoop retry)
    {
        if (retry.Counter is { } counter)
        {
            properties[Counter] = counter.Name;
        }
        else if (retry.Loop is not null)
        {
            properties[Counter] = FunctionFacts.FreshName(retry.Root.Syntax, s_counterNames);
            properties[AddCounter] = "true";
            locations.Add(retry.Root.Syntax.GetLocation());
        }
        else
        {
            return;
        }

        if (retry.IsUnbounded)
        {
            properties[GiveUp] = "true";
        }
    }

    /// <summary>Where a Polly fix rewrites (the options or the retry call) and the delay it keeps, once a fix was chosen.</summary>
    public static void AddPollyTarget(ImmutableDictionary<string, string?>.Builder properties, List<Location> locations, PollyRetry retry)
    {
        if (!properties.ContainsKey(Fix))
        {
            return;
        }

        locations.Add(retry.Operation.Syntax.GetLocation());
        if (retry.DelayMilliseconds is { } milliseconds)
        {
            properties[DelayMilliseconds] = milliseconds.ToString(CultureInfo.InvariantCulture);
        }
    }

    public static void AddSite(ImmutableDictionary<string, string?>.Builder properties, List<Location> locations, WaitSite site)
    {
        properties[Fix] = FixWait;
        properties[Edit] = site.Edit.ToString();
        locations.Insert(0, site.Node.GetLocation());
    }

    /// <summary>The old wait's delay, which the new wait keeps as its base or fallback.</summary>
    public static void AddDelay(ImmutableDictionary<string, string?>.Builder properties, RetryWait? wait)
    {
        if (wait?.Delay is not { } delay)
        {
            return;
        }

        properties[Delay] = delay.Syntax.ToString();
        properties[DelayInMilliseconds] = wait.DelayInMilliseconds ? "true" : "false";
        if (wait.DelayMilliseconds is { } milliseconds)
        {
            properties[DelayMilliseconds] = milliseconds.ToString(CultureInfo.InvariantCulture);
        }
    }

    /// <summary>Whether the function is async, and the token the new wait takes: the old wait's own, else the function's.</summary>
    public static void AddFunctionFacts(ImmutableDictionary<string, string?>.Builder properties, RetryWait? wait, IOperation at, ISymbol containingSymbol, HttpKnowledge knowledge)
    {
        FunctionFacts.Add(properties, at, containingSymbol, knowledge);
        if (wait?.Token is { } token)
        {
            properties[CancellationToken] = token.Syntax.ToString();
        }
    }
}
