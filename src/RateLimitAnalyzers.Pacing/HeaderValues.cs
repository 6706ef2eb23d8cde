using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http.Headers;

namespace RateLimitAnalyzers.Pacing
{
    /// <summary>
    /// Reads the numbers and dates servers put in Retry-After and rate-limit headers. Real servers send
    /// garbage, negative numbers, values far beyond any range and the same header twice; every reader
    /// here answers false instead of throwing, so a bad header never turns a response into an exception.
    /// </summary>
    internal static class HeaderValues
    {
        private static readonly string[] s_noValues = Array.Empty<string>();

        // The three forms RFC 9110 obliges a recipient to accept: IMF-fixdate, the obsolete RFC 850 form
        // and asctime (whose single-digit day is padded with a space, hence AllowWhiteSpaces).
        private static readonly string[] s_httpDateFormats =
        {
            "r",
            "dddd, dd'-'MMM'-'yy HH':'mm':'ss 'GMT'",
            "ddd MMM d HH':'mm':'ss yyyy",
        };

        /// <summary>
        /// Every raw value of a header, as received. The typed properties (<c>Headers.RetryAfter</c>,
        /// <c>Headers.Date</c>) return null as soon as one of several values is invalid, which would hide
        /// a good value behind a bad duplicate.
        /// </summary>
        public static IEnumerable<string> Get(HttpHeaders headers, string name)
        {
            IEnumerable<string> values;
            return headers.TryGetValues(name, out values) ? values : s_noValues;
        }

        /// <summary>
        /// Non-negative seconds, with an optional fraction (Retry-After is whole seconds, but resets such as
        /// Discord's carry milliseconds). Rounded up, so a wait is never shorter than the server said;
        /// beyond what <see cref="TimeSpan"/> holds it is <see cref="TimeSpan.MaxValue"/>, still "very long".
        /// </summary>
        public static bool TryParseSeconds(string text, out TimeSpan value)
        {
            double seconds;
            if (!TryParseNumber(text, out seconds))
            {
                value = TimeSpan.Zero;
                return false;
            }

            value = FromSeconds(seconds);
            return true;
        }

        /// <summary>
        /// A non-negative decimal number: digits with an optional fraction. Signs, exponents, "Infinity" and
        /// "NaN" are refused; a well-formed number too large for a double is positive infinity, not an error,
        /// so that a 400-digit Retry-After reads as "longer than any bound" instead of as no Retry-After.
        /// </summary>
        public static bool TryParseNumber(string text, out double value)
        {
            value = 0;
            if (text == null)
            {
                return false;
            }

            text = text.Trim();
            var digits = 0;
            var point = false;
            foreach (var c in text)
            {
                if (c >= '0' && c <= '9')
                {
                    digits++;
                }
                else if (c == '.' && !point)
                {
                    point = true;
                }
                else
                {
                    return false;
                }
            }

            // .NET Framework refuses a number beyond double's range; .NET Core reads it as infinity.
            if (digits > 0 && !double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value))
            {
                value = double.PositiveInfinity;
            }

            return digits > 0;
        }

        /// <summary>Seconds as a <see cref="TimeSpan"/>, rounded up; beyond its range, <see cref="TimeSpan.MaxValue"/>.</summary>
        public static TimeSpan FromSeconds(double seconds)
        {
            var ticks = Math.Ceiling(seconds * TimeSpan.TicksPerSecond);
            return ticks >= TimeSpan.MaxValue.Ticks ? TimeSpan.MaxValue : TimeSpan.FromTicks((long)ticks);
        }

        /// <summary>A non-negative whole count; larger than <see cref="int.MaxValue"/> reads as <see cref="int.MaxValue"/>.</summary>
        public static bool TryParseCount(string text, out int value)
        {
            value = 0;
            if (text == null)
            {
                return false;
            }

            text = text.Trim();
            if (text.Length == 0)
            {
                return false;
            }

            long count = 0;
            foreach (var c in text)
            {
                if (c < '0' || c > '9')
                {
                    return false;
                }

                if (count <= int.MaxValue)
                {
                    count = (count * 10) + (c - '0');
                }
            }

            value = count > int.MaxValue ? int.MaxValue : (int)count;
            return true;
        }

        public static bool TryParseHttpDate(string text, out DateTimeOffset value)
        {
            value = default(DateTimeOffset);
            return text != null && DateTimeOffset.TryParseExact(
                text.Trim(),
                s_httpDateFormats,
                CultureInfo.InvariantCulture,
                DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.AssumeUniversal,
                out value);
        }
    }
}
