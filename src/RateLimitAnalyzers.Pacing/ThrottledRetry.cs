using System;
using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace RateLimitAnalyzers.Pacing
{
    /// <summary>
    /// The one retry loop behind <see cref="RateLimitedHandler"/> and <see cref="RateLimitedSend"/>: wait for
    /// a turn on the policy's pacer, send, and when the server says it refused the request for its rate
    /// limit, wait as long as it asked (or back off) and send again.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Only a refusal the server states is retried: a throttle status, a throttle body, a 503 with
    /// Retry-After. A refused request was not processed, so retrying it is safe for POST and PATCH too; but
    /// a POST or PATCH answered with a success status may have been processed whatever its body says, so it
    /// is returned, never sent again. A 403 is a refusal only with a throttle's sign (Retry-After, a
    /// remaining count of 0, a throttle body): otherwise it is a permission error, returned at once. A
    /// timeout or a broken connection says nothing about whether the server acted on the request, so those
    /// exceptions propagate unchanged, for every method, GET included: this runtime keeps callers inside a
    /// quota; retrying transient network faults is a resilience policy, and belongs to one.
    /// </para>
    /// <para>
    /// Written once for both worlds: with <c>async</c> false every step runs synchronously and the returned
    /// task has completed by the time the caller gets it, the way SocketsHttpHandler shares its own sync and
    /// async paths.
    /// </para>
    /// </remarks>
    internal static class ThrottledRetry
    {
        // A refusal is a short error document; a body larger than this is data.
        private const int LargestThrottleBody = 64 * 1024;

        public static async Task<T> RunAsync<T>(RateLimitPolicy policy, Func<CancellationToken, Task<T>> send, bool async, CancellationToken cancellationToken)
        {
            var clock = policy.Clock;
            var deadline = Deadline(clock, policy.MaxWait);
            Throttle last = null;
            for (var attempt = 1; ; attempt++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var held = new StrongBox<IDisposable>();
                await WaitTurnAsync(policy, deadline, last, attempt, held, async, cancellationToken).ConfigureAwait(false);
                var pacer = policy.Pacer;
                var grantedAt = pacer == null ? TimeSpan.Zero : pacer.Now;

                T result;
                Throttle throttle;
                try
                {
                    try
                    {
                        result = await send(cancellationToken).ConfigureAwait(false);
                    }
                    finally
                    {
                        // The response came (or the send failed): the request had reached the server by then, if
                        // at all, so a quota kept elsewhere may count its turn from now.
                        if (held.Value != null)
                        {
                            held.Value.Dispose();
                        }
                    }

                    if (pacer != null)
                    {
                        pacer.HoldUntil(grantedAt, pacer.Now);
                    }

                    throttle = await ClassifyAsync(policy, result, async, cancellationToken).ConfigureAwait(false);
                }
                catch (HttpRequestException exception) when (IsThrottle(policy, exception))
                {
                    result = default(T);
                    throttle = new Throttle(StatusCodeOf(exception), null, exception);
                }
                catch (InvalidOperationException exception) when (last != null)
                {
                    // HttpClient refuses to send one request message twice: the send reuses a message built
                    // outside it. Report the throttle that made the retry necessary, not a puzzle.
                    throw Exceeded(policy, last, attempt - 1, "were throttled, and the retry could not send the request again (" + exception.Message +
                        "). Create the HttpRequestMessage inside the send, or use RateLimitedSend.SendAsync, which sends a fresh copy on every attempt.", exception);
                }

                if (throttle == null)
                {
                    return result;
                }

                last = throttle;
                var response = (object)result as HttpResponseMessage;
                if (response != null)
                {
                    response.Dispose();
                }

                var serverWait = throttle.ServerWait;
                if (attempt >= policy.MaxAttempts)
                {
                    throw Exceeded(policy, throttle, attempt, "were throttled on all " + attempt + " attempts.");
                }

                if (serverWait > policy.MaxRetryAfter)
                {
                    throw Exceeded(policy, throttle, attempt, "were throttled, and the server asked to wait " + serverWait.Value +
                        ", longer than the policy's MaxRetryAfter of " + policy.MaxRetryAfter + "; failing now instead of waiting.");
                }

                var wait = serverWait ?? Backoff.Exponential(attempt - 1, policy.BaseDelay, policy.MaxDelay);
                if (deadline != TimeSpan.MaxValue && wait > deadline - clock.Elapsed)
                {
                    throw Exceeded(policy, throttle, attempt, "were throttled, and waiting " + wait + " for the next attempt would pass the policy's MaxWait of " +
                        policy.MaxWait + "; failing now instead of waiting.");
                }

                if (async)
                {
                    await clock.Delay(wait, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    clock.Sleep(wait, cancellationToken);
                }
            }
        }

        private static async Task WaitTurnAsync(RateLimitPolicy policy, TimeSpan deadline, Throttle last, int attempt, StrongBox<IDisposable> held, bool async, CancellationToken cancellationToken)
        {
            var pacer = policy.Pacer;
            if (pacer == null)
            {
                return;
            }

            var maxWait = Remaining(policy.Clock, deadline);
            try
            {
                if (async)
                {
                    await pacer.WaitTurnAsync(maxWait, held, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    held.Value = pacer.WaitHeldTurn(maxWait, cancellationToken);
                }
            }
            catch (PacingDeadlineExceededException exception)
            {
                throw Exceeded(policy, last, attempt - 1, "have no room in the quota for another " + exception.RequiredWait +
                    ", longer than the policy's MaxWait of " + policy.MaxWait + " allows; failing now instead of waiting.", exception);
            }
        }

        private static Task<Throttle> ClassifyAsync<T>(RateLimitPolicy policy, T result, bool async, CancellationToken cancellationToken)
        {
            var response = (object)result as HttpResponseMessage;
            if (response != null)
            {
                return ClassifyResponseAsync(policy, response, async, cancellationToken);
            }

            // GetStringAsync hands over only the body, and Agora's refusal arrives with 200. Neither the
            // method nor the status is known here: GetStringAsync is a GET, and answers only success.
            var text = (object)result as string;
            var marker = policy.ThrottleBodyContains;
            var throttled = text != null && marker != null && ThrottleMarker.IsIn(text, marker, StringComparison.Ordinal);
            return Task.FromResult(throttled ? new Throttle(null, null, null) : null);
        }

        private static async Task<Throttle> ClassifyResponseAsync(RateLimitPolicy policy, HttpResponseMessage response, bool async, CancellationToken cancellationToken)
        {
            try
            {
                var now = policy.Clock.UtcNow;
                var headers = RateLimitHeaders.Parse(response, now);
                if (policy.Pacer != null)
                {
                    // The quota the headers announce paces every caller of the key from now on, for APIs such
                    // as SUSE's whose number is documented nowhere else.
                    policy.Pacer.Learn(headers, policy.MaxRetryAfter);
                }

                // A server that reports its quota used up will refuse whoever sends next, whatever this
                // response was; remaining requests never loosen the pacer, since a pause only ever grows.
                var exhaustedFor = headers.ExhaustedFor;
                TimeSpan retryAfter;
                var hasRetryAfter = RetryAfter.TryGetDelay(response, now, out retryAfter);
                var status = (int)response.StatusCode;
                bool throttled;
                if (status == 403 && policy.IsThrottleStatus(status))
                {
                    // GitHub answers both a used-up quota and a missing permission with 403; only a sign of
                    // the first makes it worth waiting for.
                    throttled = hasRetryAfter || headers.Remaining == 0
                        || await HasThrottleBodyAsync(policy, response, true, async, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    throttled = policy.IsThrottleStatus(status)
                        || (status == 503 && hasRetryAfter) // 503 also means "down"; Retry-After makes it "come back later".
                        || await HasThrottleBodyAsync(policy, response, false, async, cancellationToken).ConfigureAwait(false);
                }

                // The RateLimit draft: Retry-After takes precedence over the quota's reset.
                var serverWait = throttled && hasRetryAfter ? retryAfter : exhaustedFor;
                if (serverWait.HasValue && policy.Pacer != null)
                {
                    // Retry-After speaks for the whole key, so every caller sharing the pacer waits, each for
                    // no longer than the policy trusts a server's wait.
                    policy.Pacer.PauseFor(serverWait.Value < policy.MaxRetryAfter ? serverWait.Value : policy.MaxRetryAfter);
                }

                return throttled && MaySendAgain(response) ? new Throttle(response.StatusCode, serverWait, null) : null;
            }
            catch
            {
                response.Dispose();
                throw;
            }
        }

        /// <summary>
        /// Whether the body says "throttled": the policy's marker, for the statuses it applies to; its
        /// classifier; and for a 403 that only a sign makes a throttle (<paramref name="forbidden"/>), also
        /// GitHub's documented wording.
        /// </summary>
        private static async Task<bool> HasThrottleBodyAsync(RateLimitPolicy policy, HttpResponseMessage response, bool forbidden, bool async, CancellationToken cancellationToken)
        {
            var marker = policy.ThrottleBodyContains;
            var markerApplies = marker != null && (forbidden || policy.IsThrottleBodyStatus((int)response.StatusCode));
            var classifier = policy.Classifier;
            if (!markerApplies && !forbidden && classifier == null)
            {
                return false;
            }

            var body = await HttpContentBuffer.ReadSmallTextAsync(response, LargestThrottleBody, async, cancellationToken).ConfigureAwait(false);
            if (body == null)
            {
                return false;
            }

            return (markerApplies && ThrottleMarker.IsIn(body, marker, StringComparison.Ordinal))
                || (forbidden && (ThrottleMarker.IsIn(body, "secondary rate limit", StringComparison.OrdinalIgnoreCase) || ThrottleMarker.IsIn(body, "rate limit exceeded", StringComparison.OrdinalIgnoreCase)))
                || (classifier != null && classifier(response, body));
        }

        /// <summary>
        /// A refusal status was not processed, so any method may be sent again. A success status may have
        /// been, whatever its body says: only an idempotent method (RFC 9110 §9.2.2) may then be repeated.
        /// </summary>
        private static bool MaySendAgain(HttpResponseMessage response)
        {
            var status = (int)response.StatusCode;
            if (status < 200 || status > 299)
            {
                return true;
            }

            var method = response.RequestMessage == null ? null : response.RequestMessage.Method;
            return method == HttpMethod.Get || method == HttpMethod.Head || method == HttpMethod.Options
                || method == HttpMethod.Trace || method == HttpMethod.Put || method == HttpMethod.Delete;
        }

        private static bool IsThrottle(RateLimitPolicy policy, HttpRequestException exception)
        {
            // A RateLimitExceededException was retried already; retrying it again multiplies the attempts.
            var status = StatusCodeOf(exception);
            // An exception carries no headers or body, so a 403 in it has no sign of throttling.
            return !(exception is RateLimitExceededException) && status.HasValue && status.Value != HttpStatusCode.Forbidden && policy.IsThrottleStatus((int)status.Value);
        }

        private static HttpStatusCode? StatusCodeOf(HttpRequestException exception)
        {
#if NET5_0_OR_GREATER
            // EnsureSuccessStatusCode, GetStringAsync and their kin put the refused status here.
            return exception.StatusCode;
#else
            // Before .NET 5 the status is only in the exception's localized message: no signal to rely on.
            return null;
#endif
        }

        private static TimeSpan Deadline(PacingClock clock, TimeSpan maxWait)
        {
            if (maxWait == Timeout.InfiniteTimeSpan)
            {
                return TimeSpan.MaxValue;
            }

            return PacingClock.After(clock.Elapsed, maxWait);
        }

        /// <summary>What is left of the send's MaxWait, as the pacer's maxWait argument.</summary>
        private static TimeSpan Remaining(PacingClock clock, TimeSpan deadline)
        {
            if (deadline == TimeSpan.MaxValue)
            {
                return Timeout.InfiniteTimeSpan;
            }

            var left = deadline - clock.Elapsed;
            return left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }

        private static RateLimitExceededException Exceeded(RateLimitPolicy policy, Throttle last, int attempts, string reason, Exception innerException = null)
        {
            var message = "Requests to '" + policy.Key + "' " + reason;
            if (last != null)
            {
                message += " Last refusal: " +
                    (last.StatusCode.HasValue ? "status " + ((int)last.StatusCode.Value).ToString(CultureInfo.InvariantCulture) : "no status") +
                    (last.ServerWait.HasValue ? ", server asked to wait " + last.ServerWait.Value : ", no Retry-After") + ".";
            }

            return new RateLimitExceededException(
                message,
                policy.Key,
                last == null ? null : last.StatusCode,
                attempts,
                last == null ? null : last.ServerWait,
                innerException ?? (last == null ? null : last.Exception));
        }

        /// <summary>How the server refused one attempt.</summary>
        private sealed class Throttle
        {
            public Throttle(HttpStatusCode? statusCode, TimeSpan? serverWait, Exception exception)
            {
                StatusCode = statusCode;
                ServerWait = serverWait;
                Exception = exception;
            }

            public HttpStatusCode? StatusCode { get; }

            /// <summary>Retry-After, or the reset of a used-up quota; null when the server gave neither.</summary>
            public TimeSpan? ServerWait { get; }

            /// <summary>The exception that reported the refusal, when no response did.</summary>
            public Exception Exception { get; }
        }
    }
}
