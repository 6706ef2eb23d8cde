using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading.RateLimiting;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using RateLimitAnalyzers.Pacing.Redis;
using StackExchange.Redis;
using Xunit;

namespace RateLimitAnalyzers.Emulation.Tests.SharedQuota;

/// <summary>RateLimitAnalyzers.Pacing.Redis against a real redis-server, and against none.</summary>
[Collection(RedisCollection.Name)]
public sealed class RedisRateLimiterTests
{
    private readonly RedisServer _redis;

    public RedisRateLimiterTests(RedisServer redis)
    {
        _redis = redis;
    }

    [Fact]
    public async Task Every_window_is_checked_before_any_is_used_and_refusals_are_not_recorded()
    {
        // The window that still has room comes first: a script that checked and recorded window by window would
        // record the third attempt in it before the second window refused it.
        var key = "windows-" + Guid.NewGuid().ToString("N");
        using var limiter = RedisRateLimiter.Connect(_redis.Configuration, Options(key, new SharedQuotaWindow(5, TimeSpan.FromHours(2)), new SharedQuotaWindow(2, TimeSpan.FromHours(1))));

        Assert.True(limiter.AttemptAcquire().IsAcquired);
        Assert.True(limiter.AttemptAcquire().IsAcquired);
        using var refused = limiter.AttemptAcquire();

        Assert.False(refused.IsAcquired);
        Assert.True(refused.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter));
        Assert.InRange(retryAfter, TimeSpan.FromMinutes(59), TimeSpan.FromHours(1));
        using var redis = await ConnectionMultiplexer.ConnectAsync(_redis.Configuration);
        var database = redis.GetDatabase();
        Assert.Equal(2, await database.SortedSetLengthAsync("ratelimit:{" + key + "}:2/3600000000us"));

        // The roomy window holds the two granted requests only: the refused third was recorded nowhere.
        Assert.Equal(2, await database.SortedSetLengthAsync("ratelimit:{" + key + "}:5/7200000000us"));
        Assert.InRange((await database.KeyTimeToLiveAsync("ratelimit:{" + key + "}:5/7200000000us"))!.Value, TimeSpan.FromHours(1.9), TimeSpan.FromHours(2.1));
        Assert.False(limiter.IsUsingLocalShare);
    }

    [Fact]
    public async Task Limiters_in_different_workers_share_one_quota_and_a_waiter_gets_the_first_slot_that_frees()
    {
        var key = "shared-" + Guid.NewGuid().ToString("N");
        var window = new SharedQuotaWindow(3, TimeSpan.FromMilliseconds(400));
        using var first = RedisRateLimiter.Connect(_redis.Configuration, Options(key, window));
        using var second = RedisRateLimiter.Connect(_redis.Configuration, Options(key, window));

        Assert.True(first.AttemptAcquire().IsAcquired);
        Assert.True(first.AttemptAcquire().IsAcquired);
        Assert.True(second.AttemptAcquire().IsAcquired);
        Assert.False(second.AttemptAcquire().IsAcquired);

        var waited = Stopwatch.StartNew();
        using var lease = await second.AcquireAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(lease.IsAcquired);
        Assert.InRange(waited.Elapsed, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Without_Redis_each_worker_paces_at_its_share_and_says_so_once_without_hanging()
    {
        var log = new ListLogger();
        var options = Options("unreachable", new SharedQuotaWindow(9, TimeSpan.FromHours(1)));
        options.ExpectedWorkers = 3;
        options.OperationTimeout = TimeSpan.FromMilliseconds(500);
        options.Logger = log;
        var elapsed = Stopwatch.StartNew();

        // Nothing listens on a port just found free.
        using var limiter = RedisRateLimiter.Connect("127.0.0.1:" + RedisServer.FreePort(), options);
        using (var lease = await limiter.AcquireAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)))
        {
            Assert.True(lease.IsAcquired);
        }

        Assert.True(limiter.AttemptAcquire().IsAcquired);
        Assert.True(limiter.AttemptAcquire().IsAcquired);
        Assert.False(limiter.AttemptAcquire().IsAcquired);

        Assert.True(limiter.IsUsingLocalShare);
        var warning = Assert.Single(log.Messages);
        Assert.Contains("pacing locally at 1/3", warning);
        Assert.Contains("3 per 1 h", warning);
        Assert.InRange(elapsed.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(10));
    }

    private static RedisRateLimiterOptions Options(string key, params SharedQuotaWindow[] windows)
    {
        var options = new RedisRateLimiterOptions { Key = key };
        foreach (var window in windows)
        {
            options.Windows.Add(window);
        }

        return options;
    }

    private sealed class ListLogger : ILogger
    {
        public List<string> Messages { get; } = new();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Messages)
            {
                Messages.Add(formatter(state, exception));
            }
        }
    }
}
