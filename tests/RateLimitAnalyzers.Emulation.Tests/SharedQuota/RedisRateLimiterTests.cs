using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.RateLimiting;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using RateLimitAnalyzers.Pacing.Redis;
using StackExchange.Redis;
using Xunit;
using Xunit.Abstractions;

namespace RateLimitAnalyzers.Emulation.Tests.SharedQuota;

/// <summary>
/// RateLimitAnalyzers.Pacing.Redis against each server on the machine (<see cref="SharedQuotaServers.Kinds"/>), and
/// against none. Nothing here waits for a window to pass: the windows are an hour or more, and where a test needs a
/// slot to free it ages the grant in the server's record.
/// </summary>
[Collection(SharedQuotaCollection.Name)]
public sealed class RedisRateLimiterTests
{
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(30);

    private readonly SharedQuotaServers _servers;
    private readonly ITestOutputHelper _output;

    public RedisRateLimiterTests(SharedQuotaServers servers, ITestOutputHelper output)
    {
        _servers = servers;
        _output = output;
    }

    [Theory]
    [MemberData(nameof(SharedQuotaServers.Kinds), MemberType = typeof(SharedQuotaServers))]
    public async Task Every_window_is_checked_before_any_is_used_and_refusals_are_not_recorded(string server)
    {
        var redisServer = Server(server);

        // The window that still has room comes first: a script that checked and recorded window by window would
        // record the third attempt in it before the second window refused it.
        var key = "windows-" + Guid.NewGuid().ToString("N");
        using var limiter = RedisRateLimiter.Connect(redisServer.Configuration, Options(key, new SharedQuotaWindow(5, TimeSpan.FromHours(2)), new SharedQuotaWindow(2, TimeSpan.FromHours(1))));

        Assert.True(limiter.AttemptAcquire().IsAcquired);
        Assert.True(limiter.AttemptAcquire().IsAcquired);
        using var refused = limiter.AttemptAcquire();

        Assert.False(refused.IsAcquired);
        Assert.True(refused.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter));
        Assert.InRange(retryAfter, TimeSpan.FromMinutes(59), TimeSpan.FromHours(1));
        using var redis = await ConnectionMultiplexer.ConnectAsync(redisServer.Configuration).WaitAsync(s_bound);
        var database = redis.GetDatabase();
        Assert.Equal(2, await database.SortedSetLengthAsync("ratelimit:{" + key + "}:2/3600000000us").WaitAsync(s_bound));

        // The roomy window holds the two granted requests only: the refused third was recorded nowhere.
        Assert.Equal(2, await database.SortedSetLengthAsync("ratelimit:{" + key + "}:5/7200000000us").WaitAsync(s_bound));
        Assert.InRange((await database.KeyTimeToLiveAsync("ratelimit:{" + key + "}:5/7200000000us").WaitAsync(s_bound))!.Value, TimeSpan.FromHours(1.9), TimeSpan.FromHours(2.1));
        Assert.False(limiter.IsUsingLocalShare);
    }

    [Theory]
    [MemberData(nameof(SharedQuotaServers.Kinds), MemberType = typeof(SharedQuotaServers))]
    public async Task Limiters_in_different_workers_share_one_quota_and_a_waiter_gets_the_first_slot_that_frees(string server)
    {
        var redisServer = Server(server);
        var key = "shared-" + Guid.NewGuid().ToString("N");
        var window = new SharedQuotaWindow(3, TimeSpan.FromHours(1));
        using var first = RedisRateLimiter.Connect(redisServer.Configuration, Options(key, window));
        using var second = RedisRateLimiter.Connect(redisServer.Configuration, Options(key, window));

        Assert.True(first.AttemptAcquire().IsAcquired);
        Assert.True(first.AttemptAcquire().IsAcquired);
        Assert.True(second.AttemptAcquire().IsAcquired);
        Assert.False(second.AttemptAcquire().IsAcquired);
        Assert.False(first.IsUsingLocalShare || second.IsUsingLocalShare);

        using var redis = await ConnectionMultiplexer.ConnectAsync(redisServer.Configuration).WaitAsync(s_bound);
        var database = redis.GetDatabase();
        var log = (RedisKey)("ratelimit:{" + key + "}:3/3600000000us");
        var granted = await database.SortedSetRangeByRankWithScoresAsync(log).WaitAsync(s_bound);
        Assert.Equal(3, granted.Length);
        Assert.Equal(2, granted.Select(g => Limiter(g.Element)).Distinct().Count());

        // An hour is not waited out: the oldest grant is aged in the server's record until it leaves its window a
        // second from now, on the server's clock.
        var freesAt = await ServerMicroseconds(database) + 1_000_000;
        await database.SortedSetAddAsync(log, granted[0].Element, freesAt - 3_600_000_000L).WaitAsync(s_bound);

        using var lease = await second.AcquireAsync().AsTask().WaitAsync(s_bound);
        Assert.True(lease.IsAcquired);

        // The waiter's grant took the aged one's place, and not before it freed.
        var after = await database.SortedSetRangeByRankWithScoresAsync(log).WaitAsync(s_bound);
        Assert.Equal(3, after.Length);
        Assert.DoesNotContain(granted[0].Element, after.Select(a => a.Element));
        var waiter = Assert.Single(after, a => !granted.Any(g => g.Element == a.Element));
        Assert.True(waiter.Score >= freesAt, $"granted at {waiter.Score} µs, before the slot freed at {freesAt} µs");
    }

    [Theory]
    [MemberData(nameof(SharedQuotaServers.Kinds), MemberType = typeof(SharedQuotaServers))]
    public async Task A_permit_holds_its_slot_until_its_lease_ends_and_counts_from_then(string server)
    {
        // Issue 15: the server counts a request when it arrives, which a stalled worker may put off past the grant.
        var redisServer = Server(server);
        var options = Options("held-" + Guid.NewGuid().ToString("N"), new SharedQuotaWindow(1, TimeSpan.FromHours(1)));
        options.LeaseTimeout = TimeSpan.FromMinutes(10);
        using var worker = RedisRateLimiter.Connect(redisServer.Configuration, options);
        using var other = RedisRateLimiter.Connect(redisServer.Configuration, options);
        using var redis = await ConnectionMultiplexer.ConnectAsync(redisServer.Configuration).WaitAsync(s_bound);
        var database = redis.GetDatabase();
        var log = (RedisKey)("ratelimit:{" + options.Key + "}:1/3600000000us");

        var beforeGrant = await ServerMicroseconds(database);
        var lease = await worker.AcquireAsync().AsTask().WaitAsync(s_bound);
        Assert.True(lease.IsAcquired);

        // While the request is on the way its grant is recorded a lease ahead, so its slot cannot free before the
        // lease ends; a waiter is told to ask again a window from now, the soonest the slot can free.
        var held = Assert.Single(await database.SortedSetRangeByRankWithScoresAsync(log).WaitAsync(s_bound));
        Assert.InRange(held.Score - beforeGrant, 600_000_000, 600_000_000 + 30_000_000);
        using (var refused = other.AttemptAcquire())
        {
            Assert.False(refused.IsAcquired);
            Assert.True(refused.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter));
            Assert.InRange(retryAfter, TimeSpan.FromMinutes(59), TimeSpan.FromHours(1));
        }

        // The response came: the grant counts from then.
        var responded = await ServerMicroseconds(database);
        lease.Dispose();
        var restamped = await ScoreOnceMoved(database, log, held);
        Assert.InRange(restamped, responded, await ServerMicroseconds(database));
    }

    [Theory]
    [MemberData(nameof(SharedQuotaServers.Kinds), MemberType = typeof(SharedQuotaServers))]
    public async Task A_permit_whose_lease_ends_at_once_counts_from_its_grant_with_the_margin(string server)
    {
        // A paging loop's turn has no response to wait for; its lease ends at once, and the margin covers the trip.
        // The margin never moves a grant before the grant itself.
        var redisServer = Server(server);
        var options = Options("at-once-" + Guid.NewGuid().ToString("N"), new SharedQuotaWindow(1, TimeSpan.FromHours(1)));
        options.LeaseTimeout = TimeSpan.FromMinutes(10);
        options.ArrivalMargin = TimeSpan.FromMinutes(30);
        using var worker = RedisRateLimiter.Connect(redisServer.Configuration, options);
        using var redis = await ConnectionMultiplexer.ConnectAsync(redisServer.Configuration).WaitAsync(s_bound);
        var database = redis.GetDatabase();
        var log = (RedisKey)("ratelimit:{" + options.Key + "}:1/5400000000us");

        var lease = worker.AttemptAcquire();
        Assert.True(lease.IsAcquired);
        var held = Assert.Single(await database.SortedSetRangeByRankWithScoresAsync(log).WaitAsync(s_bound));
        lease.Dispose();

        Assert.Equal(held.Score - 600_000_000, await ScoreOnceMoved(database, log, held));
    }

    [Theory]
    [MemberData(nameof(SharedQuotaServers.Kinds), MemberType = typeof(SharedQuotaServers))]
    public async Task Workers_asking_at_once_are_granted_the_limit_exactly(string server)
    {
        // The check and the record are one atomic step on the server. Garnet needs --lua-transaction-mode for it: without
        // it 8 connections asking 400 times for a limit of 50 were granted 51 once in five runs.
        var redisServer = Server(server);
        var key = "contended-" + Guid.NewGuid().ToString("N");
        const int Workers = 8;
        const int Limit = 60;
        var limiters = Enumerable.Range(0, Workers).Select(_ => RedisRateLimiter.Connect(redisServer.Configuration, Options(key, new SharedQuotaWindow(Limit, TimeSpan.FromHours(1))))).ToList();
        try
        {
            var start = new Barrier(Workers);
            var granted = await Task.WhenAll(limiters.Select(limiter => Task.Factory.StartNew(
                () =>
                {
                    start.SignalAndWait(s_bound);
                    var count = 0;
                    for (var i = 0; i < 25; i++)
                    {
                        using var lease = limiter.AttemptAcquire();
                        count += lease.IsAcquired ? 1 : 0;
                    }

                    return count;
                },
                TaskCreationOptions.LongRunning))).WaitAsync(s_bound);

            using var redis = await ConnectionMultiplexer.ConnectAsync(redisServer.Configuration).WaitAsync(s_bound);
            Assert.Equal(Limit, granted.Sum());
            Assert.Equal(Limit, await redis.GetDatabase().SortedSetLengthAsync("ratelimit:{" + key + "}:60/3600000000us").WaitAsync(s_bound));
            Assert.All(limiters, l => Assert.False(l.IsUsingLocalShare));
        }
        finally
        {
            limiters.ForEach(l => l.Dispose());
        }
    }

    [Theory]
    [MemberData(nameof(SharedQuotaServers.Kinds), MemberType = typeof(SharedQuotaServers))]
    public async Task A_wait_longer_than_a_timer_takes_is_waited_in_parts_until_cancelled(string server)
    {
        // Task.Delay takes at most about 49 days; a 60-day window's wait must not throw, only wait.
        var redisServer = Server(server);
        using var limiter = RedisRateLimiter.Connect(redisServer.Configuration, Options("long-" + Guid.NewGuid().ToString("N"), new SharedQuotaWindow(1, TimeSpan.FromDays(60))));
        using (var first = await limiter.AcquireAsync().AsTask().WaitAsync(s_bound))
        {
            Assert.True(first.IsAcquired);
        }

        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => limiter.AcquireAsync(1, cancel.Token).AsTask().WaitAsync(s_bound));
        Assert.False(limiter.IsUsingLocalShare);
    }

    [Fact]
    public async Task Without_Redis_each_worker_paces_at_its_share_and_says_so_once_without_hanging()
    {
        var log = new ListLogger();
        var options = Options("unreachable", new SharedQuotaWindow(9, TimeSpan.FromHours(1)));
        options.ExpectedWorkers = 3;
        options.OperationTimeout = TimeSpan.FromMilliseconds(500);
        options.Logger = log;

        // Nothing listens on a port just found free.
        using var limiter = RedisRateLimiter.Connect("127.0.0.1:" + SharedQuotaServers.FreePort(), options);
        using (var lease = await limiter.AcquireAsync().AsTask().WaitAsync(s_bound))
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
    }

    [Fact]
    public async Task Where_a_window_allows_fewer_requests_than_there_are_workers_the_local_share_lengthens_it()
    {
        // The README's example: 1 request a second among 3 workers. Each worker's share is 1 request in 3 windows, not
        // 1 in each (which would be 3 a window together). An hour stands for the second so that no wait here is short.
        var workers = Enumerable.Range(0, 3).Select(_ =>
        {
            var options = Options("unreachable", new SharedQuotaWindow(1, TimeSpan.FromHours(1)));
            options.ExpectedWorkers = 3;
            options.OperationTimeout = TimeSpan.FromMilliseconds(500);
            return RedisRateLimiter.Connect("127.0.0.1:" + SharedQuotaServers.FreePort(), options);
        }).ToList();
        try
        {
            foreach (var worker in workers)
            {
                Assert.True(worker.AttemptAcquire().IsAcquired);
                using var refused = worker.AttemptAcquire();
                Assert.False(refused.IsAcquired);
                Assert.True(worker.IsUsingLocalShare);
                Assert.True(refused.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter));
                Assert.InRange(retryAfter, TimeSpan.FromHours(2.9), TimeSpan.FromHours(3.1));
            }

            // Such a share is waited out like any other, however long.
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => workers[0].AcquireAsync(1, cancel.Token).AsTask().WaitAsync(s_bound));
        }
        finally
        {
            workers.ForEach(w => w.Dispose());
        }
    }

    [Theory]
    [MemberData(nameof(SharedQuotaServers.Kinds), MemberType = typeof(SharedQuotaServers))]
    public async Task When_Redis_is_back_the_turns_taken_locally_count_there(string server)
    {
        var redisServer = Server(server);
        using var proxy = new TcpProxy(redisServer.Port) { Refusing = true };
        var config = ConfigurationOptions.Parse(proxy.Configuration);
        config.AbortOnConnectFail = false;
        config.BacklogPolicy = BacklogPolicy.FailFast;
        config.ConnectTimeout = 1000;
        config.ReconnectRetryPolicy = new LinearRetry(100);
        using var connection = await ConnectionMultiplexer.ConnectAsync(config).WaitAsync(s_bound);

        var options = Options("back-" + Guid.NewGuid().ToString("N"), new SharedQuotaWindow(10, TimeSpan.FromHours(1)));
        options.ExpectedWorkers = 2;
        options.RetryRedisAfter = TimeSpan.Zero;
        using var partitioned = new RedisRateLimiter(connection, options);

        // Cut off, the worker spends its share, half the quota.
        var granted = Take(partitioned);
        Assert.Equal(5, granted);
        Assert.True(partitioned.IsUsingLocalShare);

        proxy.Refusing = false;
        await WaitUntil(() => connection.IsConnected);

        // Its first call that Redis answers (here one that asks for nothing) records the turns it took alone.
        Assert.True(partitioned.AttemptAcquire(0).IsAcquired);
        Assert.False(partitioned.IsUsingLocalShare);

        using var other = RedisRateLimiter.Connect(redisServer.Configuration, options);
        granted += Take(other) + Take(partitioned);

        Assert.Equal(10, granted);
        using var redis = await ConnectionMultiplexer.ConnectAsync(redisServer.Configuration).WaitAsync(s_bound);
        Assert.Equal(10, await redis.GetDatabase().SortedSetLengthAsync("ratelimit:{" + options.Key + "}:10/3600000000us").WaitAsync(s_bound));
    }

    [Theory]
    [MemberData(nameof(SharedQuotaServers.Kinds), MemberType = typeof(SharedQuotaServers))]
    public async Task AttemptAcquire_falls_back_after_OperationTimeout_on_a_connection_the_caller_made(string server)
    {
        var redisServer = Server(server);
        using var proxied = await SlowToGiveUp(redisServer);
        var (proxy, connection) = (proxied.Proxy, proxied.Connection);
        var options = Options("stalled-" + Guid.NewGuid().ToString("N"), new SharedQuotaWindow(10, TimeSpan.FromHours(1)));
        options.OperationTimeout = TimeSpan.FromSeconds(3);
        using var limiter = new RedisRateLimiter(connection, options);
        Assert.True(limiter.AttemptAcquire().IsAcquired);
        Assert.False(limiter.IsUsingLocalShare);

        proxy.Stalled = true;
        using var lease = await Task.Run(() => limiter.AttemptAcquire()).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.True(lease.IsAcquired);
        Assert.True(limiter.IsUsingLocalShare);
    }

    [Theory]
    [MemberData(nameof(SharedQuotaServers.Kinds), MemberType = typeof(SharedQuotaServers))]
    public async Task A_worker_that_loses_Redis_goes_on_from_what_it_took_there(string server)
    {
        var redisServer = Server(server);
        using var proxied = await SlowToGiveUp(redisServer);
        var (proxy, connection) = (proxied.Proxy, proxied.Connection);
        var options = Options("lost-" + Guid.NewGuid().ToString("N"), new SharedQuotaWindow(10, TimeSpan.FromHours(1)));
        options.ExpectedWorkers = 2;
        options.OperationTimeout = TimeSpan.FromSeconds(3);
        using var limiter = new RedisRateLimiter(connection, options);

        // Alone on the quota, the worker takes all of it through Redis.
        Assert.Equal(10, Take(limiter));
        Assert.False(limiter.IsUsingLocalShare);

        // Its local share, half, is spent already: the window's quota was.
        proxy.Stalled = true;
        using var lease = await Task.Run(() => limiter.AttemptAcquire()).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(limiter.IsUsingLocalShare);
        Assert.False(lease.IsAcquired);
    }

    /// <summary>
    /// A connection through a proxy, whose own timeouts are longer than the tests' bounds: only the limiter's
    /// OperationTimeout can end a call in time.
    /// </summary>
    private static async Task<ProxiedConnection> SlowToGiveUp(SharedQuotaServer server)
    {
        var proxy = new TcpProxy(server.Port);
        var config = ConfigurationOptions.Parse(proxy.Configuration);
        config.SyncTimeout = 60_000;
        config.AsyncTimeout = 60_000;
        return new ProxiedConnection(proxy, await ConnectionMultiplexer.ConnectAsync(config).WaitAsync(s_bound));
    }

    private static int Take(RedisRateLimiter limiter)
    {
        var granted = 0;
        for (var i = 0; i < 100; i++)
        {
            using var lease = limiter.AttemptAcquire();
            if (!lease.IsAcquired)
            {
                break;
            }

            granted++;
        }

        return granted;
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var giveUp = DateTime.UtcNow + s_bound;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < giveUp, "The condition did not hold within " + s_bound + ".");
            await Task.Delay(20);
        }
    }

    /// <summary>The grant's score once its lease's end has reached the server, which the limiter does not wait for.</summary>
    private static async Task<double> ScoreOnceMoved(IDatabase database, RedisKey log, SortedSetEntry grant)
    {
        var giveUp = DateTime.UtcNow + s_bound;
        while (true)
        {
            var score = await database.SortedSetScoreAsync(log, grant.Element).WaitAsync(s_bound);
            if (score != grant.Score)
            {
                return Assert.NotNull(score);
            }

            Assert.True(DateTime.UtcNow < giveUp, "The grant was not moved within " + s_bound + " of its lease's end.");
            await Task.Delay(10);
        }
    }

    /// <summary>The limiter instance a grant's member names: "instance:sequence:permit".</summary>
    private static string Limiter(RedisValue member) => ((string)member!).Split(':')[0];

    private static async Task<long> ServerMicroseconds(IDatabase database)
    {
        var time = (RedisResult[])(await database.ExecuteAsync("TIME").WaitAsync(s_bound))!;
        return ((long)time[0] * 1_000_000) + (long)time[1];
    }

    private static RedisRateLimiterOptions Options(string key, params SharedQuotaWindow[] windows)
    {
        // Generous, so that a stall of the loaded machine does not send a test meant for Redis to the local share; the
        // tests of the fallback set their own.
        var options = new RedisRateLimiterOptions { Key = key, OperationTimeout = TimeSpan.FromSeconds(10) };
        foreach (var window in windows)
        {
            options.Windows.Add(window);
        }

        return options;
    }

    private SharedQuotaServer Server(string kind)
    {
        var server = _servers[kind];
        _output.WriteLine("shared quota server: " + server.Description);
        return server;
    }

    /// <summary>Ends the proxy first: a connection closing waits for the calls the stalled proxy still holds.</summary>
    private sealed record ProxiedConnection(TcpProxy Proxy, ConnectionMultiplexer Connection) : IDisposable
    {
        public void Dispose()
        {
            Proxy.Dispose();
            Connection.Dispose();
        }
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
