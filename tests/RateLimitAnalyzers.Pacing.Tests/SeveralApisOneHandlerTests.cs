using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using RateLimitAnalyzers.Pacing;
using Xunit;

namespace RateLimitAnalyzers.Pacing.Tests
{
    /// <summary>
    /// One client shared by several APIs, one handler with a policy per API: each request goes by the policy whose
    /// base address covers it, and takes one turn under that policy's key alone.
    /// </summary>
    public sealed class SeveralApisOneHandlerTests
    {
        private const string GitHub = "https://api.github.com/";
        private const string Archiva = "https://api.archiva.app/api/ingest/event";

        private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

        [Fact]
        public async Task Each_request_takes_one_turn_under_its_own_APIs_key()
        {
            var clock = new ManualClock();
            var gitHub = Policy(clock, "api.github.com", GitHub, new QuotaWindow(2, Minute));
            var archiva = Policy(clock, "api.archiva.app/api/ingest/event", Archiva, new QuotaWindow(2, Minute));
            var server = new ScriptedServer(clock);
            using var client = new HttpClient(new RateLimitedHandler(server, gitHub, archiva));

            // Two of each fit their own quota at once; counted under one key, or twice each, two would wait.
            await clock.RunUntilCompleted(
                client.GetAsync(GitHub + "orgs/dotnet/repos"),
                client.PostAsync(Archiva, new StringContent("{}")),
                client.GetAsync(GitHub + "orgs/dotnet/repos?page=2"),
                client.PostAsync(Archiva, new StringContent("{}")));
            Assert.All(server.Arrivals, a => Assert.Equal(TimeSpan.Zero, a.At));

            // The third to each waits for its own window; neither key lends the other room.
            await clock.RunUntilCompleted(client.GetAsync(GitHub + "orgs/dotnet/repos?page=3"), client.PostAsync(Archiva, new StringContent("{}")));
            Assert.Equal(new[] { Minute, Minute }, server.Arrivals.Skip(4).Select(a => a.At));
            Assert.Equal(3, server.Arrivals.Count(a => a.Request.RequestUri.Host == "api.github.com"));
            Assert.Equal(3, server.Arrivals.Count(a => a.Request.RequestUri.Host == "api.archiva.app"));
        }

        [Fact]
        public async Task A_request_no_policy_covers_is_sent_once_unpaced_and_returned_as_it_came()
        {
            var clock = new ManualClock();
            var gitHub = Policy(clock, "api.github.com", GitHub, new QuotaWindow(1, Minute));
            var server = new ScriptedServer(clock, Respond.With(200, "ok"), Respond.TooManyRequests("30"), Respond.TooManyRequests("30"));
            using var client = new HttpClient(new RateLimitedHandler(server, gitHub));

            await clock.RunUntilCompleted(client.GetAsync(GitHub + "user"));
            var quotes = await clock.RunUntilCompleted(client.GetAsync("https://quotes.example.com/v1/quote?symbol=MSFT"));
            var accounts = await clock.RunUntilCompleted(client.PostAsync("https://accounts.example.com/v1/accounts", new StringContent("{}")));

            // Neither waited for GitHub's used-up window, and a 429 of an API nobody described is the caller's to handle.
            Assert.Equal(HttpStatusCode.TooManyRequests, quotes.StatusCode);
            Assert.Equal(HttpStatusCode.TooManyRequests, accounts.StatusCode);
            Assert.False(Respond.IsDisposed(server.Responses[2]));
            Assert.Equal(new[] { TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero }, server.Arrivals.Select(a => a.At));
            Assert.Empty(clock.RequestedDelays);

            // Nor did they pause GitHub's key or spend its quota.
            Assert.False(gitHub.Pacer.TryTakeTurn(out var wait));
            Assert.Equal(Minute, wait);
        }

        [Theory]
        [InlineData("https://api.example.com/v2/exports", "exports")]
        [InlineData("https://api.example.com/v2/exports/", "exports")]
        [InlineData("https://api.example.com/v2/exports/7/items?page=2", "exports")]
        [InlineData("https://API.Example.COM/v2/exports/7", "exports")]
        [InlineData("https://api.example.com:443/v2/exports", "exports")]
        [InlineData("https://api.example.com/v2/exportsX", "example")]
        [InlineData("https://api.example.com/V2/exports", "example")]
        [InlineData("https://api.example.com/v2", "example")]
        [InlineData("https://api.example.com/", "example")]
        [InlineData("https://api.example.com", "example")]
        [InlineData("http://api.example.com/v2/exports", "fallback")]
        [InlineData("https://api.example.com:8443/v2/exports", "fallback")]
        [InlineData("https://example.com/v2/exports", "fallback")]
        [InlineData("https://other.example.net/", "fallback")]
        public async Task The_most_specific_covering_policy_wins_and_the_one_without_an_address_takes_the_rest(string url, string expected)
        {
            var clock = new ManualClock();
            var policies = new[]
            {
                Policy(clock, "fallback", null, new QuotaWindow(1, Minute)),
                Policy(clock, "example", "https://api.example.com", new QuotaWindow(1, Minute)),
                Policy(clock, "exports", "https://api.example.com/v2/exports/", new QuotaWindow(1, Minute)),
            };
            var server = new ScriptedServer(clock);
            using var client = new HttpClient(new RateLimitedHandler(server, policies));

            await clock.RunUntilCompleted(client.GetAsync(url));

            // The policy that paced the request has no room left; the others were not touched.
            var used = policies.Where(p => !p.Pacer.TryTakeTurn(out _)).Select(p => p.Key.Substring(p.Key.LastIndexOf('/') + 1));
            Assert.Equal(new[] { expected }, used);
        }

        [Fact]
        public async Task A_handler_of_one_policy_with_an_address_passes_other_requests_through()
        {
            var clock = new ManualClock();
            var archiva = Policy(clock, "api.archiva.app/api/ingest/event", Archiva, new QuotaWindow(1, Minute));
            var server = new ScriptedServer(clock);
            using var client = server.CreateClient(archiva);

            await clock.RunUntilCompleted(
                client.PostAsync(Archiva, new StringContent("{}")),
                client.GetAsync("https://api.archiva.app/api/ingest/status"),
                client.GetAsync("https://api.archiva.app/api/ingest/status"));

            Assert.Equal(new[] { TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero }, server.Arrivals.Select(a => a.At));
            Assert.Same(archiva, new RateLimitedHandler(archiva, server).Policy);
        }

        [Fact]
        public async Task The_HttpClient_factory_takes_a_handler_of_several_policies()
        {
            var clock = new ManualClock();
            var gitHub = Policy(clock, "api.github.com", GitHub, new QuotaWindow(1, Minute));
            var archiva = Policy(clock, "api.archiva.app/api/ingest/event", Archiva, new QuotaWindow(1, Minute));
            var server = new ScriptedServer(clock);
            var services = new ServiceCollection();
            services.AddHttpClient("shared")
                .AddHttpMessageHandler(() => RateLimitedHandler.ForHttpClientFactory(gitHub, archiva))
                .ConfigurePrimaryHttpMessageHandler(() => server);
            using var provider = services.BuildServiceProvider();
            var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient("shared");

            await clock.RunUntilCompleted(client.GetAsync(GitHub + "user"), client.PostAsync(Archiva, new StringContent("{}")));
            await clock.RunUntilCompleted(client.GetAsync(GitHub + "user"));

            Assert.Equal(new[] { TimeSpan.Zero, TimeSpan.Zero, Minute }, server.Arrivals.Select(a => a.At));
        }

#if NET5_0_OR_GREATER
        [Fact]
        public void The_synchronous_send_picks_the_policy_the_same_way()
        {
            var clock = new ManualClock();
            var gitHub = Policy(clock, "api.github.com", GitHub, new QuotaWindow(1, Minute));
            var server = new ScriptedServer(clock, Respond.With(200, "ok"), Respond.TooManyRequests("30"));
            using var client = new HttpClient(new RateLimitedHandler(server, gitHub));

            Assert.Equal(HttpStatusCode.OK, client.Send(new HttpRequestMessage(HttpMethod.Get, GitHub + "user")).StatusCode);
            Assert.Equal(HttpStatusCode.TooManyRequests, client.Send(new HttpRequestMessage(HttpMethod.Get, "https://quotes.example.com/")).StatusCode);

            Assert.Equal(2, server.Arrivals.Count);
            Assert.Empty(clock.RequestedDelays);
        }
#endif

        [Fact]
        public void The_handler_lists_its_policies_in_the_order_given()
        {
            var clock = new ManualClock();
            var gitHub = Policy(clock, "api.github.com", GitHub);
            var archiva = Policy(clock, "archiva", Archiva);
            var fallback = Policy(clock, "fallback", null);

            using var handler = new RateLimitedHandler(new ScriptedServer(clock), gitHub, archiva, fallback);

            Assert.Equal(new[] { gitHub, archiva, fallback }, handler.Policies);
            Assert.Same(gitHub, handler.Policy);
            Assert.Equal(new[] { archiva }, RateLimitedHandler.ForHttpClientFactory(archiva).Policies);
        }

        [Theory]
        [InlineData("api.github.com/")]
        [InlineData("/api/ingest/event")]
        [InlineData("")]
        [InlineData("not a url")]
        [InlineData("ftp://api.github.com/")]
        [InlineData("https://api.github.com/search?q=x")]
        [InlineData("https://api.github.com/#top")]
        public void A_relative_or_malformed_base_address_is_refused_when_set(string address)
        {
            var policy = new RateLimitPolicy("tests/" + Guid.NewGuid().ToString("N"));

            var error = Assert.Throws<ArgumentException>(() => policy.BaseAddress = address);

            Assert.Contains("base address", error.Message);
            Assert.Null(policy.BaseAddress);
        }

        [Fact]
        public void A_base_address_is_kept_as_written_and_null_restores_every_request()
        {
            var policy = new RateLimitPolicy("tests/" + Guid.NewGuid().ToString("N")) { BaseAddress = "https://API.github.com" };

            Assert.Equal("https://API.github.com", policy.BaseAddress);
            policy.BaseAddress = null;
            Assert.Null(policy.BaseAddress);
        }

        [Theory]
        [InlineData("https://api.github.com/", "https://API.GitHub.com")]
        [InlineData("https://api.github.com/repos/", "https://api.github.com:443/repos")]
        [InlineData(null, null)]
        public void Two_policies_for_the_same_address_are_refused(string first, string second)
        {
            var clock = new ManualClock();
            var a = Policy(clock, "a", first);
            var b = Policy(clock, "b", second);

            Assert.Throws<ArgumentException>(() => new RateLimitedHandler(new ScriptedServer(clock), a, b));
            Assert.Throws<ArgumentException>(() => RateLimitedHandler.ForHttpClientFactory(a, b));
            Assert.Throws<ArgumentException>(() => new RateLimitedHandler(a, b));
        }

        [Fact]
        public void No_policy_or_a_null_one_is_refused()
        {
            var clock = new ManualClock();
            var server = new ScriptedServer(clock);
            var policy = Policy(clock, "a", GitHub);

            Assert.Throws<ArgumentException>(() => new RateLimitedHandler(server));
            Assert.Throws<ArgumentException>(() => RateLimitedHandler.ForHttpClientFactory());
            Assert.Throws<ArgumentNullException>(() => new RateLimitedHandler(server, policy, null));
            Assert.Throws<ArgumentNullException>(() => new RateLimitedHandler(server, (RateLimitPolicy[])null));
            Assert.Throws<ArgumentNullException>(() => RateLimitedHandler.ForHttpClientFactory(null, policy));
            Assert.Throws<ArgumentNullException>(() => new RateLimitedHandler((RateLimitPolicy)null, server));
        }

        private static RateLimitPolicy Policy(ManualClock clock, string key, string baseAddress, params QuotaWindow[] windows)
        {
            // Under a key of the test's own: the shared pacer of a real API's key would outlive the test.
            var policy = new RateLimitPolicy("tests/" + Guid.NewGuid().ToString("N") + "/" + key)
            {
                BaseAddress = baseAddress,
                Clock = clock,
                Pacer = windows.Length == 0 ? null : new RequestPacer(clock, windows) { ArrivalMargin = TimeSpan.Zero },
            };
            return policy;
        }
    }
}
