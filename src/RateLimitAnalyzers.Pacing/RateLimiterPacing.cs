using System;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.RateLimiting;
using System.Threading.Tasks;

namespace RateLimitAnalyzers.Pacing
{
    /// <summary>
    /// Paces the runtime's requests with a <see cref="RateLimiter"/>, such as one that keeps a quota in a
    /// store several processes share (RateLimitAnalyzers.Pacing.Redis):
    /// <c>policy.UseRateLimiter(limiter)</c>, or <c>await limiter.ToRequestPacer().WaitTurnAsync(ct)</c> in a
    /// paging loop.
    /// </summary>
    /// <remarks>
    /// Emitted into projects that reference System.Threading.RateLimiting, so the rest of the runtime
    /// stays free of it. Each turn is one permit. With the retrying send (<see cref="RateLimitedHandler"/>,
    /// <see cref="RateLimitedSend"/>) its lease is disposed when the attempt's response came, or the attempt
    /// failed: a limiter that counts a permit from its lease's end (RedisRateLimiter) counts it from a time the
    /// request had reached the server by, and a ConcurrencyLimiter bounds the requests in flight. A turn taken with
    /// <see cref="RequestPacer.WaitTurnAsync(CancellationToken)"/> has no response to wait for: its lease is
    /// disposed as soon as it is taken. The pacer still holds its callers for a server's Retry-After.
    /// </remarks>
    internal static class RateLimiterPacing
    {
        /// <summary>Makes every attempt sent under <paramref name="policy"/> wait for a permit of <paramref name="limiter"/>, instead of the pacer shared in this process.</summary>
        public static RateLimitPolicy UseRateLimiter(this RateLimitPolicy policy, RateLimiter limiter)
        {
            if (policy == null)
            {
                throw new ArgumentNullException(nameof(policy));
            }

            policy.Pacer = limiter.ToRequestPacer();
            return policy;
        }

        /// <summary>A pacer of its own whose every turn is a permit of <paramref name="limiter"/>.</summary>
        public static RequestPacer ToRequestPacer(this RateLimiter limiter)
        {
            return new RequestPacer(new RateLimiterQuota(limiter));
        }

        private sealed class RateLimiterQuota : ExternalQuota
        {
            // A limiter that refuses without saying for how long (a full queue) is asked again after this.
            private static readonly TimeSpan s_unknownWait = TimeSpan.FromSeconds(1);

            private readonly RateLimiter _limiter;

            public RateLimiterQuota(RateLimiter limiter)
            {
                if (limiter == null)
                {
                    throw new ArgumentNullException(nameof(limiter));
                }

                _limiter = limiter;
            }

            public override bool TryTakeTurn(out TimeSpan retryAfter)
            {
                IDisposable held;
                var taken = TryTakeTurn(out retryAfter, out held);
                if (held != null)
                {
                    held.Dispose();
                }

                return taken;
            }

            internal override bool TryTakeTurn(out TimeSpan retryAfter, out IDisposable held)
            {
                var lease = _limiter.AttemptAcquire(1);
                var box = new StrongBox<IDisposable>();
                var refused = Outcome(lease, box);
                retryAfter = refused ?? TimeSpan.Zero;
                held = box.Value;
                return !refused.HasValue;
            }

            public override async Task<TimeSpan?> TakeTurnAsync(TimeSpan maxWait, CancellationToken cancellationToken)
            {
                var held = new StrongBox<IDisposable>();
                var refused = await TakeTurnAsync(maxWait, held, cancellationToken).ConfigureAwait(false);
                if (held.Value != null)
                {
                    held.Value.Dispose();
                }

                return refused;
            }

            internal override async Task<TimeSpan?> TakeTurnAsync(TimeSpan maxWait, StrongBox<IDisposable> held, CancellationToken cancellationToken)
            {
                if (maxWait == Timeout.InfiniteTimeSpan)
                {
                    return Outcome(await _limiter.AcquireAsync(1, cancellationToken).ConfigureAwait(false), held);
                }

                // A limiter that queues waits inside AcquireAsync, past any deadline it is not told about.
                using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    deadline.CancelAfter(maxWait);
                    try
                    {
                        return Outcome(await _limiter.AcquireAsync(1, deadline.Token).ConfigureAwait(false), held);
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        // Longer than the caller allows: the pacer reports it as a missed deadline.
                        return maxWait + TimeSpan.FromTicks(1);
                    }
                }
            }

            /// <summary>Null for a granted lease, which goes to <paramref name="held"/>; a refused one is disposed at once.</summary>
            private static TimeSpan? Outcome(RateLimitLease lease, StrongBox<IDisposable> held)
            {
                if (lease.IsAcquired)
                {
                    held.Value = lease;
                    return null;
                }

                using (lease)
                {
                    return WaitOf(lease);
                }
            }

            private static TimeSpan WaitOf(RateLimitLease lease)
            {
                TimeSpan retryAfter;
                return lease.TryGetMetadata(MetadataName.RetryAfter, out retryAfter) && retryAfter > TimeSpan.Zero ? retryAfter : s_unknownWait;
            }
        }
    }
}
