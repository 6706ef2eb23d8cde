using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
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
    /// Each window keeps the times of its last N grants (a true rolling log, stored as it fills). Counting in
    /// fixed or sliding segments, as System.Threading.RateLimiting's sliding window does, can let through up to
    /// twice the limit inside one real rolling window, which is exactly what a server with a rolling
    /// log rejects. Callers that wait stand in line and get their turns in the order they came; a caller that
    /// finds room takes it only when no one waits, and a cancelled or timed-out waiter leaves the line without
    /// a slot.
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

        // For a key whose pacer another copy of the runtime created: the way to it (see SharedPacers).
        private readonly SharedPacers.Link _link;

        // For a key's pacer that this copy created: how other copies reach it, and whether the process-wide table
        // holds it for what it holds back.
        private IDictionary<string, object> _handle;
        private bool _held;
        private RollingLog[] _logs;
        private int _learnedWindows;
        private TimeSpan _pausedUntil;
        private TimeSpan? _arrivalMargin;

        // Callers waiting for a turn, in the order they came: a turn goes to the first of them, and a caller that
        // finds a free turn takes it only when no one is waiting.
        private readonly LinkedList<Waiter> _waiters = new LinkedList<Waiter>();

        // The last trips of held turns, from grant to response (see HoldUntil), and the longest of them.
        private const int TripsKept = 32;
        private const int TripsBeforeTrusted = 8;
        private TimeSpan[] _trips;
        private int _tripsMeasured;
        private int _nextTrip;
        private TimeSpan _longestTrip;

        // The longest a limit learned from the headers may hold a turn (the shortest MaxRetryAfter of the
        // policies that taught it); a longer wait fails at once, as a longer Retry-After does.
        private TimeSpan _longestLearnedHold = TimeSpan.MaxValue;

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
            _logs = Array.Empty<RollingLog>();
        }

        private RequestPacer(string key, SharedPacers.Link link)
            : this(PacingClock.System, link)
        {
            Key = key;
            _link = link;
        }

        private RequestPacer(PacingClock clock, string key, QuotaWindow[] windows)
        {
            if (clock == null)
            {
                throw new ArgumentNullException(nameof(clock));
            }

            _clock = clock;
            Key = key;
            _logs = CreateLogs(windows ?? Array.Empty<QuotaWindow>());
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
                if (_link != null)
                {
                    return _link.Windows;
                }

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
                if (_link != null)
                {
                    return _link.ArrivalMargin;
                }

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

                if (_link != null)
                {
                    _link.ArrivalMargin = value;
                    return;
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

            return SharedPacers.Get(key, windows);
        }

        /// <summary>The handle other copies of the runtime reach this shared pacer by.</summary>
        internal IDictionary<string, object> Handle
        {
            get { return _handle; }
        }

        internal static RequestPacer CreateShared(string key, QuotaWindow[] windows)
        {
            var pacer = new RequestPacer(PacingClock.System, key, windows);
            pacer._handle = SharedPacers.CreateHandle(pacer);
            return pacer;
        }

        internal static RequestPacer CreateLinked(string key, SharedPacers.Link link)
        {
            return new RequestPacer(key, link);
        }

        /// <summary>Lets the process-wide table go of this pacer once it holds nothing back: no turn inside a window, no pause, no remaining count, no waiter.</summary>
        internal void LetGoIfIdle()
        {
            lock (_gate)
            {
                if (!_held)
                {
                    return;
                }

                var now = _clock.Elapsed;
                if (_waiters.Count > 0 || now < _pausedUntil || now < _budgetUntil)
                {
                    return;
                }

                foreach (var log in _logs)
                {
                    log.DropLeft(now, MarginOf(log));
                    if (log.Count > 0)
                    {
                        return;
                    }
                }

                _held = false;
                SharedPacers.LetGo(Key, _handle);
            }
        }

        /// <summary>Under the gate: the pacer holds something back, so the process-wide table must keep it.</summary>
        private void Hold()
        {
            if (_handle != null && !_held)
            {
                _held = true;
                SharedPacers.Hold(Key, _handle);
            }
        }

        /// <summary>Waits until the quota has room, then takes the turn.</summary>
        public Task WaitTurnAsync(CancellationToken cancellationToken = default(CancellationToken))
        {
            return WaitTurnAsync(Timeout.InfiniteTimeSpan, cancellationToken);
        }

        /// <summary>
        /// Waits until the quota has room and every caller that came before has had its turn, then takes the turn;
        /// throws <see cref="PacingDeadlineExceededException"/> at once, without waiting, when the turn would
        /// come later than <paramref name="maxWait"/> from now.
        /// </summary>
        public Task WaitTurnAsync(TimeSpan maxWait, CancellationToken cancellationToken = default(CancellationToken))
        {
            return WaitTurnAsync(maxWait, null, cancellationToken);
        }

        /// <summary>
        /// <see cref="WaitTurnAsync(TimeSpan, CancellationToken)"/> for the retrying send: a turn an external quota
        /// holds until its response puts into <paramref name="held"/> what the send disposes when the response came.
        /// </summary>
        internal Task WaitTurnAsync(TimeSpan maxWait, StrongBox<IDisposable>/*?*/ held, CancellationToken cancellationToken)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return Task.FromCanceled(cancellationToken);
            }

            var deadline = Deadline(maxWait);
            if (_external != null)
            {
                return WaitForExternalTurnAsync(deadline, maxWait, held, cancellationToken);
            }

            Waiter waiter;
            Reservation taken;
            if (TryTakeOrQueue(out taken, out waiter))
            {
                return Task.CompletedTask;
            }

            return WaitInLineAsync(waiter, deadline, maxWait, cancellationToken);
        }

        /// <summary>Blocks until the quota has room, then takes the turn.</summary>
        public void WaitTurn(CancellationToken cancellationToken = default(CancellationToken))
        {
            WaitTurn(Timeout.InfiniteTimeSpan, cancellationToken);
        }

        /// <summary>Blocks until the quota has room, then takes the turn, or throws when that is later than <paramref name="maxWait"/>.</summary>
        public void WaitTurn(TimeSpan maxWait, CancellationToken cancellationToken = default(CancellationToken))
        {
            var held = WaitHeldTurn(maxWait, cancellationToken);
            if (held != null)
            {
                // No response to wait for here: the turn counts from now.
                held.Dispose();
            }
        }

        /// <summary>
        /// <see cref="WaitTurn(TimeSpan, CancellationToken)"/> for the retrying send: returns what to dispose when the
        /// turn's response came, for a turn an external quota holds until then; otherwise null.
        /// </summary>
        internal IDisposable/*?*/ WaitHeldTurn(TimeSpan maxWait, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var deadline = Deadline(maxWait);
            while (true)
            {
                Waiter waiter;
                Reservation reservation;
                if (!TryTakeOrQueue(out reservation, out waiter))
                {
                    reservation = WaitInLine(waiter, deadline, maxWait, cancellationToken);
                }

                if (_external == null)
                {
                    return null;
                }

                TimeSpan wait;
                IDisposable held;
                if (_external.TryTakeTurn(out wait, out held))
                {
                    Confirm(reservation);
                    return held;
                }

                Release(reservation);
                ThrowIfPastDeadline(deadline, wait, maxWait);
                _clock.Sleep(wait, cancellationToken);
            }
        }

        /// <summary>
        /// Takes the turn if the quota has room now and no caller is waiting for a turn. Otherwise returns false
        /// and tells how long until it may have room, after the callers already waiting (another caller may take
        /// it first).
        /// </summary>
        public bool TryTakeTurn(out TimeSpan retryAfter)
        {
            List<Waiter> granted = null;
            var reservation = default(Reservation);
            bool taken;
            lock (_gate)
            {
                var now = _clock.Elapsed;
                GrantWhileRoom(now, ref granted);
                taken = _waiters.Count == 0 && TryRecord(now, out reservation);
                retryAfter = taken ? TimeSpan.Zero : TurnTime(now, _waiters.Count, true) - now;
            }

            Wake(granted);
            if (!taken || _external == null)
            {
                return taken;
            }

            if (_external.TryTakeTurn(out retryAfter))
            {
                Confirm(reservation);
                return true;
            }

            Release(reservation);
            return false;
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
        /// many more turns until the reset, unless the pacer already allows no more for as long. A turn that
        /// what was learned would hold for longer than <paramref name="longestHold"/> (a policy's MaxRetryAfter,
        /// as for a server's Retry-After) fails at once with <see cref="PacingDeadlineExceededException"/>.
        /// </summary>
        /// <remarks>
        /// Values no real quota has are ignored: a limit above 10,000 or a window longer than 7 days, and windows
        /// past the fourth learned one. A learned window counts the requests this pacer already recorded, or at
        /// least the one this response answered; the remaining count is what keeps the pacer under a quota the
        /// server had already partly used. Requests already on their way when the response left are not
        /// subtracted from it. A shared pacer keeps the shortest hold any of its policies allows.
        /// </remarks>
        internal void Learn(RateLimitHeaders headers, TimeSpan longestHold)
        {
            if (headers == null)
            {
                throw new ArgumentNullException(nameof(headers));
            }

            if (_link != null)
            {
                _link.Learn(headers.Windows, headers.Remaining, headers.Reset, longestHold);
                return;
            }

            Learn(headers.Windows, headers.Remaining, headers.Reset, longestHold);
        }

        internal void Learn(IReadOnlyList<QuotaWindow> windows, int? remaining, TimeSpan? reset, TimeSpan longestHold)
        {
            lock (_gate)
            {
                var now = _clock.Elapsed;
                Hold();
                if (longestHold < _longestLearnedHold)
                {
                    _longestLearnedHold = longestHold;
                }

                foreach (var window in windows)
                {
                    if (_learnedWindows < MostLearnedWindows && window.Limit <= LargestLearnedLimit && window.Window <= s_longestLearnedWindow && !IsImpliedByLogs(window))
                    {
                        var log = NewLog(window, true, now);
                        if (log.Count == 0)
                        {
                            // The request that brought the header was counted too.
                            log.Record(now, MarginOf(log));
                        }

                        _learnedWindows++;
                    }
                }

                if (!remaining.HasValue || !reset.HasValue || reset.Value <= TimeSpan.Zero)
                {
                    return;
                }

                var until = PacingClock.After(now, reset.Value < s_longestLearnedWindow ? reset.Value : s_longestLearnedWindow);
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

            if (_link != null)
            {
                _link.PauseFor(duration);
                return;
            }

            lock (_gate)
            {
                Hold();
                var until = PacingClock.After(_clock.Elapsed, duration);
                if (until > _pausedUntil)
                {
                    _pausedUntil = until;
                }
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
        /// <para>
        /// Each held turn also measures a trip, from the grant to the response: an upper bound on how long its request
        /// took to reach the server. Once 8 have been measured, the default margin is the longest of the last 32
        /// trips, if that is shorter than <see cref="DefaultArrivalMargin"/>: the margin only has to cover how much
        /// later one request may arrive than another, and with fast trips 5% of every window is throughput lost.
        /// </para>
        /// </remarks>
        internal void HoldUntil(TimeSpan grantedAt, TimeSpan respondedAt)
        {
            if (_link != null)
            {
                var now = Now;
                _link.HoldUntil(now - grantedAt, now - respondedAt);
                return;
            }

            lock (_gate)
            {
                if (_logs.Length > 0)
                {
                    MeasureTrip(_logs[0].NewestUpTo(grantedAt), respondedAt);
                }

                foreach (var log in _logs)
                {
                    log.Postpone(grantedAt, respondedAt, MarginOf(log));
                }
            }
        }

        private TimeSpan MarginOf(RollingLog log)
        {
            if (_arrivalMargin.HasValue)
            {
                return _arrivalMargin.Value;
            }

            return _tripsMeasured >= TripsBeforeTrusted && _longestTrip < log.DefaultMargin ? _longestTrip : log.DefaultMargin;
        }

        /// <summary>Under the gate: counts the trip of the turn granted at <paramref name="grantedAt"/> among the last ones.</summary>
        private void MeasureTrip(TimeSpan? grantedAt, TimeSpan respondedAt)
        {
            if (!grantedAt.HasValue || respondedAt < grantedAt.Value)
            {
                return;
            }

            if (_trips == null)
            {
                _trips = new TimeSpan[TripsKept];
            }

            _trips[_nextTrip] = respondedAt - grantedAt.Value;
            _nextTrip = (_nextTrip + 1) % TripsKept;
            if (_tripsMeasured < TripsBeforeTrusted)
            {
                _tripsMeasured++;
            }

            _longestTrip = TimeSpan.Zero;
            for (var i = 0; i < _trips.Length; i++)
            {
                if (_trips[i] > _longestTrip)
                {
                    _longestTrip = _trips[i];
                }
            }
        }

        /// <summary>Takes the turn if no one is waiting and the quota has room; otherwise puts a new waiter at the back of the line.</summary>
        private bool TryTakeOrQueue(out Reservation taken, out Waiter waiter)
        {
            taken = default(Reservation);
            waiter = null;
            lock (_gate)
            {
                if (_waiters.Count == 0 && TryRecord(_clock.Elapsed, out taken))
                {
                    return true;
                }

                // Allocated only for a caller that waits: a turn the quota has room for costs no allocation.
                waiter = new Waiter();
                _waiters.AddLast(waiter.Node);
                Hold();
                return false;
            }
        }

        private async Task<Reservation> WaitInLineAsync(Waiter waiter, TimeSpan deadline, TimeSpan maxWait, CancellationToken cancellationToken)
        {
            TimeSpan wait;
            while (!NextStep(waiter, deadline, maxWait, false, cancellationToken, out wait))
            {
                // Sleeps until the turn is due, or until a caller ahead leaves the line or grants this one its turn.
                using (var sleep = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    await Task.WhenAny(_clock.Delay(wait, sleep.Token), waiter.Nudged).ConfigureAwait(false);
                    sleep.Cancel();
                }
            }

            return waiter.Reservation;
        }

        private Reservation WaitInLine(Waiter waiter, TimeSpan deadline, TimeSpan maxWait, CancellationToken cancellationToken)
        {
            TimeSpan wait;
            while (!NextStep(waiter, deadline, maxWait, true, cancellationToken, out wait))
            {
                var sleep = waiter.Sleep;
                try
                {
                    _clock.Sleep(wait, sleep.Token);
                }
                catch (OperationCanceledException)
                {
                    // Nudged or cancelled: the next step tells which.
                }
                finally
                {
                    waiter.EndSleep();
                    sleep.Dispose();
                }
            }

            return waiter.Reservation;
        }

        /// <summary>
        /// One step in line: true when the waiter has its turn; false with how long it may sleep, ready for a nudge;
        /// throws when it leaves the line, cancelled or past its deadline.
        /// </summary>
        private bool NextStep(Waiter waiter, TimeSpan deadline, TimeSpan maxWait, bool blocking, CancellationToken cancellationToken, out TimeSpan wait)
        {
            List<Waiter> granted = null;
            TimeSpan bound;
            Turn turn;
            lock (_gate)
            {
                turn = Step(waiter, deadline, maxWait, cancellationToken.IsCancellationRequested, ref granted, out wait, out bound);
                if (turn == Turn.Wait)
                {
                    waiter.ExpectNudge(blocking ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken) : null);
                }
            }

            Wake(granted);
            switch (turn)
            {
                case Turn.Granted:
                    return true;
                case Turn.Cancelled:
                    throw new OperationCanceledException(cancellationToken);
                case Turn.TooLate:
                    throw new PacingDeadlineExceededException(Key, wait, bound);
                default:
                    return false;
            }
        }

        /// <summary>
        /// Under the gate: grants the waiters at the front of the line whatever turns the quota has room for, then
        /// tells <paramref name="waiter"/> whether it has its turn, how long until it may, or that it leaves the line.
        /// </summary>
        private Turn Step(Waiter waiter, TimeSpan deadline, TimeSpan maxWait, bool cancelled, ref List<Waiter> granted, out TimeSpan wait, out TimeSpan bound)
        {
            var now = _clock.Elapsed;
            wait = TimeSpan.Zero;
            bound = maxWait;
            GrantWhileRoom(now, ref granted);
            if (waiter.Granted)
            {
                // A cancellation that comes after the grant is too late: the turn was taken.
                return Turn.Granted;
            }

            var turn = cancelled ? Turn.Cancelled : Turn.Wait;
            if (!cancelled)
            {
                var position = PositionOf(waiter);
                var turnAt = TurnTime(now, position, true);
                wait = turnAt - now;
                if (deadline != TimeSpan.MaxValue && turnAt > deadline)
                {
                    turn = Turn.TooLate;
                }
                else if (wait > _longestLearnedHold && TurnTime(now, position, false) < turnAt)
                {
                    // What the server's headers taught holds this turn longer than the policy trusts a server's wait.
                    turn = Turn.TooLate;
                    bound = _longestLearnedHold;
                }
                else
                {
                    waiter.SleepsUntil = turnAt;
                    return Turn.Wait;
                }
            }

            var wasFirst = _waiters.First == waiter.Node;
            _waiters.Remove(waiter.Node);
            if (wasFirst)
            {
                WakeFirstIfLate(now, ref granted);
            }

            return turn;
        }

        /// <summary>Under the gate: gives turns to the waiters in the order they came, as long as the quota has room.</summary>
        private void GrantWhileRoom(TimeSpan now, ref List<Waiter> granted)
        {
            var any = false;
            while (_waiters.First != null)
            {
                var first = _waiters.First.Value;
                if (!TryRecord(now, out first.Reservation))
                {
                    break;
                }

                _waiters.RemoveFirst();
                first.Granted = true;
                (granted ?? (granted = new List<Waiter>())).Add(first);
                any = true;
            }

            if (any)
            {
                WakeFirstIfLate(now, ref granted);
            }
        }

        /// <summary>Under the gate: the first waiter sleeps past its turn when a waiter ahead of it left the line or gave its turn back.</summary>
        private void WakeFirstIfLate(TimeSpan now, ref List<Waiter> toWake)
        {
            var first = _waiters.First;
            if (first != null && first.Value.SleepsUntil > TurnTime(now, 0, true))
            {
                (toWake ?? (toWake = new List<Waiter>())).Add(first.Value);
            }
        }

        private static void Wake(List<Waiter> waiters)
        {
            if (waiters == null)
            {
                return;
            }

            // Outside the gate: a woken waiter's continuation may run on this thread.
            foreach (var waiter in waiters)
            {
                waiter.Nudge();
            }
        }

        private int PositionOf(Waiter waiter)
        {
            var position = 0;
            for (var node = _waiters.First; node != null && node != waiter.Node; node = node.Next)
            {
                position++;
            }

            return position;
        }

        /// <summary>
        /// Under the gate: takes a turn at <paramref name="now"/> if the pause, the remaining count and every window
        /// allow it, recording it in each window.
        /// </summary>
        private bool TryRecord(TimeSpan now, out Reservation reservation)
        {
            reservation = default(Reservation);
            var budgeted = now < _budgetUntil;
            if (now < _pausedUntil || (budgeted && _budgetLeft <= 0))
            {
                return false;
            }

            foreach (var log in _logs)
            {
                if (log.Count >= log.Window.Limit && log.LeavesAt(0, MarginOf(log)) > now)
                {
                    return false;
                }
            }

            foreach (var log in _logs)
            {
                log.Record(now, MarginOf(log));
            }

            if (budgeted)
            {
                _budgetLeft--;
            }

            if (_logs.Length > 0)
            {
                Hold();
            }

            reservation = new Reservation(now, budgeted ? _budgetUntil : TimeSpan.MinValue);
            return true;
        }

        /// <summary>
        /// Under the gate: the earliest time the turn <paramref name="position"/> places after the next one can be
        /// taken, if every turn before it is taken as early as it can. Without <paramref name="learned"/>, what the
        /// server's headers taught is left out.
        /// </summary>
        private TimeSpan TurnTime(TimeSpan now, int position, bool learned)
        {
            var earlier = position > 0 ? new TimeSpan[position] : null;
            var earliest = now > _pausedUntil ? now : _pausedUntil;
            for (var turn = 0; ; turn++)
            {
                var at = earliest;
                if (learned && now < _budgetUntil && turn >= _budgetLeft && _budgetUntil > at)
                {
                    at = _budgetUntil;
                }

                foreach (var log in _logs)
                {
                    if (log.Learned && !learned)
                    {
                        continue;
                    }

                    // The turn needs the grant Limit turns before it to have left the window.
                    var index = (long)log.Count + turn - log.Window.Limit;
                    if (index < 0)
                    {
                        continue;
                    }

                    var margin = MarginOf(log);
                    var leaves = index < log.Count
                        ? log.LeavesAt((int)index, margin)
                        : PacingClock.After(PacingClock.After(earlier[index - log.Count], log.Window.Window), margin);
                    if (leaves > at)
                    {
                        at = leaves;
                    }
                }

                if (turn == position)
                {
                    return at;
                }

                earlier[turn] = at;
                earliest = at;
            }
        }

        /// <summary>A turn taken outside goes back: the external quota refused it, so it spends nothing here either.</summary>
        private void Release(Reservation reservation)
        {
            List<Waiter> granted = null;
            lock (_gate)
            {
                foreach (var log in _logs)
                {
                    log.Remove(reservation.At);
                }

                if (reservation.BudgetUntil == _budgetUntil)
                {
                    _budgetLeft++;
                }

                GrantWhileRoom(_clock.Elapsed, ref granted);
                WakeFirstIfLate(_clock.Elapsed, ref granted);
            }

            Wake(granted);
        }

        /// <summary>The external quota granted the turn reserved here: it counts from now, when the request leaves.</summary>
        private void Confirm(Reservation reservation)
        {
            lock (_gate)
            {
                var now = _clock.Elapsed;
                foreach (var log in _logs)
                {
                    log.Restamp(reservation.At, now);
                }
            }
        }

        private async Task WaitForExternalTurnAsync(TimeSpan deadline, TimeSpan maxWait, StrongBox<IDisposable> held, CancellationToken cancellationToken)
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();

                // The pause and learned limits hold the callers of an external quota too: the server refused this key.
                // Their turn is only reserved until the quota grants one, so a refusal spends nothing here.
                Waiter waiter;
                Reservation reservation;
                if (!TryTakeOrQueue(out reservation, out waiter))
                {
                    reservation = await WaitInLineAsync(waiter, deadline, maxWait, cancellationToken).ConfigureAwait(false);
                }

                TimeSpan? refused;
                try
                {
                    refused = held == null
                        ? await _external.TakeTurnAsync(Remaining(deadline), cancellationToken).ConfigureAwait(false)
                        : await _external.TakeTurnAsync(Remaining(deadline), held, cancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    Release(reservation);
                    throw;
                }

                if (!refused.HasValue)
                {
                    Confirm(reservation);
                    return;
                }

                Release(reservation);
                ThrowIfPastDeadline(deadline, refused.Value, maxWait);
                await _clock.Delay(refused.Value, cancellationToken).ConfigureAwait(false);
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

        internal void AddMissingWindows(QuotaWindow[] windows)
        {
            if (windows == null || windows.Length == 0)
            {
                return;
            }

            if (_link != null)
            {
                _link.AddWindows(windows);
                return;
            }

            lock (_gate)
            {
                foreach (var window in windows)
                {
                    if (Array.FindIndex(_logs, log => log.Window.Equals(window)) < 0)
                    {
                        NewLog(window, false, _clock.Elapsed);
                    }
                }
            }
        }

        /// <summary>
        /// Under the gate: adds a window that counts the turns already recorded, as far back as any window of the
        /// pacer remembers them, so a window added by a second call site starts from the requests already sent.
        /// </summary>
        private RollingLog NewLog(QuotaWindow window, bool learned, TimeSpan now)
        {
            RollingLog longest = null;
            foreach (var log in _logs)
            {
                if (longest == null || log.Count > longest.Count)
                {
                    longest = log;
                }
            }

            var added = new RollingLog(window, learned);
            if (longest != null)
            {
                var from = longest.Count > window.Limit ? longest.Count - window.Limit : 0;
                for (var i = from; i < longest.Count; i++)
                {
                    added.Record(longest[i], MarginOf(added));
                }

                added.DropLeft(now, MarginOf(added));
            }

            var logs = new RollingLog[_logs.Length + 1];
            Array.Copy(_logs, logs, _logs.Length);
            logs[_logs.Length] = added;
            _logs = logs;
            return added;
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
                    logs.Add(new RollingLog(window, false));
                }
            }

            return logs.ToArray();
        }

        private enum Turn
        {
            Wait,
            Granted,
            Cancelled,
            TooLate,
        }

        /// <summary>A turn recorded in the windows, and the remaining count it was spent from, if any.</summary>
        private struct Reservation
        {
            public Reservation(TimeSpan at, TimeSpan budgetUntil)
            {
                At = at;
                BudgetUntil = budgetUntil;
            }

            public TimeSpan At { get; }

            /// <summary>The reset of the remaining count the turn was spent from; <see cref="TimeSpan.MinValue"/> for none.</summary>
            public TimeSpan BudgetUntil { get; }
        }

        /// <summary>One caller in line for a turn.</summary>
        private sealed class Waiter
        {
            private TaskCompletionSource<bool> _nudge;
            private CancellationTokenSource _sleep;

            public Waiter()
            {
                Node = new LinkedListNode<Waiter>(this);
            }

            public LinkedListNode<Waiter> Node { get; }

            /// <summary>Set under the pacer's gate when the turn is taken for this waiter.</summary>
            public bool Granted;

            public Reservation Reservation;

            /// <summary>When the waiter will look again by itself.</summary>
            public TimeSpan SleepsUntil;

            /// <summary>What a nudge completes, for an asynchronous sleep.</summary>
            public Task Nudged
            {
                get { return Volatile.Read(ref _nudge).Task; }
            }

            /// <summary>What a nudge cancels, for a blocking sleep.</summary>
            public CancellationTokenSource Sleep
            {
                get
                {
                    lock (Node)
                    {
                        return _sleep;
                    }
                }
            }

            /// <summary>Under the pacer's gate, before the waiter sleeps; <paramref name="sleep"/> for a blocking sleep.</summary>
            public void ExpectNudge(CancellationTokenSource sleep)
            {
                Volatile.Write(ref _nudge, new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously));
                lock (Node)
                {
                    _sleep = sleep;
                }
            }

            public void EndSleep()
            {
                lock (Node)
                {
                    _sleep = null;
                }
            }

            /// <summary>Ends the waiter's sleep, so that it looks at the line again.</summary>
            public void Nudge()
            {
                var nudge = Volatile.Read(ref _nudge);
                if (nudge != null)
                {
                    nudge.TrySetResult(true);
                }

                lock (Node)
                {
                    if (_sleep != null)
                    {
                        _sleep.Cancel();
                    }
                }
            }
        }

        /// <summary>
        /// The times of the last <c>Limit</c> grants of one window, oldest first, in a ring that grows with use: a
        /// generous daily quota costs memory only for the grants it has seen in a day.
        /// </summary>
        private sealed class RollingLog
        {
            private const int FirstCapacity = 8;

            private TimeSpan[] _grants;
            private int _oldest;
            private int _count;

            public RollingLog(QuotaWindow window, bool learned)
            {
                Window = window;
                Learned = learned;
                DefaultMargin = DefaultArrivalMargin(window.Window);
                _grants = new TimeSpan[window.Limit < FirstCapacity ? window.Limit : FirstCapacity];
            }

            public QuotaWindow Window { get; }

            /// <summary>Whether the window came from the server's headers rather than from the code.</summary>
            public bool Learned { get; }

            public TimeSpan DefaultMargin { get; }

            public int Count
            {
                get { return _count; }
            }

            /// <summary>The grant <paramref name="index"/> places after the oldest kept.</summary>
            public TimeSpan this[int index]
            {
                get { return _grants[(_oldest + index) % _grants.Length]; }
            }

            /// <summary>When the grant <paramref name="index"/> leaves the window: the window and <paramref name="margin"/> after it (never, for an absurd window).</summary>
            public TimeSpan LeavesAt(int index, TimeSpan margin)
            {
                return PacingClock.After(PacingClock.After(this[index], Window.Window), margin);
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

            /// <summary>The newest grant no later than <paramref name="at"/>, if the window still has one.</summary>
            public TimeSpan? NewestUpTo(TimeSpan at)
            {
                for (var i = _count - 1; i >= 0; i--)
                {
                    if (this[i] <= at)
                    {
                        return this[i];
                    }
                }

                return null;
            }

            /// <summary>Moves the newest grant taken at <paramref name="at"/> to <paramref name="now"/>, never earlier.</summary>
            public void Restamp(TimeSpan at, TimeSpan now)
            {
                var i = NewestAt(at);
                if (i >= 0 && now > at)
                {
                    _grants[(_oldest + i) % _grants.Length] = now;
                }
            }

            /// <summary>Forgets the newest grant taken at <paramref name="at"/>, if the window still has it.</summary>
            public void Remove(TimeSpan at)
            {
                var i = NewestAt(at);
                if (i < 0)
                {
                    return;
                }

                for (; i < _count - 1; i++)
                {
                    _grants[(_oldest + i) % _grants.Length] = _grants[(_oldest + i + 1) % _grants.Length];
                }

                _count--;
            }

            public void Record(TimeSpan now, TimeSpan margin)
            {
                if (_count == _grants.Length)
                {
                    if (_count == Window.Limit)
                    {
                        // The oldest of the last Limit grants limits nothing once a newer one replaces it.
                        _grants[_oldest] = now;
                        _oldest = (_oldest + 1) % _grants.Length;
                        return;
                    }

                    DropLeft(now, margin);
                    if (_count == _grants.Length)
                    {
                        Grow();
                    }
                }

                _grants[(_oldest + _count) % _grants.Length] = now;
                _count++;
            }

            /// <summary>Forgets the oldest grants that have left the window; they limit nothing any more.</summary>
            public void DropLeft(TimeSpan now, TimeSpan margin)
            {
                while (_count > 0 && LeavesAt(0, margin) <= now)
                {
                    _oldest = (_oldest + 1) % _grants.Length;
                    _count--;
                }
            }

            private int NewestAt(TimeSpan at)
            {
                for (var i = _count - 1; i >= 0; i--)
                {
                    if (this[i] == at)
                    {
                        return i;
                    }
                }

                return -1;
            }

            private void Grow()
            {
                var capacity = (int)Math.Min((long)_grants.Length * 2, Window.Limit);
                var grants = new TimeSpan[capacity];
                for (var i = 0; i < _count; i++)
                {
                    grants[i] = this[i];
                }

                _grants = grants;
                _oldest = 0;
            }
        }
    }
}
