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

        [Fact]
        public async Task With_the_retrying_send_a_limiters_lease_lasts_until_its_attempts_response()
        {
            // A limiter that counts a permit from its lease's end (RedisRateLimiter) then counts it from a time the request
            // had reached the server by, however long it took to get there.
            using var limiter = new LeaseLimiter();
            var policy = new RateLimitPolicy("tests/" + Guid.NewGuid().ToString("N")) { BaseDelay = TimeSpan.Zero }.UseRateLimiter(limiter);
            var heldAtArrival = new List<bool>();
            HttpResponseMessage Answer(int status, HttpRequestMessage request)
            {
                heldAtArrival.Add(!limiter.Leases.Last().Disposed);
                return Respond.Response(status);
            }

            var server = new ScriptedServer(PacingClock.System, r => Answer(429, r), r => Answer(200, r));
            using (var client = new HttpClient(new RateLimitedHandler(policy, server)))
            using (var response = await client.GetAsync("https://api.example.com/").WaitAsync(ManualClock.Settle))
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }

            Assert.Equal(new[] { true, true }, heldAtArrival);
            Assert.Equal(2, limiter.Leases.Count);
            Assert.All(limiter.Leases, l => Assert.True(l.Disposed));
        }

        [Fact]
        public void The_synchronous_send_holds_the_lease_until_the_response_too()
        {
            using var limiter = new LeaseLimiter();
            var policy = new RateLimitPolicy("tests/" + Guid.NewGuid().ToString("N")).UseRateLimiter(limiter);
            bool? heldDuringSend = null;

            RateLimitedSend.Run(policy, () =>
            {
                heldDuringSend = !limiter.Leases.Single().Disposed;
                return "done";
            });

            Assert.True(heldDuringSend);
            Assert.True(limiter.Leases.Single().Disposed);
        }

        [Fact]
        public async Task A_send_that_fails_ends_its_lease_and_a_paging_loops_turn_ends_it_at_once()
        {
            using var limiter = new LeaseLimiter();
            var policy = new RateLimitPolicy("tests/" + Guid.NewGuid().ToString("N")).UseRateLimiter(limiter);

            await Assert.ThrowsAsync<HttpRequestException>(() => RateLimitedSend.RunAsync<string>(policy, _ => throw new HttpRequestException("connection reset")).WaitAsync(ManualClock.Settle));
            Assert.True(limiter.Leases.Single().Disposed);

            // A turn with no response to wait for counts from its grant.
            await policy.Pacer.WaitTurnAsync().WaitAsync(ManualClock.Settle);
            Assert.True(policy.Pacer.TryTakeTurn(out _));
            policy.Pacer.WaitTurn();
            Assert.Equal(4, limiter.Leases.Count);
            Assert.All(limiter.Leases, l => Assert.True(l.Disposed));
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

        /// <summary>Grants every permit, keeping each lease to tell whether it was disposed.</summary>
        private sealed class LeaseLimiter : RateLimiter
        {
            private readonly List<Lease> _leases = new List<Lease>();

            public List<Lease> Leases
            {
                get { lock (_leases) { return new List<Lease>(_leases); } }
            }

            public override TimeSpan? IdleDuration => null;

            public override RateLimiterStatistics GetStatistics() => new RateLimiterStatistics();

            protected override RateLimitLease AttemptAcquireCore(int permitCount)
            {
                var lease = new Lease();
                lock (_leases)
                {
                    _leases.Add(lease);
                }

                return lease;
            }

            protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
                new ValueTask<RateLimitLease>(AttemptAcquireCore(permitCount));

            internal sealed class Lease : RateLimitLease
            {
                public bool Disposed { get; private set; }

                public override bool IsAcquired => true;

                public override IEnumerable<string> MetadataNames => Array.Empty<string>();

                public override bool TryGetMetadata(string metadataName, out object metadata)
                {
                    metadata = null;
                    return false;
                }

                protected override void Dispose(bool disposing)
                {
                    Disposed = true;
                }
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
