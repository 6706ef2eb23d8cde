using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace RateLimitAnalyzers.Pacing
{
    /// <summary>
    /// Where the pacer reads the time and how it waits. Tests pass a clock they advance by hand, so
    /// nothing in them sleeps for real.
    /// </summary>
    internal abstract class PacingClock
    {
        private static readonly PacingClock s_system = new SystemPacingClock();

        /// <summary>The machine's monotonic clock, <see cref="Task.Delay(TimeSpan, CancellationToken)"/> and a cancellable sleep.</summary>
        public static PacingClock System
        {
            get { return s_system; }
        }

        /// <summary>Monotonic time since an arbitrary origin; never jumps when the wall clock is corrected.</summary>
        public abstract TimeSpan Elapsed { get; }

        /// <summary>Wall-clock time, for HTTP dates such as an absolute Retry-After.</summary>
        public abstract DateTimeOffset UtcNow { get; }

        public abstract Task Delay(TimeSpan delay, CancellationToken cancellationToken);

        public abstract void Sleep(TimeSpan delay, CancellationToken cancellationToken);

        /// <summary>
        /// The <see cref="Elapsed"/> time <paramref name="duration"/> after <paramref name="time"/>; a server's
        /// absurd wait saturates at <see cref="TimeSpan.MaxValue"/> (never) instead of overflowing.
        /// </summary>
        internal static TimeSpan After(TimeSpan time, TimeSpan duration)
        {
            return TimeSpan.MaxValue - time < duration ? TimeSpan.MaxValue : time + duration;
        }

        private sealed class SystemPacingClock : PacingClock
        {
            // Task.Delay and WaitOne refuse waits longer than int.MaxValue milliseconds; the pacer
            // re-checks after every wait, so a long wait is simply taken in pieces.
            private static readonly TimeSpan s_longestSingleWait = TimeSpan.FromDays(1);

            private readonly Stopwatch _stopwatch = Stopwatch.StartNew();

            public override TimeSpan Elapsed
            {
                get { return _stopwatch.Elapsed; }
            }

            public override DateTimeOffset UtcNow
            {
                get { return DateTimeOffset.UtcNow; }
            }

            public override Task Delay(TimeSpan delay, CancellationToken cancellationToken)
            {
                return Task.Delay(Clamp(delay), cancellationToken);
            }

            public override void Sleep(TimeSpan delay, CancellationToken cancellationToken)
            {
                cancellationToken.WaitHandle.WaitOne(Clamp(delay));
                cancellationToken.ThrowIfCancellationRequested();
            }

            private static TimeSpan Clamp(TimeSpan delay)
            {
                if (delay < TimeSpan.Zero)
                {
                    return TimeSpan.Zero;
                }

                return delay > s_longestSingleWait ? s_longestSingleWait : delay;
            }
        }
    }
}
