using System;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace RateLimitAnalyzers.Pacing
{
    /// <summary>
    /// A quota counted outside this pacer, such as one that several processes polling an API with the same
    /// key share through a store: <c>new RequestPacer(quota)</c> takes its turns from it. The pacer still
    /// holds its callers for a server's Retry-After; the windows are the quota's business.
    /// </summary>
    /// <remarks>
    /// This is the runtime's extension point. The runtime adapts any
    /// <c>System.Threading.RateLimiting.RateLimiter</c> through it (<c>policy.UseRateLimiter(limiter)</c>,
    /// emitted when the project references System.Threading.RateLimiting); derive from it directly only for
    /// a quota that is not a RateLimiter.
    /// </remarks>
    internal abstract class ExternalQuota
    {
        /// <summary>
        /// Takes one turn if the quota has room now, without waiting. Otherwise takes nothing and returns
        /// false with how long until it may have room (another caller may take it first).
        /// </summary>
        public abstract bool TryTakeTurn(out TimeSpan retryAfter);

        /// <summary>
        /// Takes one turn. A quota that can wait for room itself may wait, for at most
        /// <paramref name="maxWait"/> (<see cref="Timeout.InfiniteTimeSpan"/>: as long as it takes).
        /// </summary>
        /// <returns>
        /// Null when the turn was taken; otherwise how long until the quota may have room, with nothing taken:
        /// the pacer waits that long and asks again. A wait longer than <paramref name="maxWait"/> makes the
        /// pacer fail with <see cref="PacingDeadlineExceededException"/>.
        /// </returns>
        public abstract Task<TimeSpan?> TakeTurnAsync(TimeSpan maxWait, CancellationToken cancellationToken);

        /// <summary>
        /// <see cref="TryTakeTurn(out TimeSpan)"/> for the retrying send, which knows when the turn's response came:
        /// it disposes <paramref name="held"/> then. A quota that counts a turn from its request's arrival at the
        /// server, not from its grant, keeps the turn's slot until then. By default nothing is held.
        /// </summary>
        internal virtual bool TryTakeTurn(out TimeSpan retryAfter, out IDisposable/*?*/ held)
        {
            held = null;
            return TryTakeTurn(out retryAfter);
        }

        /// <summary><see cref="TakeTurnAsync(TimeSpan, CancellationToken)"/> for the retrying send; a granted turn may put what to dispose at its response into <paramref name="held"/>.</summary>
        internal virtual Task<TimeSpan?> TakeTurnAsync(TimeSpan maxWait, StrongBox<IDisposable> held, CancellationToken cancellationToken)
        {
            return TakeTurnAsync(maxWait, cancellationToken);
        }
    }
}
