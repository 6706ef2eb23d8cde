using System;
using System.Threading;
using RateLimitAnalyzers.Pacing;
using Xunit;

namespace RateLimitAnalyzers.Pacing.Tests
{
    public sealed class RateLimitPolicyTests
    {
        [Fact]
        public void Defaults_are_a_handful_of_patient_retries()
        {
            var key = "tests/" + Guid.NewGuid().ToString("N");
            var policy = new RateLimitPolicy(key);

            Assert.Equal(5, policy.MaxAttempts);
            Assert.Equal(TimeSpan.FromSeconds(1), policy.BaseDelay);
            Assert.Equal(TimeSpan.FromSeconds(60), policy.MaxDelay);
            Assert.Equal(TimeSpan.FromMinutes(5), policy.MaxRetryAfter);
            // Below HttpClient.Timeout's default, so that a long wait fails with RateLimitExceededException, not as a bare timeout.
            Assert.Equal(TimeSpan.FromSeconds(90), policy.MaxWait);
            Assert.True(policy.MaxWait < new System.Net.Http.HttpClient().Timeout);
            Assert.Equal(new[] { 429 }, policy.ThrottleStatusCodes);
            Assert.Null(policy.ThrottleBodyContains);
            Assert.Null(policy.Classifier);
            Assert.Same(PacingClock.System, policy.Clock);

            // No windows: nothing is paced until a server says so, but every caller of the key shares the pause.
            Assert.Same(RequestPacer.Shared(key), policy.Pacer);
            Assert.Empty(policy.Pacer.Windows);
            Assert.Same(policy.Pacer, new RateLimitPolicy(key).Pacer);
        }

        [Fact]
        public void With_windows_it_paces_on_the_pacer_shared_under_its_key()
        {
            var key = "tests/" + Guid.NewGuid().ToString("N");

            var policy = new RateLimitPolicy(key, new QuotaWindow(100, TimeSpan.FromSeconds(60)))
            {
                ThrottleBodyContains = "\"error\":\"Rate limit exceeded\"",
            };

            Assert.Equal(key, policy.Key);
            Assert.Same(RequestPacer.Shared(key), policy.Pacer);
            Assert.Equal(new[] { new QuotaWindow(100, TimeSpan.FromSeconds(60)) }, policy.Pacer.Windows);
            Assert.Same(policy.Pacer, new RateLimitPolicy(key, QuotaWindow.PerSecond(5)).Pacer);
        }

        [Fact]
        public void Throttle_statuses_are_copied_so_later_changes_to_the_array_do_not_leak_in()
        {
            var statuses = new[] { 403, 429 };
            var policy = new RateLimitPolicy("k") { ThrottleStatusCodes = statuses };
            statuses[0] = 500;

            Assert.Equal(new[] { 403, 429 }, policy.ThrottleStatusCodes);
        }

        [Fact]
        public void Settings_that_make_no_sense_are_refused()
        {
            var policy = new RateLimitPolicy("k");

            Assert.Throws<ArgumentNullException>(() => new RateLimitPolicy(null));
            Assert.Throws<ArgumentOutOfRangeException>(() => policy.MaxAttempts = 0);
            Assert.Throws<ArgumentOutOfRangeException>(() => policy.BaseDelay = TimeSpan.FromSeconds(-1));
            Assert.Throws<ArgumentOutOfRangeException>(() => policy.MaxDelay = TimeSpan.FromSeconds(-1));
            Assert.Throws<ArgumentOutOfRangeException>(() => policy.MaxRetryAfter = TimeSpan.FromSeconds(-1));
            Assert.Throws<ArgumentOutOfRangeException>(() => policy.MaxWait = TimeSpan.FromSeconds(-2));
            Assert.Throws<ArgumentNullException>(() => policy.ThrottleStatusCodes = null);
            Assert.Throws<ArgumentException>(() => policy.ThrottleBodyContains = string.Empty);
            Assert.Throws<ArgumentNullException>(() => policy.Clock = null);

            policy.MaxWait = Timeout.InfiniteTimeSpan;
            policy.ThrottleBodyContains = null;
            policy.Pacer = null;
        }
    }
}
