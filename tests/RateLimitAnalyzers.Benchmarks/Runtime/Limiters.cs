using System;
using System.Threading;
using System.Threading.RateLimiting;
using System.Threading.Tasks;
using Polly;
using Polly.Retry;
using RateLimitAnalyzers.Pacing;

namespace RateLimitAnalyzers.Benchmarks.Runtime;

/// <summary>One of each limiter the runtime benchmarks compare, created in a benchmark's setup and disposed in its cleanup.</summary>
internal sealed class LimiterSet : IDisposable
{
    private readonly SlidingWindowRateLimiter _pollyLimiter = Limiters.SlidingWindow();

    public LimiterSet() => Polly = Limiters.PollyRetryAndRateLimiter(_pollyLimiter);

    public RequestPacer Pacer { get; } = Limiters.Pacer();

    public TokenBucketRateLimiter TokenBucket { get; } = Limiters.TokenBucket();

    public SlidingWindowRateLimiter SlidingWindow { get; } = Limiters.SlidingWindow();

    public ResiliencePipeline Polly { get; }

    public void Dispose()
    {
        TokenBucket.Dispose();
        SlidingWindow.Dispose();
        _pollyLimiter.Dispose();
    }
}

/// <summary>
/// The limiters the runtime benchmarks compare, each set to a quota the benchmark never exhausts, so every call
/// measures the path where the quota has room: the path almost every request takes.
/// </summary>
internal static class Limiters
{
    /// <summary>
    /// 100,000 per millisecond: far above what two cores can acquire, so no call ever waits. Without an arrival
    /// margin: the default one (at least 20 ms) would hold each grant for 21 ms, and at tens of nanoseconds a turn
    /// the benchmark would fill that window and measure waiting, not the turn. The margin's arithmetic runs either way.
    /// </summary>
    public static RequestPacer Pacer() => new(new QuotaWindow(100_000, TimeSpan.FromMilliseconds(1))) { ArrivalMargin = TimeSpan.Zero };

    public static TokenBucketRateLimiter TokenBucket() => new(new TokenBucketRateLimiterOptions
    {
        TokenLimit = int.MaxValue,
        TokensPerPeriod = int.MaxValue,
        ReplenishmentPeriod = TimeSpan.FromMilliseconds(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    });

    public static SlidingWindowRateLimiter SlidingWindow() => new(new SlidingWindowRateLimiterOptions
    {
        PermitLimit = int.MaxValue,
        Window = TimeSpan.FromSeconds(1),
        SegmentsPerWindow = 4,
        QueueLimit = 0,
        AutoReplenishment = true,
    });

    /// <summary>Waits for one permit of a limiter that queues; a refusal would mean the queue is set up wrong.</summary>
    public static async Task AcquireQueuedAsync(RateLimiter limiter, CancellationToken cancellationToken = default)
    {
        using var lease = await limiter.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
        if (!lease.IsAcquired)
        {
            throw new InvalidOperationException("The limiter refused a queued request.");
        }
    }

    /// <summary>What a Polly v8 user writes for the same job: a retry around a rate limiter.</summary>
    public static ResiliencePipeline PollyRetryAndRateLimiter(RateLimiter limiter) => new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions { MaxRetryAttempts = 3, Delay = TimeSpan.FromMilliseconds(100), BackoffType = DelayBackoffType.Exponential })
        .AddRateLimiter(limiter)
        .Build();
}
