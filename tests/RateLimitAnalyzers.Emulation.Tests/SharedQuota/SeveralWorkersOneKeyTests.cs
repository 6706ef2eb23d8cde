using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using RateLimitAnalyzers.Emulation.Tests.Measuring;
using RateLimitAnalyzers.Emulation.Tests.Servers;
using Xunit;
using Xunit.Abstractions;

namespace RateLimitAnalyzers.Emulation.Tests.SharedQuota;

/// <summary>
/// The seed's root cause for Agora: several cron jobs poll with the same App ID. Each worker is a process of its own,
/// exporting its share of the call lists with the runtime, pacing itself at the full quota, or through Redis.
/// </summary>
[Collection(SharedQuotaCollection.Name)]
public sealed class SeveralWorkersOneKeyTests
{
    private const int Workers = 3;
    private const int CallsPerWorker = 200;

    // Whole-second windows here, not the 200 ms of the single-process tests: three worker processes, Redis, the
    // server and the test host share two cores, and the latency spread between a turn's grant and the request's
    // arrival reaches a good part of a compressed window. With the Redis quota a permit holds its slot until its
    // response came, so the workers need no arrival margin for it: a slow trip costs throughput, not a throttle.
    private static readonly AgoraOptions s_quota = new()
    {
        Calls = Workers * CallsPerWorker,
        PerSecond = new QuotaRule(5, TimeSpan.FromSeconds(1)),
        PerDay = new QuotaRule(60, TimeSpan.FromSeconds(10)),
    };

    private readonly SharedQuotaServer _redis;
    private readonly ITestOutputHelper _output;

    public SeveralWorkersOneKeyTests(SharedQuotaServers servers, ITestOutputHelper output)
    {
        _redis = servers.Preferred;
        _output = output;
        _output.WriteLine("shared quota server: " + _redis.Description);
    }

    [Fact]
    public async Task Workers_pacing_themselves_are_throttled_and_with_the_Redis_quota_they_are_not()
    {
        await using var api = await AgoraCallListsApi.StartAsync(s_quota).WaitAsync(TimeSpan.FromSeconds(30));

        var local = await RunWorkers(api, "app-local", "local", killAfterPages: null);
        var redis = await RunWorkers(api, "app-redis", "redis", killAfterPages: null);

        var runs = local.Concat(redis).ToList();
        _output.WriteLine(ClientRun.Table(
            $"{Workers} worker processes, one Agora App ID, {CallsPerWorker} calls each in pages of 20, quota {api.Options.PerSecond} and {api.Options.PerDay}:",
            runs));

        Assert.True(local.Sum(r => r.Throttled) > 0, "Workers that each pace themselves at the full quota should draw throttle responses, as in the seed.");
        Assert.All(redis, r => Assert.Equal((0, 0, 0), (r.Throttled, r.Lost, r.Duplicates)));
    }

    [Fact]
    public async Task With_the_Redis_quota_workers_stalled_between_a_turn_and_its_request_are_not_throttled()
    {
        // Issue 15: every other request waits a second between its turn and its send, as a worker starved by a busy
        // machine does. Counted from its grant, its slot would free before the server had even seen it (with the 300 ms
        // margin the workers had then, this drew 1 to 5 throttle responses a run); held until its response, it frees a
        // window after the server counted it, with no margin at all.
        await using var api = await AgoraCallListsApi.StartAsync(s_quota).WaitAsync(TimeSpan.FromSeconds(30));

        var runs = await RunWorkers(api, "app-stalled", "redis", killAfterPages: null, stall: "1000/2");
        _output.WriteLine(ClientRun.Table("The same with the Redis quota, every other request stalled 1 s after its turn:", runs));

        Assert.All(runs, r => Assert.Equal((0, 0, 0), (r.Throttled, r.Lost, r.Duplicates)));
    }

    [Fact]
    public async Task A_worker_killed_mid_run_loses_no_other_workers_calls()
    {
        await using var api = await AgoraCallListsApi.StartAsync(s_quota).WaitAsync(TimeSpan.FromSeconds(30));

        var runs = await RunWorkers(api, "app-killed", "redis", killAfterPages: 3);
        _output.WriteLine(ClientRun.Table("The same with the Redis quota, worker 2 killed after 3 pages:", runs));

        // What the others were owed all arrived, once; throttle responses are the other test's measure.
        Assert.All(runs.Where(r => r.Client != "app-killed worker 2"), r => Assert.Equal((0, 0), (r.Lost, r.Duplicates)));
    }

    private async Task<List<ClientRun>> RunWorkers(AgoraCallListsApi api, string appId, string mode, int? killAfterPages, string stall = "none")
    {
        var second = api.Options.PerSecond;
        var day = api.Options.PerDay;
        string Ms(TimeSpan t) => ((long)t.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
        var workers = Enumerable.Range(1, Workers).Select(i => WorkerProcess.Start(
            appId + " worker " + i,
            api.BaseAddress.ToString(), appId, appId + " worker " + i,
            ((i - 1) * CallsPerWorker).ToString(CultureInfo.InvariantCulture), (i * CallsPerWorker).ToString(CultureInfo.InvariantCulture),
            second.Limit.ToString(CultureInfo.InvariantCulture), Ms(second.Window), day.Limit.ToString(CultureInfo.InvariantCulture), Ms(day.Window),
            mode, _redis.Configuration, Workers.ToString(CultureInfo.InvariantCulture), stall)).ToList();
        try
        {
            if (killAfterPages is { } pages)
            {
                var victim = workers[1];
                var giveUp = DateTime.UtcNow + TimeSpan.FromSeconds(30);
                while (api.Log.Of(victim.Name).Count(a => !a.Throttled) < pages)
                {
                    Assert.True(DateTime.UtcNow < giveUp && !victim.HasExited, victim.Name + " ended or stalled before it fetched " + pages + " pages.");
                    await Task.Delay(5);
                }

                victim.Kill();
            }

            var runs = new List<ClientRun>();
            for (var i = 0; i < workers.Count; i++)
            {
                var (exitCode, errors) = await workers[i].WaitAsync();
                var killed = killAfterPages.HasValue && i == 1;
                if (!killed)
                {
                    _output.WriteLine($"{workers[i].Name}: exit code {exitCode}{(errors.Length > 0 ? ", " + errors.Trim() : string.Empty)}");
                }

                var expected = api.CallIds(i * CallsPerWorker, (i + 1) * CallsPerWorker);
                runs.Add(ClientRun.Measure(workers[i].Name, api, expected, workers[i].Received()));
            }

            return runs;
        }
        finally
        {
            workers.ForEach(w => w.Dispose());
        }
    }
}
