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

/// <summary>Posting every event of a batch to a server that enforces Archiva's rolling log and answers 429 with Retry-After.</summary>
public sealed class ArchivaIngestTests
{
    private const string RetryAfterLoop = "RL0003 fix, Retry-After loop";

    private readonly ITestOutputHelper _output;

    public ArchivaIngestTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Fact]
    public async Task Every_event_is_stored_once_with_the_runtime_and_the_difference_is_measured()
    {
        // Retry-After in whole seconds, as the real API sends it: on the 500 ms window every refusal asks for 1 s.
        await using var api = await ArchivaApi.StartAsync(new ArchivaOptions());
        var batch = Enumerable.Range(1, 90).Select(i => "evt-" + i).ToArray();
        var quota = api.Options.Limit;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var runs = new List<ClientRun>();

        async Task Run(string apiKey, Func<Task<List<string>>> post)
        {
            await post();
            runs.Add(ClientRun.Measure(apiKey, api, batch, api.EventsOf(apiKey)));
        }

        await Run("runtime, catalog quota", () => ArchivaIngest.WithRuntimeAsync(api.BaseAddress, "runtime, catalog quota", Policy("catalog", quota.Limit, quota.Window), batch, timeout.Token));
        await Run("runtime, quota too high", () => ArchivaIngest.WithRuntimeAsync(api.BaseAddress, "runtime, quota too high", Policy("too high", 2 * quota.Limit, quota.Window), batch, timeout.Token));
        // As the RL0003 fix writes a retry loop: Retry-After, else backoff from the old delay (5 s of a 60 s window).
        await Run(RetryAfterLoop, () => ArchivaIngest.WithRetryAfterAsync(api.BaseAddress, RetryAfterLoop, quota.Window / 12, quota.Window, batch, timeout.Token));
        await Run("naive loop", () => ArchivaIngest.NaiveAsync(api.BaseAddress, "naive loop", batch, timeout.Token));
        await Run("Polly retry + SlidingWindowRateLimiter", () => ArchivaIngest.WithPollyAsync(api.BaseAddress, "Polly retry + SlidingWindowRateLimiter", (quota.Limit, quota.Window), batch, timeout.Token));

        _output.WriteLine(ClientRun.Table($"Archiva POST /api/ingest/event, a batch of {batch.Length} events, quota {quota} rolling per API key:", runs));

        // The pacer answers for what it sends: nothing over the quota by the requests' send times. The server may still
        // refuse one that a loaded machine held in transit past the pacer's arrival margin; the retry path then
        // recovers it, so nothing is lost, duplicated or sent before the server's wait.
        var catalog = runs[0];
        Assert.Equal(((int?)0, 0, 0, 0), (catalog.OverQuotaAsSent, catalog.Lost, catalog.Duplicates, catalog.Early));
        var tooHigh = runs[1];
        Assert.True(tooHigh.OverQuotaAsSent > 0, "A quota twice the server's should send more than the quota allows.");
        Assert.True(tooHigh.Throttled > 0, "A quota twice the server's should draw 429s for the retry path to recover from.");
        Assert.Equal((0, 0, 0), (tooHigh.Lost, tooHigh.Duplicates, tooHigh.Early));

        // Unpaced, the RL0003 fix's loop is refused once the quota is spent; it never comes back before the
        // Retry-After it was sent (Early counts the server's ServerLog.EarlyArrivals) and loses nothing.
        var retryAfter = runs[2];
        Assert.True(retryAfter.Throttled > 0, "An unpaced batch larger than the quota should draw 429s.");
        Assert.Equal((0, 0, 0), (retryAfter.Lost, retryAfter.Duplicates, retryAfter.Early));
    }

    private static RateLimitPolicy Policy(string run, int limit, TimeSpan window) =>
        new RateLimitPolicy("api.archiva.app/api/ingest/event (" + run + ")", new QuotaWindow(limit, window))
        {
            ThrottleBodyContains = "\"error\":\"Rate limit exceeded\"",
        };
}
