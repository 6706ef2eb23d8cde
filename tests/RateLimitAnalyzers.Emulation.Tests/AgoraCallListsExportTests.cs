using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using RateLimitAnalyzers.Emulation.Tests.Clients;
using RateLimitAnalyzers.Emulation.Tests.Measuring;
using RateLimitAnalyzers.Emulation.Tests.Servers;
using RateLimitAnalyzers.Pacing;
using Xunit;
using Xunit.Abstractions;

namespace RateLimitAnalyzers.Emulation.Tests;

/// <summary>Exporting every page of Agora call lists against a server that enforces Agora's per-second and per-day quota.</summary>
public sealed class AgoraCallListsExportTests
{
    private const long Start = 0;
    private const long End = 1000;

    private readonly ITestOutputHelper _output;

    public AgoraCallListsExportTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Every_call_arrives_once_with_the_runtime_and_the_difference_is_measured(bool refuseWith429)
    {
        await using var api = await AgoraCallListsApi.StartAsync(new AgoraOptions { Calls = (int)End, RefuseWith429 = refuseWith429 });
        var expected = api.CallIds(Start, End);
        var perSecond = api.Options.PerSecond;
        var perDay = api.Options.PerDay;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var runs = new List<ClientRun>();

        async Task Run(string client, Func<Task<List<string>>> export) =>
            runs.Add(ClientRun.Measure(client, api.Log, expected, await export(), api.Capacity));

        // The catalog's quota, compressed as the server's is: 5 per 200 ms and 40 per 2 s "day".
        await Run("runtime, catalog quota", () => AgoraExports.WithRuntimeAsync(
            api.BaseAddress, ClientSetup.Basic("app-catalog", "secret"), "runtime, catalog quota",
            Policy("catalog", new QuotaWindow(perSecond.Limit, perSecond.Window), new QuotaWindow(perDay.Limit, perDay.Window)),
            Start, End, timeout.Token));

        // Configured for a plan the account does not have: twice the per-second quota.
        await Run("runtime, quota too high", () => AgoraExports.WithRuntimeAsync(
            api.BaseAddress, ClientSetup.Basic("app-too-high", "secret"), "runtime, quota too high",
            Policy("too high", new QuotaWindow(2 * perSecond.Limit, perSecond.Window), new QuotaWindow(perDay.Limit, perDay.Window)),
            Start, End, timeout.Token));

        await Run("naive loop", () => NaiveExport(api, timeout.Token));

        await Run("Polly retry + SlidingWindowRateLimiter", () => AgoraExports.WithPollyAsync(
            api.BaseAddress, ClientSetup.Basic("app-polly", "secret"), "Polly retry + SlidingWindowRateLimiter",
            (perSecond.Limit, perSecond.Window), (perDay.Limit, perDay.Window), Start, End, timeout.Token));

        _output.WriteLine(ClientRun.Table(
            $"Agora call/lists, {End} calls in pages of 20, quota {perSecond} and {perDay} per App ID, refused with {(refuseWith429 ? "429" : "200 and code 300")}:",
            runs));

        var catalog = runs[0];
        Assert.Equal((0, 0, 0, 0), (catalog.Throttled, catalog.Lost, catalog.Duplicates, catalog.Early));
        var tooHigh = runs[1];
        Assert.True(tooHigh.Throttled > 0, "A quota twice the server's should draw throttle responses for the retry path to recover from.");
        Assert.Equal((0, 0), (tooHigh.Lost, tooHigh.Duplicates));
    }

    private static RateLimitPolicy Policy(string run, params QuotaWindow[] windows) =>
        // The fix's policy; the key is the catalog's, set apart per run so each starts with a pacer of its own.
        new RateLimitPolicy("api.agora.io/beta/analytics/call/lists (" + run + ")", windows)
        {
            ThrottleBodyContains = "\"code\":300",
        };

    private static async Task<List<string>> NaiveExport(AgoraCallListsApi api, CancellationToken cancellationToken)
    {
        try
        {
            return await AgoraExports.NaiveAsync(api.BaseAddress, ClientSetup.Basic("app-naive", "secret"), "naive loop", Start, End, cancellationToken);
        }
        catch (System.Net.Http.HttpRequestException)
        {
            // The 429 variant makes GetStringAsync throw: the export dies with what it had; nothing it had is kept.
            return new List<string>();
        }
    }
}
