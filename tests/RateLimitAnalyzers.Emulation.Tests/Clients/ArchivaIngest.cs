using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Threading;
using System.Threading.Tasks;
using Polly;
using RateLimitAnalyzers.Pacing;

namespace RateLimitAnalyzers.Emulation.Tests.Clients;

/// <summary>Posting every event of a batch to Archiva, four ways. Each returns the events it saw fail.</summary>
internal static class ArchivaIngest
{
    /// <summary>As the RL0002 fix writes it: the client made with the runtime's retrying handler.</summary>
    public static async Task<List<string>> WithRuntimeAsync(Uri baseAddress, string apiKey, RateLimitPolicy policy, IEnumerable<string> entityIds, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(new RateLimitedHandler(policy, ClientSetup.Transport())) { BaseAddress = baseAddress };
        ClientSetup.Identify(http, new AuthenticationHeaderValue("Bearer", apiKey), apiKey);
        var failed = new List<string>();
        foreach (var entityId in entityIds)
        {
            try
            {
                using var response = await http.PostAsJsonAsync("/api/ingest/event", new { actionKey = "export.page", entityType = "call", entityId }, cancellationToken);
                if (!response.IsSuccessStatusCode)
                {
                    failed.Add(entityId);
                }
            }
            catch (RateLimitExceededException)
            {
                failed.Add(entityId);
            }
        }

        return failed;
    }

    /// <summary>
    /// As the RL0003 fix writes a retry loop that used to sleep a fixed time on 429: the wait becomes the server's
    /// Retry-After, with exponential backoff from the old delay as the fallback when a response carries none. Nothing
    /// paces it, so a batch larger than the quota is refused, and only honouring the server's wait gets it through.
    /// <paramref name="oldDelay"/> and <paramref name="maxDelay"/> stand for the fix's arguments (5 s and a minute
    /// against a 60 s window in rules.md), compressed as the window is.
    /// </summary>
    public static async Task<List<string>> WithRetryAfterAsync(Uri baseAddress, string apiKey, TimeSpan oldDelay, TimeSpan maxDelay, IEnumerable<string> entityIds, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(ClientSetup.Transport()) { BaseAddress = baseAddress };
        ClientSetup.Identify(http, new AuthenticationHeaderValue("Bearer", apiKey), apiKey);
        var failed = new List<string>();
        foreach (var entityId in entityIds)
        {
            var stored = false;
            for (var attempt = 0; attempt < 5; attempt++)
            {
                using var response = await http.PostAsJsonAsync("/api/ingest/event", new { actionKey = "export.page", entityType = "call", entityId }, cancellationToken);
                if (response.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    await RetryAfter.DelayAsync(response, Backoff.Exponential(attempt, oldDelay, maxDelay), cancellationToken);
                    continue;
                }

                stored = response.IsSuccessStatusCode;
                break;
            }

            if (!stored)
            {
                failed.Add(entityId);
            }
        }

        return failed;
    }

#pragma warning disable RL0001, RL0002 // The "before" picture: a batch posted as fast as it goes, a refused event logged and dropped.
    public static async Task<List<string>> NaiveAsync(Uri baseAddress, string apiKey, IEnumerable<string> entityIds, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(ClientSetup.Transport()) { BaseAddress = baseAddress };
        ClientSetup.Identify(http, new AuthenticationHeaderValue("Bearer", apiKey), apiKey);
        var failed = new List<string>();
        foreach (var entityId in entityIds)
        {
            using var response = await http.PostAsJsonAsync("/api/ingest/event", new { actionKey = "export.page", entityType = "call", entityId }, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                failed.Add(entityId);
            }
        }

        return failed;
    }
#pragma warning restore RL0001, RL0002

    /// <summary>The common alternative: Polly's retry on 429 behind a sliding-window limiter at the quota.</summary>
    public static async Task<List<string>> WithPollyAsync(Uri baseAddress, string apiKey, (int Limit, TimeSpan Window) quota, IEnumerable<string> entityIds, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(ClientSetup.Transport()) { BaseAddress = baseAddress };
        ClientSetup.Identify(http, new AuthenticationHeaderValue("Bearer", apiKey), apiKey);
        using var limiter = ClientSetup.SlidingWindow(quota.Limit, quota.Window);
        var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddRetry(ClientSetup.RetryOn429(quota.Window))
            .AddRateLimiter(limiter)
            .Build();
        var failed = new List<string>();
        foreach (var entityId in entityIds)
        {
            using var response = await pipeline.ExecuteAsync(async ct => await http.PostAsJsonAsync("/api/ingest/event", new { actionKey = "export.page", entityType = "call", entityId }, ct), cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                failed.Add(entityId);
            }
        }

        return failed;
    }
}
