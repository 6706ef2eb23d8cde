using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading;

namespace RateLimitAnalyzers.Pacing
{
    /// <summary>
    /// How requests to one rate-limited API are paced and retried: the quota to stay under, what counts as
    /// "throttled", and how long to wait before trying again. Configure it once and share it; it is read,
    /// never changed, by the sends that use it.
    /// </summary>
    /// <example>
    /// <code>
    /// new RateLimitPolicy("api.archiva.app/api/ingest/event", new QuotaWindow(100, TimeSpan.FromSeconds(60)))
    /// {
    ///     ThrottleBodyContains = "\"error\":\"Rate limit exceeded\"",
    /// }
    /// </code>
    /// </example>
    internal sealed class RateLimitPolicy
    {
        // Read-only wrappers over arrays nobody else holds, so every policy can start from the same instance.
        private static readonly IReadOnlyList<int> s_defaultThrottleStatusCodes = Array.AsReadOnly(new[] { 429 });
        private static readonly IReadOnlyList<int> s_defaultThrottleBodyStatusCodes = Array.AsReadOnly(new[] { 200 });

        private int _maxAttempts = 5;
        private TimeSpan _baseDelay = TimeSpan.FromSeconds(1);
        private TimeSpan _maxDelay = TimeSpan.FromSeconds(60);
        private TimeSpan _maxRetryAfter = TimeSpan.FromMinutes(5);
        private TimeSpan _maxWait = TimeSpan.FromSeconds(90);
        private IReadOnlyList<int> _throttleStatusCodes = s_defaultThrottleStatusCodes;
        private IReadOnlyList<int> _throttleBodyStatusCodes = s_defaultThrottleBodyStatusCodes;
        private string _throttleBodyContains;
        private PacingClock _clock = PacingClock.System;
        private string _baseAddress;
        private BaseAddressPrefix _prefix;

        /// <summary>
        /// A policy for the quota named <paramref name="key"/>. Every request first waits for a turn on the
        /// pacer the whole process shares under that key. Without windows that pacer does not pace at first: it
        /// holds every caller of the key while a server's Retry-After or used-up quota lasts, and paces by the
        /// quota the server's rate-limit headers announce (<c>ratelimit-limit: 50;w=21600</c>).
        /// </summary>
        public RateLimitPolicy(string key, params QuotaWindow[] windows)
        {
            if (key == null)
            {
                throw new ArgumentNullException(nameof(key));
            }

            Key = key;
            Pacer = RequestPacer.Shared(key, windows);
        }

        /// <summary>The quota's name, usually the endpoint's host and path.</summary>
        public string Key { get; }

        /// <summary>
        /// The absolute URL prefix of the requests this policy covers, such as <c>"https://api.github.com/"</c> or
        /// <c>"https://api.archiva.app/api/ingest/event"</c>, for a <see cref="RateLimitedHandler"/> on a client
        /// shared by several APIs: a request is covered when its scheme, host (in any case) and port are the
        /// prefix's and its path starts with the prefix's path at a segment boundary (<c>/api/ingest/event</c> covers
        /// <c>/api/ingest/event/42</c>, not <c>/api/ingest/events</c>). Null (the default) covers every request.
        /// <see cref="RateLimitedSend"/> paces by the policy it is given, whatever its address.
        /// </summary>
        /// <exception cref="ArgumentException">The value is not an absolute http or https URL, or has a query or fragment.</exception>
        public string/*?*/ BaseAddress
        {
            get
            {
                return _baseAddress;
            }

            set
            {
                _prefix = value == null ? null : BaseAddressPrefix.Parse(value, nameof(value));
                _baseAddress = value;
            }
        }

        /// <summary>
        /// The pacer every request waits on before each attempt, that a server's Retry-After pauses for every
        /// caller, and that learns the quota from the server's rate-limit headers: by default the one shared
        /// under <see cref="Key"/>. Null means no pacing, and a Retry-After holds only the request it answered.
        /// </summary>
        public RequestPacer/*?*/ Pacer { get; set; }

        /// <summary>Requests sent at most, the first included. Default 5.</summary>
        public int MaxAttempts
        {
            get { return _maxAttempts; }
            set { _maxAttempts = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "At least one attempt is needed."); }
        }

        /// <summary>The backoff's first cap when the server gives no Retry-After; it doubles per retry. Default 1 s.</summary>
        public TimeSpan BaseDelay
        {
            get { return _baseDelay; }
            set { _baseDelay = NotNegative(value); }
        }

        /// <summary>The backoff's largest wait. Default 60 s.</summary>
        public TimeSpan MaxDelay
        {
            get { return _maxDelay; }
            set { _maxDelay = NotNegative(value); }
        }

        /// <summary>
        /// The longest server-requested wait the policy honours. A longer Retry-After (a daily quota used
        /// up, or a broken header) fails at once with <see cref="RateLimitExceededException"/> instead of
        /// holding the caller for hours; the shared pacer is paused for at most this long. Default 5 min.
        /// </summary>
        public TimeSpan MaxRetryAfter
        {
            get { return _maxRetryAfter; }
            set { _maxRetryAfter = NotNegative(value); }
        }

        /// <summary>
        /// The longest one send may spend waiting, for turns and between attempts, or
        /// <see cref="Timeout.InfiniteTimeSpan"/>. Default 90 s, below <c>HttpClient.Timeout</c>'s default of 100 s.
        /// A wait that would end later fails at once with
        /// <see cref="RateLimitExceededException"/>. Keep it below <c>HttpClient.Timeout</c> when using
        /// <see cref="RateLimitedHandler"/>: the client's timeout covers the retries too, and would otherwise
        /// end a long wait as a bare timeout after the time was already spent.
        /// </summary>
        public TimeSpan MaxWait
        {
            get { return _maxWait; }
            set { _maxWait = value == Timeout.InfiniteTimeSpan ? value : NotNegative(value); }
        }

        /// <summary>
        /// Statuses that mean "throttled". Default 429; add 403 for APIs such as GitHub's that refuse with it.
        /// A 403 counts only with a sign of throttling, since it also means "not allowed": a Retry-After, a
        /// remaining count of 0, or a body saying so (<see cref="ThrottleBodyContains"/>, the
        /// <see cref="Classifier"/>, or GitHub's "secondary rate limit" and "rate limit exceeded").
        /// A 503 counts as well when it carries Retry-After.
        /// </summary>
        public IReadOnlyList<int> ThrottleStatusCodes
        {
            get
            {
                return _throttleStatusCodes;
            }

            set
            {
                if (value == null)
                {
                    throw new ArgumentNullException(nameof(value));
                }

                _throttleStatusCodes = new List<int>(value).AsReadOnly();
            }
        }

        /// <summary>
        /// Text whose presence in a response body of a status in <see cref="ThrottleBodyStatusCodes"/> means
        /// "throttled": APIs such as Agora's answer <c>200</c> with <c>{"code":300,...,"qps limit error"}</c>.
        /// It is matched as written, not as any substring (<c>"code":300</c> is not found in
        /// <c>"code":3001</c>), with whitespace free around JSON's <c>: , { } [ ]</c>. Only text bodies of at
        /// most 64 KiB are searched, and at most that much is read before the response is returned; the caller
        /// still reads the whole body. A request that is not idempotent (POST, PATCH) answered with a success
        /// status is never sent again, whatever its body says.
        /// </summary>
        public string/*?*/ ThrottleBodyContains
        {
            get
            {
                return _throttleBodyContains;
            }

            set
            {
                if (value != null && value.Length == 0)
                {
                    throw new ArgumentException("An empty marker would match every response body.", nameof(value));
                }

                _throttleBodyContains = value;
            }
        }

        /// <summary>
        /// The statuses whose body is searched for <see cref="ThrottleBodyContains"/>: the ones the vendor
        /// refuses with. Default 200 (Agora). A 403 in <see cref="ThrottleStatusCodes"/> is searched too.
        /// </summary>
        public IReadOnlyList<int> ThrottleBodyStatusCodes
        {
            get
            {
                return _throttleBodyStatusCodes;
            }

            set
            {
                if (value == null)
                {
                    throw new ArgumentNullException(nameof(value));
                }

                _throttleBodyStatusCodes = new List<int>(value).AsReadOnly();
            }
        }

        /// <summary>
        /// Decides from a response and its body text whether the server throttled the request, for vendors
        /// whose refusals a fixed marker cannot describe. Consulted for responses of any status not already
        /// throttled by it, whose body is text of at most 64 KiB (it is given the whole body). A request that
        /// is not idempotent answered with a success status is never sent again, whatever it decides.
        /// </summary>
        public Func<HttpResponseMessage, string, bool>/*?*/ Classifier { get; set; }

        /// <summary>The clock of the waits between attempts and of HTTP dates. The pacer keeps its own.</summary>
        public PacingClock Clock
        {
            get
            {
                return _clock;
            }

            set
            {
                if (value == null)
                {
                    throw new ArgumentNullException(nameof(value));
                }

                _clock = value;
            }
        }

        /// <summary>
        /// How closely the policy's <see cref="BaseAddress"/> fits <paramref name="requestUri"/>: -1 when it does not
        /// cover it, 0 when the policy has no address and covers everything, and more the longer the matching path.
        /// </summary>
        internal int Covers(Uri/*?*/ requestUri)
        {
            var prefix = _prefix;
            if (prefix == null)
            {
                return 0;
            }

            return prefix.Covers(requestUri);
        }

        /// <summary>The address as compared, so that two spellings of one prefix count as the same.</summary>
        internal string/*?*/ NormalizedBaseAddress
        {
            get { return _prefix == null ? null : _prefix.Normalized; }
        }

        internal bool IsThrottleStatus(int statusCode)
        {
            return Contains(_throttleStatusCodes, statusCode);
        }

        internal bool IsThrottleBodyStatus(int statusCode)
        {
            return Contains(_throttleBodyStatusCodes, statusCode);
        }

        private static bool Contains(IReadOnlyList<int> codes, int statusCode)
        {
            foreach (var code in codes)
            {
                if (code == statusCode)
                {
                    return true;
                }
            }

            return false;
        }

        private static TimeSpan NotNegative(TimeSpan value)
        {
            if (value < TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "A delay must be zero or more.");
            }

            return value;
        }

        /// <summary>
        /// A <see cref="RateLimitPolicy.BaseAddress"/>, parsed once: the scheme, host and port a request must have, and
        /// the path it must start with, whole segments only.
        /// </summary>
        private sealed class BaseAddressPrefix
        {
            private readonly string _scheme;
            private readonly string _host;
            private readonly int _port;

            // Without a trailing slash, so that "/repos" and "/repos/" are one prefix; empty for the root.
            private readonly string _path;

            private BaseAddressPrefix(Uri address)
            {
                _scheme = address.Scheme;
                _host = address.Host;
                _port = address.Port;
                _path = address.AbsolutePath.TrimEnd('/');
                Normalized = _scheme + "://" + _host.ToLowerInvariant() + ":" + _port + _path;
            }

            /// <summary>Scheme, lower-case host, port and path without its trailing slash.</summary>
            public string Normalized { get; }

            public static BaseAddressPrefix Parse(string value, string parameterName)
            {
                Uri address;
                if (!Uri.TryCreate(value, UriKind.Absolute, out address)
                    || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
                {
                    throw new ArgumentException(
                        "A base address is an absolute http or https URL such as \"https://api.github.com/\"; \"" + value + "\" is not. Leave it null to cover every request.",
                        parameterName);
                }

                if (address.Query.Length > 0 || address.Fragment.Length > 0)
                {
                    throw new ArgumentException(
                        "A base address is a scheme, host, port and path; \"" + value + "\" has a query or fragment, which no request is matched by.",
                        parameterName);
                }

                return new BaseAddressPrefix(address);
            }

            /// <summary>-1 when <paramref name="requestUri"/> is not under the prefix; otherwise one more than the prefix path's length.</summary>
            public int Covers(Uri/*?*/ requestUri)
            {
                if (requestUri == null || !requestUri.IsAbsoluteUri
                    || !string.Equals(requestUri.Scheme, _scheme, StringComparison.OrdinalIgnoreCase)
                    || !string.Equals(requestUri.Host, _host, StringComparison.OrdinalIgnoreCase)
                    || requestUri.Port != _port)
                {
                    return -1;
                }

                // Paths are case-sensitive (RFC 3986), and both sides are escaped the same way by Uri.
                var path = requestUri.AbsolutePath;
                var under = path.StartsWith(_path, StringComparison.Ordinal)
                    && (path.Length == _path.Length || path[_path.Length] == '/');
                return under ? _path.Length + 1 : -1;
            }
        }
    }
}
