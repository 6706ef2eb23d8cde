using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using RateLimitAnalyzers.Pacing;
using Xunit;

namespace RateLimitAnalyzers.Pacing.Tests
{
    /// <summary>
    /// The pacer counts a turn when it grants it, a server when the request arrives: each grant occupies its window
    /// for the window and an arrival margin, so that a request with a shorter trip than the one a window before it
    /// still arrives a whole window after it.
    /// </summary>
    public sealed class ArrivalMarginTests
    {
        private static readonly TimeSpan Ms = TimeSpan.FromMilliseconds(1);

        [Theory]
        [InlineData(5, 20)]
        [InlineData(200, 20)]
        [InlineData(400, 20)]
        [InlineData(1000, 50)]
        [InlineData(10000, 500)]
        [InlineData(20000, 1000)]
        [InlineData(60000, 1000)]
        [InlineData(86400000, 1000)]
        public void The_default_margin_is_5_percent_of_the_window_at_least_20_ms_and_at_most_1_s(int windowMs, int marginMs)
        {
            var window = TimeSpan.FromMilliseconds(windowMs);
            var margin = TimeSpan.FromMilliseconds(marginMs);
            Assert.Equal(margin, RequestPacer.DefaultArrivalMargin(window));

            var clock = new ManualClock();
            var pacer = new RequestPacer(clock, new QuotaWindow(1, window));
            Assert.Null(pacer.ArrivalMargin);
            Assert.Equal(window + margin, WaitAfterOneTurn(pacer));
        }

        [Fact]
        public void A_grant_is_not_given_before_the_window_and_its_margin_have_passed()
        {
            var clock = new ManualClock();
            var pacer = new RequestPacer(clock, QuotaWindow.PerSecond(2));
            Assert.True(pacer.TryTakeTurn(out _));
            Assert.True(pacer.TryTakeTurn(out _));

            clock.Advance(TimeSpan.FromSeconds(1));
            Assert.False(pacer.TryTakeTurn(out var wait));
            Assert.Equal(TimeSpan.FromMilliseconds(50), wait);

            clock.Advance(TimeSpan.FromMilliseconds(49));
            Assert.False(pacer.TryTakeTurn(out wait));
            Assert.Equal(Ms, wait);

            clock.Advance(Ms);
            Assert.True(pacer.TryTakeTurn(out _));
        }

        [Fact]
        public void A_request_faster_than_the_one_a_window_before_it_still_arrives_a_window_later()
        {
            // A paging loop: the first page's request takes 40 ms to reach the server, the next one none. Counting
            // grants exactly, the server sees two requests inside one rolling second; with the margin it does not.
            Assert.Equal(TimeSpan.FromMilliseconds(960), SecondArrivalAfterFirst(TimeSpan.Zero));
            Assert.Equal(TimeSpan.FromMilliseconds(1010), SecondArrivalAfterFirst(null));
        }

        [Fact]
        public void Zero_margin_counts_the_quota_exactly_as_written()
        {
            var clock = new ManualClock();
            var pacer = new RequestPacer(clock, QuotaWindow.PerSecond(1)) { ArrivalMargin = TimeSpan.Zero };
            Assert.Equal(TimeSpan.Zero, pacer.ArrivalMargin);
            Assert.Equal(TimeSpan.FromSeconds(1), WaitAfterOneTurn(pacer));

            clock.Advance(TimeSpan.FromSeconds(1));
            Assert.True(pacer.TryTakeTurn(out _));
        }

        [Fact]
        public void An_explicit_margin_applies_to_every_window_and_null_restores_the_default()
        {
            var clock = new ManualClock();
            var pacer = new RequestPacer(clock, QuotaWindow.PerSecond(1), new QuotaWindow(2, TimeSpan.FromSeconds(10)));
            pacer.ArrivalMargin = TimeSpan.FromMilliseconds(200);
            Assert.Equal(TimeSpan.FromMilliseconds(200), pacer.ArrivalMargin);

            var wait = WaitAfterOneTurn(pacer);
            Assert.Equal(TimeSpan.FromMilliseconds(1200), wait);
            clock.Advance(wait);
            Assert.True(pacer.TryTakeTurn(out _));

            // The 10-second window is full until 10 s and the same 200 ms after the first grant.
            clock.Advance(TimeSpan.FromMilliseconds(1200));
            Assert.False(pacer.TryTakeTurn(out wait));
            Assert.Equal(TimeSpan.FromMilliseconds(10200 - 2400), wait);

            // Its default margin is 500 ms, and applies to the turns already taken.
            pacer.ArrivalMargin = null;
            Assert.False(pacer.TryTakeTurn(out wait));
            Assert.Equal(TimeSpan.FromMilliseconds(10500 - 2400), wait);
        }

        [Fact]
        public void A_negative_margin_is_refused_and_the_margin_kept()
        {
            var pacer = new RequestPacer(new ManualClock(), QuotaWindow.PerSecond(1)) { ArrivalMargin = TimeSpan.FromMilliseconds(30) };

            var error = Assert.Throws<ArgumentOutOfRangeException>(() => pacer.ArrivalMargin = TimeSpan.FromMilliseconds(-1));
            Assert.Equal("value", error.ParamName);
            Assert.Contains("zero or more", error.Message);
            Assert.Throws<ArgumentOutOfRangeException>(() => pacer.ArrivalMargin = Timeout.InfiniteTimeSpan);
            Assert.Equal(TimeSpan.FromMilliseconds(30), pacer.ArrivalMargin);
        }

        [Fact]
        public void A_turn_held_until_its_response_counts_a_window_from_it_without_the_margin_and_never_less()
        {
            // The request had arrived by the time its response did: a window after the response is enough.
            Assert.Equal(TimeSpan.FromMilliseconds(1300), WaitAfterHolding(TimeSpan.FromMilliseconds(300)));

            // A response faster than the margin leaves the turn where the grant put it.
            Assert.Equal(TimeSpan.FromMilliseconds(1050), WaitAfterHolding(TimeSpan.FromMilliseconds(10)));
            Assert.Equal(TimeSpan.FromMilliseconds(1050), WaitAfterHolding(TimeSpan.FromMilliseconds(50)));
        }

        [Fact]
        public void Once_8_trips_are_measured_the_default_margin_is_the_longest_of_the_last_ones()
        {
            // Trips of 3 ms: from the eighth on, the margin is 3 ms instead of 50. One slow trip brings back the default,
            // the cap: the margin only ever shrinks to what the trips show.
            var clock = new ManualClock();
            var pacer = new RequestPacer(clock, QuotaWindow.PerSecond(1));
            var trips = Enumerable.Repeat(3, 8).Concat(new[] { 100, 3, 3 }).ToArray();
            var gaps = new List<int>();
            var previous = TimeSpan.Zero;
            foreach (var trip in trips)
            {
                pacer.WaitTurn();
                gaps.Add((int)(clock.Elapsed - previous).TotalMilliseconds);
                previous = clock.Elapsed;
                pacer.HoldUntil(clock.Elapsed, clock.Elapsed + TimeSpan.FromMilliseconds(trip));
            }

            Assert.Equal(new[] { 0, 1050, 1050, 1050, 1050, 1050, 1050, 1050, 1003, 1100, 1050 }, gaps);
        }

        [Fact]
        public void Learned_windows_get_the_margin_too()
        {
            var clock = new ManualClock();
            var pacer = RequestPacer.WithoutWindows(clock);
            using (var response = Respond.Response(200, string.Empty, "ratelimit-limit", "1;w=60"))
            {
                pacer.Learn(RateLimitHeaders.Parse(response, clock.UtcNow), TimeSpan.FromMinutes(5));
            }

            Assert.False(pacer.TryTakeTurn(out var wait));
            Assert.Equal(TimeSpan.FromSeconds(61), wait);

            pacer.ArrivalMargin = TimeSpan.FromMilliseconds(100);
            Assert.False(pacer.TryTakeTurn(out wait));
            Assert.Equal(TimeSpan.FromSeconds(60.1), wait);
        }

        [Fact]
        public void Shared_pacers_start_with_the_default_and_keep_an_explicit_margin_for_every_caller()
        {
            var key = "tests/" + Guid.NewGuid().ToString("N");
            var first = RequestPacer.Shared(key, QuotaWindow.PerSecond(1));
            Assert.Null(first.ArrivalMargin);

            first.ArrivalMargin = TimeSpan.FromMilliseconds(100);

            Assert.Equal(TimeSpan.FromMilliseconds(100), RequestPacer.Shared(key, QuotaWindow.PerDay(1000)).ArrivalMargin);
        }

        [Fact]
        public void Absurd_windows_and_margins_saturate_instead_of_overflowing()
        {
            Assert.Equal(TimeSpan.FromSeconds(1), RequestPacer.DefaultArrivalMargin(TimeSpan.MaxValue));

            var clock = new ManualClock();
            clock.Advance(TimeSpan.FromDays(1));
            var endless = new RequestPacer(clock, new QuotaWindow(1, TimeSpan.MaxValue));
            Assert.Equal(TimeSpan.MaxValue - clock.Elapsed, WaitAfterOneTurn(endless));

            var cautious = new RequestPacer(clock, QuotaWindow.PerSecond(1)) { ArrivalMargin = TimeSpan.MaxValue };
            Assert.True(cautious.TryTakeTurn(out _));
            cautious.HoldUntil(clock.Elapsed, clock.Elapsed + TimeSpan.FromSeconds(1));
            Assert.False(cautious.TryTakeTurn(out var wait));
            Assert.Equal(TimeSpan.MaxValue - clock.Elapsed, wait);
            Assert.Throws<PacingDeadlineExceededException>(() => cautious.WaitTurn(TimeSpan.FromDays(3650)));
        }

        /// <summary>
        /// How long after the first request the second reaches a server, when the first takes 40 ms to get there and
        /// the second none, paced 1 per second with <paramref name="margin"/>.
        /// </summary>
        private static TimeSpan SecondArrivalAfterFirst(TimeSpan? margin)
        {
            var clock = new ManualClock();
            var pacer = new RequestPacer(clock, QuotaWindow.PerSecond(1)) { ArrivalMargin = margin };
            pacer.WaitTurn();
            var first = clock.Elapsed + TimeSpan.FromMilliseconds(40);
            clock.Advance(TimeSpan.FromMilliseconds(80));

            pacer.WaitTurn();
            return clock.Elapsed - first;
        }

        /// <summary>How long a 1-per-second pacer waits after a turn granted at 0 is held until <paramref name="respondedAt"/>.</summary>
        private static TimeSpan WaitAfterHolding(TimeSpan respondedAt)
        {
            var clock = new ManualClock();
            var pacer = new RequestPacer(clock, QuotaWindow.PerSecond(1));
            Assert.True(pacer.TryTakeTurn(out _));
            pacer.HoldUntil(TimeSpan.Zero, respondedAt);
            Assert.False(pacer.TryTakeTurn(out var wait));
            return wait;
        }

        /// <summary>Takes a turn, then tells how long the pacer makes the next caller wait.</summary>
        private static TimeSpan WaitAfterOneTurn(RequestPacer pacer)
        {
            Assert.True(pacer.TryTakeTurn(out _));
            Assert.False(pacer.TryTakeTurn(out var wait));
            return wait;
        }
    }
}
