using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using Polly;
using RateLimitAnalyzers.Pacing;

namespace RateLimitAnalyzers.Emulation.Tests.Clients;

/// <summary>Exporting every page of Agora call lists for <c>[start, end)</c>, three ways.</summary>
internal static class AgoraExports
{
    /// <summary>As the RL0002 fix writes it: every page through the runtime's retrying send, paced by the policy's pacer.</summary>
    public static async Task<List<string>> WithRuntimeAsync(Uri baseAddress, AuthenticationHeaderValue appId, string client, RateLimitPolicy policy, long start, long end, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = baseAddress };
        ClientSetup.Identify(http, appId, client);
        var calls = new List<string>();
        string? cursor = null;
        while (true)
        {
            var json = await RateLimitedSend.RunAsync(policy, ct => http.GetStringAsync($"/beta/analytics/call/lists?start_ts={start}&end_ts={end}&page_size=20&cursor={cursor}", ct), cancellationToken);
            var page = CallListPage.Parse(json);
            if (page.CallIds.Count == 0)
            {
                break;
            }

            calls.AddRange(page.CallIds);
            cursor = page.Cursor;
        }

        return calls;
    }

#pragma warning disable RL0001, RL0002 // The "before" picture: the seed's export, page after page with no pause and nothing that retries.
    public static async Task<List<string>> NaiveAsync(Uri baseAddress, AuthenticationHeaderValue appId, string client, long start, long end, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = baseAddress };
        ClientSetup.Identify(http, appId, client);
        var calls = new List<string>();
        string? cursor = null;
        while (true)
        {
            var json = await http.GetStringAsync($"/beta/analytics/call/lists?start_ts={start}&end_ts={end}&page_size=20&cursor={cursor}", cancellationToken);
            var page = CallListPage.Parse(json);
            if (page.CallIds.Count == 0)
            {
                break;
            }

            calls.AddRange(page.CallIds);
            cursor = page.Cursor;
        }

        return calls;
    }
#pragma warning restore RL0001, RL0002

    /// <summary>
    /// The common alternative: a Polly retry on 429 with exponential backoff and jitter, behind
    /// System.Threading.RateLimiting's sliding-window limiters set to the same quota (one per window).
    /// </summary>
    public static async Task<List<string>> WithPollyAsync(Uri baseAddress, AuthenticationHeaderValue appId, string client, (int Limit, TimeSpan Window) perSecond, (int Limit, TimeSpan Window) perDay, long start, long end, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = baseAddress };
        ClientSetup.Identify(http, appId, client);
        using var secondLimiter = ClientSetup.SlidingWindow(perSecond.Limit, perSecond.Window);
        using var dayLimiter = ClientSetup.SlidingWindow(perDay.Limit, perDay.Window);
        var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddRetry(ClientSetup.RetryOn429(perSecond.Window))
            .AddRateLimiter(dayLimiter)
            .AddRateLimiter(secondLimiter)
            .Build();
        var calls = new List<string>();
        string? cursor = null;
        while (true)
        {
            using var response = await pipeline.ExecuteAsync(async ct => await http.GetAsync($"/beta/analytics/call/lists?start_ts={start}&end_ts={end}&page_size=20&cursor={cursor}", ct), cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                break;
            }

            var page = CallListPage.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            if (page.CallIds.Count == 0)
            {
                break;
            }

            calls.AddRange(page.CallIds);
            cursor = page.Cursor;
        }

        return calls;
    }
}
