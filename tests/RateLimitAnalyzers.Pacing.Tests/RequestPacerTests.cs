using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using RateLimitAnalyzers.Pacing;
using Xunit;

namespace RateLimitAnalyzers.Pacing.Tests
{
    public sealed class RequestPacerTests
    {
        private static readonly TimeSpan Ms = TimeSpan.FromMilliseconds(1);

        // Waits for work the thread pool already has, never for the pacer's clock.
        private static readonly TimeSpan Settle = TimeSpan.FromSeconds(10);

        // The default arrival margins of the windows these tests use: 5% of the window, at least 20 ms, at most 1 s.
        private static readonly TimeSpan SecondMargin = TimeSpan.FromMilliseconds(50);
        private static readonly TimeSpan MinuteMargin = TimeSpan.FromSeconds(1);

        [Fact]
        public void Allows_the_limit_at_once_then_refuses_until_the_oldest_grant_leaves_the_window()
        {
            var clock = new ManualClock();
            var pacer = new RequestPacer(clock, new QuotaWindow(3, TimeSpan.FromSeconds(1)));

            Assert.True(pacer.TryTakeTurn(out _));
            clock.Advance(TimeSpan.FromMilliseconds(400));
            Assert.True(pacer.TryTakeTurn(out _));
            Assert.True(pacer.TryTakeTurn(out _));

            // The grant from t=0 occupies the window for the window and its arrival margin.
            Assert.False(pacer.TryTakeTurn(out var wait));
            Assert.Equal(TimeSpan.FromMilliseconds(600) + SecondMargin, wait);

            clock.Advance(wait - Ms);
            Assert.False(pacer.TryTakeTurn(out wait));
            Assert.Equal(Ms, wait);

            clock.Advance(Ms);
            Assert.True(pacer.TryTakeTurn(out _));

            // The next room opens when the grant from t=400ms leaves, not a whole window later.
            Assert.False(pacer.TryTakeTurn(out wait));
            Assert.Equal(TimeSpan.FromMilliseconds(400), wait);
        }

        [Fact]
        public void Never_lets_twice_the_limit_through_across_a_segment_boundary()
        {
            // A segmented sliding window allows a full limit at the end of one segment and another at
            // the start of the next: 2N inside one real rolling window. A rolling log must not.
            var clock = new ManualClock();
            var pacer = new RequestPacer(clock, new QuotaWindow(10, TimeSpan.FromSeconds(1)));
            var grants = new List<TimeSpan>();

            clock.Advance(TimeSpan.FromMilliseconds(900));
            for (var i = 0; i < 10; i++)
            {
                Assert.True(pacer.TryTakeTurn(out _));
                grants.Add(clock.Elapsed);
            }

            clock.Advance(TimeSpan.FromMilliseconds(200));
            for (var i = 0; i < 10; i++)
            {
                if (pacer.TryTakeTurn(out _))
                {
                    grants.Add(clock.Elapsed);
                }
            }

            Assert.Equal(10, grants.Count);
            AssertNoWindowExceeded(grants, 10, TimeSpan.FromSeconds(1));
        }

        [Fact]
        public void A_turn_held_until_its_response_counts_from_then()
        {
            // The first request opened the connection and reached the server 300 ms after its turn: the next
            // window's first request must not reach it less than a window after that.
            var clock = new ManualClock();
            var pacer = new RequestPacer(clock, QuotaWindow.PerSecond(2));
            Assert.True(pacer.TryTakeTurn(out _));
            clock.Advance(TimeSpan.FromMilliseconds(10));
            Assert.True(pacer.TryTakeTurn(out _));
            pacer.HoldUntil(TimeSpan.Zero, TimeSpan.FromMilliseconds(300));

            Assert.False(pacer.TryTakeTurn(out var wait));
            Assert.Equal(TimeSpan.FromMilliseconds(1300 - 10), wait);

            // Holding a turn never shortens a wait.
            pacer.HoldUntil(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(5));
            Assert.False(pacer.TryTakeTurn(out wait));
            Assert.Equal(TimeSpan.FromMilliseconds(1290), wait);
        }

        [Fact]
        public void Every_window_must_have_room_before_any_is_used()
        {
            // The short window, listed last, is the one that refuses: a pacer that records a turn in each window as it
            // checks it would already have spent a slot of the 10-second window on the refused attempt.
            var clock = new ManualClock();
            var pacer = new RequestPacer(clock, new QuotaWindow(4, TimeSpan.FromSeconds(10)), QuotaWindow.PerSecond(3));

            for (var i = 0; i < 3; i++)
            {
                Assert.True(pacer.TryTakeTurn(out _));
            }

            Assert.False(pacer.TryTakeTurn(out var wait));
            Assert.Equal(TimeSpan.FromSeconds(1) + SecondMargin, wait);

            // The refused attempt took nothing from the 10-second window: its fourth turn is still there. Each window
            // has its own margin: 500 ms for 10 s.
            clock.Advance(wait);
            Assert.True(pacer.TryTakeTurn(out _));
            Assert.False(pacer.TryTakeTurn(out wait));
            Assert.Equal(TimeSpan.FromSeconds(10.5) - clock.Elapsed, wait);
        }

        [Fact]
        public void Minimum_interval_spaces_consecutive_requests()
        {
            var clock = new ManualClock();
            var pacer = new RequestPacer(clock, QuotaWindow.MinimumInterval(TimeSpan.FromMilliseconds(250)));

            // The gap is the interval and its arrival margin, 20 ms at the least.
            Assert.True(pacer.TryTakeTurn(out _));
            Assert.False(pacer.TryTakeTurn(out var wait));
            Assert.Equal(TimeSpan.FromMilliseconds(270), wait);
            clock.Advance(TimeSpan.FromMilliseconds(269));
            Assert.False(pacer.TryTakeTurn(out _));
            clock.Advance(Ms);
            Assert.True(pacer.TryTakeTurn(out _));
        }

        [Fact]
        public async Task A_minimum_interval_beside_an_hourly_quota_spaces_a_paging_loop_evenly()
        {
            // The paging fix's steady cadence: GitHub's 5,000 an hour, at W/N = 720 ms apart rather than in a burst.
            var clock = new ManualClock();
            var interval = TimeSpan.FromMilliseconds(720);
            var pacer = new RequestPacer(clock, QuotaWindow.PerHour(5000), QuotaWindow.MinimumInterval(interval));
            var grants = new List<TimeSpan>();

            async Task PagingLoop()
            {
                for (var page = 0; page < 50; page++)
                {
                    await pacer.WaitTurnAsync();
                    grants.Add(clock.Elapsed);
                }
            }

            await clock.RunUntilCompleted(PagingLoop());

            // Every gap is the interval and its default margin (5% of 720 ms): even, never a burst.
            var gap = interval + RequestPacer.DefaultArrivalMargin(interval);
            Assert.Equal(TimeSpan.FromMilliseconds(756), gap);
            Assert.All(grants.Zip(grants.Skip(1), (a, b) => b - a), g => Assert.Equal(gap, g));
        }

        [Fact]
        public async Task Async_wait_completes_exactly_when_the_window_has_room()
        {
            var clock = new ManualClock();
            var pacer = new RequestPacer(clock, QuotaWindow.PerSecond(1));
            await pacer.WaitTurnAsync().WaitAsync(Settle);

            var waiting = pacer.WaitTurnAsync();
            Assert.False(waiting.IsCompleted);

            clock.Advance(TimeSpan.FromSeconds(1) + SecondMargin - Ms);
            Assert.False(waiting.IsCompleted);

            clock.Advance(Ms);
            await waiting.WaitAsync(Settle);
            Assert.False(pacer.TryTakeTurn(out _));
        }

        [Fact]
        public void A_turn_available_now_completes_synchronously()
        {
            var pacer = new RequestPacer(new ManualClock(), QuotaWindow.PerSecond(5));
            Assert.True(pacer.WaitTurnAsync().IsCompletedSuccessfully);
        }

        [Fact]
        public void Sync_wait_sleeps_for_exactly_the_time_the_window_needs()
        {
            var clock = new ManualClock();
            var pacer = new RequestPacer(clock, QuotaWindow.PerSecond(2));
            pacer.WaitTurn();
            pacer.WaitTurn();
            pacer.WaitTurn();

            Assert.Equal(new[] { TimeSpan.FromSeconds(1) + SecondMargin }, clock.RequestedDelays);
            Assert.Equal(TimeSpan.FromSeconds(1) + SecondMargin, clock.Elapsed);
        }

        [Fact]
        public async Task Cancelled_waiter_takes_no_slot()
        {
            // The cancelled waiter is ahead of the other: had it kept its place in line or taken the turn, the other
            // would wait a second window.
            var clock = new ManualClock();
            var pacer = new RequestPacer(clock, QuotaWindow.PerSecond(1));
            Assert.True(pacer.TryTakeTurn(out _));

            using var cancellation = new CancellationTokenSource();
            var cancelled = pacer.WaitTurnAsync(cancellation.Token);
            var other = pacer.WaitTurnAsync();
            await clock.WaitForPendingDelays(2);
            cancellation.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(Settle));

            clock.Advance(TimeSpan.FromSeconds(1) + SecondMargin);
            Assert.False(pacer.TryTakeTurn(out _));
            await other.WaitAsync(Settle);
            Assert.Equal(0, clock.PendingDelays);
        }

        [Fact]
        public async Task Turns_go_to_waiters_in_the_order_they_came()
        {
            var clock = new ManualClock();
            var pacer = new RequestPacer(clock, QuotaWindow.PerSecond(1));
            Assert.True(pacer.TryTakeTurn(out _));
            var order = new List<int>();
            var waiters = Enumerable.Range(0, 4).Select(i => pacer.WaitTurnAsync().ContinueWith(t => { lock (order) { order.Add(i); } }, TaskScheduler.Default)).ToArray();
            await clock.WaitForPendingDelays(4);

            for (var turn = 0; turn < 4; turn++)
            {
                clock.Advance(TimeSpan.FromSeconds(1) + SecondMargin);

                // The free turn is the first waiter's: a caller that comes now does not take it, even before the
                // waiter wakes, and learns that its own turn comes after every waiter's.
                Assert.False(pacer.TryTakeTurn(out var wait));
                Assert.Equal(TimeSpan.FromTicks((TimeSpan.FromSeconds(1) + SecondMargin).Ticks * (4 - turn)), wait);
                await waiters[turn].WaitAsync(Settle);
            }

            Assert.Equal(new[] { 0, 1, 2, 3 }, order);
        }

        [Fact]
        public async Task A_waiter_whose_turn_in_line_comes_after_its_deadline_fails_at_once()
        {
            var clock = new ManualClock();
            var pacer = new RequestPacer(clock, QuotaWindow.PerSecond(1));
            Assert.True(pacer.TryTakeTurn(out _));
            var first = pacer.WaitTurnAsync();

            // The quota has room in 1.05 s, but that turn is the first waiter's; this one's comes a window later.
            var error = await Assert.ThrowsAsync<PacingDeadlineExceededException>(() => pacer.WaitTurnAsync(TimeSpan.FromSeconds(1.5)).WaitAsync(Settle));
            Assert.Equal(TimeSpan.FromSeconds(2.1), error.RequiredWait);
            Assert.Throws<PacingDeadlineExceededException>(() => pacer.WaitTurn(TimeSpan.FromSeconds(1.5)));

            clock.Advance(TimeSpan.FromSeconds(1) + SecondMargin);
            await first.WaitAsync(Settle);
        }

        [Fact]
        public void A_window_added_to_a_shared_key_counts_the_requests_already_sent()
        {
            var key = "tests/" + Guid.NewGuid().ToString("N");
            var pacer = RequestPacer.Shared(key, QuotaWindow.PerSecond(10));
            for (var i = 0; i < 3; i++)
            {
                Assert.True(pacer.TryTakeTurn(out _));
            }

            // A second call site knows the key allows 3 a minute: the 3 requests just sent used them up.
            RequestPacer.Shared(key, QuotaWindow.PerMinute(3));
            Assert.False(pacer.TryTakeTurn(out var wait));
            Assert.True(wait > TimeSpan.FromSeconds(50), "wait " + wait);
        }

        [Fact]
        public void A_window_stores_only_the_grants_it_has_seen()
        {
            var clock = new ManualClock();
            var allocated = GC.GetAllocatedBytesForCurrentThread();
            var pacer = new RequestPacer(clock, QuotaWindow.PerDay(int.MaxValue), new QuotaWindow(100_000_000, TimeSpan.FromHours(1)));
            for (var i = 0; i < 1000; i++)
            {
                Assert.True(pacer.TryTakeTurn(out _));
            }

            allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
            Assert.True(allocated < 1024 * 1024, allocated + " bytes for 1,000 turns");
        }

        [Fact]
        public void A_turn_the_quota_has_room_for_allocates_nothing()
        {
            // The window's log is grown first (past 4,096 grants it holds all 6,000), so only the turns are measured.
            var pacer = new RequestPacer(new ManualClock(), new QuotaWindow(6000, TimeSpan.FromSeconds(1)));
            for (var i = 0; i < 4097; i++)
            {
                Assert.True(pacer.TryTakeTurn(out _));
            }

            var allocated = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 600; i++)
            {
                Assert.True(pacer.WaitTurnAsync().IsCompletedSuccessfully);
                pacer.WaitTurn();
                Assert.True(pacer.TryTakeTurn(out _));
            }

            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - allocated);
        }

        [Fact]
        public void A_window_that_grows_still_holds_its_limit()
        {
            // 20 is past the first capacities of a growing log (8, 16).
            var clock = new ManualClock();
            var pacer = new RequestPacer(clock, new QuotaWindow(20, TimeSpan.FromSeconds(10)));
            var grants = new List<TimeSpan>();
            for (var step = 0; step < 400; step++)
            {
                while (pacer.TryTakeTurn(out _))
                {
                    grants.Add(clock.Elapsed);
                }

                clock.Advance(TimeSpan.FromMilliseconds(170));
            }

            AssertNoWindowExceeded(grants, 20, TimeSpan.FromSeconds(10));
            Assert.True(grants.Count >= 20 * 6, "granted " + grants.Count);
        }

        [Fact]
        public async Task Already_cancelled_token_is_honoured_even_when_a_turn_is_free()
        {
            var pacer = new RequestPacer(new ManualClock(), QuotaWindow.PerSecond(1));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pacer.WaitTurnAsync(new CancellationToken(canceled: true)).WaitAsync(Settle));
            Assert.Throws<OperationCanceledException>(() => pacer.WaitTurn(new CancellationToken(canceled: true)));
            Assert.True(pacer.TryTakeTurn(out _));
        }

        [Fact]
        public async Task Turn_beyond_the_callers_deadline_throws_instead_of_waiting()
        {
            var clock = new ManualClock();
            var pacer = new RequestPacer(clock, QuotaWindow.PerMinute(1));
            Assert.True(pacer.TryTakeTurn(out _));

            var error = await Assert.ThrowsAsync<PacingDeadlineExceededException>(() => pacer.WaitTurnAsync(TimeSpan.FromSeconds(5)).WaitAsync(Settle));
            Assert.Equal(TimeSpan.FromMinutes(1) + MinuteMargin, error.RequiredWait);
            Assert.Equal(TimeSpan.FromSeconds(5), error.MaxWait);
            Assert.Empty(clock.RequestedDelays);

            // The arrival margin is part of the wait, so a deadline of exactly the window is too short, and says so.
            Assert.Throws<PacingDeadlineExceededException>(() => pacer.WaitTurn(TimeSpan.FromMinutes(1)));

            // Within the deadline it waits as usual, and the refused attempts took no slot.
            var waiting = pacer.WaitTurnAsync(TimeSpan.FromMinutes(1) + MinuteMargin);
            clock.Advance(TimeSpan.FromMinutes(1) + MinuteMargin);
            await waiting.WaitAsync(Settle);
        }

        [Fact]
        public void Pause_holds_every_caller_of_the_pacer()
        {
            var clock = new ManualClock();
            var pacer = new RequestPacer(clock, QuotaWindow.PerSecond(100));
            pacer.PauseFor(TimeSpan.FromSeconds(45));

            Assert.False(pacer.TryTakeTurn(out var wait));
            Assert.Equal(TimeSpan.FromSeconds(45), wait);

            pacer.PauseFor(TimeSpan.FromSeconds(10));
            clock.Advance(TimeSpan.FromSeconds(44));
            Assert.False(pacer.TryTakeTurn(out wait));
            Assert.Equal(TimeSpan.FromSeconds(1), wait);

            clock.Advance(TimeSpan.FromSeconds(1));
            Assert.True(pacer.TryTakeTurn(out _));
        }

        [Fact]
        public void An_absurd_pause_saturates_instead_of_overflowing()
        {
            var clock = new ManualClock();
            clock.Advance(TimeSpan.FromDays(1));
            var pacer = new RequestPacer(clock, QuotaWindow.PerSecond(1));

            pacer.PauseFor(TimeSpan.MaxValue);

            Assert.False(pacer.TryTakeTurn(out var wait));
            Assert.Equal(TimeSpan.MaxValue - clock.Elapsed, wait);
            Assert.Throws<PacingDeadlineExceededException>(() => pacer.WaitTurn(TimeSpan.FromDays(3650)));
        }

        [Fact]
        public void Concurrent_callers_never_exceed_any_window()
        {
            var clock = new ManualClock();
            var perSecond = QuotaWindow.PerSecond(5);
            var perTenSeconds = new QuotaWindow(30, TimeSpan.FromSeconds(10));
            var pacer = new RequestPacer(clock, perSecond, perTenSeconds);
            var grants = new List<TimeSpan>();

            // Time moves only between rounds, so every grant of a round happened at that round's time.
            for (var round = 0; round < 300; round++)
            {
                var granted = 0;
                Parallel.For(0, 8, _ =>
                {
                    for (var attempt = 0; attempt < 4; attempt++)
                    {
                        if (pacer.TryTakeTurn(out var __))
                        {
                            Interlocked.Increment(ref granted);
                        }
                    }
                });

                grants.AddRange(Enumerable.Repeat(clock.Elapsed, granted));
                clock.Advance(TimeSpan.FromMilliseconds(70));
            }

            AssertNoWindowExceeded(grants, 5, TimeSpan.FromSeconds(1));
            AssertNoWindowExceeded(grants, 30, TimeSpan.FromSeconds(10));

            // And the quota is used, not merely respected: 21 s of rounds allow 30 per 10 s, and a bit.
            Assert.True(grants.Count >= 60, "granted " + grants.Count);
        }

        [Fact]
        public async Task Many_async_waiters_all_get_their_turn_within_the_quota()
        {
            var clock = new ManualClock();
            var pacer = new RequestPacer(clock, QuotaWindow.PerSecond(2));
            var grants = new List<TimeSpan>();
            var waiters = Enumerable.Range(0, 10).Select(async _ =>
            {
                await pacer.WaitTurnAsync().ConfigureAwait(false);
                lock (grants)
                {
                    grants.Add(clock.Elapsed);
                }
            }).ToArray();

            await clock.RunUntilCompleted(waiters);
            Assert.Equal(10, grants.Count);
            AssertNoWindowExceeded(grants.OrderBy(g => g).ToList(), 2, TimeSpan.FromSeconds(1));
        }

        [Fact]
        public void Shared_pacers_are_one_per_key_and_never_loosened()
        {
            var key = "tests/" + Guid.NewGuid().ToString("N");
            var first = RequestPacer.Shared(key, QuotaWindow.PerSecond(10));
            var second = RequestPacer.Shared(key, QuotaWindow.PerSecond(1), QuotaWindow.PerDay(1000));
            var third = RequestPacer.Shared(key, QuotaWindow.PerSecond(100));

            Assert.Same(first, second);
            Assert.Same(first, third);
            Assert.Equal(key, first.Key);
            Assert.Contains(QuotaWindow.PerSecond(1), first.Windows);
            Assert.Contains(QuotaWindow.PerSecond(10), first.Windows);
            Assert.Contains(QuotaWindow.PerDay(1000), first.Windows);

            Assert.NotSame(first, RequestPacer.Shared(key + "/other", QuotaWindow.PerSecond(1)));
            Assert.Null(new RequestPacer(QuotaWindow.PerSecond(1)).Key);
        }

        [Fact]
        public void Invalid_arguments_are_refused_clearly()
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => new QuotaWindow(0, TimeSpan.FromSeconds(1)));
            Assert.Throws<ArgumentOutOfRangeException>(() => new QuotaWindow(-5, TimeSpan.FromSeconds(1)));
            Assert.Throws<ArgumentOutOfRangeException>(() => new QuotaWindow(1, TimeSpan.Zero));
            Assert.Throws<ArgumentOutOfRangeException>(() => QuotaWindow.MinimumInterval(TimeSpan.FromSeconds(-1)));
            Assert.Throws<ArgumentException>(() => new RequestPacer());
            Assert.Throws<ArgumentException>(() => new RequestPacer(default(QuotaWindow)));
            Assert.Throws<ArgumentNullException>(() => new RequestPacer((PacingClock)null, QuotaWindow.PerSecond(1)));
            Assert.Throws<ArgumentNullException>(() => RequestPacer.Shared(null, QuotaWindow.PerSecond(1)));
            Assert.Throws<ArgumentOutOfRangeException>(() => new RequestPacer(QuotaWindow.PerSecond(1)).WaitTurn(TimeSpan.FromSeconds(-2)));
        }

        [Theory]
        [InlineData(100, 60, "100 per 60 s")]
        [InlineData(1000, 86400, "1000 per 1 d")]
        [InlineData(5000, 3600, "5000 per 1 h")]
        public void Windows_describe_themselves_in_plain_words(int limit, int seconds, string expected)
        {
            Assert.Equal(expected, new QuotaWindow(limit, TimeSpan.FromSeconds(seconds)).ToString());
        }

        [Fact]
        public async Task System_clock_waits_for_real_and_honours_cancellation()
        {
            // No margin, so that the real waits stay at 5 ms.
            var pacer = new RequestPacer(QuotaWindow.MinimumInterval(TimeSpan.FromMilliseconds(5))) { ArrivalMargin = TimeSpan.Zero };
            await pacer.WaitTurnAsync().WaitAsync(Settle);
            await pacer.WaitTurnAsync().WaitAsync(Settle);
            pacer.WaitTurn();

            var slow = new RequestPacer(QuotaWindow.PerDay(1));
            slow.WaitTurn();
            using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(5));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => slow.WaitTurnAsync(cancellation.Token).WaitAsync(Settle));
        }

        private static void AssertNoWindowExceeded(IReadOnlyList<TimeSpan> orderedGrants, int limit, TimeSpan window)
        {
            for (var i = 0; i + limit < orderedGrants.Count; i++)
            {
                // Grant i and grant i+limit must be at least one window apart.
                Assert.True(
                    orderedGrants[i + limit] - orderedGrants[i] >= window,
                    $"grants {i} and {i + limit} at {orderedGrants[i]} and {orderedGrants[i + limit]} put {limit + 1} requests inside {window}");
            }
        }
    }
}
