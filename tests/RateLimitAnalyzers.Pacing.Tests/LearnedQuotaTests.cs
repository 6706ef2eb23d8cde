using System;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using RateLimitAnalyzers.Pacing;
using Xunit;

namespace RateLimitAnalyzers.Pacing.Tests
{
    /// <summary>What a pacer takes from the server's rate-limit headers: only ever more limits, never fewer.</summary>
    public sealed class LearnedQuotaTests
    {
        // Longer than any reset in these tests: the policy's cap on a server's wait is tested on its own.
        private static readonly TimeSpan NoHoldLimit = TimeSpan.FromDays(30);

        [Fact]
        public void An_announced_quota_with_its_window_becomes_a_window()
        {
            var clock = new ManualClock();
            var pacer = RequestPacer.WithoutWindows(clock);

            pacer.Learn(Headers(clock, "ratelimit-limit", "2;w=60"), NoHoldLimit);

            // The request the header answered counts as the window's first; the window has its arrival margin, 1 s.
            Assert.Equal(new[] { new QuotaWindow(2, TimeSpan.FromSeconds(60)) }, pacer.Windows);
            Assert.True(pacer.TryTakeTurn(out _));
            Assert.False(pacer.TryTakeTurn(out var wait));
            Assert.Equal(TimeSpan.FromSeconds(61), wait);
        }

        [Fact]
        public void A_quota_no_tighter_than_a_window_the_pacer_has_is_not_added_and_none_is_replaced()
        {
            var clock = new ManualClock();
            var pacer = new RequestPacer(clock, QuotaWindow.PerMinute(10));

            pacer.Learn(Headers(clock, "ratelimit-limit", "10;w=60", "RateLimit-Policy", "\"burst\";q=50;w=30"), NoHoldLimit);
            Assert.Equal(new[] { QuotaWindow.PerMinute(10) }, pacer.Windows);

            pacer.Learn(Headers(clock, "ratelimit-limit", "5;w=60"), NoHoldLimit);
            Assert.Equal(new[] { QuotaWindow.PerMinute(10), QuotaWindow.PerMinute(5) }, pacer.Windows);
        }

        [Theory]
        [InlineData("2000000000;w=60")]
        [InlineData("50;w=999999999")]
        [InlineData("50;w=-60")]
        [InlineData("0;w=60")]
        [InlineData("garbage;w=60")]
        [InlineData("50")]
        public void Absurd_or_windowless_quotas_are_ignored(string limit)
        {
            var clock = new ManualClock();
            var pacer = RequestPacer.WithoutWindows(clock);

            pacer.Learn(Headers(clock, "ratelimit-limit", limit), NoHoldLimit);

            Assert.Empty(pacer.Windows);
            Assert.True(pacer.TryTakeTurn(out _));
        }

        [Fact]
        public void At_most_four_windows_are_learned()
        {
            var clock = new ManualClock();
            var pacer = RequestPacer.WithoutWindows(clock);

            pacer.Learn(Headers(clock, "ratelimit-limit", "100;w=1, 90;w=2, 80;w=3, 70;w=4, 60;w=5, 50;w=6"), NoHoldLimit);

            Assert.Equal(4, pacer.Windows.Count);
        }

        [Fact]
        public void A_remaining_count_allows_that_many_more_turns_until_its_reset()
        {
            var clock = new ManualClock();
            var pacer = RequestPacer.WithoutWindows(clock);

            pacer.Learn(Headers(clock, "ratelimit-remaining", "2;w=100"), NoHoldLimit);

            Assert.True(pacer.TryTakeTurn(out _));
            Assert.True(pacer.TryTakeTurn(out _));
            Assert.False(pacer.TryTakeTurn(out var wait));
            Assert.Equal(TimeSpan.FromSeconds(100), wait);

            // A looser count does not lift the tighter one before its reset.
            pacer.Learn(Headers(clock, "ratelimit-remaining", "10;w=200"), NoHoldLimit);
            Assert.False(pacer.TryTakeTurn(out _));

            clock.Advance(TimeSpan.FromSeconds(100));
            Assert.True(pacer.TryTakeTurn(out _));
        }

        [Theory]
        [InlineData("ratelimit-remaining", "0;w=86400", 86400)]
        [InlineData("RateLimit-Policy", "1;w=86400", 86400 + 1)]
        public async Task A_learned_wait_longer_than_the_policy_trusts_a_server_fails_at_once(string header, string value, int waitSeconds)
        {
            // A reset or a window a day long, where the policy trusts a server's wait for 5 minutes: the turn the
            // headers would hold for a day (and the window's 1 s arrival margin) fails now, as a Retry-After would.
            var clock = new ManualClock();
            var pacer = RequestPacer.WithoutWindows(clock);

            pacer.Learn(Headers(clock, header, value), TimeSpan.FromMinutes(5));

            var error = await Assert.ThrowsAsync<PacingDeadlineExceededException>(() => pacer.WaitTurnAsync().WaitAsync(ManualClock.Settle));
            Assert.Equal(TimeSpan.FromSeconds(waitSeconds), error.RequiredWait);
            Assert.Equal(TimeSpan.FromMinutes(5), error.MaxWait);
            Assert.Throws<PacingDeadlineExceededException>(() => pacer.WaitTurn());
            Assert.Empty(clock.RequestedDelays);
        }

        [Fact]
        public async Task A_learned_window_within_the_bound_still_paces()
        {
            var clock = new ManualClock();
            var pacer = RequestPacer.WithoutWindows(clock);
            pacer.Learn(Headers(clock, "RateLimit-Policy", "1;w=60"), TimeSpan.FromMinutes(5));

            await clock.RunUntilCompleted(pacer.WaitTurnAsync());
            Assert.Equal(TimeSpan.FromSeconds(61), clock.Elapsed);
        }

        [Fact]
        public async Task A_client_fails_at_once_instead_of_waiting_a_day_for_a_learned_window()
        {
            var clock = new ManualClock();
            var policy = TestPolicy.WithoutWindows(clock);
            var server = new ScriptedServer(clock, Respond.With(200, "[]", "RateLimit-Policy", "1;w=86400"));
            using var client = server.CreateClient(policy);

            (await client.GetAsync(Url).WaitAsync(ManualClock.Settle)).Dispose();
            await Assert.ThrowsAsync<RateLimitExceededException>(() => client.GetAsync(Url).WaitAsync(ManualClock.Settle));

            Assert.Single(server.Arrivals);
            Assert.Equal(TimeSpan.Zero, clock.Elapsed);
        }

        [Fact]
        public async Task A_client_whose_policy_has_no_windows_learns_the_quota_from_the_first_response()
        {
            var clock = new ManualClock();
            var policy = TestPolicy.WithoutWindows(clock);
            var server = new ScriptedServer(clock, Enumerable.Repeat(Respond.With(200, "[]", "ratelimit-limit", "2;w=60"), 3).ToArray());
            using var client = server.CreateClient(policy);

            for (var i = 0; i < 3; i++)
            {
                (await clock.RunUntilCompleted(client.GetAsync(Url))).Dispose();
            }

            // The learned window with its arrival margin, 1 s.
            Assert.Equal(new[] { TimeSpan.Zero, TimeSpan.Zero, TimeSpan.FromSeconds(61) }, server.Arrivals.Select(a => a.At));
            Assert.Equal(new[] { new QuotaWindow(2, TimeSpan.FromSeconds(60)) }, policy.Pacer.Windows);
        }

        [Fact]
        public async Task SUSE_headers_pace_by_what_remains_before_the_learned_window_fills()
        {
            var clock = new ManualClock();
            var policy = TestPolicy.WithoutWindows(clock);
            policy.MaxWait = TimeSpan.FromMinutes(5);
            var server = new ScriptedServer(clock, Respond.With(200, "[]", "ratelimit-limit", "50;w=21600", "ratelimit-remaining", "1;w=120"));
            using var client = server.CreateClient(policy);

            for (var i = 0; i < 3; i++)
            {
                (await clock.RunUntilCompleted(client.GetAsync(Url))).Dispose();
            }

            // One more right away, as the server said; the next once requests free up, 120 s later.
            Assert.Equal(new[] { TimeSpan.Zero, TimeSpan.Zero, TimeSpan.FromSeconds(120) }, server.Arrivals.Select(a => a.At));
        }

        private const string Url = "https://api.apps.rancher.io/v1/applications";

        private static RateLimitHeaders Headers(ManualClock clock, params string[] headers)
        {
            using (var response = Respond.Response(200, string.Empty, headers))
            {
                return RateLimitHeaders.Parse(response, clock.UtcNow);
            }
        }
    }
}
