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
            runs.Add(ClientRun.Measure(account, api.Log, api.ArtifactIds, api.MetadataServedTo(account), api.Capacity));
        }

        await Run("runtime, catalog quota", () => ArtifactMetadataDownload.WithRuntimeAsync(
            api.BaseAddress, ClientSetup.Basic("runtime, catalog quota", "token"), "runtime, catalog quota",
            Policy("list, catalog", quota.Limit, quota.Window), Policy("metadata, catalog", quota.Limit, quota.Window), timeout.Token));
        await Run("runtime, quota too high", () => ArtifactMetadataDownload.WithRuntimeAsync(
            api.BaseAddress, ClientSetup.Basic("runtime, quota too high", "token"), "runtime, quota too high",
            Policy("list, too high", 2 * quota.Limit, quota.Window), Policy("metadata, too high", 2 * quota.Limit, quota.Window), timeout.Token));
        await Run("naive loop", () => ArtifactMetadataDownload.NaiveAsync(api.BaseAddress, ClientSetup.Basic("naive loop", "token"), "naive loop", timeout.Token));
        await Run("Polly retry + SlidingWindowRateLimiter", () => ArtifactMetadataDownload.WithPollyAsync(
            api.BaseAddress, ClientSetup.Basic("Polly retry + SlidingWindowRateLimiter", "token"), "Polly retry + SlidingWindowRateLimiter", (quota.Limit, quota.Window), timeout.Token));

        _output.WriteLine(ClientRun.Table($"SUSE Application Collection, list and metadata of {api.Options.Artifacts} artifacts, quota {quota} rolling per operation:", runs));

        var catalog = runs[0];
        Assert.Equal((0, 0, 0, 0), (catalog.Throttled, catalog.Lost, catalog.Duplicates, catalog.Early));

        // ratelimit-remaining: 0 pauses the pacer before the server has to refuse anything, so a quota set too
        // high may draw no 429 at all; whatever it draws, nothing is lost and no wait is cut short.
        var tooHigh = runs[1];
        Assert.Equal((0, 0, 0), (tooHigh.Lost, tooHigh.Duplicates, tooHigh.Early));
    }

    // A catalog entry per operation (GET api.apps.rancher.io/v1/artifacts and /v1/artifacts/{id}) with the account's
    // quota: each operation has a window of its own, so each gets a pacer key of its own.
    private static RateLimitPolicy Policy(string run, int limit, TimeSpan window) =>
        new RateLimitPolicy("api.apps.rancher.io (" + run + ")", new QuotaWindow(limit, window));
}
