using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.RateLimiting;
using System.Threading.Tasks;
using RateLimitAnalyzers.Pacing;
using Xunit;

namespace RateLimitAnalyzers.Pacing.Tests
{
    /// <summary>The runtime's extension point: a pacer whose turns come from a quota kept elsewhere, and the RateLimiter adapter built on it.</summary>
    public sealed class ExternalQuotaTests
    {
        [Fact]
        public async Task Every_turn_is_taken_from_the_external_quota()
        {
            var quota = new ScriptedQuota();
            var pacer = new RequestPacer(new ManualClock(), quota);

            await pacer.WaitTurnAsync().WaitAsync(ManualClock.Settle);
            Assert.True(pacer.TryTakeTurn(out _));
            pacer.WaitTurn();

            Assert.Equal(3, quota.Granted);
            Assert.Empty(pacer.Windows);
        }

        [Fact]
        public async Task A_refused_turn_waits_as_long_as_the_quota_says_then_asks_again()
        {
            var clock = new ManualClock();
            var quota = new ScriptedQuota(TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(200));
            var pacer = new RequestPacer(clock, quota);

            await clock.RunUntilCompleted(pacer.WaitTurnAsync());

            Assert.Equal(TimeSpan.FromMilliseconds(500), clock.Elapsed);
            Assert.Equal(3, quota.Asked);
            Assert.Equal(1, quota.Granted);
        }

        [Fact]
        public async Task A_server_pause_holds_callers_before_the_quota_is_asked()
        {
            // Retry-After speaks for the key: asking the store meanwhile would spend a turn the server refuses.
            var clock = new ManualClock();
            var quota = new ScriptedQuota();
            var pacer = new RequestPacer(clock, quota);
            pacer.PauseFor(TimeSpan.FromSeconds(2));

            Assert.False(pacer.TryTakeTurn(out var wait));
            Assert.Equal(TimeSpan.FromSeconds(2), wait);
            await clock.RunUntilCompleted(pacer.WaitTurnAsync());

            Assert.Equal(TimeSpan.FromSeconds(2), clock.Elapsed);
            Assert.Equal(1, quota.Asked);
        }

        [Fact]
        public async Task A_refusal_longer_than_the_callers_deadline_throws_at_once()
        {
            var clock = new ManualClock();
            var pacer = new RequestPacer(clock, new ScriptedQuota(TimeSpan.FromSeconds(30)));

            var exception = await Assert.ThrowsAsync<PacingDeadlineExceededException>(() => pacer.WaitTurnAsync(TimeSpan.FromSeconds(5)).WaitAsync(ManualClock.Settle));

            Assert.Equal(TimeSpan.FromSeconds(30), exception.RequiredWait);
            Assert.Equal(TimeSpan.Zero, clock.Elapsed);
        }

        [Fact]
        public async Task A_turn_the_external_quota_refuses_spends_nothing_the_headers_taught()
        {
            // The server announced 3 an hour, 2 of them left (the response that said so used the third). Ten refusals
            // of the external quota, 100 ms each, take none of them: the turn comes after the refusals, not an hour later.
            var clock = new ManualClock();
            var quota = new ScriptedQuota(Enumerable.Repeat(TimeSpan.FromMilliseconds(100), 10).ToArray());
            var pacer = new RequestPacer(clock, quota);
            pacer.Learn(Headers(clock, "ratelimit-limit", "3;w=3600", "ratelimit-remaining", "2;w=3600"), TimeSpan.FromDays(1));

            await clock.RunUntilCompleted(pacer.WaitTurnAsync());
            Assert.Equal(TimeSpan.FromSeconds(1), clock.Elapsed);

            // One turn of the three and one of the two remaining are still there, and then no more.
            Assert.True(pacer.TryTakeTurn(out _));
            Assert.False(pacer.TryTakeTurn(out var wait));
            Assert.True(wait > TimeSpan.FromMinutes(59), "wait " + wait);
            Assert.Equal(2, quota.Granted);
            Assert.Equal(12, quota.Asked);
        }

        [Fact]
        public void A_turn_the_external_quota_refuses_at_once_spends_nothing_either()
        {
            var clock = new ManualClock();
            var quota = new ScriptedQuota(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
            var pacer = new RequestPacer(clock, quota);
            pacer.Learn(Headers(clock, "ratelimit-remaining", "1;w=3600"), TimeSpan.FromDays(1));

            Assert.False(pacer.TryTakeTurn(out var wait));
            Assert.Equal(TimeSpan.FromSeconds(1), wait);

            // The blocking wait is refused once more, then takes the one turn left.
            pacer.WaitTurn();
            Assert.Equal(TimeSpan.FromSeconds(1), clock.Elapsed);
            Assert.False(pacer.TryTakeTurn(out _));
        }

        [Fact]
        public async Task A_limiter_without_room_reports_its_retry_after()
        {
            using var limiter = new FixedWindowRateLimiter(new FixedWindowRateLimiterOptions { PermitLimit = 1, Window = TimeSpan.FromHours(1), QueueLimit = 0, AutoReplenishment = false });
            var pacer = limiter.ToRequestPacer();

            Assert.True(pacer.TryTakeTurn(out _));
            Assert.False(pacer.TryTakeTurn(out var wait));
            Assert.Equal(TimeSpan.FromHours(1), wait);

            var exception = await Assert.ThrowsAsync<PacingDeadlineExceededException>(() => pacer.WaitTurnAsync(TimeSpan.FromMinutes(59)).WaitAsync(ManualClock.Settle));
            Assert.Equal(TimeSpan.FromHours(1), exception.RequiredWait);
        }

        [Fact]
        public async Task A_limiter_that_queues_is_cut_off_at_the_callers_deadline()
        {
            using var limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = 1, QueueLimit = 10 });
            using var held = limiter.AttemptAcquire(1);
            var pacer = limiter.ToRequestPacer();

            await Assert.ThrowsAsync<PacingDeadlineExceededException>(() => pacer.WaitTurnAsync(TimeSpan.FromMilliseconds(50)).WaitAsync(ManualClock.Settle));
        }

        [Fact]
        public async Task Cancelling_the_wait_for_a_limiter_ends_it()
        {
            using var limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = 1, QueueLimit = 10 });
            using var held = limiter.AttemptAcquire(1);
            using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => limiter.ToRequestPacer().WaitTurnAsync(cancellation.Token).WaitAsync(ManualClock.Settle));
        }

        [Fact]
        public async Task A_policy_using_a_limiter_paces_every_attempt_with_it_and_still_honours_Retry_After()
        {
            using var limiter = new CountingLimiter();
            var policy = new RateLimitPolicy("api.archiva.app/api/ingest/event").UseRateLimiter(limiter);
            var server = new ScriptedServer(PacingClock.System, Respond.TooManyRequests("0"), Respond.With(200));

            using (var client = new HttpClient(new RateLimitedHandler(policy, server)))
            using (var response = await client.PostAsync("https://api.archiva.app/api/ingest/event", new StringContent("{}")).WaitAsync(ManualClock.Settle))
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }

            Assert.Equal(2, limiter.Acquired);
        }

        private static RateLimitHeaders Headers(ManualClock clock, params string[] headers)
        {
            using (var response = Respond.Response(200, string.Empty, headers))
            {
                return RateLimitHeaders.Parse(response, clock.UtcNow);
            }
        }

        /// <summary>Refuses with each scripted wait in turn, then grants every turn.</summary>
        private sealed class ScriptedQuota : ExternalQuota
        {
            private readonly Queue<TimeSpan> _refusals;

            public ScriptedQuota(params TimeSpan[] refusals)
            {
                _refusals = new Queue<TimeSpan>(refusals);
            }

            public int Asked { get; private set; }

            public int Granted { get; private set; }

            public override bool TryTakeTurn(out TimeSpan retryAfter)
            {
                lock (_refusals)
                {
                    Asked++;
                    if (_refusals.Count > 0)
                    {
                        retryAfter = _refusals.Dequeue();
                        return false;
                    }

                    Granted++;
                    retryAfter = TimeSpan.Zero;
                    return true;
                }
            }

            public override Task<TimeSpan?> TakeTurnAsync(TimeSpan maxWait, CancellationToken cancellationToken)
            {
                return Task.FromResult(TryTakeTurn(out var retryAfter) ? (TimeSpan?)null : retryAfter);
            }
        }

        /// <summary>Grants every permit and counts them.</summary>
        private sealed class CountingLimiter : RateLimiter
        {
            private int _acquired;

            public int Acquired => _acquired;

            public override TimeSpan? IdleDuration => null;

            public override RateLimiterStatistics GetStatistics() => new RateLimiterStatistics { TotalSuccessfulLeases = _acquired };

            protected override RateLimitLease AttemptAcquireCore(int permitCount)
            {
                Interlocked.Increment(ref _acquired);
                return new Granted();
            }

            protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
                new ValueTask<RateLimitLease>(AttemptAcquireCore(permitCount));

            private sealed class Granted : RateLimitLease
            {
                public override bool IsAcquired => true;

                public override IEnumerable<string> MetadataNames => Array.Empty<string>();

                public override bool TryGetMetadata(string metadataName, out object metadata)
                {
                    metadata = null;
                    return false;
                }
            }
        }
    }
}
