using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using RateLimitAnalyzers.Pacing;
using Xunit;

namespace RateLimitAnalyzers.Pacing.Tests
{
    public sealed class RateLimitedSendTests
    {
        private const string Url = "https://api.agora.io/beta/analytics/call/lists";

        [Fact]
        public async Task SendAsync_builds_a_fresh_request_for_every_attempt()
        {
            var clock = new ManualClock();
            var server = new ScriptedServer(clock, Respond.TooManyRequests("2"), Respond.With(201, "created"));
            using var client = new HttpClient(server);
            var requests = new List<HttpRequestMessage>();

            var response = await clock.RunUntilCompleted(RateLimitedSend.SendAsync(
                client,
                () =>
                {
                    var request = new HttpRequestMessage(HttpMethod.Post, "https://api.archiva.app/api/ingest/event") { Content = new StringContent("{}") };
                    requests.Add(request);
                    return request;
                },
                TestPolicy.Create(clock)));

            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            Assert.Equal(2, requests.Count);
            Assert.Equal(requests, server.Arrivals.Select(a => a.Request));
            Assert.Equal(new[] { TimeSpan.Zero, TimeSpan.FromSeconds(2) }, server.Arrivals.Select(a => a.At));
            Assert.True(Respond.IsDisposed(server.Responses[0]));
        }

        [Fact]
        public async Task RunAsync_retries_a_429_reported_as_an_HttpRequestException_with_backoff()
        {
            var clock = new ManualClock();
            var policy = TestPolicy.Create(clock);
            var server = new ScriptedServer(clock, Respond.TooManyRequests("30"), _ => Respond.Ok("[\"call\"]"));
            using var client = new HttpClient(server);

            var body = await clock.RunUntilCompleted(RateLimitedSend.RunAsync(policy, ct => client.GetStringAsync(Url, ct)));

            Assert.Equal("[\"call\"]", body);
            Assert.Equal(2, server.Arrivals.Count);

            // GetStringAsync keeps the headers to itself, so the wait is a backoff, not the server's 30 s.
            Assert.InRange(Assert.Single(clock.RequestedDelays), TimeSpan.Zero, policy.BaseDelay);
        }

        [Fact]
        public async Task RunAsync_returns_a_403_reported_as_an_HttpRequestException_at_once()
        {
            var clock = new ManualClock();
            var policy = TestPolicy.Create(clock);
            policy.ThrottleStatusCodes = new[] { 403, 429 };
            var server = new ScriptedServer(clock, Respond.With(403, "{\"message\":\"Must have admin rights to Repository.\"}"));
            using var client = new HttpClient(server);

            var error = await Assert.ThrowsAsync<HttpRequestException>(() => RateLimitedSend.RunAsync(policy, ct => client.GetStringAsync(Url, ct)).WaitAsync(ManualClock.Settle));

            // Without headers or a body there is no sign of throttling: a permission error, not worth a retry.
            Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
            Assert.Single(server.Arrivals);
        }

        [Fact]
        public async Task RunAsync_lets_every_other_exception_through_unchanged()
        {
            var clock = new ManualClock();
            var server = new ScriptedServer(clock, Respond.With(500, "oops"));
            using var client = new HttpClient(server);

            var error = await Assert.ThrowsAsync<HttpRequestException>(() => RateLimitedSend.RunAsync(TestPolicy.Create(clock), ct => client.GetStringAsync(Url, ct)).WaitAsync(ManualClock.Settle));

            Assert.Equal(HttpStatusCode.InternalServerError, error.StatusCode);
            Assert.Single(server.Arrivals);

            var mine = new InvalidOperationException("not HTTP at all");
            Assert.Same(mine, await Assert.ThrowsAsync<InvalidOperationException>(() => RateLimitedSend.RunAsync<int>(TestPolicy.Create(clock), _ => throw mine).WaitAsync(ManualClock.Settle)));
        }

        [Fact]
        public async Task RunAsync_inspects_a_response_result_like_the_handler()
        {
            var clock = new ManualClock();
            var server = new ScriptedServer(clock, Respond.TooManyRequests("3"), Respond.With(201));
            using var client = new HttpClient(server);

            var response = await clock.RunUntilCompleted(RateLimitedSend.RunAsync(
                TestPolicy.Create(clock),
                ct => client.PostAsync("https://api.archiva.app/api/ingest/event", new StringContent("{}"), ct)));

            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            Assert.Equal(new[] { TimeSpan.Zero, TimeSpan.FromSeconds(3) }, server.Arrivals.Select(a => a.At));
        }

        [Fact]
        public async Task RunAsync_checks_a_string_result_for_the_throttle_marker()
        {
            var clock = new ManualClock();
            var policy = TestPolicy.Create(clock, QuotaWindow.PerSecond(1), QuotaWindow.PerDay(1000));
            policy.ThrottleBodyContains = "\"code\":300";
            var server = new ScriptedServer(clock, Respond.With(200, Respond.AgoraThrottleBody), Respond.With(200, "{\"code\":0}"));
            using var client = new HttpClient(server);

            var body = await clock.RunUntilCompleted(RateLimitedSend.RunAsync(policy, ct => client.GetStringAsync(Url, ct)));

            Assert.Equal("{\"code\":0}", body);
            Assert.Equal(2, server.Arrivals.Count);
        }

        [Fact]
        public async Task RunAsync_does_not_take_a_string_that_only_starts_like_the_marker_for_a_throttle()
        {
            var clock = new ManualClock();
            var policy = TestPolicy.Create(clock);
            policy.ThrottleBodyContains = "\"code\":300";
            var server = new ScriptedServer(clock, Respond.With(200, "{\"code\":3001,\"message\":\"invalid vendor key\"}"));
            using var client = new HttpClient(server);

            var body = await RateLimitedSend.RunAsync(policy, ct => client.GetStringAsync(Url, ct)).WaitAsync(ManualClock.Settle);

            Assert.Equal("{\"code\":3001,\"message\":\"invalid vendor key\"}", body);
            Assert.Single(server.Arrivals);
        }

        [Fact]
        public async Task An_already_cancelled_token_sends_nothing()
        {
            var calls = 0;
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => RateLimitedSend.RunAsync(
                TestPolicy.Create(new ManualClock(), QuotaWindow.PerSecond(1)),
                _ => Task.FromResult(++calls),
                new CancellationToken(canceled: true)).WaitAsync(ManualClock.Settle));

            Assert.Equal(0, calls);
        }

        [Fact]
        public void Run_paces_and_retries_synchronously()
        {
            var clock = new ManualClock();
            var server = new ScriptedServer(clock, Respond.TooManyRequests("3"), Respond.With(200, "ok"));
            using var client = new HttpClient(server);

            var response = RateLimitedSend.Run(
                TestPolicy.Create(clock, QuotaWindow.PerSecond(1)),
                () => client.Send(new HttpRequestMessage(HttpMethod.Get, Url)));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(new[] { TimeSpan.Zero, TimeSpan.FromSeconds(3) }, server.Arrivals.Select(a => a.At));
            Assert.Equal(new[] { TimeSpan.FromSeconds(3) }, clock.RequestedDelays);
        }

        [Fact]
        public void Run_gives_up_with_the_attempts_and_the_last_refusal()
        {
            var clock = new ManualClock();
            var policy = TestPolicy.Create(clock);
            policy.MaxAttempts = 3;
            var refusals = new List<HttpRequestException>();

            var error = Assert.Throws<RateLimitExceededException>(() => RateLimitedSend.Run<string>(policy, () =>
            {
                var refusal = new HttpRequestException("Response status code does not indicate success: 429 (Too Many Requests).", null, HttpStatusCode.TooManyRequests);
                refusals.Add(refusal);
                throw refusal;
            }));

            Assert.Equal(3, error.Attempts);
            Assert.Equal(HttpStatusCode.TooManyRequests, error.LastStatusCode);
            Assert.Null(error.RetryAfter);
            Assert.Same(refusals.Last(), error.InnerException);
            Assert.Equal(2, clock.RequestedDelays.Count);
        }

        [Fact]
        public async Task A_send_that_already_gave_up_is_not_retried_again_by_an_outer_one()
        {
            var clock = new ManualClock();
            var inner = TestPolicy.Create(clock);
            inner.MaxAttempts = 2;
            var server = new ScriptedServer(clock, Enumerable.Repeat(Respond.TooManyRequests("1"), 10).ToArray());
            using var client = server.CreateClient(inner);

            var error = await Assert.ThrowsAsync<RateLimitExceededException>(
                () => clock.RunUntilCompleted(RateLimitedSend.RunAsync(TestPolicy.Create(clock), ct => client.GetStringAsync(Url, ct))));

            Assert.Equal(2, error.Attempts);
            Assert.Equal(2, server.Arrivals.Count);
        }

        [Fact]
        public async Task A_policy_without_windows_does_not_pace_but_a_Retry_After_pauses_every_caller_of_the_key()
        {
            var clock = new ManualClock();
            var policy = TestPolicy.WithoutWindows(clock);
            var server = new ScriptedServer(clock, Enumerable.Repeat(Respond.With(200, "[]"), 20).Append(Respond.TooManyRequests("30")).ToArray());
            using var client = new HttpClient(server);

            await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => RateLimitedSend.RunAsync(policy, ct => client.GetStringAsync(Url, ct)))).WaitAsync(ManualClock.Settle);
            Assert.Equal(20, server.Arrivals.Count);
            Assert.All(server.Arrivals, arrival => Assert.Equal(TimeSpan.Zero, arrival.At));

            // One caller is refused for 30 s; a caller that starts meanwhile, with a request of its own, waits too.
            var refused = RateLimitedSend.SendAsync(client, () => new HttpRequestMessage(HttpMethod.Get, Url), policy);
            await clock.WaitForPendingDelays(1);
            var other = RateLimitedSend.SendAsync(client, () => new HttpRequestMessage(HttpMethod.Get, Url), policy);
            await clock.RunUntilCompleted(refused, other);

            Assert.Equal(new[] { TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30) }, server.Arrivals.Skip(21).Select(a => a.At));
            Assert.Empty(policy.Pacer.Windows);
        }

        [Fact]
        public async Task SendAsync_of_a_request_built_earlier_sends_a_copy_with_the_same_bytes_and_headers_on_every_attempt()
        {
            var clock = new ManualClock();
            var server = new ScriptedServer(clock, Respond.TooManyRequests("2"), Respond.With(201, "created"));
            using var client = new HttpClient(server);
            using var request = new HttpRequestMessage(HttpMethod.Post, "https://api.archiva.app/api/ingest/event")
            {
                Content = new StreamContent(new ReadOnceStream(Encoding.UTF8.GetBytes("{\"id\":1}"))),
            };
            request.Headers.TryAddWithoutValidation("X-Api-Key", "secret");
            request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");

            var response = await clock.RunUntilCompleted(RateLimitedSend.SendAsync(client, request, TestPolicy.Create(clock)));

            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            Assert.Equal(2, server.Arrivals.Count);
            Assert.All(server.Arrivals, arrival =>
            {
                Assert.NotSame(request, arrival.Request);
                Assert.Equal(HttpMethod.Post, arrival.Request.Method);
                Assert.Equal(request.RequestUri, arrival.Request.RequestUri);
                Assert.Equal("{\"id\":1}", Encoding.UTF8.GetString(arrival.Body));
                Assert.Equal("secret", Assert.Single(arrival.Request.Headers.GetValues("X-Api-Key")));
                Assert.Equal("application/json", arrival.Request.Content.Headers.ContentType.MediaType);
            });
            Assert.Equal(TimeSpan.FromSeconds(2), server.Arrivals[1].At);
        }

        [Fact]
        public async Task RunAsync_that_resends_one_request_message_fails_with_the_throttle_not_an_InvalidOperationException()
        {
            var clock = new ManualClock();
            var server = new ScriptedServer(clock, Respond.TooManyRequests("2"));
            using var client = new HttpClient(server);
            using var request = new HttpRequestMessage(HttpMethod.Get, Url);

            var send = RateLimitedSend.RunAsync(TestPolicy.Create(clock), ct => client.SendAsync(request, ct));
            var exception = await Assert.ThrowsAsync<RateLimitExceededException>(() => clock.RunUntilCompleted(send));

            Assert.Equal(HttpStatusCode.TooManyRequests, exception.LastStatusCode);
            Assert.Equal(TimeSpan.FromSeconds(2), exception.RetryAfter);
            Assert.IsType<InvalidOperationException>(exception.InnerException);
            Assert.Contains("RateLimitedSend.SendAsync", exception.Message);
            Assert.Single(server.Arrivals);
        }

        [Fact]
        public async Task Arguments_are_checked()
        {
            var policy = new RateLimitPolicy("k");
            using var client = new HttpClient();
            await Assert.ThrowsAsync<ArgumentNullException>(() => RateLimitedSend.SendAsync(null, () => new HttpRequestMessage(), policy));
            await Assert.ThrowsAsync<ArgumentNullException>(() => RateLimitedSend.SendAsync(client, (Func<HttpRequestMessage>)null, policy));
            await Assert.ThrowsAsync<ArgumentNullException>(() => RateLimitedSend.SendAsync(client, (HttpRequestMessage)null, policy));
            await Assert.ThrowsAsync<ArgumentNullException>(() => RateLimitedSend.SendAsync(null, new HttpRequestMessage(), policy));
            await Assert.ThrowsAsync<ArgumentNullException>(() => RateLimitedSend.SendAsync(client, () => new HttpRequestMessage(), null));
            await Assert.ThrowsAsync<ArgumentNullException>(() => RateLimitedSend.RunAsync<int>(null, _ => Task.FromResult(1)));
            await Assert.ThrowsAsync<ArgumentNullException>(() => RateLimitedSend.RunAsync<int>(policy, null));
            Assert.Throws<ArgumentNullException>(() => RateLimitedSend.Run<int>(policy, null));
        }
    }
}
