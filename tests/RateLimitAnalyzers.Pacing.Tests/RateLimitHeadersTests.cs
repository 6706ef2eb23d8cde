using System;
using System.Linq;
using System.Net.Http;
using RateLimitAnalyzers.Pacing;
using Xunit;

namespace RateLimitAnalyzers.Pacing.Tests
{
    public sealed class RateLimitHeadersTests
    {
        private static readonly DateTimeOffset Now = new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
        private static readonly long UnixNow = Now.ToUnixTimeSeconds();

        [Fact]
        public void SUSE_limit_and_remaining_with_windows()
        {
            // Application Collection: 50 per 21,600 s; 30 left, and requests free up in 14,400 s.
            var headers = Parse("ratelimit-limit", "50;w=21600", "ratelimit-remaining", "30;w=14400");

            Assert.Equal(50, headers.Limit);
            Assert.Equal(new[] { new QuotaWindow(50, TimeSpan.FromSeconds(21600)) }, headers.Windows);
            Assert.Equal(30, headers.Remaining);
            Assert.Equal(TimeSpan.FromSeconds(14400), headers.Reset);
            Assert.Null(headers.ExhaustedFor);
        }

        [Fact]
        public void SUSE_remaining_zero_is_exhausted_until_its_window_frees_up()
        {
            var headers = Parse("ratelimit-limit", "50;w=21600", "ratelimit-remaining", "0;w=14400");

            Assert.Equal(TimeSpan.FromSeconds(14400), headers.ExhaustedFor);
        }

        [Fact]
        public void RateLimit_Limit_lists_the_current_limit_then_policies()
        {
            var headers = Parse("RateLimit-Limit", "10, 50;w=60");

            Assert.Equal(10, headers.Limit);
            Assert.Equal(new[] { new QuotaWindow(50, TimeSpan.FromSeconds(60)) }, headers.Windows);
            Assert.Null(headers.Remaining);
        }

        [Theory]
        [InlineData("\"burst\";q=100;w=60")]
        [InlineData("burst;q=100;w=60")]
        [InlineData("100;w=60")]
        [InlineData("\"b,u;r=s\\\"t\";q=100;w=60")]
        public void RateLimit_Policy_names_a_quota_and_its_window(string policy)
        {
            var headers = Parse("RateLimit-Policy", policy);

            Assert.Equal(100, headers.Limit);
            Assert.Equal(new[] { new QuotaWindow(100, TimeSpan.FromSeconds(60)) }, headers.Windows);
        }

        [Fact]
        public void RateLimit_Policy_with_several_policies()
        {
            var headers = Parse("RateLimit-Policy", "\"burst\";q=100;w=60, \"daily\";q=1000;w=86400");

            Assert.Equal(100, headers.Limit);
            Assert.Equal(new[] { new QuotaWindow(100, TimeSpan.FromMinutes(1)), QuotaWindow.PerDay(1000) }, headers.Windows);
        }

        [Theory]
        [InlineData("\"bytes\";q=1000000;qu=\"content-bytes\";w=60, \"burst\";q=100;w=60")]
        [InlineData("\"burst\";q=100;qu=\"requests\";w=60, \"parallel\";q=5;qu=\"concurrent-requests\"")]
        [InlineData("\"parallel\";q=5;qu=\"concurrency\";w=1, \"burst\";q=100;w=60;pk=:cHJvamVjdDEyMw==:")]
        public void RateLimit_Policy_entries_that_do_not_count_requests_are_ignored(string policies)
        {
            var headers = Parse("RateLimit-Policy", policies);

            Assert.Equal(100, headers.Limit);
            Assert.Equal(new[] { new QuotaWindow(100, TimeSpan.FromSeconds(60)) }, headers.Windows);
        }

        [Fact]
        public void The_RateLimit_item_of_a_policy_that_does_not_count_requests_is_ignored_too()
        {
            var headers = Parse(
                "RateLimit-Policy", "\"bytes\";q=1000000;qu=\"content-bytes\";w=60, \"burst\";q=100;w=60",
                "RateLimit", "\"bytes\";r=0;t=30, \"burst\";r=50;t=30");

            Assert.Equal(50, headers.Remaining);
            Assert.Null(headers.ExhaustedFor);
        }

        [Fact]
        public void The_current_draft_form_split_over_several_fields()
        {
            var headers = Parse(
                "RateLimit-Policy", "\"burst\";q=100;w=60;pk=:cHJvamVjdDEyMw==:",
                "RateLimit-Policy", "\"day\";q=1000;qu=\"requests\";w=86400",
                "RateLimit", "\"burst\";r=50;t=30;pk=:cHJvamVjdDEyMw==:",
                "RateLimit", "\"day\";r=0;t=7200");

            Assert.Equal(new[] { new QuotaWindow(100, TimeSpan.FromMinutes(1)), QuotaWindow.PerDay(1000) }, headers.Windows);
            Assert.Equal(TimeSpan.FromHours(2), headers.ExhaustedFor);
        }

        [Fact]
        public void A_malformed_item_is_skipped_and_its_neighbours_are_read()
        {
            var headers = Parse(
                "RateLimit-Policy", "\"a\";q=ten;w=60, \"b\";q=100;w=soon, \"c\";q=30;w=60",
                "RateLimit", "\"a\";r=x;t=5, \"c\";r=7;t=9, ;;,");

            Assert.Equal(new[] { new QuotaWindow(30, TimeSpan.FromSeconds(60)) }, headers.Windows);
            Assert.Equal(7, headers.Remaining);
            Assert.Equal(TimeSpan.FromSeconds(9), headers.Reset);
        }

        [Fact]
        public void Thousands_of_windows_cost_no_more_than_reading_them()
        {
            var policies = string.Join(", ", Enumerable.Range(1, 10_000).Select(i => "\"p" + i + "\";q=" + i + ";w=" + (i + 1)));

            var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            var headers = Parse("RateLimit-Policy", policies);
            var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

            // The kept windows are bounded, so checking each new one against them is too: linear in all.
            Assert.Equal(RateLimitHeaders.MostWindows, headers.Windows.Count);
            Assert.Equal(new QuotaWindow(1, TimeSpan.FromSeconds(2)), headers.Windows[0]);
            Assert.Equal(1, headers.Limit);
            Assert.InRange(allocated, 0, 100L * policies.Length);
        }

        [Fact]
        public void RateLimit_structured_field_gives_remaining_and_reset()
        {
            var headers = Parse("RateLimit", "\"default\";r=50;t=30");

            Assert.Equal(50, headers.Remaining);
            Assert.Equal(TimeSpan.FromSeconds(30), headers.Reset);
        }

        [Fact]
        public void RateLimit_structured_field_keeps_the_tightest_policy()
        {
            var headers = Parse("RateLimit", "\"burst\";r=0;t=5, \"daily\";r=0;t=4000, \"hourly\";r=7;t=60");

            Assert.Equal(0, headers.Remaining);
            Assert.Equal(TimeSpan.FromSeconds(4000), headers.ExhaustedFor);
        }

        [Fact]
        public void RateLimit_dictionary_form()
        {
            var headers = Parse("RateLimit", "limit=100, remaining=50, reset=5");

            Assert.Equal(100, headers.Limit);
            Assert.Equal(50, headers.Remaining);
            Assert.Equal(TimeSpan.FromSeconds(5), headers.Reset);
        }

        [Fact]
        public void Separate_RateLimit_Remaining_and_Reset()
        {
            var headers = Parse("RateLimit-Limit", "100", "RateLimit-Remaining", "0", "RateLimit-Reset", "20");

            Assert.Equal(100, headers.Limit);
            Assert.Equal(TimeSpan.FromSeconds(20), headers.ExhaustedFor);
        }

        [Fact]
        public void X_RateLimit_Reset_as_delta_seconds()
        {
            var headers = Parse("X-RateLimit-Limit", "60", "X-RateLimit-Remaining", "0", "X-RateLimit-Reset", "37");

            Assert.Equal(60, headers.Limit);
            Assert.Equal(TimeSpan.FromSeconds(37), headers.ExhaustedFor);
        }

        [Fact]
        public void X_RateLimit_Reset_as_a_Unix_time_as_GitHub_sends_it()
        {
            var headers = Parse("X-RateLimit-Remaining", "0", "X-RateLimit-Reset", (UnixNow + 1800).ToString());

            Assert.Equal(TimeSpan.FromMinutes(30), headers.ExhaustedFor);
        }

        [Fact]
        public void X_Rate_Limit_with_a_hyphen_as_the_X_API_sends_it()
        {
            var headers = Parse("x-rate-limit-limit", "300", "x-rate-limit-remaining", "0", "x-rate-limit-reset", (UnixNow + 600).ToString());

            Assert.Equal(300, headers.Limit);
            Assert.Equal(TimeSpan.FromMinutes(10), headers.ExhaustedFor);
        }

        [Theory]
        [InlineData(1)]
        [InlineData(1000)]
        [InlineData(1000000)]
        public void A_Unix_time_reset_in_seconds_milliseconds_or_microseconds(long perSecond)
        {
            var headers = Parse("X-RateLimit-Remaining", "0", "X-RateLimit-Reset", ((UnixNow + 30) * perSecond).ToString());

            Assert.Equal(TimeSpan.FromSeconds(30), headers.ExhaustedFor);
        }

        [Fact]
        public void A_Unix_time_in_milliseconds_keeps_its_fraction_and_one_in_the_past_is_zero()
        {
            var unixMilliseconds = Now.ToUnixTimeMilliseconds();

            Assert.Equal(TimeSpan.FromMilliseconds(1500), Parse("RateLimit-Remaining", "0", "RateLimit-Reset", (unixMilliseconds + 1500).ToString()).Reset);
            Assert.Equal(TimeSpan.Zero, Parse("RateLimit-Remaining", "0", "RateLimit-Reset", (unixMilliseconds - 1500).ToString()).Reset);
        }

        [Fact]
        public void A_Unix_time_reset_in_the_past_is_zero()
        {
            var headers = Parse("X-RateLimit-Remaining", "0", "X-RateLimit-Reset", (UnixNow - 5).ToString());

            Assert.Equal(TimeSpan.Zero, headers.ExhaustedFor);
        }

        [Fact]
        public void Delta_or_Unix_time_is_decided_by_magnitude_against_now()
        {
            // Under half the current Unix time (about 28 years of seconds) a value is a delay.
            var delay = UnixNow / 2 - 1;
            Assert.Equal(TimeSpan.FromSeconds(delay), Parse("X-RateLimit-Remaining", "0", "X-RateLimit-Reset", delay.ToString()).Reset);

            var time = UnixNow / 2 + 1;
            Assert.Equal(TimeSpan.Zero, Parse("X-RateLimit-Remaining", "0", "X-RateLimit-Reset", time.ToString()).Reset);
        }

        [Fact]
        public void Fractional_resets_round_up()
        {
            var headers = Parse("X-RateLimit-Remaining", "0", "X-RateLimit-Reset", (UnixNow + 2).ToString() + ".25");

            Assert.Equal(TimeSpan.FromMilliseconds(2250), headers.Reset);
        }

        [Fact]
        public void Remaining_without_a_reset_is_not_exhausted_for_any_known_time()
        {
            var headers = Parse("X-RateLimit-Remaining", "0");

            Assert.Equal(0, headers.Remaining);
            Assert.Null(headers.Reset);
            Assert.Null(headers.ExhaustedFor);
        }

        [Fact]
        public void Duplicated_headers_keep_the_fewest_remaining_and_the_latest_reset()
        {
            var headers = Parse(
                "X-RateLimit-Remaining", "12",
                "X-RateLimit-Remaining", "0",
                "X-RateLimit-Reset", "10",
                "X-RateLimit-Reset", "40",
                "X-RateLimit-Reset", "never");

            Assert.Equal(0, headers.Remaining);
            Assert.Equal(TimeSpan.FromSeconds(40), headers.ExhaustedFor);
        }

        [Fact]
        public void The_tightest_of_all_headers_wins()
        {
            var headers = Parse(
                "RateLimit", "\"default\";r=40;t=30",
                "X-RateLimit-Remaining", "3",
                "X-RateLimit-Reset", "9",
                "ratelimit-remaining", "20;w=100");

            Assert.Equal(3, headers.Remaining);
            Assert.Equal(TimeSpan.FromSeconds(9), headers.Reset);
        }

        [Theory]
        [InlineData("RateLimit", "garbage")]
        [InlineData("RateLimit", "\"default\";r=-1;t=30")]
        [InlineData("RateLimit", "\"default\";r=ten;t=30")]
        [InlineData("RateLimit", "limit=, remaining=, reset=")]
        [InlineData("RateLimit", ";;,,==;\"")]
        [InlineData("RateLimit", "\"unterminated;r=0;t=5")]
        [InlineData("RateLimit-Policy", "\"burst\";q=0;w=60")]
        [InlineData("RateLimit-Policy", "\"burst\";q=-100;w=-60")]
        [InlineData("RateLimit-Limit", "many")]
        [InlineData("RateLimit-Remaining", "-3")]
        [InlineData("RateLimit-Remaining", "1e3")]
        [InlineData("X-RateLimit-Remaining", "NaN")]
        [InlineData("X-RateLimit-Remaining", "")]
        public void Malformed_values_are_skipped_without_an_exception(string name, string value)
        {
            var headers = Parse(name, value, "X-RateLimit-Reset", "Infinity");

            Assert.Null(headers.Remaining);
            Assert.Null(headers.Reset);
            Assert.Empty(headers.Windows);
        }

        [Fact]
        public void Windows_that_cannot_be_quotas_are_skipped_but_the_limit_is_kept()
        {
            var headers = Parse("RateLimit-Limit", "0;w=60, 5;w=0, 5;w=-1, 5;w=soon");

            Assert.Equal(0, headers.Limit);
            Assert.Empty(headers.Windows);
        }

        [Fact]
        public void Huge_values_saturate_instead_of_overflowing()
        {
            var headers = Parse(
                "RateLimit-Limit", "99999999999999999999;w=99999999999999999999999",
                "RateLimit-Remaining", "99999999999999999999",
                "RateLimit-Reset", "99999999999999999999999999");

            Assert.Equal(int.MaxValue, headers.Limit);
            Assert.Equal(new[] { new QuotaWindow(int.MaxValue, TimeSpan.MaxValue) }, headers.Windows);
            Assert.Equal(int.MaxValue, headers.Remaining);

            // A number that large is a Unix time thousands of millennia away, and still no overflow.
            Assert.True(headers.Reset > TimeSpan.FromDays(365 * 1000));
        }

        [Fact]
        public void No_headers_say_nothing()
        {
            var headers = Parse();

            Assert.Null(headers.Limit);
            Assert.Null(headers.Remaining);
            Assert.Null(headers.Reset);
            Assert.Null(headers.ExhaustedFor);
            Assert.Empty(headers.Windows);
            Assert.Throws<ArgumentNullException>(() => RateLimitHeaders.Parse(null, Now));
        }

        private static RateLimitHeaders Parse(params string[] headers)
        {
            HttpResponseMessage response = Respond.Response(200, string.Empty, headers);
            return RateLimitHeaders.Parse(response, Now);
        }
    }
}
