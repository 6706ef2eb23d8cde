using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Text;

namespace RateLimitAnalyzers.Pacing
{
    /// <summary>
    /// What a response's rate-limit headers say about the quota: the IETF drafts' <c>RateLimit</c>,
    /// <c>RateLimit-Policy</c>, <c>RateLimit-Limit</c>, <c>RateLimit-Remaining</c> and <c>RateLimit-Reset</c>
    /// in their successive shapes, and the older <c>X-RateLimit-*</c> convention.
    /// </summary>
    /// <remarks>
    /// Understood forms, each of which may repeat or list several policies:
    /// <list type="bullet">
    /// <item><c>RateLimit: "default";r=50;t=30</c> (r remaining, t seconds until it frees up) and the older
    /// <c>RateLimit: limit=100, remaining=50, reset=5</c>;</item>
    /// <item><c>RateLimit-Policy: "burst";q=100;w=60</c> (q requests per w seconds), or <c>100;w=60</c>;</item>
    /// <item><c>RateLimit-Limit: 10, 50;w=60</c>: the current limit, then policies with their windows;</item>
    /// <item><c>RateLimit-Remaining</c> / <c>RateLimit-Reset</c> and <c>X-RateLimit-Limit</c> /
    /// <c>X-RateLimit-Remaining</c> / <c>X-RateLimit-Reset</c>, also as X's API spells them
    /// (<c>x-rate-limit-remaining</c>);</item>
    /// <item>SUSE Application Collection's <c>ratelimit-limit: 50;w=21600</c> and
    /// <c>ratelimit-remaining: 30;w=14400</c>, where <c>w</c> on the remaining count is the seconds until
    /// requests free up.</item>
    /// </list>
    /// A reset is sometimes seconds from now and sometimes a Unix time (GitHub's
    /// <c>X-RateLimit-Reset</c>), which some servers write in milliseconds or microseconds. A value of at
    /// least half the current Unix time is read as a Unix time: as a delay it would be decades, while as a
    /// time it lies within decades of now. Its unit follows from its size the same way: at least half of
    /// now in milliseconds is milliseconds, at least half of now in microseconds is microseconds. The same
    /// rule reads every reset, whichever header carries it.
    /// <para>
    /// A <c>RateLimit-Policy</c> whose quota unit is not requests (<c>qu="content-bytes"</c>,
    /// <c>qu="concurrent-requests"</c>) says nothing about how many requests may be sent, so it is ignored,
    /// and so is the <c>RateLimit</c> item of the same name. Unreadable parts are skipped; parsing never
    /// throws, and its cost grows with the headers' length alone: at most <see cref="MostWindows"/>
    /// distinct windows are kept, the first ones listed.
    /// </para>
    /// </remarks>
    internal sealed class RateLimitHeaders
    {
        /// <summary>
        /// More windows than any API announces; a pacer learns only a few of them. The bound keeps a hostile
        /// header of thousands of policies from costing more than reading it.
        /// </summary>
        internal const int MostWindows = 16;

        /// <summary>The IETF draft's names, the older convention, and X's (<c>x-rate-limit-remaining</c>, with a hyphen after "rate").</summary>
        private static readonly string[] s_prefixes = { "RateLimit-", "X-RateLimit-", "X-Rate-Limit-" };

        private static readonly DateTimeOffset s_unixEpoch = new DateTimeOffset(1970, 1, 1, 0, 0, 0, TimeSpan.Zero);

        private readonly List<QuotaWindow> _windows = new List<QuotaWindow>();
        private readonly DateTimeOffset _now;

        private RateLimitHeaders(DateTimeOffset now)
        {
            _now = now;
        }

        /// <summary>The smallest number of requests any header says a window allows, or null.</summary>
        public int? Limit { get; private set; }

        /// <summary>The quotas stated together with their window, such as 50 per 21,600 s.</summary>
        public IReadOnlyList<QuotaWindow> Windows
        {
            get { return _windows; }
        }

        /// <summary>The fewest requests any header says remain, or null.</summary>
        public int? Remaining { get; private set; }

        /// <summary>How long until the quota behind <see cref="Remaining"/> frees up, or null when no header says.</summary>
        public TimeSpan? Reset { get; private set; }

        /// <summary>
        /// When nothing remains and the headers say for how long, that wait: whoever sends before it is over
        /// will be refused. Null otherwise.
        /// </summary>
        public TimeSpan? ExhaustedFor
        {
            get { return Remaining == 0 ? Reset : null; }
        }

        /// <summary>Reads the response's rate-limit headers; <paramref name="now"/> places Unix-time resets.</summary>
        public static RateLimitHeaders Parse(HttpResponseMessage response, DateTimeOffset now)
        {
            if (response == null)
            {
                throw new ArgumentNullException(nameof(response));
            }

            var headers = new RateLimitHeaders(now);
            HashSet<string> notRequests = null;
            foreach (var value in HeaderValues.Get(response.Headers, "RateLimit-Policy"))
            {
                foreach (var member in Member.ListOf(value))
                {
                    int quota;
                    if (!CountsRequests(member))
                    {
                        notRequests = notRequests ?? new HashSet<string>(StringComparer.Ordinal);
                        notRequests.Add(member.Value);
                    }
                    else if (HeaderValues.TryParseCount(member.Parameter("q"), out quota) || HeaderValues.TryParseCount(member.Value, out quota))
                    {
                        headers.AddLimit(quota, member.Parameter("w"));
                    }
                }
            }

            foreach (var value in HeaderValues.Get(response.Headers, "RateLimit"))
            {
                headers.ReadRateLimit(value, notRequests);
            }

            foreach (var prefix in s_prefixes)
            {
                foreach (var value in HeaderValues.Get(response.Headers, prefix + "Limit"))
                {
                    foreach (var member in Member.ListOf(value))
                    {
                        int limit;
                        if (HeaderValues.TryParseCount(member.Value, out limit))
                        {
                            headers.AddLimit(limit, member.Parameter("w"));
                        }
                    }
                }

                headers.ReadRemaining(response, prefix);
            }

            return headers;
        }

        /// <summary>The draft's quota unit: requests when absent.</summary>
        private static bool CountsRequests(Member member)
        {
            var unit = member.Parameter("qu");
            return unit == null || string.Equals(unit, "requests", StringComparison.OrdinalIgnoreCase) || string.Equals(unit, "request", StringComparison.OrdinalIgnoreCase);
        }

        private void ReadRateLimit(string value, HashSet<string> notRequests)
        {
            int? remaining = null;
            TimeSpan? reset = null;
            foreach (var member in Member.ListOf(value))
            {
                int count;
                if (member.Key == null)
                {
                    // "default";r=50;t=30: one policy per member, named as in RateLimit-Policy.
                    if ((notRequests == null || !notRequests.Contains(member.Value)) && HeaderValues.TryParseCount(member.Parameter("r"), out count))
                    {
                        AddRemaining(count, ParseReset(member.Parameter("t")));
                    }
                }
                else if (string.Equals(member.Key, "limit", StringComparison.OrdinalIgnoreCase) && HeaderValues.TryParseCount(member.Value, out count))
                {
                    AddLimit(count, null);
                }
                else if (string.Equals(member.Key, "remaining", StringComparison.OrdinalIgnoreCase) && HeaderValues.TryParseCount(member.Value, out count))
                {
                    remaining = count;
                }
                else if (string.Equals(member.Key, "reset", StringComparison.OrdinalIgnoreCase))
                {
                    reset = ParseReset(member.Value) ?? reset;
                }
            }

            // limit=100, remaining=50, reset=5: the members of one value describe one policy.
            if (remaining.HasValue)
            {
                AddRemaining(remaining.Value, reset);
            }
        }

        private void ReadRemaining(HttpResponseMessage response, string prefix)
        {
            TimeSpan? reset = null;
            foreach (var value in HeaderValues.Get(response.Headers, prefix + "Reset"))
            {
                var candidate = ParseReset(value);
                if (candidate.HasValue && (!reset.HasValue || candidate.Value > reset.Value))
                {
                    reset = candidate;
                }
            }

            foreach (var value in HeaderValues.Get(response.Headers, prefix + "Remaining"))
            {
                foreach (var member in Member.ListOf(value))
                {
                    int remaining;
                    if (HeaderValues.TryParseCount(member.Value, out remaining))
                    {
                        AddRemaining(remaining, ParseReset(member.Parameter("w")) ?? reset);
                    }
                }
            }
        }

        private void AddLimit(int limit, string windowSeconds)
        {
            if (!Limit.HasValue || limit < Limit.Value)
            {
                Limit = limit;
            }

            TimeSpan window;
            if (limit >= 1 && HeaderValues.TryParseSeconds(windowSeconds, out window) && window > TimeSpan.Zero)
            {
                var quota = new QuotaWindow(limit, window);
                if (_windows.Count < MostWindows && !_windows.Contains(quota))
                {
                    _windows.Add(quota);
                }
            }
        }

        /// <summary>Keeps the tightest policy: the fewest remaining, and of equals the latest reset.</summary>
        private void AddRemaining(int remaining, TimeSpan? reset)
        {
            if (!Remaining.HasValue || remaining < Remaining.Value)
            {
                Remaining = remaining;
                Reset = reset;
            }
            else if (remaining == Remaining.Value && reset.HasValue && (!Reset.HasValue || reset.Value > Reset.Value))
            {
                Reset = reset;
            }
        }

        private TimeSpan? ParseReset(string text)
        {
            double value;
            if (!HeaderValues.TryParseNumber(text, out value))
            {
                return null;
            }

            var unixNow = (_now - s_unixEpoch).TotalSeconds;
            if (unixNow <= 0 || value < unixNow / 2)
            {
                return HeaderValues.FromSeconds(value);
            }

            // Now in milliseconds is a thousand times now in seconds: a Unix time at least half of that is
            // in milliseconds (seconds would put it centuries ahead), and likewise for microseconds.
            for (var unit = 0; unit < 2 && value >= unixNow * 1000 / 2; unit++)
            {
                value /= 1000;
            }

            var untilReset = value - unixNow;
            return untilReset > 0 ? HeaderValues.FromSeconds(untilReset) : TimeSpan.Zero;
        }

        /// <summary>
        /// One member of a comma-separated header list: a bare item or <c>key=value</c>, followed by
        /// <c>;name=value</c> parameters. Quoted strings may hold commas, semicolons and <c>\"</c>.
        /// </summary>
        private sealed class Member
        {
            private readonly List<KeyValuePair<string, string>> _parameters = new List<KeyValuePair<string, string>>();

            public string Key { get; private set; }

            public string Value { get; private set; }

            public static List<Member> ListOf(string text)
            {
                var members = new List<Member>();
                foreach (var part in Split(text ?? string.Empty, ','))
                {
                    var pieces = Split(part, ';');
                    var member = new Member();
                    string key;
                    string value;
                    if (TrySplitPair(pieces[0], out key, out value))
                    {
                        member.Key = key;
                        member.Value = value;
                    }
                    else
                    {
                        member.Value = Unquote(pieces[0]);
                    }

                    for (var i = 1; i < pieces.Count; i++)
                    {
                        if (TrySplitPair(pieces[i], out key, out value))
                        {
                            member._parameters.Add(new KeyValuePair<string, string>(key, value));
                        }
                    }

                    members.Add(member);
                }

                return members;
            }

            /// <summary>The first value of the parameter, or null.</summary>
            public string Parameter(string name)
            {
                foreach (var parameter in _parameters)
                {
                    if (string.Equals(parameter.Key, name, StringComparison.OrdinalIgnoreCase))
                    {
                        return parameter.Value;
                    }
                }

                return null;
            }

            private static bool TrySplitPair(string text, out string key, out string value)
            {
                var equals = IndexOfUnquoted(text, '=');
                if (equals <= 0)
                {
                    key = null;
                    value = null;
                    return false;
                }

                key = text.Substring(0, equals).Trim();
                value = Unquote(text.Substring(equals + 1));
                return true;
            }

            private static List<string> Split(string text, char separator)
            {
                var parts = new List<string>();
                var start = 0;
                int next;
                while ((next = IndexOfUnquoted(text, separator, start)) >= 0)
                {
                    parts.Add(text.Substring(start, next - start));
                    start = next + 1;
                }

                parts.Add(text.Substring(start));
                return parts;
            }

            private static int IndexOfUnquoted(string text, char wanted, int start = 0)
            {
                var quoted = false;
                for (var i = start; i < text.Length; i++)
                {
                    var c = text[i];
                    if (quoted && c == '\\')
                    {
                        i++;
                    }
                    else if (c == '"')
                    {
                        quoted = !quoted;
                    }
                    else if (c == wanted && !quoted)
                    {
                        return i;
                    }
                }

                return -1;
            }

            private static string Unquote(string text)
            {
                text = text.Trim();
                if (text.Length < 2 || text[0] != '"' || text[text.Length - 1] != '"')
                {
                    return text;
                }

                var unquoted = new StringBuilder(text.Length);
                for (var i = 1; i < text.Length - 1; i++)
                {
                    if (text[i] == '\\' && i + 1 < text.Length - 1)
                    {
                        i++;
                    }

                    unquoted.Append(text[i]);
                }

                return unquoted.ToString();
            }
        }
    }
}
