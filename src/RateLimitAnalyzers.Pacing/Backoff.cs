using System;
using System.Threading;
using System.Threading.Tasks;

namespace RateLimitAnalyzers.Pacing
{
    /// <summary>
    /// Exponential backoff with full jitter, for retries where the server gave no Retry-After. Waiting a
    /// random time between zero and the exponential cap spreads callers that were throttled together, so
    /// they do not all come back in the same instant and get throttled together again, as they would with
    /// a fixed or a merely doubling wait.
    /// </summary>
    internal static class Backoff
    {
        // Random is not thread-safe and netstandard2.0 has no Random.Shared; a retry is rare enough that
        // a lock costs nothing.
        private static readonly object s_gate = new object();
        private static readonly Random s_random = new Random();

        /// <summary>
        /// A random wait between zero and <paramref name="baseDelay"/> × 2^<paramref name="attempt"/>,
        /// never more than <paramref name="maxDelay"/>.
        /// </summary>
        /// <param name="attempt">How many retries came before this one: 0 before the first retry (a negative value counts as 0).</param>
        public static TimeSpan Exponential(int attempt, TimeSpan baseDelay, TimeSpan maxDelay)
        {
            if (baseDelay < TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(baseDelay), baseDelay, "The base delay must be zero or more.");
            }

            if (maxDelay < TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(maxDelay), maxDelay, "The longest delay must be zero or more.");
            }

            if (attempt < 0)
            {
                attempt = 0;
            }

            // base × 2^attempt, computed without overflowing: past the cap it simply is the cap.
            var cap = maxDelay.Ticks;
            if (attempt < 63 && baseDelay.Ticks <= (maxDelay.Ticks >> attempt))
            {
                cap = baseDelay.Ticks << attempt;
            }

            double sample;
            lock (s_gate)
            {
                sample = s_random.NextDouble();
            }

            return TimeSpan.FromTicks((long)(sample * cap));
        }

        /// <summary>Waits <see cref="Exponential"/> of the same arguments.</summary>
        public static Task DelayAsync(int attempt, TimeSpan baseDelay, TimeSpan maxDelay, CancellationToken cancellationToken = default(CancellationToken))
        {
            return PacingClock.System.Delay(Exponential(attempt, baseDelay, maxDelay), cancellationToken);
        }

        /// <summary>Blocks for <see cref="Exponential"/> of the same arguments.</summary>
        public static void Delay(int attempt, TimeSpan baseDelay, TimeSpan maxDelay, CancellationToken cancellationToken = default(CancellationToken))
        {
            PacingClock.System.Sleep(Exponential(attempt, baseDelay, maxDelay), cancellationToken);
        }
    }
}
