using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.RateLimiting;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace RateLimitAnalyzers.Pacing.Redis;

/// <summary>
/// A rate limiter whose quota lives in Redis, so that every worker polling an API with the same key (duplicate
/// cron jobs, replicas, containers) shares one quota instead of each spending all of it: at most N requests in
/// any rolling window W, for one or several windows at once, counted across all of them.
/// </summary>
/// <remarks>
/// <para>
/// Each permit is checked and recorded atomically in Redis (see <see cref="RollingLogScript"/>), timed by Redis's
/// clock. <see cref="RateLimiter.AcquireAsync"/> waits until the quota has room, asking again exactly when the
/// oldest request leaves its window; <see cref="RateLimiter.AttemptAcquire"/> answers at once, with
/// <see cref="MetadataName.RetryAfter"/> when refused.
/// </para>
/// <para>
/// A permit counts from when its lease is disposed, which the pacing runtime's retrying send does when the request's
/// response came: the server counts a request when it arrives, and a worker stalled between its turn and its request
/// (a pause of the process, a busy machine) would otherwise put its request into the same server window as the one
/// granted a window later. Until then the permit holds its slot, for at most
/// <see cref="RedisRateLimiterOptions.LeaseTimeout"/>: a worker that dies mid-request holds its slot that long and a
/// window, then its requests leave the windows as they age.
/// </para>
/// <para>
/// When Redis does not answer within <see cref="RedisRateLimiterOptions.OperationTimeout"/>, the limiter paces
/// locally at <see cref="RedisRateLimiterOptions.ExpectedWorkers"/>' share of each window, logs one warning, and
/// asks Redis again after <see cref="RedisRateLimiterOptions.RetryRedisAfter"/>. The turns it took alone are
/// recorded in Redis with the first call Redis answers, so the switch back admits no second quota. It never throws
/// for Redis's sake.
/// </para>
/// <para>With the RateLimitAnalyzers pacing runtime: <c>policy.UseRateLimiter(limiter)</c>.</para>
/// </remarks>
public sealed class RedisRateLimiter : RateLimiter
{
    private static readonly TimeSpan s_longestDelay = TimeSpan.FromDays(1);

    private static readonly Action<ILogger, string, string, int, string, TimeSpan, Exception?> s_redisUnavailable =
        LoggerMessage.Define<string, string, int, string, TimeSpan>(
            LogLevel.Warning,
            new EventId(1, "RedisUnavailable"),
            "Redis did not answer for the shared quota '{Key}' ({Reason}); pacing locally at 1/{Workers} of it ({LocalShare}) and asking Redis again every {RetryRedisAfter}.");

    private static readonly Action<ILogger, string, Exception?> s_redisAnswersAgain =
        LoggerMessage.Define<string>(
            LogLevel.Information,
            new EventId(2, "RedisAnswersAgain"),
            "Redis answers again; the shared quota '{Key}' is counted there once more.");

    private readonly IConnectionMultiplexer _redis;
    private readonly bool _ownsConnection;
    private readonly string _key;
    private readonly SharedQuotaWindow[] _windows;
    private readonly RedisKey[] _keys;
    private readonly int _largestRequest;
    private readonly int _expectedWorkers;
    private readonly TimeSpan _operationTimeout;
    private readonly TimeSpan _retryRedisAfter;
    private readonly TimeSpan _leaseTimeout;
    private readonly TimeSpan _arrivalMargin;
    private readonly ILogger _logger;
    private readonly RequestPacer _localShare;
    private readonly TimeSpan _longestWindow;
    private readonly string _instance = Guid.NewGuid().ToString("N");
    private readonly object _gate = new object();

    // Turns taken on the local share that Redis has not recorded yet, oldest first: (member, Stopwatch timestamp).
    private readonly Queue<KeyValuePair<string, long>> _localTurns = new Queue<KeyValuePair<string, long>>();
    private long _sequence;
    private long _successfulLeases;
    private long _failedLeases;
    private long _redisAgainAt = -1;
    private int _disposed;

    /// <summary>A limiter on a connection the caller owns and disposes.</summary>
    public RedisRateLimiter(IConnectionMultiplexer redis, RedisRateLimiterOptions options)
        : this(redis, options, ownsConnection: false)
    {
    }

    private RedisRateLimiter(IConnectionMultiplexer redis, RedisRateLimiterOptions options, bool ownsConnection)
    {
        _redis = redis ?? throw new ArgumentNullException(nameof(redis));
        if (options is null)
        {
            throw new ArgumentNullException(nameof(options));
        }

        if (string.IsNullOrEmpty(options.Key))
        {
            throw new ArgumentException("The shared quota needs a key, the same in every worker.", nameof(options));
        }

        if (options.Windows.Count == 0)
        {
            throw new ArgumentException("The shared quota needs at least one window.", nameof(options));
        }

        _ownsConnection = ownsConnection;
        _key = options.Key;
        _windows = options.Windows.Select(w => new SharedQuotaWindow(w.Limit, w.Window + options.ArrivalMargin)).Distinct().ToArray();
        _keys = RollingLogScript.Keys(options.KeyPrefix, options.Key, _windows);
        _largestRequest = _windows.Min(w => w.Limit);
        _expectedWorkers = options.ExpectedWorkers;
        _operationTimeout = options.OperationTimeout;
        _retryRedisAfter = options.RetryRedisAfter;
        _leaseTimeout = options.LeaseTimeout;
        _arrivalMargin = options.ArrivalMargin;
        _logger = options.Logger;
        _localShare = new RequestPacer(_windows.Select(w => LocalShare(w, options.ExpectedWorkers)).ToArray());
        _longestWindow = _windows.Max(w => w.Window);
    }

    /// <summary>
    /// Connects to Redis (<paramref name="configuration"/> as StackExchange.Redis reads it, e.g.
    /// <c>"redis:6379,password=..."</c>) and makes a limiter that owns the connection. Connecting, every command and
    /// a wait for a lost connection take at most <see cref="RedisRateLimiterOptions.OperationTimeout"/>; a Redis that
    /// cannot be reached makes no error here, the limiter starts on its local share.
    /// </summary>
    public static RedisRateLimiter Connect(string configuration, RedisRateLimiterOptions options)
    {
        if (options is null)
        {
            throw new ArgumentNullException(nameof(options));
        }

        var config = ConfigurationOptions.Parse(configuration ?? throw new ArgumentNullException(nameof(configuration)));
        var timeout = (int)Math.Ceiling(options.OperationTimeout.TotalMilliseconds);
        config.AbortOnConnectFail = false;
        config.ConnectTimeout = timeout;
        config.SyncTimeout = timeout;
        config.AsyncTimeout = timeout;

        // Commands fail at once while the connection is down, instead of queueing until it comes back.
        config.BacklogPolicy = BacklogPolicy.FailFast;
        return new RedisRateLimiter(ConnectionMultiplexer.Connect(config), options, ownsConnection: true);
    }

    /// <summary>Whether the limiter is pacing on its local share because Redis did not answer.</summary>
    public bool IsUsingLocalShare
    {
        get
        {
            lock (_gate)
            {
                return _redisAgainAt >= 0;
            }
        }
    }

    /// <summary>Always null: the quota's state lives in Redis, and this limiter holds nothing worth disposing when idle.</summary>
    public override TimeSpan? IdleDuration => null;

    /// <summary>
    /// The leases this limiter gave and refused. Available permits are not known without asking Redis, and are
    /// reported as zero; nothing queues here.
    /// </summary>
    public override RateLimiterStatistics GetStatistics() => new RateLimiterStatistics
    {
        CurrentAvailablePermits = 0,
        CurrentQueuedCount = 0,
        TotalSuccessfulLeases = Interlocked.Read(ref _successfulLeases),
        TotalFailedLeases = Interlocked.Read(ref _failedLeases),
    };

    /// <inheritdoc/>
    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        CheckPermitCount(permitCount);
        TimeSpan? wait;
        if (RedisIsDue())
        {
            try
            {
                var call = CallRedis(permitCount);

                // The connection's own timeout may be longer (a connection the caller made): wait no longer than the async path.
                if (Task.WaitAny(new Task[] { call.Answer }, _operationTimeout) < 0)
                {
                    throw NoAnswer(call.Answer);
                }

                wait = RollingLogScript.Wait(call.Answer.GetAwaiter().GetResult());
                RedisAnswered(call.LastLocalTurn);
                return Granted(wait, permitCount, call.Member);
            }
            catch (Exception exception) when (IsRedisFailure(exception))
            {
                RedisFailed(exception);
            }
        }

        wait = null;
        for (var i = 0; i < permitCount && wait is null; i++)
        {
            if (_localShare.TryTakeTurn(out var retryAfter))
            {
                TookLocalTurn();
            }
            else
            {
                wait = retryAfter;
            }
        }

        return Lease(wait);
    }

    /// <inheritdoc/>
    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        CheckPermitCount(permitCount);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!RedisIsDue())
            {
                for (var i = 0; i < permitCount; i++)
                {
                    await _localShare.WaitTurnAsync(cancellationToken).ConfigureAwait(false);
                    TookLocalTurn();
                }

                return Lease(null);
            }

            TimeSpan? wait;
            string member;
            try
            {
                var call = CallRedis(permitCount);
                var result = await WithinTimeout(call.Answer).ConfigureAwait(false);
                RedisAnswered(call.LastLocalTurn);
                wait = RollingLogScript.Wait(result);
                member = call.Member;
            }
            catch (Exception exception) when (IsRedisFailure(exception))
            {
                RedisFailed(exception);
                continue;
            }

            if (wait is null || permitCount == 0)
            {
                return Granted(wait, permitCount, member);
            }

            // A wait past what a timer takes (about 24 days on .NET Framework's) is waited in parts, asking again after each.
            await Task.Delay(wait.Value < s_longestDelay ? wait.Value : s_longestDelay, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0 && _ownsConnection)
        {
            _redis.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>
    /// This worker's part of a window while Redis cannot be reached, so that the workers together keep the quota:
    /// the limit divided among them, rounded down; where there are more workers than the limit allows requests, one
    /// request in a window as many times longer as the workers outnumber the limit (1 a second among 3 workers: 1 in
    /// 3 seconds each), rather than one in every window each.
    /// </summary>
    private static QuotaWindow LocalShare(SharedQuotaWindow window, int workers)
    {
        if (window.Limit >= workers)
        {
            return new QuotaWindow(window.Limit / workers, window.Window);
        }

        var lengthened = (double)window.Window.Ticks * workers / window.Limit;
        return new QuotaWindow(1, lengthened >= TimeSpan.MaxValue.Ticks ? TimeSpan.MaxValue : TimeSpan.FromTicks((long)lengthened));
    }

    private static bool IsRedisFailure(Exception exception) =>
        exception is RedisException || exception is TimeoutException || exception is ObjectDisposedException;

    private IDatabase Database()
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            throw new ObjectDisposedException(nameof(RedisRateLimiter));
        }

        return _redis.GetDatabase();
    }

    /// <summary>Asks Redis for <paramref name="permitCount"/> permits, recording the turns taken locally with them.</summary>
    private RedisCall CallRedis(int permitCount)
    {
        var database = Database();
        var member = _instance + ":" + Interlocked.Increment(ref _sequence);
        var now = Stopwatch.GetTimestamp();
        KeyValuePair<string, TimeSpan>[] localTurns;
        lock (_gate)
        {
            // Turns older than every window occupy none of them any more.
            while (_localTurns.Count > 0 && Elapsed(_localTurns.Peek().Value, now) >= _longestWindow)
            {
                _localTurns.Dequeue();
            }

            localTurns = _localTurns.Select(t => new KeyValuePair<string, TimeSpan>(t.Key, Elapsed(t.Value, now))).ToArray();
        }

        var answer = database.ScriptEvaluateAsync(RollingLogScript.Text, _keys, RollingLogScript.Arguments(member, permitCount, _leaseTimeout, _windows, localTurns));
        return new RedisCall(answer, member, localTurns.Length == 0 ? null : localTurns[localTurns.Length - 1].Key);
    }

    private static TimeSpan Elapsed(long from, long to) =>
        TimeSpan.FromTicks((long)((to - from) * ((double)TimeSpan.TicksPerSecond / Stopwatch.Frequency)));

    private void TookLocalTurn()
    {
        var member = _instance + ":local:" + Interlocked.Increment(ref _sequence);
        lock (_gate)
        {
            _localTurns.Enqueue(new KeyValuePair<string, long>(member, Stopwatch.GetTimestamp()));
        }
    }

    /// <summary>
    /// A lease for Redis's answer. Permits Redis granted also count in the local share: a worker that loses Redis then
    /// goes on from what it already took in the window, instead of taking its whole share on top.
    /// </summary>
    private SharedQuotaLease Granted(TimeSpan? wait, int permitCount, string member)
    {
        if (wait is not null)
        {
            return Lease(wait);
        }

        for (var i = 0; i < permitCount; i++)
        {
            _localShare.TryTakeTurn(out _);
        }

        Interlocked.Increment(ref _successfulLeases);
        return permitCount == 0 ? SharedQuotaLease.Granted : new SharedQuotaLease(this, member, permitCount);
    }

    /// <summary>
    /// A lease Redis granted ended: its request's response came, so the request had reached the server. Its grants
    /// count from now (see <see cref="RollingLogScript.RestampText"/>). Sent without waiting for the answer: until Redis
    /// has it, the grants hold their slots a little longer, never shorter; if Redis does not answer, they count from the
    /// lease's end.
    /// </summary>
    private void Ended(string member, int permitCount)
    {
        try
        {
            var call = Database().ScriptEvaluateAsync(RollingLogScript.RestampText, _keys, RollingLogScript.RestampArguments(member, permitCount, _leaseTimeout, _arrivalMargin));
            _ = call.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        catch (Exception exception) when (IsRedisFailure(exception))
        {
            // The grants count from the lease's end instead; the next acquire says whether Redis is gone.
        }
    }

    private void CheckPermitCount(int permitCount)
    {
        if (permitCount < 0 || permitCount > _largestRequest)
        {
            throw new ArgumentOutOfRangeException(nameof(permitCount), permitCount, "Ask for between 0 and " + _largestRequest + " permits, the smallest window's limit.");
        }
    }

    /// <summary>A call that neither answers nor fails must not hold the worker: it counts as Redis not answering.</summary>
    private async Task<RedisResult> WithinTimeout(Task<RedisResult> call)
    {
        using (var timeout = new CancellationTokenSource())
        {
            var first = await Task.WhenAny(call, Task.Delay(_operationTimeout, timeout.Token)).ConfigureAwait(false);
            if (first == call)
            {
                timeout.Cancel();
                return await call.ConfigureAwait(false);
            }
        }

        throw NoAnswer(call);
    }

    private TimeoutException NoAnswer(Task call)
    {
        // Its eventual failure is of no interest any more; observe it so it is not reported as unobserved.
        _ = call.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return new TimeoutException("Redis did not answer within " + _operationTimeout + ".");
    }

    private bool RedisIsDue()
    {
        lock (_gate)
        {
            return _redisAgainAt < 0 || Stopwatch.GetTimestamp() >= _redisAgainAt;
        }
    }

    private void RedisFailed(Exception exception)
    {
        bool first;
        lock (_gate)
        {
            first = _redisAgainAt < 0;
            _redisAgainAt = Stopwatch.GetTimestamp() + (long)(_retryRedisAfter.TotalSeconds * Stopwatch.Frequency);
        }

        if (first)
        {
            if (_logger.IsEnabled(LogLevel.Warning))
            {
                s_redisUnavailable(_logger, _key, exception.Message, _expectedWorkers, string.Join(", ", _localShare.Windows), _retryRedisAfter, exception);
            }
        }
    }

    /// <summary>Redis answered a call; <paramref name="lastLocalTurnSent"/>, the newest local turn it recorded, and those before it are done.</summary>
    private void RedisAnswered(string? lastLocalTurnSent)
    {
        bool wasDown;
        lock (_gate)
        {
            wasDown = _redisAgainAt >= 0;
            _redisAgainAt = -1;
            if (lastLocalTurnSent is not null && _localTurns.Any(t => t.Key == lastLocalTurnSent))
            {
                while (_localTurns.Dequeue().Key != lastLocalTurnSent)
                {
                }
            }
        }

        if (wasDown)
        {
            s_redisAnswersAgain(_logger, _key, null);
        }
    }

    private SharedQuotaLease Lease(TimeSpan? refusedFor)
    {
        if (refusedFor is null)
        {
            Interlocked.Increment(ref _successfulLeases);
            return SharedQuotaLease.Granted;
        }

        Interlocked.Increment(ref _failedLeases);
        return new SharedQuotaLease(refusedFor.Value);
    }

    /// <summary>A call to the script in flight, and the newest of the local turns it records.</summary>
    private readonly struct RedisCall
    {
        public RedisCall(Task<RedisResult> answer, string member, string? lastLocalTurn)
        {
            Answer = answer;
            Member = member;
            LastLocalTurn = lastLocalTurn;
        }

        public Task<RedisResult> Answer { get; }

        /// <summary>The name the call's grants are recorded under, with ":1", ":2"... per permit.</summary>
        public string Member { get; }

        public string? LastLocalTurn { get; }
    }

    private sealed class SharedQuotaLease : RateLimitLease
    {
        public static readonly SharedQuotaLease Granted = new SharedQuotaLease(null);

        private static readonly string[] s_retryAfter = { MetadataName.RetryAfter.Name };

        private readonly TimeSpan? _retryAfter;

        // For permits Redis granted: the limiter to tell when the lease ends, and what it granted.
        private readonly RedisRateLimiter? _limiter;
        private readonly string? _member;
        private readonly int _permitCount;
        private int _ended;

        public SharedQuotaLease(TimeSpan? retryAfter)
        {
            _retryAfter = retryAfter;
        }

        public SharedQuotaLease(RedisRateLimiter limiter, string member, int permitCount)
        {
            _limiter = limiter;
            _member = member;
            _permitCount = permitCount;
        }

        public override bool IsAcquired => _retryAfter is null;

        public override IEnumerable<string> MetadataNames => _retryAfter is null ? Array.Empty<string>() : s_retryAfter;

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            if (_retryAfter is not null && metadataName == MetadataName.RetryAfter.Name)
            {
                metadata = _retryAfter.Value;
                return true;
            }

            metadata = null;
            return false;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && _limiter is not null && Interlocked.Exchange(ref _ended, 1) == 0)
            {
                _limiter.Ended(_member!, _permitCount);
            }

            base.Dispose(disposing);
        }
    }
}
