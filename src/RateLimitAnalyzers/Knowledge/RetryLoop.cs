using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using RateLimitAnalyzers.Knowledge.Endpoints;

namespace RateLimitAnalyzers.Knowledge;

/// <summary>
/// A loop or a method body looked at as a retry: the request it repeats, where it tells a throttled response from others
/// and what it does then, how it waits between attempts, and what bounds it. Built by <see cref="RetryKnowledge"/>;
/// RL0003 and RL0004 both read it; which of them reports what is decided in <see cref="Rules.RetryFindings"/>.
/// </summary>
internal sealed class RetryLoop
{
    internal RetryLoop(IOperation root)
    {
        Root = root;
    }

    /// <summary>The loop, or the body of the method or local function (for a retry by recursion, or for throttle checks outside any loop).</summary>
    public IOperation Root { get; }

    public ILoopOperation? Loop => Root as ILoopOperation;

    /// <summary>The call by which the method retries itself, when it does.</summary>
    public IInvocationOperation? RecursiveCall { get; init; }

    /// <summary>The requests sent: every iteration's for a loop, all of them for a method body.</summary>
    public ImmutableArray<RequestSend> Sends { get; init; } = ImmutableArray<RequestSend>.Empty;

    /// <summary>The catalog entry the first catalogued request targets, if any.</summary>
    public CatalogEntry? Target { get; init; }

    /// <summary>Whether this repeats the same request after observing a failure (a catch, a status check), and stops once it succeeds.</summary>
    public bool IsRetry { get; init; }

    /// <summary>Where the code tells a throttled response from others, and what it does then.</summary>
    public ImmutableArray<ThrottleHandling> Throttles { get; init; } = ImmutableArray<ThrottleHandling>.Empty;

    /// <summary>Whether anything here reads the server's hint: <c>Headers.RetryAfter</c>, the <c>Retry-After</c> or a rate-limit header by name, the runtime's helpers.</summary>
    public bool ReadsHint { get; init; }

    /// <summary>The calls that wait, anywhere in the retry.</summary>
    public ImmutableArray<RetryWait> Waits { get; init; } = ImmutableArray<RetryWait>.Empty;

    /// <summary>
    /// The attempt counter a fix backs off by (<c>attempt</c> in <c>for (var attempt = 0; ...; attempt++)</c>, or a parameter
    /// the recursion passes on counted up), if any; a counter of attempts left (<c>left--</c>) is none, its waits would shrink.
    /// </summary>
    public ISymbol? Counter { get; init; }

    /// <summary>Whether an attempt counter is compared with a limit somewhere.</summary>
    public bool HasAttemptLimit { get; init; }

    /// <summary>Whether something stops the retry in time: a clock or stopwatch comparison, a cancellation check.</summary>
    public bool HasDeadline { get; init; }

    /// <summary>Whether the loop's own condition never stops it (<c>while (true)</c>, <c>for (;;)</c>).</summary>
    public bool RunsForever { get; init; }

    /// <summary>Where a fix puts the wait between attempts when the retry has none, or replaces its constant one.</summary>
    public WaitSite? BackoffSite { get; init; }

    /// <summary>How the retry waits between attempts: the strongest of its waits.</summary>
    public RetryWaitKind WaitKind => Waits.IsEmpty ? RetryWaitKind.None : Waits.Max(w => w.Kind);

    /// <summary>A <c>while (true)</c> retry with no attempt limit and no deadline.</summary>
    public bool IsUnbounded => Loop is not null && RunsForever && !HasAttemptLimit && !HasDeadline;

    /// <summary>
    /// Whether the server can say how long to wait: unknown endpoints may (most APIs send <c>Retry-After</c> with 429 and
    /// 503); a catalogued one only if it documents <c>Retry-After</c> or rate-limit headers. Agora answers with a body and
    /// no header: there, the retry needs backoff (RL0004), not a header it will never get.
    /// </summary>
    public bool ServerSendsHint => Target is null || Target.SendsRetryAfter || !Target.RateLimitHeaders.IsDefaultOrEmpty;
}

/// <summary>Which part of the code runs for a throttled response.</summary>
internal enum ThrottlePathKind
{
    /// <summary>The branch of an <c>if</c> taken for it.</summary>
    Branch,

    /// <summary>The statements after an <c>if (status != 429) return ...;</c>.</summary>
    FollowingStatements,

    /// <summary>A <c>case HttpStatusCode.TooManyRequests:</c> section.</summary>
    SwitchCase,

    /// <summary>A <c>catch (HttpRequestException e) when (e.StatusCode == ...)</c> clause.</summary>
    CatchClause,

    /// <summary>The next iteration of <c>do { ... } while (response.StatusCode == ...)</c>.</summary>
    LoopCondition,
}

/// <summary>One place that tells a throttled response from others, and what runs for it.</summary>
internal sealed class ThrottleHandling
{
    internal ThrottleHandling(IOperation test, ThrottleTest signal, ThrottlePathKind kind, ImmutableArray<IOperation> path)
    {
        Test = test;
        Signal = signal;
        Kind = kind;
        Path = path;
    }

    /// <summary>The condition, case label or catch filter that sees the throttled response.</summary>
    public IOperation Test { get; }

    public ThrottleTest Signal { get; }

    public ThrottlePathKind Kind { get; }

    /// <summary>The statements that run for the throttled response.</summary>
    public ImmutableArray<IOperation> Path { get; }

    /// <summary>Whether the throttled response leads to another attempt: the loop goes on, or the method calls itself.</summary>
    public bool Retries { get; init; }

    /// <summary>The first wait on the path, if any.</summary>
    public RetryWait? Wait { get; init; }

    /// <summary>For a catch filter: the <c>EnsureSuccessStatusCode()</c> whose exception the catch takes, after the response's headers are gone.</summary>
    public IInvocationOperation? EnsureSuccess { get; init; }

    /// <summary>Where a fix puts the Retry-After-aware wait on this path.</summary>
    public WaitSite? Site { get; init; }

    /// <summary>The response whose status was tested, when a local holds it and it is an HttpResponseMessage.</summary>
    public ILocalSymbol? Response { get; init; }
}

/// <summary>How a fix places a wait.</summary>
internal enum WaitEdit
{
    /// <summary>Replace the statement that waits.</summary>
    Replace,

    /// <summary>Insert before the statement (a <c>continue</c>, the recursive call).</summary>
    InsertBefore,

    /// <summary>Append to the end of the block (a catch block, the loop body).</summary>
    Append,
}

/// <summary>Where a fix puts a wait: the analyzer finds it, the fix reads it from the diagnostic.</summary>
internal sealed record WaitSite(WaitEdit Edit, SyntaxNode Node);
