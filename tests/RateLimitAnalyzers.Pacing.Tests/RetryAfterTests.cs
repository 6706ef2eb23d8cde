using System;
using System.Threading;
using System.Threading.Tasks;
using RateLimitAnalyzers.Pacing;
using Xunit;

namespace RateLimitAnalyzers.Pacing.Tests
{
    public sealed class RetryAfterTests
    {
        private static readonly DateTimeOffset Now = new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

        [Theory]
        [InlineData("45", 45_000)]
        [InlineData(" 45 ", 45_000)]
        [InlineData("0", 0)]
        [InlineData("1.5", 1_500)]
        [InlineData("2147483648", 2_147_483_648_000)]
        public void Delta_seconds_are_read_as_a_wait(string header, long milliseconds)
        {
            Assert.True(RetryAfter.TryGetDelay(With("Retry-After", header), Now, out var delay));
            Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), delay);
        }

        [Theory]
        [InlineData("Mon, 23 Nov 2026 12:00:20 GMT")]
        [InlineData("Monday, 23-Nov-26 12:00:20 GMT")]
        [InlineData("Mon Nov 23 12:00:20 2026")]
        public void All_three_HTTP_date_forms_are_read_against_now(string header)
        {
            Assert.True(RetryAfter.TryGetDelay(With("Retry-After", header), Now, out var delay));
            Assert.Equal(TimeSpan.FromSeconds(20), delay);
        }

        [Fact]
        public void A_date_is_measured_against_the_responses_Date_so_client_clock_skew_does_not_matter()
        {
            // The server's clock says 12:00:00 and asks for 12:00:30; the client's clock is an hour ahead.
            var response = With("Retry-After", "Mon, 23 Nov 2026 12:00:30 GMT", "Date", "Mon, 23 Nov 2026 12:00:00 GMT");

            Assert.True(RetryAfter.TryGetDelay(response, Now.AddHours(1), out var delay));
            Assert.Equal(TimeSpan.FromSeconds(30), delay);
        }

        [Fact]
        public void Of_two_Date_headers_the_earlier_gives_the_longer_wait_and_garbage_ones_are_ignored()
        {
            var response = With(
                "Retry-After", "Mon, 23 Nov 2026 12:00:30 GMT",
                "Date", "Mon, 23 Nov 2026 12:00:20 GMT",
                "Date", "yesterday",
                "Date", "Mon, 23 Nov 2026 12:00:10 GMT");

            Assert.True(RetryAfter.TryGetDelay(response, Now, out var delay));
            Assert.Equal(TimeSpan.FromSeconds(20), delay);

            Assert.True(RetryAfter.TryGetDelay(With("Retry-After", "Mon, 23 Nov 2026 12:00:30 GMT", "Date", "soon"), Now, out delay));
            Assert.Equal(TimeSpan.FromSeconds(30), delay);
        }

        [Theory]
        [InlineData("Sun, 06 Nov 1994 08:49:37 GMT")]
        [InlineData("Mon, 23 Nov 2026 11:59:59 GMT")]
        public void A_date_in_the_past_is_a_wait_of_zero_never_negative(string header)
        {
            Assert.True(RetryAfter.TryGetDelay(With("Retry-After", header), Now, out var delay));
            Assert.Equal(TimeSpan.Zero, delay);
        }

        [Theory]
        [InlineData("soon")]
        [InlineData("")]
        [InlineData("-5")]
        [InlineData("+45")]
        [InlineData("1e5")]
        [InlineData("45s")]
        [InlineData("4 5")]
        [InlineData("Infinity")]
        [InlineData("NaN")]
        [InlineData("Mon, 32 Nov 2026 12:00:00 GMT")]
        [InlineData("Tue, 23 Nov 2026 12:00:00 GMT")]
        [InlineData("10, 20")]
        public void Garbage_is_ignored_without_an_exception(string header)
        {
            var response = With("Retry-After", header);

            Assert.False(RetryAfter.TryGetDelay(response, Now, out var delay));
            Assert.Equal(TimeSpan.Zero, delay);
            Assert.Equal(TimeSpan.FromSeconds(7), RetryAfter.GetDelayOrDefault(response, TimeSpan.FromSeconds(7)));
        }

        [Theory]
        [InlineData("99999999999999999999999999999")]
        [InlineData("922337203686")]
        [InlineData("1000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000")]
        public void A_wait_beyond_what_TimeSpan_holds_reads_as_the_longest_wait(string header)
        {
            Assert.True(RetryAfter.TryGetDelay(With("Retry-After", header), Now, out var delay));
            Assert.Equal(TimeSpan.MaxValue, delay);
        }

        [Fact]
        public void A_date_far_in_the_future_does_not_overflow()
        {
            Assert.True(RetryAfter.TryGetDelay(With("Retry-After", "Fri, 31 Dec 9999 23:59:59 GMT"), Now, out var delay));
            Assert.Equal(new DateTimeOffset(9999, 12, 31, 23, 59, 59, TimeSpan.Zero) - Now, delay);
        }

        [Fact]
        public void Of_duplicated_headers_the_longest_readable_wait_wins()
        {
            var response = With("Retry-After", "10", "Retry-After", "garbage", "Retry-After", "30", "Retry-After", "-100");

            Assert.True(RetryAfter.TryGetDelay(response, Now, out var delay));
            Assert.Equal(TimeSpan.FromSeconds(30), delay);

            Assert.True(RetryAfter.TryGetDelay(With("Retry-After", "5", "Retry-After", "Mon, 23 Nov 2026 12:01:00 GMT"), Now, out delay));
            Assert.Equal(TimeSpan.FromMinutes(1), delay);
        }

        [Fact]
        public void No_header_means_no_delay()
        {
            Assert.False(RetryAfter.TryGetDelay(With(), Now, out _));
            Assert.Throws<ArgumentNullException>(() => RetryAfter.TryGetDelay(null, Now, out _));
        }

        [Fact]
        public void GetDelayOrDefault_prefers_the_servers_wait_and_falls_back_to_the_old_fixed_wait()
        {
            Assert.Equal(TimeSpan.FromSeconds(45), RetryAfter.GetDelayOrDefault(With("Retry-After", "45"), TimeSpan.FromSeconds(60)));
            Assert.Equal(TimeSpan.FromSeconds(60), RetryAfter.GetDelayOrDefault(With(), TimeSpan.FromSeconds(60)));
            Assert.Equal(TimeSpan.Zero, RetryAfter.GetDelayOrDefault(With(), TimeSpan.FromSeconds(-1)));
        }

        [Fact]
        public void GetDelayOrDefault_stays_within_what_Task_Delay_accepts()
        {
            var delay = RetryAfter.GetDelayOrDefault(With("Retry-After", "99999999999999"), TimeSpan.FromSeconds(1));

            Assert.Equal(TimeSpan.FromMilliseconds(int.MaxValue), delay);
        }

        [Fact]
        public async Task DelayAsync_waits_and_honours_cancellation()
        {
            await RetryAfter.DelayAsync(With("Retry-After", "0"), TimeSpan.FromDays(1)).WaitAsync(TimeSpan.FromSeconds(10));
            await RetryAfter.DelayAsync(With(), TimeSpan.FromMilliseconds(1)).WaitAsync(TimeSpan.FromSeconds(10));

            using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(5));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => RetryAfter.DelayAsync(With("Retry-After", "3600"), TimeSpan.Zero, cancellation.Token).WaitAsync(TimeSpan.FromSeconds(10)));
        }

        private static System.Net.Http.HttpResponseMessage With(params string[] headers)
        {
            return Respond.Response(429, string.Empty, headers);
        }
    }
}
