using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;

namespace RateLimitAnalyzers.Benchmarks.Runtime;

/// <summary>One caller taking a turn when the quota has room: what every paced request pays.</summary>
[MemoryDiagnoser]
public class AcquireBenchmarks
{
    private LimiterSet _limiters = null!;

    [GlobalSetup]
    public void Setup() => _limiters = new LimiterSet();

    [GlobalCleanup]
    public void Cleanup() => _limiters.Dispose();

    /// <summary>What the RL0001 fix inserts before each request.</summary>
    [Benchmark(Baseline = true)]
    public Task RequestPacer_WaitTurnAsync() => _limiters.Pacer.WaitTurnAsync();

    [Benchmark]
    public void RequestPacer_WaitTurn() => _limiters.Pacer.WaitTurn();

    [Benchmark]
    public async ValueTask<bool> TokenBucket_AcquireAsync()
    {
        using var lease = await _limiters.TokenBucket.AcquireAsync(1).ConfigureAwait(false);
        return lease.IsAcquired;
    }

    [Benchmark]
    public bool TokenBucket_AttemptAcquire()
    {
        using var lease = _limiters.TokenBucket.AttemptAcquire(1);
        return lease.IsAcquired;
    }

    [Benchmark]
    public async ValueTask<bool> SlidingWindow_AcquireAsync()
    {
        using var lease = await _limiters.SlidingWindow.AcquireAsync(1).ConfigureAwait(false);
        return lease.IsAcquired;
    }

    [Benchmark]
    public bool SlidingWindow_AttemptAcquire()
    {
        using var lease = _limiters.SlidingWindow.AttemptAcquire(1);
        return lease.IsAcquired;
    }

    /// <summary>The same job in Polly v8: acquire from the limiter, run the (empty) request, under a retry.</summary>
    [Benchmark]
    public ValueTask Polly_RetryAndRateLimiter_ExecuteAsync() => _limiters.Polly.ExecuteAsync(static _ => ValueTask.CompletedTask);
}
