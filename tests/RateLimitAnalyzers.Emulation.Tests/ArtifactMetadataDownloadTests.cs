using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using RateLimitAnalyzers.Emulation.Tests.Clients;
using RateLimitAnalyzers.Emulation.Tests.Measuring;
using RateLimitAnalyzers.Emulation.Tests.Servers;
using RateLimitAnalyzers.Pacing;
using Xunit;
using Xunit.Abstractions;

namespace RateLimitAnalyzers.Emulation.Tests;

/// <summary>Downloading artifact metadata from a server that enforces SUSE Application Collection's rolling windows per operation.</summary>
public sealed class ArtifactMetadataDownloadTests
{
    private const string Unwarned = "runtime, quota 3x, headers dropped on success";

    private readonly ITestOutputHelper _output;

    public ArtifactMetadataDownloadTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Fact]
    public async Task Every_artifact_arrives_once_with_the_runtime_and_the_difference_is_measured()
    {
        await using var api = await ApplicationCollectionApi.StartAsync(new ApplicationCollectionOptions());
        var quota = api.Options.PerOperation;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var runs = new List<ClientRun>();

        async Task Run(string account, Func<Task<List<string>>> download)
        {
            await download();
            runs.Add(ClientRun.Measure(account, api, api.ArtifactIds, api.MetadataServedTo(account)));
        }

        await Run("runtime, catalog quota", () => ArtifactMetadataDownload.WithRuntimeAsync(
            api.BaseAddress, ClientSetup.Basic("runtime, catalog quota", "token"), "runtime, catalog quota",
            Policy("list, catalog", quota.Limit, quota.Window), Policy("metadata, catalog", quota.Limit, quota.Window), timeout.Token));
        await Run("runtime, quota too high", () => ArtifactMetadataDownload.WithRuntimeAsync(
            api.BaseAddress, ClientSetup.Basic("runtime, quota too high", "token"), "runtime, quota too high",
            Policy("list, too high", 2 * quota.Limit, quota.Window), Policy("metadata, too high", 2 * quota.Limit, quota.Window), timeout.Token));
        // Certain to be throttled: the quota set three times too high, behind a proxy that drops ratelimit-* from
        // successful responses, so nothing warns the pacer before the server refuses; the 429 still says how long.
        await Run(Unwarned, () => ArtifactMetadataDownload.WithRuntimeAsync(
            api.BaseAddress, ClientSetup.Basic(Unwarned, "token"), Unwarned,
            Policy("list, unwarned", 3 * quota.Limit, quota.Window), Policy("metadata, unwarned", 3 * quota.Limit, quota.Window), timeout.Token,
            new ArtifactMetadataDownload.SuccessHeadersDropped()));
        await Run("naive loop", () => ArtifactMetadataDownload.NaiveAsync(api.BaseAddress, ClientSetup.Basic("naive loop", "token"), "naive loop", timeout.Token));
        await Run("Polly retry + SlidingWindowRateLimiter", () => ArtifactMetadataDownload.WithPollyAsync(
            api.BaseAddress, ClientSetup.Basic("Polly retry + SlidingWindowRateLimiter", "token"), "Polly retry + SlidingWindowRateLimiter", (quota.Limit, quota.Window), timeout.Token));

        _output.WriteLine(ClientRun.Table($"SUSE Application Collection, list and metadata of {api.Options.Artifacts} artifacts, quota {quota} rolling per operation:", runs));

        // The pacer answers for what it sends: nothing over the quota by the requests' send times. The server may still
        // refuse one that a loaded machine held in transit past the pacer's arrival margin; the retry path then
        // recovers it, so nothing is lost, duplicated or sent before the server's wait.
        var catalog = runs[0];
        Assert.Equal(((int?)0, 0, 0, 0), (catalog.OverQuotaAsSent, catalog.Lost, catalog.Duplicates, catalog.Early));

        // ratelimit-remaining: 0 pauses the pacer before the server has to refuse anything, so a quota set too
        // high may draw no 429 at all; whatever it draws, nothing is lost and no wait is cut short.
        var tooHigh = runs[1];
        Assert.Equal((0, 0, 0), (tooHigh.Lost, tooHigh.Duplicates, tooHigh.Early));

        // Unwarned, the retry path runs: 429s, and still nothing lost or duplicated, and no retry before the wait a
        // 429 asked for. (The requests sent past a success whose dropped header said "0 left" count in the table's
        // column, which reads every wait the server sent; the server refused them.)
        var unwarned = runs[2];
        Assert.True(unwarned.Throttled > 0, "Pacing at three times the quota with no ratelimit-remaining to read should draw 429s.");
        Assert.Equal((0, 0), (unwarned.Lost, unwarned.Duplicates));
        Assert.Empty(api.Log.EarlyArrivals(Unwarned, afterRefusalsOnly: true));
    }

    // A catalog entry per operation (GET api.apps.rancher.io/v1/artifacts and /v1/artifacts/{id}) with the account's
    // quota: each operation has a window of its own, so each gets a pacer key of its own.
    private static RateLimitPolicy Policy(string run, int limit, TimeSpan window) =>
        new RateLimitPolicy("api.apps.rancher.io (" + run + ")", new QuotaWindow(limit, window));
}
