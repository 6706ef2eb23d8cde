using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace RateLimitAnalyzers.Pacing
{
    /// <summary>
    /// The wait a server asks for in <c>Retry-After</c> (RFC 9110 §10.2.3): either seconds
    /// (<c>Retry-After: 45</c>, as Archiva sends with its 429) or an HTTP date.
    /// </summary>
    internal static class RetryAfter
    {
        // Task.Delay refuses longer waits on .NET Framework. A server asking for more than 24 days is
        // not asking for a retry at all, so the cap changes nothing a caller could notice.
        private static readonly TimeSpan s_longestDelay = TimeSpan.FromMilliseconds(int.MaxValue);

        /// <summary>
        /// Reads how long the server asked to wait. A date is measured against the response's own
        /// <c>Date</c> header when it has one, so a client clock that is minutes off does not shorten or
        /// stretch the wait; <paramref name="now"/> stands in otherwise. A date in the past is a wait of
        /// zero. When the header appears more than once, the longest readable wait wins: retrying early is
        /// what gets a caller throttled again. A number of seconds too large for any type is
        /// <see cref="TimeSpan.MaxValue"/>, "longer than any bound", not an unreadable value. Unreadable values
        /// are ignored; this never throws for any header content.
        /// </summary>
        public static bool TryGetDelay(HttpResponseMessage response, DateTimeOffset now, out TimeSpan delay)
        {
            if (response == null)
            {
                throw new ArgumentNullException(nameof(response));
            }

            var found = false;
            delay = TimeSpan.Zero;
            foreach (var value in HeaderValues.Get(response.Headers, "Retry-After"))
            {
                TimeSpan candidate;
                if (!TryParseDelay(value, response, now, out candidate))
                {
                    continue;
                }

                if (!found || candidate > delay)
                {
                    delay = candidate;
                }

                found = true;
            }

            return found;
        }

        /// <summary>
        /// What the server asked to wait, else <paramref name="fallback"/>: the server's own answer wins,
        /// and a retry loop's old fixed wait remains for responses that carry none.
        /// Never negative; at most about 24.8 days, the longest wait <see cref="Task.Delay(TimeSpan)"/>
        /// accepts everywhere.
        /// </summary>
        public static TimeSpan GetDelayOrDefault(HttpResponseMessage response, TimeSpan fallback)
        {
            TimeSpan delay;
            if (!TryGetDelay(response, PacingClock.System.UtcNow, out delay))
            {
                delay = fallback;
            }

            if (delay < TimeSpan.Zero)
            {
                return TimeSpan.Zero;
            }

            return delay > s_longestDelay ? s_longestDelay : delay;
        }

        /// <summary>Waits what the server asked (see <see cref="GetDelayOrDefault"/>), else <paramref name="fallback"/>.</summary>
        public static Task DelayAsync(HttpResponseMessage response, TimeSpan fallback, CancellationToken cancellationToken = default(CancellationToken))
        {
            return PacingClock.System.Delay(GetDelayOrDefault(response, fallback), cancellationToken);
        }

        private static bool TryParseDelay(string value, HttpResponseMessage response, DateTimeOffset now, out TimeSpan delay)
        {
            if (HeaderValues.TryParseSeconds(value, out delay))
            {
                return true;
            }

            DateTimeOffset retryAt;
            if (!HeaderValues.TryParseHttpDate(value, out retryAt))
            {
                return false;
            }

            delay = retryAt - ServerNow(response, now);
            if (delay < TimeSpan.Zero)
            {
                delay = TimeSpan.Zero;
            }

            return true;
        }

        private static DateTimeOffset ServerNow(HttpResponseMessage response, DateTimeOffset now)
        {
            // Of two Date headers, the earlier one gives the longer wait.
            var found = false;
            var earliest = now;
            foreach (var value in HeaderValues.Get(response.Headers, "Date"))
            {
                DateTimeOffset date;
                if (HeaderValues.TryParseHttpDate(value, out date) && (!found || date < earliest))
                {
                    earliest = date;
                    found = true;
                }
            }

            return earliest;
        }
    }
}
