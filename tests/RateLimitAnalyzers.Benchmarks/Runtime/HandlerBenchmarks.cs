using System;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using RateLimitAnalyzers.Pacing;

namespace RateLimitAnalyzers.Benchmarks.Runtime;

/// <summary>
/// A request on the success path through each retrying client, over an in-memory server that answers 200 at once:
/// what the handler adds to every request that is not throttled. The bare client is the floor.
/// </summary>
[MemoryDiagnoser]
public class HandlerBenchmarks
{
    private const string Url = "https://api.archiva.app/api/ingest/event";

    private HttpClient _bare = null!;
    private HttpClient _rateLimited = null!;
    private HttpClient _polly = null!;
    private LimiterSet _limiters = null!;

    [GlobalSetup]
    public void Setup()
    {
        _limiters = new LimiterSet();
        _bare = new HttpClient(new InMemoryServer());

        // What the RL0002 fix gives a client: pacing under a quota never exhausted here, and retries on 429.
        var policy = new RateLimitPolicy("benchmark") { Pacer = Limiters.Pacer() };
        _rateLimited = new HttpClient(new RateLimitedHandler(policy, new InMemoryServer()));

        // The same job with the resilience library: a Polly v8 retry and rate limiter in a ResilienceHandler.
        var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddRetry(new HttpRetryStrategyOptions { MaxRetryAttempts = 3 })
            .AddRateLimiter(Limiters.SlidingWindow())
            .Build();
        _polly = new HttpClient(new ResilienceHandler(pipeline) { InnerHandler = new InMemoryServer() });
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _bare.Dispose();
        _rateLimited.Dispose();
        _polly.Dispose();
        _limiters.Dispose();
    }

    [Benchmark]
    public Task<HttpResponseMessage> Bare_client() => Send(_bare);

    [Benchmark(Baseline = true)]
    public Task<HttpResponseMessage> RateLimitedHandler_success() => Send(_rateLimited);

    [Benchmark]
    public Task<HttpResponseMessage> Polly_ResilienceHandler_success() => Send(_polly);

    private static async Task<HttpResponseMessage> Send(HttpClient client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Url);
        var response = await client.SendAsync(request).ConfigureAwait(false);
        response.Dispose();
        return response;
    }

    /// <summary>Answers every request with an empty 200, as fast as a handler can.</summary>
    private sealed class InMemoryServer : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request });
    }
}
