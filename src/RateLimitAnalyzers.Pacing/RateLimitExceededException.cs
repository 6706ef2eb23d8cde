using System;
using System.Net;
using System.Net.Http;

namespace RateLimitAnalyzers.Pacing
{
    /// <summary>
    /// The server kept refusing requests for exceeding its rate limit, or asked for a wait the policy does
    /// not allow, so the retrying send gave up. An <see cref="HttpRequestException"/>, so code that already
    /// handles failed requests handles this one too.
    /// </summary>
    internal sealed class RateLimitExceededException : HttpRequestException
    {
        public RateLimitExceededException(string message, string key, HttpStatusCode? lastStatusCode, int attempts, TimeSpan? retryAfter, Exception/*?*/ innerException)
#if NET5_0_OR_GREATER
            : base(message, innerException, lastStatusCode)
#else
            : base(message, innerException)
#endif
        {
            Key = key;
            LastStatusCode = lastStatusCode;
            Attempts = attempts;
            RetryAfter = retryAfter;
        }

        /// <summary>The policy's key: the endpoint or quota whose limit was hit.</summary>
        public string Key { get; }

        /// <summary>The status of the last response, or null when no response said (a throttle reported only as an exception, or no attempt sent).</summary>
        public HttpStatusCode? LastStatusCode { get; }

        /// <summary>How many requests were sent, the first included.</summary>
        public int Attempts { get; }

        /// <summary>The wait the server last asked for (Retry-After, or the reset of an exhausted quota), or null when it gave none.</summary>
        public TimeSpan? RetryAfter { get; }
    }
}
