using System;
using System.Globalization;

namespace RateLimitAnalyzers.Pacing
{
    /// <summary>
    /// At most <see cref="Limit"/> requests in any rolling <see cref="Window"/>: the way Archiva counts
    /// (100 in any 60 seconds), not calendar minutes that reset on the minute.
    /// </summary>
    internal readonly struct QuotaWindow : IEquatable<QuotaWindow>
    {
        public QuotaWindow(int limit, TimeSpan window)
        {
            if (limit < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(limit), limit, "A quota allows at least one request.");
            }

            if (window <= TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(window), window, "A quota window must be longer than zero.");
            }

            Limit = limit;
            Window = window;
        }

        public int Limit { get; }

        public TimeSpan Window { get; }

        public static QuotaWindow PerSecond(int limit)
        {
            return new QuotaWindow(limit, TimeSpan.FromSeconds(1));
        }

        public static QuotaWindow PerMinute(int limit)
        {
            return new QuotaWindow(limit, TimeSpan.FromMinutes(1));
        }

        public static QuotaWindow PerHour(int limit)
        {
            return new QuotaWindow(limit, TimeSpan.FromHours(1));
        }

        public static QuotaWindow PerDay(int limit)
        {
            return new QuotaWindow(limit, TimeSpan.FromDays(1));
        }

        /// <summary>
        /// One request per <paramref name="interval"/>. In a rolling log that is exactly a minimum gap
        /// between consecutive requests; a pacer adds its arrival margin to it as to every window
        /// (<see cref="RequestPacer.ArrivalMargin"/>), so the gap between grants is the interval plus the margin.
        /// </summary>
        /// <remarks>
        /// The margin stays on an interval the caller chose as a cadence (720 ms beside 5,000 an hour: 756 ms apart),
        /// although no server counts it: the window is the same value as a server's "one per interval"
        /// (<c>MinimumInterval(1 s)</c> equals <c>PerSecond(1)</c>), which does need it, and a cadence 5% slower than
        /// asked costs only throughput, never a throttle.
        /// </remarks>
        public static QuotaWindow MinimumInterval(TimeSpan interval)
        {
            return new QuotaWindow(1, interval);
        }

        public bool Equals(QuotaWindow other)
        {
            return Limit == other.Limit && Window == other.Window;
        }

        public override bool Equals(object/*?*/ obj)
        {
            return obj is QuotaWindow && Equals((QuotaWindow)obj);
        }

        public override int GetHashCode()
        {
            return (Limit * 397) ^ Window.GetHashCode();
        }

        public override string ToString()
        {
            return Limit.ToString(CultureInfo.InvariantCulture) + " per " + Describe(Window);
        }

        private static string Describe(TimeSpan window)
        {
            if (window.Ticks % TimeSpan.TicksPerDay == 0)
            {
                return (window.Ticks / TimeSpan.TicksPerDay).ToString(CultureInfo.InvariantCulture) + " d";
            }

            if (window.Ticks % TimeSpan.TicksPerHour == 0)
            {
                return (window.Ticks / TimeSpan.TicksPerHour).ToString(CultureInfo.InvariantCulture) + " h";
            }

            if (window.Ticks % TimeSpan.TicksPerSecond == 0)
            {
                return (window.Ticks / TimeSpan.TicksPerSecond).ToString(CultureInfo.InvariantCulture) + " s";
            }

            return window.TotalMilliseconds.ToString(CultureInfo.InvariantCulture) + " ms";
        }
    }
}
