using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace RateLimitAnalyzers.Pacing
{
    /// <summary>
    /// Lets requests go at most as fast as a quota allows: at most N in any rolling window W, for one or
    /// several windows at once (Agora's call/lists: 1 per second and 1,000 per day). Every window is
    /// checked before any is used, so a request refused by the daily window does not spend a slot of
    /// the per-second one.
    /// </summary>
    /// <remarks>
    /// Each window keeps the times of its last N grants (a true rolling log). Counting in fixed or
    /// sliding segments, as System.Threading.RateLimiting's sliding window does, can let through up to
    /// twice the limit inside one real rolling window, which is exactly what a server with a rolling
    /// log rejects. Waiters re-check after every wait, so a cancelled or timed-out waiter never holds a
    /// slot it did not use.
    /// <para>
    /// A pacer made from an <see cref="ExternalQuota"/> (for several processes sharing one API key, a
    /// quota kept in a store they all reach) has no windows of its own: it takes every turn from that
    /// quota, and holds its callers only for a server's Retry-After (<see cref="PauseFor"/>).
    /// </para>
    /// <para>
    /// The retrying send also teaches the pacer what the server's rate-limit headers announce (see
    /// <see cref="Learn"/>): a quota with its window, such as SUSE Application Collection's
    /// <c>ratelimit-limit: 50;w=21600</c>, becomes one more window, and a remaining count with its reset
    /// caps the turns left until then. Both only ever add limits; no header removes or widens one.
    /// </para>
    /// <para>
    /// A grant occupies its window for the window plus an arrival margin (<see cref="ArrivalMargin"/>): the
    /// pacer counts a turn when it grants it, the server when the request arrives, and a request whose trip is
    /// shorter than that of the request <c>Limit</c> turns before it would otherwise arrive inside that one's
    /// rolling window. A turn held until its response (<see cref="HoldUntil"/>) needs no margin: its request had
    /// arrived by then.
    /// </para>
    /// </remarks>
    internal sealed class RequestPacer
    {
        private static readonly ConcurrentDictionary<string, RequestPacer> s_shared =
            new ConcurrentDictionary<string, RequestPacer>(StringComparer.Ordinal);

        // Bounds on what a response's headers may add, so a broken or hostile header can neither pin the
        // callers for years nor make the pacer keep millions of grant times.
        private const int MostLearnedWindows = 4;
        private const int LargestLearnedLimit = 10000;
        private static readonly TimeSpan s_longestLearnedWindow = TimeSpan.FromDays(7);

        // The default arrival margin: the spread between a grant and its request's arrival is network and
        // process latency, which does not grow with the window. 5% of the window costs at most 5% of the
        // quota's throughput, and is what a long window can afford to allow; at least 20 ms, the jitter of a
        // warm connection, however short the window (the compressed 200 ms windows of the emulation); at most
        // 1 s, since a trip longer than that is an outage or a cold start, not jitter, and a daily quota would
        // otherwise lose over an hour a day to it.
        private const int DefaultMarginDivisor = 20;
        private static readonly TimeSpan s_leastDefaultMargin = TimeSpan.FromMilliseconds(20);
        private static readonly TimeSpan s_mostDefaultMargin = TimeSpan.FromSeconds(1);

        private readonly object _gate = new object();
        private readonly PacingClock _clock;
        private readonly ExternalQuota _external;
        private RollingLog[] _logs;
        private int _learnedWindows;
        private TimeSpan _pausedUntil;
        private TimeSpan? _arrivalMargin;

        // At most _budgetLeft more turns before _budgetUntil, from a response's remaining count; unlimited
        // once that time has passed.
        private int _budgetLeft;
        private TimeSpan _budgetUntil;

        public RequestPacer(params QuotaWindow[] windows)
            : this(PacingClock.System, null, AtLeastOne(windows))
        {
        }

        public RequestPacer(PacingClock clock, params QuotaWindow[] windows)
            : this(clock, null, AtLeastOne(windows))
        {
        }

        /// <summary>A pacer that takes its turns from <paramref name="quota"/>, counted outside this process.</summary>
        public RequestPacer(ExternalQuota quota)
            : this(PacingClock.System, quota)
        {
        }

        public RequestPacer(PacingClock clock, ExternalQuota quota)
        {
            if (clock == null)
            {
                throw new ArgumentNullException(nameof(clock));
            }

            if (quota == null)
            {
                throw new ArgumentNullException(nameof(quota));
            }

            _clock = clock;
            _external = quota;
            _logs = new RollingLog[0];
        }

        private RequestPacer(PacingClock clock, string key, QuotaWindow[] windows)
        {
            if (clock == null)
            {
                throw new ArgumentNullException(nameof(clock));
            }

            _clock = clock;
            Key = key;
            _logs = CreateLogs(windows ?? new QuotaWindow[0]);
        }

        /// <summary>The key this pacer is shared under, or null for a pacer of its own.</summary>
        public string/*?*/ Key { get; }

        /// <summary>
        /// The windows every request must fit, those learned from the server's headers included; none for a
        /// pacer whose turns come from an <see cref="ExternalQuota"/> or one that has only paused so far.
        /// </summary>
        public IReadOnlyList<QuotaWindow> Windows
        {
            get
            {
                lock (_gate)
                {
                    var windows = new QuotaWindow[_logs.Length];
                    for (var i = 0; i < _logs.Length; i++)
                    {
                        windows[i] = _logs[i].Window;
                    }

                    return windows;
                }
            }
        }

        /// <summary>
        /// How much longer than its window each grant occupies the window, so that requests that reach the server
        /// faster than the one <c>Limit</c> turns before them still arrive a whole window after it; the same for
        /// every window of the pacer, learned ones included, since the spread is latency, not a share of the
        /// window. Null (the default) gives each window <see cref="DefaultArrivalMargin"/> of its length;
        /// <see cref="TimeSpan.Zero"/> counts grants exactly as the quota is written. Set it on a shared pacer
        /// once, at start-up: it applies to every caller of the key and to the turns already taken. A pacer whose turns
        /// come from an <see cref="ExternalQuota"/> has no windows of its own, so the margin does not reach that quota.
        /// </summary>
        /// <exception cref="ArgumentOutOfRangeException">The margin is negative.</exception>
        public TimeSpan? ArrivalMargin
        {
            get
            {
                lock (_gate)
                {
                    return _arrivalMargin;
                }
            }

            set
            {
                if (value < TimeSpan.Zero)
                {
                    throw new ArgumentOutOfRangeException(nameof(value), value, "An arrival margin must be zero or more; TimeSpan.Zero turns it off, null restores the default.");
                }

                lock (_gate)
                {
                    _arrivalMargin = value;
                }
            }
        }

        /// <summary>
        /// The arrival margin of a window of length <paramref name="window"/> when <see cref="ArrivalMargin"/> is not
        /// set: 5% of the window, at least 20 ms and at most 1 s (50 ms for a second, 1 s for a minute or a day).
        /// </summary>
        public static TimeSpan DefaultArrivalMargin(TimeSpan window)
        {
            var margin = TimeSpan.FromTicks(window.Ticks / DefaultMarginDivisor);
            if (margin < s_leastDefaultMargin)
            {
                return s_leastDefaultMargin;
            }

            return margin > s_mostDefaultMargin ? s_mostDefaultMargin : margin;
        }

        /// <summary>
        /// The pacer every caller in the process shares for <paramref name="key"/>, so that pacing holds
        /// across calls, instances and threads: a quota is counted per API key or account, not per loop.
        /// </summary>
        /// <remarks>
        /// The first call creates the pacer, with no windows at all if it names none: that pacer holds its
        /// callers only for a server's Retry-After or used-up quota, and for the windows the server's headers
        /// announce. A later call that names a window the pacer does not have adds it; windows are never
        /// removed or widened, so no caller can loosen another's pacing.
        /// </remarks>
        public static RequestPacer Shared(string key, params QuotaWindow[] windows)
        {
            if (key == null)
            {
                throw new ArgumentNullException(nameof(key));
            }

            var pacer = s_shared.GetOrAdd(key, k => new RequestPacer(PacingClock.System, k, windows));
            pacer.AddMissingWindows(windows);
            return pacer;
        }

        /// <summary>Waits until the quota has room, then takes the turn.</summary>
        public Task WaitTurnAsync(CancellationToken cancellationToken = default(CancellationToken))
        {
            return WaitTurnAsync(Timeout.InfiniteTimeSpan, cancellationToken);
        }

        /// <summary>
        /// Waits until the quota has room, then takes the turn; throws
        /// <see cref="PacingDeadlineExceededException"/> at once, without waiting, when the turn would
        /// come later than <paramref name="maxWait"/> from now.
        /// </summary>
        public Task WaitTurnAsync(TimeSpan maxWait, CancellationToken cancellationToken = default(CancellationToken))
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return Task.FromCanceled(cancellationToken);
            }

            if (_external != null)
            {
                return WaitForExternalTurnAsync(Deadline(maxWait), maxWait, cancellationToken);
            }

            TimeSpan wait;
            if (TryTakeTurn(out wait))
            {
                return Task.CompletedTask;
            }

            return WaitForTurnAsync(Deadline(maxWait), maxWait, wait, cancellationToken);
        }

        /// <summary>Blocks until the quota has room, then takes the turn.</summary>
        public void WaitTurn(CancellationToken cancellationToken = default(CancellationToken))
        {
            WaitTurn(Timeout.InfiniteTimeSpan, cancellationToken);
        }

        /// <summary>Blocks until the quota has room, then takes the turn, or throws when that is later than <paramref name="maxWait"/>.</summary>
        public void WaitTurn(TimeSpan maxWait, CancellationToken cancellationToken = default(CancellationToken))
        {
            var deadline = Deadline(maxWait);
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                TimeSpan wait;
                if (TryTakeTurn(out wait))
                {
                    return;
                }

                ThrowIfPastDeadline(deadline, wait, maxWait);
                _clock.Sleep(wait, cancellationToken);
            }
        }

        /// <summary>
        /// Takes the turn if the quota has room now. Otherwise returns false and tells how long until
        /// it may have room (another caller may take it first).
        /// </summary>
        public bool TryTakeTurn(out TimeSpan retryAfter)
        {
            if (!TryTakeLocalTurn(out retryAfter))
            {
                return false;
            }

            return _external == null || _external.TryTakeTurn(out retryAfter);
        }

        /// <summary>
        /// A pacer of its own with no windows: it only holds its callers for <see cref="PauseFor"/> and for what
        /// the server's headers announce (<see cref="Learn"/>). What <see cref="Shared"/> gives a policy without
        /// windows, on a clock of the caller's choosing.
        /// </summary>
        public static RequestPacer WithoutWindows(PacingClock clock)
        {
            return new RequestPacer(clock, null, null);
        }

        /// <summary>
        /// Adds what a response's rate-limit headers say, only ever tightening. Each announced quota with its
        /// window (<c>ratelimit-limit: 50;w=21600</c>) becomes a window, unless one the pacer already has allows
        /// no more. A remaining count with its reset (<c>ratelimit-remaining: 30;w=14400</c>) allows at most that
        /// many more turns until the reset, held for at most <paramref name="longestHold"/> (a policy's
        /// MaxRetryAfter, as for a pause), unless the pacer already allows no more for as long.
        /// </summary>
        /// <remarks>
        /// Values no real quota has are ignored: a limit above 10,000 or a window longer than 7 days, and windows
        /// past the fourth learned one. A learned window counts the request this response answered and those after
        /// it; the remaining count is what keeps the pacer under a quota the server had already partly used. Requests already on their way when
        /// the response left are not subtracted from it.
        /// </remarks>
        internal void Learn(RateLimitHeaders headers, TimeSpan longestHold)
        {
            if (headers == null)
            {
                throw new ArgumentNullException(nameof(headers));
            }

            lock (_gate)
            {
                var now = _clock.Elapsed;
                foreach (var window in headers.Windows)
                {
                    if (_learnedWindows < MostLearnedWindows && window.Limit <= LargestLearnedLimit && window.Window <= s_longestLearnedWindow && !IsImpliedByLogs(window))
                    {
                        var logs = new RollingLog[_logs.Length + 1];
                        Array.Copy(_logs, logs, _logs.Length);
                        logs[_logs.Length] = new RollingLog(window);

                        // The request that brought the header was counted too.
                        logs[_logs.Length].Record(now);
                        _logs = logs;
                        _learnedWindows++;
                    }
                }

                var remaining = headers.Remaining;
                var reset = headers.Reset;
                if (!remaining.HasValue || !reset.HasValue || reset.Value <= TimeSpan.Zero)
                {
                    return;
                }

                var hold = reset.Value < longestHold ? reset.Value : longestHold;
                var until = PacingClock.After(now, hold < s_longestLearnedWindow ? hold : s_longestLearnedWindow);
                if (now >= _budgetUntil || (remaining.Value <= _budgetLeft && until >= _budgetUntil))
                {
                    _budgetLeft = remaining.Value;
                    _budgetUntil = until;
                }
            }
        }

        /// <summary>
        /// Holds every caller of this pacer for <paramref name="duration"/>: a server's Retry-After
        /// speaks for the whole key, not only for the request that received it.
        /// </summary>
        public void PauseFor(TimeSpan duration)
        {
            if (duration <= TimeSpan.Zero)
            {
                return;
            }

            lock (_gate)
            {
                var until = PacingClock.After(_clock.Elapsed, duration);
                if (until > _pausedUntil)
                {
                    _pausedUntil = until;
                }
            }
        }

        /// <summary>The pause and this pacer's own windows; for a pacer of an external quota, the pause alone.</summary>
        private bool TryTakeLocalTurn(out TimeSpan retryAfter)
        {
            lock (_gate)
            {
                var now = _clock.Elapsed;
                var earliest = _pausedUntil;
                var budgeted = now < _budgetUntil;
                if (budgeted && _budgetLeft == 0 && _budgetUntil > earliest)
                {
                    earliest = _budgetUntil;
                }

                for (var i = 0; i < _logs.Length; i++)
                {
                    var next = _logs[i].NextAllowed(now, MarginOf(_logs[i]));
                    if (next > earliest)
                    {
                        earliest = next;
                    }
                }

                if (earliest > now)
                {
                    retryAfter = earliest - now;
                    return false;
                }

                for (var i = 0; i < _logs.Length; i++)
                {
                    _logs[i].Record(now);
                }

                if (budgeted)
                {
                    _budgetLeft--;
                }

                retryAfter = TimeSpan.Zero;
                return true;
            }
        }

        /// <summary>The pacer's clock, for <see cref="HoldUntil"/>.</summary>
        internal TimeSpan Now
        {
            get { return _clock.Elapsed; }
        }

        /// <summary>
        /// Counts the turn taken at <paramref name="grantedAt"/> from <paramref name="respondedAt"/> instead: the
        /// server counts a request from when it arrives, somewhere before the response, and a request slow to get
        /// there (the first one opens the connection) would otherwise let the next window's first request reach the
        /// server inside the same rolling window as it.
        /// </summary>
        /// <remarks>
        /// Moves the newest grant no later than <paramref name="grantedAt"/> in each window, which is this send's own
        /// unless another caller's raced it; moving any grant later only ever makes the pacer wait longer. The held
        /// turn occupies its window until a window after the response, without the arrival margin (the request had
        /// arrived by then), or until the window and margin after the grant, whichever is later.
        /// </remarks>
        internal void HoldUntil(TimeSpan grantedAt, TimeSpan respondedAt)
        {
            lock (_gate)
            {
                foreach (var log in _logs)
                {
                    log.Postpone(grantedAt, respondedAt, MarginOf(log));
                }
            }
        }

        private TimeSpan MarginOf(RollingLog log)
        {
            return _arrivalMargin ?? log.DefaultMargin;
        }

        private async Task WaitForTurnAsync(TimeSpan deadline, TimeSpan maxWait, TimeSpan wait, CancellationToken cancellationToken)
        {
            while (true)
            {
                ThrowIfPastDeadline(deadline, wait, maxWait);
                await _clock.Delay(wait, cancellationToken).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                if (TryTakeTurn(out wait))
                {
                    return;
                }
            }
        }

        private async Task WaitForExternalTurnAsync(TimeSpan deadline, TimeSpan maxWait, CancellationToken cancellationToken)
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();

                // Retry-After holds the callers of an external quota too: the server refused this key.
                TimeSpan wait;
                if (TryTakeLocalTurn(out wait))
                {
                    var refused = await _external.TakeTurnAsync(Remaining(deadline), cancellationToken).ConfigureAwait(false);
                    if (!refused.HasValue)
                    {
                        return;
                    }

                    wait = refused.Value;
                }

                ThrowIfPastDeadline(deadline, wait, maxWait);
                await _clock.Delay(wait, cancellationToken).ConfigureAwait(false);
            }
        }

        private TimeSpan Remaining(TimeSpan deadline)
        {
            if (deadline == TimeSpan.MaxValue)
            {
                return Timeout.InfiniteTimeSpan;
            }

            var left = deadline - _clock.Elapsed;
            return left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }

        private TimeSpan Deadline(TimeSpan maxWait)
        {
            if (maxWait == Timeout.InfiniteTimeSpan)
            {
                return TimeSpan.MaxValue;
            }

            if (maxWait < TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(maxWait), maxWait, "The longest wait must be zero or more, or Timeout.InfiniteTimeSpan.");
            }

            return PacingClock.After(_clock.Elapsed, maxWait);
        }

        private void ThrowIfPastDeadline(TimeSpan deadline, TimeSpan wait, TimeSpan maxWait)
        {
            if (deadline == TimeSpan.MaxValue)
            {
                return;
            }

            if (PacingClock.After(_clock.Elapsed, wait) > deadline)
            {
                throw new PacingDeadlineExceededException(Key, wait, maxWait);
            }
        }

        private void AddMissingWindows(QuotaWindow[] windows)
        {
            if (windows == null)
            {
                return;
            }

            lock (_gate)
            {
                var logs = new List<RollingLog>(_logs);
                foreach (var window in windows)
                {
                    if (!logs.Exists(log => log.Window.Equals(window)))
                    {
                        logs.Add(new RollingLog(window));
                    }
                }

                if (logs.Count != _logs.Length)
                {
                    _logs = logs.ToArray();
                }
            }
        }

        /// <summary>Whether a window the pacer has already allows no more than <paramref name="window"/> does.</summary>
        private bool IsImpliedByLogs(QuotaWindow window)
        {
            foreach (var log in _logs)
            {
                if (log.Window.Limit <= window.Limit && log.Window.Window >= window.Window)
                {
                    return true;
                }
            }

            return false;
        }

        private static QuotaWindow[] AtLeastOne(QuotaWindow[] windows)
        {
            if (windows == null || windows.Length == 0)
            {
                throw new ArgumentException("A pacer needs at least one quota window.", nameof(windows));
            }

            return windows;
        }

        private static RollingLog[] CreateLogs(QuotaWindow[] windows)
        {
            var logs = new List<RollingLog>(windows.Length);
            foreach (var window in windows)
            {
                if (window.Limit < 1)
                {
                    throw new ArgumentException("default(QuotaWindow) is not a quota; create windows with QuotaWindow.PerSecond and the like.", nameof(windows));
                }

                if (!logs.Exists(log => log.Window.Equals(window)))
                {
                    logs.Add(new RollingLog(window));
                }
            }

            return logs.ToArray();
        }

        /// <summary>The times of the last <c>Limit</c> grants of one window, oldest first, in a ring.</summary>
        private sealed class RollingLog
        {
            private readonly TimeSpan[] _grants;
            private int _oldest;
            private int _count;

            public RollingLog(QuotaWindow window)
            {
                Window = window;
                DefaultMargin = DefaultArrivalMargin(window.Window);
                _grants = new TimeSpan[window.Limit];
            }

            public QuotaWindow Window { get; }

            public TimeSpan DefaultMargin { get; }

            /// <summary>
            /// When this window has room: now while it holds fewer than Limit grants, else when the oldest of the last
            /// Limit leaves it, the window and <paramref name="margin"/> after it (never, for an absurd window).
            /// </summary>
            public TimeSpan NextAllowed(TimeSpan now, TimeSpan margin)
            {
                if (_count < _grants.Length)
                {
                    return now;
                }

                var leaves = PacingClock.After(PacingClock.After(_grants[_oldest], Window.Window), margin);
                return leaves > now ? leaves : now;
            }

            /// <summary>
            /// Counts the newest grant no later than <paramref name="grantedAt"/> as if taken <paramref name="margin"/>
            /// before <paramref name="until"/>, so that it leaves a window after <paramref name="until"/>; never earlier.
            /// </summary>
            public void Postpone(TimeSpan grantedAt, TimeSpan until, TimeSpan margin)
            {
                for (var i = _count - 1; i >= 0; i--)
                {
                    var index = (_oldest + i) % _grants.Length;
                    if (_grants[index] <= grantedAt)
                    {
                        // Compared as a difference, so that an absurd margin cannot overflow.
                        if (until > _grants[index] && until - _grants[index] > margin)
                        {
                            _grants[index] = until - margin;
                        }

                        return;
                    }
                }
            }

            public void Record(TimeSpan now)
            {
                if (_count < _grants.Length)
                {
                    _grants[(_oldest + _count) % _grants.Length] = now;
                    _count++;
                    return;
                }

                _grants[_oldest] = now;
                _oldest = (_oldest + 1) % _grants.Length;
            }
        }
    }
}
