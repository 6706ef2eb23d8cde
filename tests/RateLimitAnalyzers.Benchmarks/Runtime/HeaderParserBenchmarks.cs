using System;
using System.Net;
using System.Net.Http;
using BenchmarkDotNet.Attributes;
using RateLimitAnalyzers.Pacing;

namespace RateLimitAnalyzers.Benchmarks.Runtime;

/// <summary>
/// Reading the server's hint from a response the way the retrying send does on every response: Retry-After in
/// both forms, the SUSE and IETF RateLimit headers, GitHub's X-RateLimit headers. The framework's own typed
/// Retry-After parse is the reference.
/// </summary>
[MemoryDiagnoser]
public class HeaderParserBenchmarks
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private HttpResponseMessage _retryAfterSeconds = null!;
    private HttpResponseMessage _retryAfterDate = null!;
    private HttpResponseMessage _suse = null!;
    private HttpResponseMessage _ietf = null!;
    private HttpResponseMessage _github = null!;

    [GlobalSetup]
    public void Setup()
    {
        _retryAfterSeconds = Response(("Retry-After", "45"));
        _retryAfterDate = Response(("Retry-After", s_now.AddSeconds(45).ToString("r")), ("Date", s_now.ToString("r")));
        _suse = Response(("ratelimit-limit", "50;w=21600"), ("ratelimit-remaining", "30;w=14400"));
        _ietf = Response(("RateLimit-Policy", "\"burst\";q=100;w=60"), ("RateLimit", "\"burst\";r=50;t=30"));
        _github = Response(("x-ratelimit-limit", "5000"), ("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", s_now.AddMinutes(10).ToUnixTimeSeconds().ToString()));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var response in new[] { _retryAfterSeconds, _retryAfterDate, _suse, _ietf, _github })
        {
            response.Dispose();
        }
    }

    [Benchmark(Baseline = true)]
    public TimeSpan? Framework_typed_RetryAfter_seconds() => _retryAfterSeconds.Headers.RetryAfter?.Delta;

    [Benchmark]
    public TimeSpan RetryAfter_seconds() => RetryAfter.TryGetDelay(_retryAfterSeconds, s_now, out var delay) ? delay : TimeSpan.Zero;

    [Benchmark]
    public TimeSpan RetryAfter_http_date() => RetryAfter.TryGetDelay(_retryAfterDate, s_now, out var delay) ? delay : TimeSpan.Zero;

    [Benchmark]
    public int? RateLimitHeaders_suse() => RateLimitHeaders.Parse(_suse, s_now).Remaining;

    [Benchmark]
    public int? RateLimitHeaders_ietf() => RateLimitHeaders.Parse(_ietf, s_now).Remaining;

    [Benchmark]
    public TimeSpan? RateLimitHeaders_github_used_up() => RateLimitHeaders.Parse(_github, s_now).ExhaustedFor;

    private static HttpResponseMessage Response(params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response;
    }
}
