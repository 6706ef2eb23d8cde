using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using System.Threading;
using System.Threading.Tasks;
using RateLimitAnalyzers.Pacing;

namespace PagingSample;

/// <summary>
/// Exports every call record from Agora Analytics' call/lists endpoint, the way the seed incident's
/// scripts did. Agora counts queries per second per App ID across every server using the credentials
/// (Standard plan: 1 per second, 1,000 per day) and answers over-quota requests with
/// {"code":300,"message":"Service package limit check error, qps limit error"}.
/// </summary>
internal sealed class CallListExport
{
    // What the RL0001 fix adds: the endpoint's pacer, built once and shared by every caller in the process
    // that uses the same key.
    private static readonly RequestPacer AgoraPacer = RequestPacer.Shared(
        "api.agora.io/beta/analytics/call/lists",
        QuotaWindow.PerSecond(1),
        QuotaWindow.PerDay(1000));

    private readonly HttpClient _client;

    public CallListExport(HttpClient client) => _client = client;

    // RL0001: each page is requested the moment the previous one arrives, so a large export bursts
    // far past one request per second.
    public async Task<List<CallRecord>> ExportAsync(CancellationToken cancellationToken)
    {
        var calls = new List<CallRecord>();
        string? cursor = null;
        while (true)
        {
            var page = await _client.GetFromJsonAsync<CallPage>(
                "https://api.agora.io/beta/analytics/call/lists?page_size=100&cursor=" + cursor,
                cancellationToken);
            if (page is null || page.Calls.Count == 0)
            {
                break;
            }

            calls.AddRange(page.Calls);
            cursor = page.NextCursor;
        }

        return calls;
    }

    // The same export after the RL0001 fix: every request waits for its turn under the quota. No warning here.
    public async Task<List<CallRecord>> ExportPacedAsync(CancellationToken cancellationToken)
    {
        var calls = new List<CallRecord>();
        string? cursor = null;
        while (true)
        {
            await AgoraPacer.WaitTurnAsync(cancellationToken);
            var page = await _client.GetFromJsonAsync<CallPage>(
                "https://api.agora.io/beta/analytics/call/lists?page_size=100&cursor=" + cursor,
                cancellationToken);
            if (page is null || page.Calls.Count == 0)
            {
                break;
            }

            calls.AddRange(page.Calls);
            cursor = page.NextCursor;
        }

        return calls;
    }
}

internal sealed class CallPage
{
    [JsonPropertyName("call_lists")]
    public List<CallRecord> Calls { get; set; } = new();

    [JsonPropertyName("cursor")]
    public string? NextCursor { get; set; }
}

internal sealed class CallRecord
{
    [JsonPropertyName("call_id")]
    public string CallId { get; set; } = string.Empty;

    [JsonPropertyName("join_ts")]
    public long JoinedAt { get; set; }
}
