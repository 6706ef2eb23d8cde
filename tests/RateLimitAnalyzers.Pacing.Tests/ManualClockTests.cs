using System;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace RateLimitAnalyzers.Pacing.Tests
{
    /// <summary>The test clock itself: its pending count is what the drivers move time by.</summary>
    public sealed class ManualClockTests
    {
        [Fact]
        public async Task A_cancelled_delay_leaves_the_pending_count()
        {
            var clock = new ManualClock();
            using var cancellation = new CancellationTokenSource();
            var cancelled = clock.Delay(TimeSpan.FromSeconds(1), cancellation.Token);
            var kept = clock.Delay(TimeSpan.FromSeconds(2), CancellationToken.None);
            Assert.Equal(2, clock.PendingDelays);

            cancellation.Cancel();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(ManualClock.Settle));
            Assert.Equal(1, clock.PendingDelays);

            // The next delay is the one still waiting, not the cancelled one.
            Assert.True(clock.AdvanceToNextDelay());
            Assert.Equal(TimeSpan.FromSeconds(2), clock.Elapsed);
            await kept.WaitAsync(ManualClock.Settle);
        }
    }
}
