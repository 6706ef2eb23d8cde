using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using RateLimitAnalyzers.Pacing;
using Xunit;

namespace RateLimitAnalyzers.Pacing.Tests
{
    public sealed class RateLimitedHandlerTests
    {
        private const string Url = "https://api.archiva.app/api/ingest/event";

        private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

        private static readonly TimeSpan Settle = ManualClock.Settle;

        [Fact]
        public async Task Retries_a_throttled_request_no_earlier_than_Retry_After()
        {
            var clock = new ManualClock();
            var server = new ScriptedServer(clock, Respond.TooManyRequests("45"), Respond.With(201, "{\"id\":1}"));
            using var client = server.CreateClient(TestPolicy.Create(clock));

            var response = await clock.RunUntilCompleted(client.PostAsync(Url, new StringContent("{}")));

            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            Assert.Equal("{\"id\":1}", await response.Content.ReadAsStringAsync());
            Assert.Equal(new[] { TimeSpan.Zero, TimeSpan.FromSeconds(45) }, server.Arrivals.Select(a => a.At));
            Assert.True(Respond.IsDisposed(server.Responses[0]));
            Assert.False(Respond.IsDisposed(server.Responses[1]));
        }

        [Fact]
        public async Task The_HttpClient_factory_takes_the_handler_into_its_pipeline()
        {
            var clock = new ManualClock();
            var server = new ScriptedServer(clock, Respond.TooManyRequests("45"), Respond.With(201, "{\"id\":1}"));
            var services = new ServiceCollection();
            services.AddHttpClient("archiva")
                .AddHttpMessageHandler(() => RateLimitedHandler.ForHttpClientFactory(TestPolicy.Create(clock)))
                .ConfigurePrimaryHttpMessageHandler(() => server);
            using var provider = services.BuildServiceProvider();
            var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient("archiva");

            var response = await clock.RunUntilCompleted(client.PostAsync(Url, new StringContent("{}")));

            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            Assert.Equal(new[] { TimeSpan.Zero, TimeSpan.FromSeconds(45) }, server.Arrivals.Select(a => a.At));
        }

        [Fact]
        public async Task Retry_After_pauses_every_caller_sharing_the_key()
        {
            var clock = new ManualClock();
            var policy = TestPolicy.Create(clock, QuotaWindow.PerSecond(100));
            var refusing = new ScriptedServer(clock, Respond.TooManyRequests("30"));
            var other = new ScriptedServer(clock);
            using var refusingClient = refusing.CreateClient(policy);
            using var otherClient = other.CreateClient(policy);

            var refused = refusingClient.GetAsync(Url);
            await clock.WaitForPendingDelays(1);
            clock.Advance(TimeSpan.FromSeconds(10));

            // A caller that never saw the 429 waits out the rest of the server's 30 seconds as well.
            var waiting = otherClient.GetAsync(Url);
            await clock.WaitForPendingDelays(2);
            Assert.Empty(other.Arrivals);

            await clock.RunUntilCompleted(refused, waiting);
            Assert.Equal(TimeSpan.FromSeconds(30), other.Arrivals.Single().At);
            Assert.Equal(new[] { TimeSpan.Zero, TimeSpan.FromSeconds(30) }, refusing.Arrivals.Select(a => a.At));
        }

        [Fact]
        public async Task Retry_After_as_an_HTTP_date_is_measured_on_the_servers_clock()
        {
            // The client's clock runs an hour ahead of the server's.
            var clock = new ManualClock(new DateTimeOffset(2026, 11, 23, 13, 0, 0, TimeSpan.Zero));
            var server = new ScriptedServer(
                clock,
                Respond.With(429, string.Empty, "Date", "Mon, 23 Nov 2026 12:00:00 GMT", "Retry-After", "Mon, 23 Nov 2026 12:00:20 GMT"));
            using var client = server.CreateClient(TestPolicy.Create(clock));

            await clock.RunUntilCompleted(client.GetAsync(Url));

            Assert.Equal(new[] { TimeSpan.Zero, TimeSpan.FromSeconds(20) }, server.Arrivals.Select(a => a.At));
        }

        [Fact]
        public async Task A_Retry_After_longer_than_MaxRetryAfter_fails_at_once()
        {
            var clock = new ManualClock();
            var policy = TestPolicy.Create(clock, QuotaWindow.PerSecond(100));
            var server = new ScriptedServer(clock, Respond.TooManyRequests("3600"));
            using var client = server.CreateClient(policy);

            var error = await Assert.ThrowsAsync<RateLimitExceededException>(() => client.GetAsync(Url).WaitAsync(Settle));

            Assert.Equal(1, error.Attempts);
            Assert.Equal(TimeSpan.FromHours(1), error.RetryAfter);
            Assert.Equal(HttpStatusCode.TooManyRequests, error.LastStatusCode);
            Assert.Equal(HttpStatusCode.TooManyRequests, error.StatusCode);
            Assert.Equal(policy.Key, error.Key);
            Assert.Contains("MaxRetryAfter", error.Message);
            Assert.Empty(clock.RequestedDelays);
            Assert.True(Respond.IsDisposed(server.Responses.Single()));

            // The key stays paused for everyone else, for as long as the policy trusts a server's wait.
            Assert.False(policy.Pacer.TryTakeTurn(out var wait));
            Assert.Equal(TimeSpan.FromMinutes(5), wait);
        }

        [Fact]
        public async Task A_wait_that_would_pass_MaxWait_fails_at_once()
        {
            var clock = new ManualClock();
            var policy = TestPolicy.Create(clock);
            policy.MaxWait = TimeSpan.FromSeconds(30);
            var server = new ScriptedServer(clock, Respond.TooManyRequests("45"));
            using var client = server.CreateClient(policy);

            var error = await Assert.ThrowsAsync<RateLimitExceededException>(() => client.GetAsync(Url).WaitAsync(Settle));

            Assert.Equal(1, error.Attempts);
            Assert.Equal(TimeSpan.FromSeconds(45), error.RetryAfter);
            Assert.Contains("MaxWait", error.Message);
            Assert.Empty(clock.RequestedDelays);
        }

        [Fact]
        public async Task A_turn_beyond_MaxWait_fails_at_once_without_sending()
        {
            var clock = new ManualClock();
            var policy = TestPolicy.Create(clock, QuotaWindow.PerMinute(1));
            policy.MaxWait = TimeSpan.FromSeconds(10);
            var server = new ScriptedServer(clock);
            using var client = server.CreateClient(policy);
            await client.GetAsync(Url).WaitAsync(Settle);

            var error = await Assert.ThrowsAsync<RateLimitExceededException>(() => client.GetAsync(Url).WaitAsync(Settle));

            Assert.Equal(0, error.Attempts);
            Assert.Null(error.LastStatusCode);
            var pacing = Assert.IsType<PacingDeadlineExceededException>(error.InnerException);
            Assert.Equal(TimeSpan.FromMinutes(1) + RequestPacer.DefaultArrivalMargin(TimeSpan.FromMinutes(1)), pacing.RequiredWait);
            Assert.Single(server.Arrivals);
            Assert.Empty(clock.RequestedDelays);
        }

        [Fact]
        public async Task Cancellation_ends_the_wait_for_a_retry()
        {
            var clock = new ManualClock();
            var server = new ScriptedServer(clock, Respond.TooManyRequests("45"));
            using var client = server.CreateClient(TestPolicy.Create(clock));
            using var cancellation = new CancellationTokenSource();

            var sending = client.GetAsync(Url, cancellation.Token);
            await clock.WaitForPendingDelays(1);
            cancellation.Cancel();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending.WaitAsync(Settle));
            Assert.Single(server.Arrivals);
        }

        [Fact]
        public async Task Without_a_hint_it_backs_off_with_jitter_and_gives_up_after_MaxAttempts()
        {
            var clock = new ManualClock();
            var policy = TestPolicy.Create(clock);
            policy.MaxAttempts = 4;
            policy.BaseDelay = Second;
            policy.MaxDelay = TimeSpan.FromSeconds(3);
            var server = new ScriptedServer(clock, Enumerable.Repeat(Respond.TooManyRequests(), 5).ToArray());
            using var client = server.CreateClient(policy);

            var error = await Assert.ThrowsAsync<RateLimitExceededException>(() => clock.RunUntilCompleted(client.GetAsync(Url)));

            Assert.Equal(4, error.Attempts);
            Assert.Equal(HttpStatusCode.TooManyRequests, error.LastStatusCode);
            Assert.Null(error.RetryAfter);
            Assert.Contains("4 attempts", error.Message);
            Assert.Equal(4, server.Arrivals.Count);
            Assert.All(server.Responses, response => Assert.True(Respond.IsDisposed(response)));

            var waits = clock.RequestedDelays;
            Assert.Equal(3, waits.Count);
            Assert.InRange(waits[0], TimeSpan.Zero, Second);
            Assert.InRange(waits[1], TimeSpan.Zero, TimeSpan.FromSeconds(2));
            Assert.InRange(waits[2], TimeSpan.Zero, TimeSpan.FromSeconds(3));
        }

        [Fact]
        public async Task A_retried_POST_sends_the_same_bytes_every_time()
        {
            var clock = new ManualClock();
            var bytes = Encoding.UTF8.GetBytes("{\"actionKey\":\"test.rate_limit\",\"entityId\":\"test_1\"}");
            var server = new ScriptedServer(clock, Respond.TooManyRequests("1"), Respond.TooManyRequests("1"), Respond.With(201));
            using var client = server.CreateClient(TestPolicy.Create(clock));

            var response = await clock.RunUntilCompleted(client.PostAsync(Url, new StreamContent(new ReadOnceStream(bytes))));

            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            Assert.Equal(3, server.Arrivals.Count);
            Assert.All(server.Arrivals, arrival => Assert.Equal(bytes, arrival.Body));
            Assert.All(server.Arrivals, arrival => Assert.Equal(HttpMethod.Post, arrival.Request.Method));
        }

        [Fact]
        public async Task Without_the_handler_the_same_body_could_not_be_sent_twice()
        {
            // The control for the test above: the scripted server reads bodies as a transport does.
            var server = new ScriptedServer(new ManualClock());
            using var invoker = new HttpMessageInvoker(server);
            var request = new HttpRequestMessage(HttpMethod.Post, Url) { Content = new StreamContent(new ReadOnceStream(new byte[] { 1, 2, 3 })) };

            await invoker.SendAsync(request, CancellationToken.None);

            await Assert.ThrowsAsync<InvalidOperationException>(() => invoker.SendAsync(request, CancellationToken.None));
        }

        [Theory]
        [InlineData("GET", "connection reset")]
        [InlineData("PUT", "connection reset")]
        [InlineData("POST", "connection reset")]
        [InlineData("PATCH", "connection reset")]
        [InlineData("GET", "timeout")]
        [InlineData("POST", "timeout")]
        public async Task A_failure_without_a_response_is_never_retried(string method, string failure)
        {
            var clock = new ManualClock();
            Exception error = failure == "timeout"
                ? new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout", new TimeoutException())
                : new HttpRequestException("Connection reset by peer", new IOException("reset"));
            var server = new ScriptedServer(clock, Respond.Throw(error));
            using var invoker = new HttpMessageInvoker(new RateLimitedHandler(TestPolicy.Create(clock), server));

            var thrown = await Assert.ThrowsAnyAsync<Exception>(() => invoker.SendAsync(new HttpRequestMessage(new HttpMethod(method), Url), CancellationToken.None).WaitAsync(Settle));

            Assert.Same(error, thrown);
            Assert.Single(server.Arrivals);
        }

        [Theory]
        [InlineData(503)]
        [InlineData(500)]
        [InlineData(502)]
        [InlineData(400)]
        public async Task Failures_that_are_not_throttling_come_back_as_they_are(int status)
        {
            var clock = new ManualClock();
            var server = new ScriptedServer(clock, Respond.With(status, "failed"));
            using var client = server.CreateClient(TestPolicy.Create(clock));

            var response = await client.GetAsync(Url).WaitAsync(Settle);

            Assert.Equal((HttpStatusCode)status, response.StatusCode);
            Assert.Equal("failed", await response.Content.ReadAsStringAsync());
            Assert.Single(server.Arrivals);
        }

        [Fact]
        public async Task Service_unavailable_with_Retry_After_is_a_throttle()
        {
            var clock = new ManualClock();
            var server = new ScriptedServer(clock, Respond.With(503, string.Empty, "Retry-After", "5"));
            using var client = server.CreateClient(TestPolicy.Create(clock));

            var response = await clock.RunUntilCompleted(client.PostAsync(Url, new StringContent("{}")));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(new[] { TimeSpan.Zero, TimeSpan.FromSeconds(5) }, server.Arrivals.Select(a => a.At));
        }

        [Fact]
        public async Task Agoras_throttle_body_with_200_is_retried_and_the_real_body_stays_readable()
        {
            var clock = new ManualClock();
            var policy = TestPolicy.Create(clock, QuotaWindow.PerSecond(1));
            policy.ThrottleBodyContains = "\"code\":300";
            const string Page = "{\"code\":0,\"data\":{\"call_lists\":[]}}";
            var server = new ScriptedServer(clock, Respond.With(200, Respond.AgoraThrottleBody), _ => Streamed(Page));
            using var client = server.CreateClient(policy);

            // ResponseHeadersRead: HttpClient leaves the body unread, so only the handler's buffering keeps it.
            var response = await clock.RunUntilCompleted(client.GetAsync("https://api.agora.io/beta/analytics/call/lists", HttpCompletionOption.ResponseHeadersRead));

            Assert.Equal(Page, await response.Content.ReadAsStringAsync());
            Assert.Equal(2, server.Arrivals.Count);
            Assert.True(server.Arrivals[1].At >= Second, "the retry waited for its turn under 1 per second");
        }

        [Fact]
        public async Task The_classifier_sees_each_response_with_its_body()
        {
            var clock = new ManualClock();
            var seen = new List<string>();
            var policy = TestPolicy.Create(clock);
            policy.Classifier = (response, body) =>
            {
                seen.Add((int)response.StatusCode + " " + body);
                return response.StatusCode == HttpStatusCode.BadRequest && body.Contains("slow down");
            };
            var server = new ScriptedServer(clock, Respond.With(400, "please slow down"), Respond.With(400, "bad field"));
            using var client = server.CreateClient(policy);

            var response = await clock.RunUntilCompleted(client.GetAsync(Url));

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("bad field", await response.Content.ReadAsStringAsync());
            Assert.Equal(new[] { "400 please slow down", "400 bad field" }, seen);
        }

        [Fact]
        public async Task A_large_body_is_data_and_is_not_searched_for_a_marker()
        {
            var clock = new ManualClock();
            var policy = TestPolicy.Create(clock);
            policy.ThrottleBodyContains = "\"code\":300";
            var export = "[" + new string(' ', 100_000) + Respond.AgoraThrottleBody + "]";
            var server = new ScriptedServer(clock, Respond.With(200, export));
            using var client = server.CreateClient(policy);

            var response = await client.GetAsync(Url).WaitAsync(Settle);

            Assert.Equal(export, await response.Content.ReadAsStringAsync());
            Assert.Single(server.Arrivals);
        }

        [Fact]
        public async Task A_quota_reported_used_up_pauses_the_pacer_until_its_reset()
        {
            var clock = new ManualClock();
            var server = new ScriptedServer(clock, Respond.With(200, "last one", "X-RateLimit-Remaining", "0", "X-RateLimit-Reset", "30"));
            using var client = server.CreateClient(TestPolicy.Create(clock, QuotaWindow.PerSecond(100)));

            var first = await client.GetAsync(Url).WaitAsync(Settle);
            var second = await clock.RunUntilCompleted(client.GetAsync(Url));

            Assert.Equal("last one", await first.Content.ReadAsStringAsync());
            Assert.Equal(new[] { TimeSpan.Zero, TimeSpan.FromSeconds(30) }, server.Arrivals.Select(a => a.At));
        }

        [Fact]
        public async Task A_403_with_GitHubs_used_up_quota_waits_for_the_Unix_time_reset()
        {
            var clock = new ManualClock();
            var policy = TestPolicy.Create(clock, new QuotaWindow(5000, TimeSpan.FromHours(1)));
            policy.ThrottleStatusCodes = new[] { 403, 429 };
            var reset = (clock.UtcNow.ToUnixTimeSeconds() + 90).ToString();
            var server = new ScriptedServer(clock, Respond.With(403, "API rate limit exceeded", "X-RateLimit-Remaining", "0", "X-RateLimit-Reset", reset));
            using var client = server.CreateClient(policy);

            var response = await clock.RunUntilCompleted(client.GetAsync("https://api.github.com/repos/o/r/issues"));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(new[] { TimeSpan.Zero, TimeSpan.FromSeconds(90) }, server.Arrivals.Select(a => a.At));
        }

        [Fact]
        public async Task A_plain_403_is_a_permission_error_returned_at_once()
        {
            var clock = new ManualClock();
            var policy = TestPolicy.Create(clock);
            policy.ThrottleStatusCodes = new[] { 403, 429 };
            const string Denied = "{\"message\":\"Resource not accessible by integration\",\"status\":\"403\"}";
            var server = new ScriptedServer(clock, Respond.With(403, Denied, "X-RateLimit-Remaining", "4999"));
            using var client = server.CreateClient(policy);

            var response = await client.GetAsync("https://api.github.com/repos/o/r/issues").WaitAsync(Settle);

            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal(Denied, await response.Content.ReadAsStringAsync());
            Assert.Single(server.Arrivals);
            Assert.Empty(clock.RequestedDelays);
        }

        [Theory]
        [InlineData("{\"message\":\"You have exceeded a secondary rate limit. Please wait a few minutes before you try again.\"}")]
        [InlineData("{\"message\":\"API rate limit exceeded for 192.0.2.1.\"}")]
        public async Task A_403_with_GitHubs_throttle_body_is_retried(string body)
        {
            var clock = new ManualClock();
            var policy = TestPolicy.Create(clock);
            policy.ThrottleStatusCodes = new[] { 403, 429 };
            var server = new ScriptedServer(clock, Respond.With(403, body));
            using var client = server.CreateClient(policy);

            var response = await clock.RunUntilCompleted(client.GetAsync("https://api.github.com/repos/o/r/issues"));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(2, server.Arrivals.Count);
        }

        [Fact]
        public async Task A_403_with_Retry_After_is_retried_no_earlier()
        {
            var clock = new ManualClock();
            var policy = TestPolicy.Create(clock);
            policy.ThrottleStatusCodes = new[] { 403, 429 };
            var server = new ScriptedServer(clock, Respond.With(403, "{\"message\":\"slow down\"}", "Retry-After", "60"));
            using var client = server.CreateClient(policy);

            var response = await clock.RunUntilCompleted(client.GetAsync("https://api.github.com/repos/o/r/issues"));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(new[] { TimeSpan.Zero, TimeSpan.FromSeconds(60) }, server.Arrivals.Select(a => a.At));
        }

        [Fact]
        public async Task A_Retry_After_too_large_to_read_fails_at_once()
        {
            var clock = new ManualClock();
            var policy = TestPolicy.Create(clock);
            var server = new ScriptedServer(clock, Respond.TooManyRequests("9" + new string('0', 400)));
            using var client = server.CreateClient(policy);

            var error = await Assert.ThrowsAsync<RateLimitExceededException>(() => client.GetAsync(Url).WaitAsync(Settle));

            Assert.Equal(1, error.Attempts);
            Assert.Equal(TimeSpan.MaxValue, error.RetryAfter);
            Assert.Contains("MaxRetryAfter", error.Message);
            Assert.Empty(clock.RequestedDelays);
        }

        [Fact]
        public async Task Retry_After_takes_precedence_over_the_quotas_reset()
        {
            var clock = new ManualClock();
            var policy = TestPolicy.Create(clock);
            var server = new ScriptedServer(clock, Respond.With(429, string.Empty, "Retry-After", "5", "RateLimit", "\"daily\";r=0;t=3600"));
            using var client = server.CreateClient(policy);

            var response = await clock.RunUntilCompleted(client.GetAsync(Url));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(new[] { TimeSpan.Zero, TimeSpan.FromSeconds(5) }, server.Arrivals.Select(a => a.At));
        }

        [Fact]
        public async Task Remaining_quota_never_loosens_the_pacer()
        {
            var clock = new ManualClock();
            var generous = Enumerable.Repeat(Respond.With(200, string.Empty, "RateLimit", "\"default\";r=1000;t=1", "X-RateLimit-Remaining", "1000"), 3).ToArray();
            var server = new ScriptedServer(clock, generous);
            using var client = server.CreateClient(TestPolicy.Create(clock, QuotaWindow.PerSecond(1)));

            for (var i = 0; i < 3; i++)
            {
                await clock.RunUntilCompleted(client.GetAsync(Url));
            }

            // A second and its arrival margin apart: the scripted server answers at once, so the margin counts.
            var paced = Second + RequestPacer.DefaultArrivalMargin(Second);
            Assert.Equal(new[] { TimeSpan.Zero, paced, paced + paced }, server.Arrivals.Select(a => a.At));
        }

        [Fact]
        public void Synchronous_Send_retries_the_same_way_with_the_same_bytes()
        {
            var clock = new ManualClock();
            var bytes = Encoding.UTF8.GetBytes("{\"entityId\":\"sync\"}");
            var server = new ScriptedServer(clock, Respond.TooManyRequests("5"), Respond.With(201, "created"));
            using var client = server.CreateClient(TestPolicy.Create(clock, QuotaWindow.PerSecond(10)));

            var response = client.Send(new HttpRequestMessage(HttpMethod.Post, Url) { Content = new StreamContent(new ReadOnceStream(bytes)) });

            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            Assert.Equal("created", new StreamReader(response.Content.ReadAsStream()).ReadToEnd());
            Assert.Equal(new[] { TimeSpan.Zero, TimeSpan.FromSeconds(5) }, server.Arrivals.Select(a => a.At));
            Assert.All(server.Arrivals, arrival => Assert.Equal(bytes, arrival.Body));
            Assert.True(Respond.IsDisposed(server.Responses[0]));
        }

        [Fact]
        public void Synchronous_Send_recognises_a_throttle_body_and_keeps_the_real_body_readable()
        {
            var clock = new ManualClock();
            var policy = TestPolicy.Create(clock);
            policy.ThrottleBodyContains = "\"code\":300";
            var server = new ScriptedServer(clock, Respond.With(200, Respond.AgoraThrottleBody), _ => Streamed("page"));
            using var client = server.CreateClient(policy);

            var response = client.Send(new HttpRequestMessage(HttpMethod.Get, Url), HttpCompletionOption.ResponseHeadersRead);

            Assert.Equal("page", new StreamReader(response.Content.ReadAsStream()).ReadToEnd());
            Assert.Equal("text/plain; charset=utf-8", response.Content.Headers.ContentType.ToString());
            Assert.Equal(2, server.Arrivals.Count);
        }

        [Fact]
        public async Task Many_concurrent_callers_share_the_pause_and_stay_within_the_quota()
        {
            var clock = new ManualClock();
            var server = new ScriptedServer(clock, Respond.With(200), Respond.With(200), Respond.TooManyRequests("10"));
            using var client = server.CreateClient(TestPolicy.Create(clock, QuotaWindow.PerSecond(5)));

            var calls = Enumerable.Range(0, 40).Select(_ => client.GetAsync(Url)).ToArray();
            await clock.RunUntilCompleted(calls);

            Assert.All(await Task.WhenAll(calls), response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));
            var arrivals = server.Arrivals.Select(a => a.At).OrderBy(at => at).ToList();
            Assert.Equal(41, arrivals.Count);

            var refusedAt = server.Arrivals[2].At;
            Assert.DoesNotContain(arrivals, at => at > refusedAt && at < refusedAt + TimeSpan.FromSeconds(10));
            for (var i = 0; i + 5 < arrivals.Count; i++)
            {
                Assert.True(arrivals[i + 5] - arrivals[i] >= Second, "6 requests within a second at " + arrivals[i]);
            }
        }

        [Fact]
        public void Arguments_are_checked()
        {
            Assert.Throws<ArgumentNullException>(() => new RateLimitedHandler((RateLimitPolicy)null));
            Assert.Throws<ArgumentNullException>(() => new RateLimitedHandler(new RateLimitPolicy("k"), (HttpMessageHandler)null));

            var policy = new RateLimitPolicy("k");
            using var handler = new RateLimitedHandler(policy);
            Assert.Same(policy, handler.Policy);
            Assert.IsType<HttpClientHandler>(handler.InnerHandler);
        }

        private static HttpResponseMessage Streamed(string body)
        {
            var content = new StreamContent(new ReadOnceStream(Encoding.UTF8.GetBytes(body)));
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/plain") { CharSet = "utf-8" };
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
        }
    }
}
