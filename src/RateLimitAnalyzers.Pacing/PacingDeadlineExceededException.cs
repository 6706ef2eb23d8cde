using System;

namespace RateLimitAnalyzers.Pacing
{
    /// <summary>
    /// The quota has no room for this request before the caller's deadline. Thrown instead of waiting
    /// past the deadline, so the caller learns how long the API would have made it wait.
    /// </summary>
    internal sealed class PacingDeadlineExceededException : TimeoutException
    {
        public PacingDeadlineExceededException(string/*?*/ key, TimeSpan requiredWait, TimeSpan maxWait)
            : base(BuildMessage(key, requiredWait, maxWait))
        {
            Key = key;
            RequiredWait = requiredWait;
            MaxWait = maxWait;
        }

        /// <summary>The shared pacer's key, or null for a pacer of its own.</summary>
        public string/*?*/ Key { get; }

        /// <summary>How long the request would have had to wait for its turn.</summary>
        public TimeSpan RequiredWait { get; }

        /// <summary>The longest wait the caller allowed.</summary>
        public TimeSpan MaxWait { get; }

        private static string BuildMessage(string key, TimeSpan requiredWait, TimeSpan maxWait)
        {
            var target = key == null ? "this pacer" : "'" + key + "'";
            return "The quota for " + target + " has no room for another request for " + requiredWait +
                ", longer than the " + maxWait + " the caller allowed.";
        }
    }
}
