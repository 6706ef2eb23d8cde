using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using RateLimitAnalyzers.Pacing;
using Xunit;

namespace RateLimitAnalyzers.Pacing.Tests
{
    public sealed class BackoffTests
    {
        private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

        [Theory]
        [InlineData(0, 1)]
        [InlineData(1, 2)]
        [InlineData(2, 4)]
        [InlineData(5, 32)]
        [InlineData(6, 60)]
        [InlineData(1000, 60)]
        [InlineData(int.MaxValue, 60)]
        public void Waits_at_most_the_doubled_base_and_never_more_than_the_cap(int attempt, int capSeconds)
        {
            var samples = Enumerable.Range(0, 500).Select(_ => Backoff.Exponential(attempt, Second, TimeSpan.FromSeconds(60))).ToList();

            Assert.All(samples, wait => Assert.InRange(wait, TimeSpan.Zero, TimeSpan.FromSeconds(capSeconds)));

            // Full jitter spreads the waits over the whole range (500 samples all in the lower half: 2^-500).
            Assert.Contains(samples, wait => wait > TimeSpan.FromSeconds(capSeconds / 2.0));
            Assert.True(samples.Distinct().Count() > 400, "the waits are not spread: " + samples.Distinct().Count() + " distinct");
        }

        [Fact]
        public void A_negative_attempt_counts_as_the_first()
        {
            Assert.All(Enumerable.Range(0, 100), _ => Assert.InRange(Backoff.Exponential(-3, Second, TimeSpan.FromMinutes(1)), TimeSpan.Zero, Second));
        }

        [Fact]
        public void Extreme_delays_do_not_overflow()
        {
            Assert.InRange(Backoff.Exponential(62, TimeSpan.MaxValue, TimeSpan.MaxValue), TimeSpan.Zero, TimeSpan.MaxValue);
            Assert.InRange(Backoff.Exponential(70, TimeSpan.FromTicks(1), TimeSpan.MaxValue), TimeSpan.Zero, TimeSpan.MaxValue);
            Assert.InRange(Backoff.Exponential(3, TimeSpan.FromMinutes(5), Second), TimeSpan.Zero, Second);
            Assert.Equal(TimeSpan.Zero, Backoff.Exponential(10, TimeSpan.Zero, TimeSpan.FromMinutes(1)));
        }

        [Fact]
        public void Negative_delays_are_refused()
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => Backoff.Exponential(0, TimeSpan.FromSeconds(-1), Second));
            Assert.Throws<ArgumentOutOfRangeException>(() => Backoff.Exponential(0, Second, TimeSpan.FromSeconds(-1)));
        }

        [Fact]
        public void Is_safe_to_call_from_many_threads()
        {
            var waits = new ConcurrentBag<TimeSpan>();
            Parallel.For(0, 10_000, i => waits.Add(Backoff.Exponential(i % 8, Second, TimeSpan.FromSeconds(30))));

            Assert.Equal(10_000, waits.Count);
            Assert.All(waits, wait => Assert.InRange(wait, TimeSpan.Zero, TimeSpan.FromSeconds(30)));

            // A Random shared without a lock eventually breaks and returns only zeros.
            Assert.True(waits.Distinct().Count() > 5_000);
        }

        [Fact]
        public async Task DelayAsync_and_Delay_wait_and_honour_cancellation()
        {
            var tick = TimeSpan.FromMilliseconds(2);
            await Backoff.DelayAsync(3, tick, tick).WaitAsync(TimeSpan.FromSeconds(10));
            Backoff.Delay(3, tick, tick);

            using var cancellation = new CancellationTokenSource();
            cancellation.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Backoff.DelayAsync(0, TimeSpan.FromHours(1), TimeSpan.FromHours(1), cancellation.Token).WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.ThrowsAny<OperationCanceledException>(() => Backoff.Delay(0, TimeSpan.FromHours(1), TimeSpan.FromHours(1), cancellation.Token));
        }
    }
}
