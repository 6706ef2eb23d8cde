using System;
using System.Collections.Generic;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace RateLimitAnalyzers.Pacing.Redis;

/// <summary>The shared quota a <see cref="RedisRateLimiter"/> keeps, and how it behaves when Redis does not answer.</summary>
public sealed class RedisRateLimiterOptions
{
    private int _expectedWorkers = 1;
    private TimeSpan _operationTimeout = TimeSpan.FromSeconds(1);
    private TimeSpan _retryRedisAfter = TimeSpan.FromSeconds(10);
    private ILogger _logger = NullLogger.Instance;
    private TimeSpan _arrivalMargin = TimeSpan.Zero;
    private TimeSpan _leaseTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The quota's name, the same in every worker that shares it: the API key or account and the endpoint,
    /// e.g. <c>"agora:&lt;app id&gt;:api.agora.io/beta/analytics/call/lists"</c>. Workers that use the same
    /// name, prefix and windows share one quota.
    /// </summary>
    public string Key { get; set; } = string.Empty;

    /// <summary>The windows every request must fit, all checked before any is used. At least one.</summary>
    public IList<SharedQuotaWindow> Windows { get; } = new List<SharedQuotaWindow>();

    /// <summary>Put before <see cref="Key"/> in the Redis key names. Default <c>ratelimit:</c>.</summary>
    public string KeyPrefix { get; set; } = "ratelimit:";

    /// <summary>
    /// How many workers share the quota. While Redis cannot be reached each worker paces itself locally at
    /// this share of every window, so that together they stay within the quota: the limit divided by this, rounded
    /// down; where the limit is smaller than this, one request in a window as many times longer (1 a second among 3
    /// workers: 1 in 3 seconds each). Default 1: the whole quota, right for a single worker only.
    /// </summary>
    public int ExpectedWorkers
    {
        get => _expectedWorkers;
        set => _expectedWorkers = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "At least one worker shares the quota.");
    }

    /// <summary>
    /// The longest a call to Redis may take, in <c>AcquireAsync</c> and <c>AttemptAcquire</c> alike, before the limiter
    /// falls back to its local share. Default 1 s. <see cref="RedisRateLimiter.Connect"/> also sets the connection's
    /// connect and command timeouts to it.
    /// </summary>
    public TimeSpan OperationTimeout
    {
        get => _operationTimeout;
        set => _operationTimeout = value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "The timeout must be longer than zero.");
    }

    /// <summary>How long the limiter paces locally after Redis failed before it asks Redis again. Default 10 s.</summary>
    public TimeSpan RetryRedisAfter
    {
        get => _retryRedisAfter;
        set => _retryRedisAfter = value >= TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "The interval must be zero or more.");
    }

    /// <summary>
    /// Added to every window's length. The server counts a request when it arrives. A permit whose lease is disposed
    /// when the response came (the pacing runtime's retrying send does so) counts from then, a time the request had
    /// arrived by, and needs no margin: it leaves its window a window after its response, or a window and the margin
    /// after its grant, whichever is later. A permit whose lease is disposed at once (a paging loop's
    /// <c>WaitTurnAsync</c>) counts from its grant, and two requests granted a full window apart can arrive closer
    /// together when the first was slow on the way (a new connection, a busy worker): set the margin to the spread of
    /// your request latency, e.g. 50 ms, to keep that from drawing the odd throttle response at the edge of a window.
    /// Every worker sharing the quota must use the same value. Default zero.
    /// </summary>
    public TimeSpan ArrivalMargin
    {
        get => _arrivalMargin;
        set => _arrivalMargin = value >= TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "The margin must be zero or more.");
    }

    /// <summary>
    /// How long a granted permit holds its slot waiting for its lease to be disposed. A permit counts from when its lease
    /// is disposed (the response came), so that a worker stalled between its turn and its request cannot put two requests
    /// into one of the server's windows; a lease still not disposed after this counts as if disposed then, so a worker
    /// that died mid-request holds its slot for at most this and the window. Dispose every lease when its request's
    /// response came: one never disposed holds its slot this long. Every worker sharing the quota should use the same
    /// value. Default 30 s; zero counts permits from their grant, or later if their lease is disposed later.
    /// </summary>
    public TimeSpan LeaseTimeout
    {
        get => _leaseTimeout;
        set => _leaseTimeout = value >= TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "The lease must be zero or more.");
    }

    /// <summary>Where the limiter says that it falls back to its local share, and that Redis answers again.</summary>
    public ILogger Logger
    {
        get => _logger;
        set => _logger = value ?? throw new ArgumentNullException(nameof(value));
    }
}
