using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Polly;
using RateLimitAnalyzers.Pacing;

namespace RateLimitAnalyzers.Emulation.Tests.Clients;

/// <summary>
/// Downloading every artifact's metadata from SUSE Application Collection: the artifact list page by page, then
/// each artifact. Each returns the artifacts whose metadata it got.
/// </summary>
internal static class ArtifactMetadataDownload
{
    /// <summary>
    /// As the RL0002 fix writes it, with a catalog entry per operation giving the account's quota: every call
    /// through the runtime's retrying send, which also reads <c>ratelimit-remaining</c>. <paramref name="transport"/>
    /// stands for what lies between the client and the server, when something does.
    /// </summary>
    public static async Task<List<string>> WithRuntimeAsync(Uri baseAddress, AuthenticationHeaderValue account, string client, RateLimitPolicy list, RateLimitPolicy metadata, CancellationToken cancellationToken, HttpMessageHandler? transport = null)
    {
        using var http = new HttpClient(ClientSetup.Transport(transport)) { BaseAddress = baseAddress };
        ClientSetup.Identify(http, account, client);
        var ids = new List<string>();
        for (var page = 1; ; page++)
        {
            using var response = await RateLimitedSend.RunAsync(list, _ => http.GetAsync($"/v1/artifacts?page={page}", cancellationToken), cancellationToken);
            var items = await ItemsAsync(response, cancellationToken);
            if (items.Count == 0)
            {
                break;
            }

            ids.AddRange(items);
        }

        var downloaded = new List<string>();
        foreach (var id in ids)
        {
            using var response = await RateLimitedSend.RunAsync(metadata, _ => http.GetAsync($"/v1/artifacts/{id}", cancellationToken), cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                downloaded.Add(id);
            }
        }

        return downloaded;
    }

#pragma warning disable RL0001 // The "before" picture: list pages and metadata fetched back to back; a 429 ends the list or loses the artifact.
    public static async Task<List<string>> NaiveAsync(Uri baseAddress, AuthenticationHeaderValue account, string client, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(ClientSetup.Transport()) { BaseAddress = baseAddress };
        ClientSetup.Identify(http, account, client);
        var ids = new List<string>();
        for (var page = 1; ; page++)
        {
            using var response = await http.GetAsync($"/v1/artifacts?page={page}", cancellationToken);
            var items = await ItemsAsync(response, cancellationToken);
            if (items.Count == 0)
            {
                break;
            }

            ids.AddRange(items);
        }

        var downloaded = new List<string>();
        foreach (var id in ids)
        {
            using var response = await http.GetAsync($"/v1/artifacts/{id}", cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                downloaded.Add(id);
            }
        }

        return downloaded;
    }
#pragma warning restore RL0001

    /// <summary>The common alternative: Polly's retry on 429 behind a sliding-window limiter per operation at the quota.</summary>
    public static async Task<List<string>> WithPollyAsync(Uri baseAddress, AuthenticationHeaderValue account, string client, (int Limit, TimeSpan Window) perOperation, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(ClientSetup.Transport()) { BaseAddress = baseAddress };
        ClientSetup.Identify(http, account, client);
        using var listLimiter = ClientSetup.SlidingWindow(perOperation.Limit, perOperation.Window);
        using var metadataLimiter = ClientSetup.SlidingWindow(perOperation.Limit, perOperation.Window);
        var listPipeline = new ResiliencePipelineBuilder<HttpResponseMessage>().AddRetry(ClientSetup.RetryOn429(perOperation.Window)).AddRateLimiter(listLimiter).Build();
        var metadataPipeline = new ResiliencePipelineBuilder<HttpResponseMessage>().AddRetry(ClientSetup.RetryOn429(perOperation.Window)).AddRateLimiter(metadataLimiter).Build();
        var ids = new List<string>();
        for (var page = 1; ; page++)
        {
            using var response = await listPipeline.ExecuteAsync(async ct => await http.GetAsync($"/v1/artifacts?page={page}", ct), cancellationToken);
            var items = await ItemsAsync(response, cancellationToken);
            if (items.Count == 0)
            {
                break;
            }

            ids.AddRange(items);
        }

        var downloaded = new List<string>();
        foreach (var id in ids)
        {
            using var response = await metadataPipeline.ExecuteAsync(async ct => await http.GetAsync($"/v1/artifacts/{id}", ct), cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                downloaded.Add(id);
            }
        }

        return downloaded;
    }

    /// <summary>
    /// A proxy that drops the <c>ratelimit-*</c> headers of successful responses and passes the rest: behind it a
    /// client learns the quota is spent only from the 429, which still carries them.
    /// </summary>
    public sealed class SuccessHeadersDropped : DelegatingHandler
    {
        public SuccessHeadersDropped()
            : base(new HttpClientHandler())
        {
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                response.Headers.Remove("ratelimit-limit");
                response.Headers.Remove("ratelimit-remaining");
            }

            return response;
        }
    }

    /// <summary>The IDs on a list page; a refused page reads as empty, which ends the listing.</summary>
    private static async Task<IReadOnlyList<string>> ItemsAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            return new string[0];
        }

        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return document.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!).ToArray();
    }
}
