using System;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using RateLimitAnalyzers.Emulation.Tests.Clients;
using RateLimitAnalyzers.Pacing;
using RateLimitAnalyzers.Pacing.Redis;

// One cron job of Agora's seed failure: exports the call lists of [start, end) with the App ID every worker
// shares, pacing itself at the full quota in this process ("local"), or through the quota all workers share in
// Redis ("redis"). Writes the call IDs it received, one a line, to the output file; exit code 1 if the export failed.
//
// dotnet RateLimitAnalyzers.Emulation.Worker.dll <base address> <app id> <worker name> <start> <end>
//   <per-second limit> <per-second window ms> <per-day limit> <per-day window ms> local|redis <redis> <workers>
//   <stall> <output file>
// <stall> is "none", or "<ms>/<n>": every n-th request stalls that long between its turn and its send, as a worker
// paused by the machine (a garbage collection, a busy core) does.
if (args.Length != 14)
{
    Console.Error.WriteLine("usage: <base address> <app id> <worker name> <start> <end> <per-second limit> <ms> <per-day limit> <ms> local|redis <redis> <workers> none|<stall ms>/<every n-th request> <output file>");
    return 2;
}

var baseAddress = new Uri(args[0]);
var appId = args[1];
var worker = args[2];
long Number(int index) => long.Parse(args[index], CultureInfo.InvariantCulture);
var perSecond = new QuotaWindow((int)Number(5), TimeSpan.FromMilliseconds(Number(6)));
var perDay = new QuotaWindow((int)Number(7), TimeSpan.FromMilliseconds(Number(8)));

// The RL0002 fix's policy for the endpoint, its backoff scaled to the compressed windows.
var policy = new RateLimitPolicy("api.agora.io/beta/analytics/call/lists", perSecond, perDay)
{
    ThrottleBodyContains = "\"code\":300",
    BaseDelay = perSecond.Window,
    MaxDelay = perDay.Window,
};

using var shared = args[9] == "redis"
    ? RedisRateLimiter.Connect(args[10], new RedisRateLimiterOptions
    {
        Key = "agora:" + appId + ":api.agora.io/beta/analytics/call/lists",
        Windows = { new SharedQuotaWindow(perSecond.Limit, perSecond.Window), new SharedQuotaWindow(perDay.Limit, perDay.Window) },
        ExpectedWorkers = (int)Number(11),

        // Worker processes on a loaded two-core machine see a latency spread of a hundred milliseconds or so, and
        // stalls of a quarter second when other builds share the cores (150 ms drew the odd throttle at a load of 17).
        ArrivalMargin = TimeSpan.FromMilliseconds(300),

        // A worker process starting on a busy machine can take longer than the default second to reach Redis;
        // it would then start on its local share while the others use Redis.
        OperationTimeout = TimeSpan.FromSeconds(5),
    })
    : null;
if (shared is not null)
{
    policy.UseRateLimiter(shared);
}

// A long-running worker's first paced request is not its first request ever. In a fresh process that one is slow to
// reach the server (JIT, connection): with a shared store the runtime cannot yet count a turn from its response, so
// a cold first request can land in the next fixed window (README, "Several workers, one API key"). Warm up on a
// path the API does not count.
using (var warmUp = new System.Net.Http.HttpClient { BaseAddress = baseAddress })
{
    using var response = await warmUp.GetAsync("/health");
}

var stall = args[12] == "none" ? null : args[12].Split('/');
using var stalling = stall is null ? null : new StallingHandler(
    TimeSpan.FromMilliseconds(int.Parse(stall[0], CultureInfo.InvariantCulture)), int.Parse(stall[1], CultureInfo.InvariantCulture));
try
{
    var calls = await AgoraExports.WithRuntimeAsync(baseAddress, ClientSetup.Basic(appId, "secret"), worker, policy, Number(3), Number(4), CancellationToken.None, stalling);
    File.WriteAllLines(args[13], calls, Encoding.UTF8);
    return 0;
}
catch (RateLimitExceededException exception)
{
    Console.Error.WriteLine(worker + ": " + exception.Message);
    return 1;
}

/// <summary>Holds every n-th request for a while after its turn was granted and before it is sent.</summary>
internal sealed class StallingHandler : DelegatingHandler
{
    private readonly TimeSpan _stall;
    private readonly int _every;
    private int _sent;

    public StallingHandler(TimeSpan stall, int every)
        : base(new HttpClientHandler())
    {
        _stall = stall;
        _every = every;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _sent) % _every == 0)
        {
            await Task.Delay(_stall, cancellationToken);
        }

        return await base.SendAsync(request, cancellationToken);
    }
}
