using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using Polly;
using RateLimitAnalyzers.Pacing;

namespace RateLimitAnalyzers.Emulation.Tests.Clients;

/// <summary>Exporting every page of Agora call lists for <c>[start, end)</c>, four ways.</summary>
internal static class AgoraExports
{
    /// <summary>
    /// As the RL0002 fix writes it: every page through the runtime's retrying send, paced by the policy's pacer;
    /// through <paramref name="handler"/> when given, to put something between a turn and its request.
    /// </summary>
    public static async Task<List<string>> WithRuntimeAsync(Uri baseAddress, AuthenticationHeaderValue appId, string client, RateLimitPolicy policy, long start, long end, CancellationToken cancellationToken, HttpMessageHandler? handler = null)
    {
        using var http = new HttpClient(ClientSetup.Transport(handler));
        http.BaseAddress = baseAddress;
        ClientSetup.Identify(http, appId, client);
        var calls = new List<string>();
        string? cursor = null;
        while (true)
        {
            var json = await RateLimitedSend.RunAsync(policy, ct => http.GetStringAsync(CallListPage.Url(start, end, cursor), ct), cancellationToken);
            if (!CallListPage.Parse(json).AddTo(calls, ref cursor))
            {
                break;
            }
        }

        return calls;
    }

    /// <summary>
    /// As the RL0001 fix writes it: the paging loop as it was, with a turn on the pacer shared under the endpoint's
    /// key at the top of its body and the catalog's quota written out (here compressed as the server's is). Nothing
    /// in it retries: a refused page reads as empty and ends the export, so this counts only if the pace alone keeps
    /// every page from being refused. It asks for <paramref name="pageSize"/> calls a page, as Agora advises
    /// ("maximize page_size"), whatever the server's maximum.
    /// </summary>
    public static async Task<List<string>> WithPacerAsync(Uri baseAddress, AuthenticationHeaderValue appId, string client, string key, QuotaWindow perSecond, QuotaWindow perDay, int pageSize, long start, long end, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(ClientSetup.Transport()) { BaseAddress = baseAddress };
        ClientSetup.Identify(http, appId, client);
        var calls = new List<string>();
        string? cursor = null;
        while (true)
        {
            await RequestPacer.Shared(key, perSecond, perDay).WaitTurnAsync(cancellationToken);
            var json = await http.GetStringAsync(CallListPage.Url(start, end, cursor, pageSize), cancellationToken);
            if (!CallListPage.Parse(json).AddTo(calls, ref cursor))
            {
                break;
            }
        }

        return calls;
    }

#pragma warning disable RL0001, RL0002 // The "before" picture: the seed's export, page after page with no pause and nothing that retries.
    public static async Task<List<string>> NaiveAsync(Uri baseAddress, AuthenticationHeaderValue appId, string client, long start, long end, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(ClientSetup.Transport()) { BaseAddress = baseAddress };
        ClientSetup.Identify(http, appId, client);
        var calls = new List<string>();
        string? cursor = null;
        while (true)
        {
            var json = await http.GetStringAsync(CallListPage.Url(start, end, cursor), cancellationToken);
            if (!CallListPage.Parse(json).AddTo(calls, ref cursor))
            {
                break;
            }
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
        using var http = new HttpClient(ClientSetup.Transport()) { BaseAddress = baseAddress };
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
            using var response = await pipeline.ExecuteAsync(async ct => await http.GetAsync(CallListPage.Url(start, end, cursor), ct), cancellationToken);
            if (!response.IsSuccessStatusCode || !CallListPage.Parse(await response.Content.ReadAsStringAsync(cancellationToken)).AddTo(calls, ref cursor))
            {
                break;
            }
        }

        return calls;
    }
}
