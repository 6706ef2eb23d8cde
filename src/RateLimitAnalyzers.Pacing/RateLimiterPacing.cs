using System;
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
    /// stays free of it. Each turn is one permit; its lease is released as soon as the turn is taken, so a
    /// ConcurrencyLimiter bounds nothing here. The pacer still holds its callers for a server's Retry-After.
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
                using (var lease = _limiter.AttemptAcquire(1))
                {
                    retryAfter = lease.IsAcquired ? TimeSpan.Zero : WaitOf(lease);
                    return lease.IsAcquired;
                }
            }

            public override async Task<TimeSpan?> TakeTurnAsync(TimeSpan maxWait, CancellationToken cancellationToken)
            {
                if (maxWait == Timeout.InfiniteTimeSpan)
                {
                    return Outcome(await _limiter.AcquireAsync(1, cancellationToken).ConfigureAwait(false));
                }

                // A limiter that queues waits inside AcquireAsync, past any deadline it is not told about.
                using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    deadline.CancelAfter(maxWait);
                    try
                    {
                        return Outcome(await _limiter.AcquireAsync(1, deadline.Token).ConfigureAwait(false));
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        // Longer than the caller allows: the pacer reports it as a missed deadline.
                        return maxWait + TimeSpan.FromTicks(1);
                    }
                }
            }

            private static TimeSpan? Outcome(RateLimitLease lease)
            {
                using (lease)
                {
                    return lease.IsAcquired ? (TimeSpan?)null : WaitOf(lease);
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
