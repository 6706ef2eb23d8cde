using System.Collections.Immutable;
using System.Linq;
using RateLimitAnalyzers.Knowledge;

namespace RateLimitAnalyzers.Rules;

/// <summary>
/// Which retries RL0003 and RL0004 report, from what the knowledge says a retry does: one finding per root cause, so a
/// retry that ignores Retry-After is RL0003's alone (its fix brings the backoff too).
/// </summary>
internal static class RetryFindings
{
    /// <summary>The throttle checks that wait or retry without the server's hint: RL0003's findings.</summary>
    public static ImmutableArray<ThrottleHandling> IgnoredThrottles(RetryLoop retry) =>
        retry.ReadsHint || !retry.ServerSendsHint || retry.Sends.IsEmpty
            ? ImmutableArray<ThrottleHandling>.Empty
            : retry.Throttles.Where(t => t.Retries || (retry.Loop is null && t.Wait is not null)).ToImmutableArray();

    /// <summary>
    /// RL0004's finding: a retry that waits nothing or the same time before every attempt, or a <c>while (true)</c>
    /// retry with no bound; not when it ignores Retry-After.
    /// </summary>
    public static bool LacksBackoff(RetryLoop retry) =>
        retry.IsRetry && IgnoredThrottles(retry).IsEmpty && ((!retry.ReadsHint && retry.WaitKind <= RetryWaitKind.Constant) || retry.IsUnbounded);

    /// <summary>RL0003's finding: HTTP work, 429 or 503 handled, and the wait does not read Retry-After.</summary>
    public static bool IgnoresRetryAfter(PollyRetry retry) => retry.IsHttp && retry.HandlesThrottle && !retry.ReadsHint;

    /// <summary>RL0004's finding: HTTP work retried with no wait or a constant one, unless RL0003 reports it already.</summary>
    public static bool LacksBackoff(PollyRetry retry) => retry.IsHttp && !IgnoresRetryAfter(retry) && !retry.ReadsHint && retry.WaitKind <= RetryWaitKind.Constant;
}
