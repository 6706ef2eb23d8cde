using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace RateLimitAnalyzers.Tests.Rules;

/// <summary>
/// Every RL0001 case as source with markup. The positive and negative tests run them through the analyzer,
/// and the robustness test runs every one of them truncated.
/// </summary>
public static class RL0001Cases
{
    public const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Net.Http;
        using System.Net.Http.Json;
        using System.Text.Json;
        using System.Threading;
        using System.Threading.Tasks;

        """;

    /// <summary>Paging loops with nothing that paces them; the loop keyword is marked.</summary>
    public static readonly IReadOnlyDictionary<string, string> Reported = new Dictionary<string, string>
    {
        // The last request's address plus the body's cursor: the request it answers is no content, the cursor is.
        ["async: the next page is the last request's address with the cursor the body gave"] = Usings + """
            class Page { public List<string> Items { get; set; } = new(); public string? Next { get; set; } }
            class Export
            {
                public async Task<List<string>> AllAsync(HttpClient client)
                {
                    var all = new List<string>();
                    var response = await client.GetAsync("https://api.example.com/v1/items");
                    [|while|] (true)
                    {
                        var page = await response.Content.ReadFromJsonAsync<Page>();
                        all.AddRange(page!.Items);
                        if (page.Next is null) return all;
                        response = await client.GetAsync(new Uri(response.RequestMessage!.RequestUri!, "?cursor=" + page.Next));
                    }
                }
            }
            """,

        ["cursor taken from the response, exit on an empty page"] = Usings + """
            class Page { public List<string> Items { get; set; } = new(); public string? Next { get; set; } }
            class Export
            {
                private readonly HttpClient _client = new();
                public async Task<List<string>> RunAsync(CancellationToken cancellationToken)
                {
                    var all = new List<string>();
                    string? cursor = null;
                    [|while|] (true)
                    {
                        var page = await _client.GetFromJsonAsync<Page>("https://api.example.com/v1/items?cursor=" + cursor, cancellationToken);
                        if (page is null || page.Items.Count == 0) break;
                        all.AddRange(page.Items);
                        cursor = page.Next;
                    }
                    return all;
                }
            }
            """,

        ["next link in a do-while read through JsonDocument"] = Usings + """
            class Export
            {
                public async Task RunAsync(HttpClient client)
                {
                    string? url = "https://api.example.com/v1/events";
                    [|do|]
                    {
                        var json = await client.GetStringAsync(url);
                        using var document = JsonDocument.Parse(json);
                        url = document.RootElement.TryGetProperty("next", out var next) ? next.GetString() : null;
                    }
                    while (url != null);
                }
            }
            """,

        // The counter picks the chunk and is also sent as an offset: the request varies by more than the item, so the
        // exit on the answer makes it a paging loop, as before.
        ["a chunk counter also sent as the offset, stopping on an answer"] = Usings + """
            class Moderation
            {
                public async Task<bool> AnyFlaggedAsync(HttpClient client, string input, int size)
                {
                    [|for|] (var i = 0; i < input.Length; i += size)
                    {
                        var text = input.Substring(i, Math.Min(size, input.Length - i));
                        var flagged = await client.GetFromJsonAsync<bool>($"https://moderation.example.com/check?offset={i}&text={text}");
                        if (flagged) return true;
                    }
                    return false;
                }
            }
            """,

        ["page counter with an exit on an empty page"] = Usings + """
            class Export
            {
                public async Task<int> RunAsync(HttpClient client)
                {
                    var total = 0;
                    [|for|] (var page = 1; ; page++)
                    {
                        var items = await client.GetFromJsonAsync<List<string>>($"https://api.example.com/v1/items?page={page}");
                        if (items == null || items.Count == 0) return total;
                        total += items.Count;
                    }
                }
            }
            """,

        ["has_more flag with an offset"] = Usings + """
            class Page { public List<string> Items { get; set; } = new(); public bool HasMore { get; set; } }
            class Export
            {
                public async Task RunAsync(HttpClient client)
                {
                    var offset = 0;
                    var hasMore = true;
                    [|while|] (hasMore)
                    {
                        var page = await client.GetFromJsonAsync<Page>($"https://api.example.com/v1/items?offset={offset}");
                        offset += page!.Items.Count;
                        hasMore = page.HasMore;
                    }
                }
            }
            """,

        ["last page known from the first response"] = Usings + """
            class Page { public List<string> Items { get; set; } = new(); public int TotalPages { get; set; } }
            class Export
            {
                public async Task RunAsync(HttpClient client)
                {
                    var totalPages = 1;
                    [|for|] (var page = 1; page <= totalPages; page++)
                    {
                        var result = await client.GetFromJsonAsync<Page>("https://api.example.com/v1/items?page=" + page);
                        totalPages = result!.TotalPages;
                    }
                }
            }
            """,

        ["synchronous Send with a request message"] = Usings + """
            class Export
            {
                public void Run(HttpClient client)
                {
                    string? token = null;
                    [|do|]
                    {
                        var request = new HttpRequestMessage(HttpMethod.Get, "https://api.example.com/v1/items?token=" + token);
                        using var response = client.Send(request);
                        token = response.Headers.TryGetValues("X-Next-Token", out var values) ? values.First() : null;
                    }
                    while (token != null);
                }
            }
            """,

        ["PostAsJsonAsync search with a cursor in the body"] = Usings + """
            class Result { public string? Cursor { get; set; } }
            class Export
            {
                public async Task RunAsync(HttpClient client)
                {
                    string? cursor = null;
                    [|while|] (true)
                    {
                        using var response = await client.PostAsJsonAsync("https://api.example.com/v1/search", new { cursor });
                        var result = await response.Content.ReadFromJsonAsync<Result>();
                        if (result?.Cursor is null) break;
                        cursor = result.Cursor;
                    }
                }
            }
            """,

        ["request sent three calls deep in the user's own methods"] = Usings + """
            class Page { public List<string> Items { get; set; } = new(); public string? Next { get; set; } }
            class Api
            {
                private readonly HttpClient _client = new();
                public Task<Page?> FetchPageAsync(string? cursor) => GetJsonAsync<Page>("https://api.example.com/v1/items?cursor=" + cursor);
                private async Task<T?> GetJsonAsync<T>(string url) => JsonSerializer.Deserialize<T>(await SendCoreAsync(url));
                private async Task<string> SendCoreAsync(string url) { using var response = await _client.GetAsync(url); return await response.Content.ReadAsStringAsync(); }
            }
            class Export
            {
                public async Task RunAsync(Api api)
                {
                    string? cursor = null;
                    [|do|]
                    {
                        var page = await api.FetchPageAsync(cursor);
                        cursor = page?.Next;
                    }
                    while (cursor != null);
                }
            }
            """,

        ["Refit interface method"] = Usings + """
            using Refit;
            public class Page { public List<string> Items { get; set; } = new(); public string? Next { get; set; } }
            public interface IItemsApi
            {
                [Get("/v1/items")]
                Task<Page> GetItemsAsync([Query] string? cursor);
            }
            class Export
            {
                public async Task RunAsync(IItemsApi api)
                {
                    string? cursor = null;
                    [|do|]
                    {
                        var page = await api.GetItemsAsync(cursor);
                        cursor = page.Next;
                    }
                    while (cursor != null);
                }
            }
            """,

        ["RestSharp execute with a page parameter"] = Usings + """
            using RestSharp;
            class Page { public List<string> Items { get; set; } = new(); }
            class Export
            {
                public async Task RunAsync(RestClient client)
                {
                    var page = 1;
                    [|while|] (true)
                    {
                        var request = new RestRequest("v1/items").AddQueryParameter("page", page.ToString());
                        var response = await client.ExecuteGetAsync<Page>(request);
                        if (response.Data == null || response.Data.Items.Count == 0) break;
                        page++;
                    }
                }
            }
            """,

        ["async iterator that pages"] = Usings + """
            using System.Runtime.CompilerServices;
            class Page { public List<string> Items { get; set; } = new(); public string? Next { get; set; } }
            class Export
            {
                public async IAsyncEnumerable<string> ItemsAsync(HttpClient client, [EnumeratorCancellation] CancellationToken cancellationToken = default)
                {
                    var url = "https://api.example.com/v1/items";
                    [|while|] (url != null)
                    {
                        var page = await client.GetFromJsonAsync<Page>(url, cancellationToken);
                        foreach (var item in page!.Items) yield return item;
                        url = page.Next;
                    }
                }
            }
            """,

        ["a delay in a branch does not pace every iteration"] = Usings + """
            class Page { public List<string> Items { get; set; } = new(); public string? Next { get; set; } }
            class Export
            {
                public async Task RunAsync(HttpClient client)
                {
                    string? cursor = null;
                    [|do|]
                    {
                        var page = await client.GetFromJsonAsync<Page>("https://api.example.com/v1/items?cursor=" + cursor);
                        if (page!.Items.Count > 1000) await Task.Delay(1000);
                        cursor = page.Next;
                    }
                    while (cursor != null);
                }
            }
            """,

        ["a continue after the request skips the delay"] = Usings + """
            class Page { public List<string> Items { get; set; } = new(); public string? Next { get; set; } }
            class Export
            {
                public async Task RunAsync(HttpClient client, List<string> all)
                {
                    string? cursor = null;
                    [|do|]
                    {
                        var page = await client.GetFromJsonAsync<Page>("https://api.example.com/v1/items?cursor=" + cursor);
                        cursor = page!.Next;
                        if (page.Items.Count == 0) continue;
                        all.AddRange(page.Items);
                        await Task.Delay(1000);
                    }
                    while (cursor != null);
                }
            }
            """,

        ["a helper that waits on only one of its paths does not pace"] = Usings + """
            class Page { public List<string> Items { get; set; } = new(); public string? Next { get; set; } }
            class Export
            {
                private static async Task PaceAsync(Page page)
                {
                    if (page.Items.Count < 100) return;
                    await Task.Delay(1000);
                }

                public async Task RunAsync(HttpClient client)
                {
                    string? cursor = null;
                    [|do|]
                    {
                        var page = await client.GetFromJsonAsync<Page>("https://api.example.com/v1/items?cursor=" + cursor);
                        cursor = page!.Next;
                        await PaceAsync(page);
                    }
                    while (cursor != null);
                }
            }
            """,

        ["a wait in a loop over the page's items is skipped on an empty page"] = Usings + """
            class Page { public List<string> Items { get; set; } = new(); public string? Next { get; set; } }
            class Mirror
            {
                public async Task RunAsync(HttpClient client, Func<string, Task> saveAsync)
                {
                    string? cursor = null;
                    [|do|]
                    {
                        var page = await client.GetFromJsonAsync<Page>("https://api.example.com/v1/items?cursor=" + cursor);
                        foreach (var item in page!.Items)
                        {
                            await saveAsync(item);
                            await Task.Delay(100);
                        }

                        cursor = page.Next;
                    }
                    while (cursor != null);
                }
            }
            """,

        ["a SemaphoreSlim bounds concurrency but does not pace"] = Usings + """
            class Page { public List<string> Items { get; set; } = new(); public string? Next { get; set; } }
            class Export
            {
                private readonly SemaphoreSlim _gate = new(1);
                public async Task RunAsync(HttpClient client)
                {
                    string? cursor = null;
                    [|do|]
                    {
                        await _gate.WaitAsync();
                        try
                        {
                            var page = await client.GetFromJsonAsync<Page>("https://api.example.com/v1/items?cursor=" + cursor);
                            cursor = page!.Next;
                        }
                        finally { _gate.Release(); }
                    }
                    while (cursor != null);
                }
            }
            """,

        ["a Polly pipeline with only a retry does not pace"] = Usings + """
            using Polly;
            using Polly.Retry;
            class Page { public List<string> Items { get; set; } = new(); public string? Next { get; set; } }
            class Export
            {
                private readonly ResiliencePipeline _pipeline = new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions()).Build();
                public async Task RunAsync(HttpClient client, CancellationToken cancellationToken)
                {
                    string? cursor = null;
                    [|do|]
                    {
                        var page = await _pipeline.ExecuteAsync(async ct => await client.GetFromJsonAsync<Page>("https://api.example.com/v1/items?cursor=" + cursor, ct), cancellationToken);
                        cursor = page!.Next;
                    }
                    while (cursor != null);
                }
            }
            """,

        ["nested paging loop: only the inner loop"] = Usings + """
            class Page { public List<string> Items { get; set; } = new(); public string? Next { get; set; } }
            class Export
            {
                public async Task RunAsync(HttpClient client, string[] accounts)
                {
                    foreach (var account in accounts)
                    {
                        string? cursor = null;
                        [|do|]
                        {
                            var page = await client.GetFromJsonAsync<Page>($"https://api.example.com/v1/accounts/{account}/items?cursor={cursor}");
                            cursor = page!.Next;
                        }
                        while (cursor != null);
                    }
                }
            }
            """,

        ["nested paging loops: the outer one pages too, only the inner one is reported"] = Usings + """
            class AccountPage { public List<string> Accounts { get; set; } = new(); public string? Next { get; set; } }
            class ItemPage { public List<string> Items { get; set; } = new(); public string? Next { get; set; } }
            class Export
            {
                public async Task RunAsync(HttpClient client, Dictionary<string, List<string>> itemsByAccount)
                {
                    string? accountCursor = null;
                    do
                    {
                        var accounts = await client.GetFromJsonAsync<AccountPage>("https://api.example.com/v1/accounts?cursor=" + accountCursor);
                        foreach (var account in accounts!.Accounts)
                        {
                            var items = itemsByAccount[account] = new List<string>();
                            string? itemCursor = null;
                            [|do|]
                            {
                                var page = await client.GetFromJsonAsync<ItemPage>($"https://api.example.com/v1/accounts/{account}/items?cursor={itemCursor}");
                                items.AddRange(page!.Items);
                                itemCursor = page.Next;
                            }
                            while (itemCursor != null);
                        }

                        accountCursor = accounts.Next;
                    }
                    while (accountCursor != null);
                }
            }
            """,

        ["PatchAsync in batches with a continuation token"] = Usings + """
            class BatchResult { public string? Continuation { get; set; } }
            class Tagging
            {
                public async Task TagAllAsync(HttpClient client, string tag)
                {
                    string? continuation = null;
                    [|do|]
                    {
                        using var response = await client.PatchAsync(
                            "https://api.example.com/v1/records?continuation=" + continuation,
                            JsonContent.Create(new { add_tags = new[] { tag } }));
                        var result = await response.Content.ReadFromJsonAsync<BatchResult>();
                        continuation = result?.Continuation;
                    }
                    while (continuation != null);
                }
            }
            """,

        ["DeleteAsync following the Location of the next batch"] = Usings + """
            class Purge
            {
                public async Task<int> PurgeAsync(HttpClient client, DateTime before)
                {
                    var batches = 0;
                    string? url = $"https://api.example.com/v1/messages?before={before:O}";
                    [|while|] (url != null)
                    {
                        using var response = await client.DeleteAsync(url);
                        url = response.Headers.Location?.ToString();
                        batches++;
                    }

                    return batches;
                }
            }
            """,

        ["SendAsync with a page token in the URL"] = Usings + """
            class AuditLog
            {
                public async Task ReadAsync(HttpClient client, List<string> lines)
                {
                    string? pageToken = null;
                    [|for|] (;;)
                    {
                        using var request = new HttpRequestMessage(HttpMethod.Get, "https://api.example.com/v1/audit-log?page_token=" + pageToken);
                        using var response = await client.SendAsync(request);
                        lines.Add(await response.Content.ReadAsStringAsync());
                        if (!response.Headers.TryGetValues("X-Next-Page-Token", out var tokens)) break;
                        pageToken = tokens.First();
                    }
                }
            }
            """,

        ["PostAsync search with the cursor in a JSON body"] = Usings + """
            class Hits { public List<string> Ids { get; set; } = new(); public string? After { get; set; } }
            class Search
            {
                public async Task<List<string>> AllIdsAsync(HttpClient client, string query)
                {
                    var ids = new List<string>();
                    string? after = null;
                    [|while|] (true)
                    {
                        var body = new StringContent(JsonSerializer.Serialize(new { query, after }), System.Text.Encoding.UTF8, "application/json");
                        using var response = await client.PostAsync("https://api.example.com/v1/search", body);
                        var hits = JsonSerializer.Deserialize<Hits>(await response.Content.ReadAsStringAsync())!;
                        ids.AddRange(hits.Ids);
                        if (hits.After is null) return ids;
                        after = hits.After;
                    }
                }
            }
            """,

        ["GetByteArrayAsync part after part until an empty one"] = Usings + """
            using System.IO;
            class Archive
            {
                public async Task DownloadAsync(HttpClient client, Stream output)
                {
                    [|for|] (var part = 0; ; part++)
                    {
                        var bytes = await client.GetByteArrayAsync($"https://api.example.com/v1/archives/latest/parts/{part}");
                        if (bytes.Length == 0) break;
                        await output.WriteAsync(bytes);
                    }
                }
            }
            """,

        ["GetStreamAsync read with JsonSerializer"] = Usings + """
            class Page { public List<string> Items { get; set; } = new(); public string? Next { get; set; } }
            class Export
            {
                public async Task RunAsync(HttpClient client, List<string> all)
                {
                    string? next = "https://api.example.com/v1/items";
                    [|do|]
                    {
                        await using var stream = await client.GetStreamAsync(next);
                        var page = await JsonSerializer.DeserializeAsync<Page>(stream);
                        all.AddRange(page!.Items);
                        next = page.Next;
                    }
                    while (next != null);
                }
            }
            """,

        ["known rate-limited endpoint, loop of any shape"] = Usings + """
            class Ingest
            {
                public async Task SendAllAsync(HttpClient client, IEnumerable<object> events)
                {
                    [|foreach|] (var e in events)
                    {
                        await client.PostAsJsonAsync("https://api.archiva.app/api/ingest/event", e);
                    }
                }
            }
            """,

        ["known endpoint reached through a relative distinctive path"] = Usings + """
            class Page { public List<string> Items { get; set; } = new(); }
            class Export
            {
                public async Task RunAsync(HttpClient client, string[] days)
                {
                    [|for|] (var i = 0; i < days.Length; i++)
                    {
                        await client.GetFromJsonAsync<Page>("/beta/analytics/call/lists?start_ts=" + days[i]);
                    }
                }
            }
            """,

        ["lambda body loop is analysed on its own"] = Usings + """
            class Page { public List<string> Items { get; set; } = new(); public string? Next { get; set; } }
            class Export
            {
                public Func<Task> Job(HttpClient client) => async () =>
                {
                    string? cursor = null;
                    [|do|]
                    {
                        var page = await client.GetFromJsonAsync<Page>("https://api.example.com/v1/items?cursor=" + cursor);
                        cursor = page!.Next;
                    }
                    while (cursor != null);
                };
            }
            """,

        // The real-code patterns behind misses (realcode-patterns.md M-5, M-7), in more than one shape.
        ["M-5 sync: a paging loop through WebClient.DownloadString"] = Usings + """
            class Export
            {
                public List<string> All()
                {
                    #pragma warning disable SYSLIB0014
                    using var web = new System.Net.WebClient();
                    #pragma warning restore SYSLIB0014
                    var all = new List<string>();
                    string? next = "https://api.example.com/v1/items";
                    [|while|] (next != null)
                    {
                        using var page = JsonDocument.Parse(web.DownloadString(next));
                        foreach (var item in page.RootElement.GetProperty("items").EnumerateArray()) all.Add(item.GetString()!);
                        next = page.RootElement.TryGetProperty("next", out var link) ? link.GetString() : null;
                    }
                    return all;
                }
            }
            """,

        ["M-5 async: a paging loop through HttpWebRequest.GetResponseAsync in a record"] = Usings + """
            record Export(string Root)
            {
                public async Task<int> CountAsync()
                {
                    var total = 0;
                    [|for|] (var page = 1; ; page++)
                    {
                        #pragma warning disable SYSLIB0014
                        var request = (System.Net.HttpWebRequest)System.Net.WebRequest.Create(Root + "/items?page=" + page);
                        #pragma warning restore SYSLIB0014
                        using var response = await request.GetResponseAsync();
                        var items = JsonSerializer.Deserialize<List<string>>(response.GetResponseStream());
                        if (items is null || items.Count == 0) return total;
                        total += items.Count;
                    }
                }
            }
            """,

        ["M-7 async: cursor assigned inside a nested foreach, exit on a counter"] = Usings + """
            static class Guilds
            {
                private static readonly HttpClient Http = new();
                public static async IAsyncEnumerable<string> AllAsync()
                {
                    var after = "0";
                    [|while|] (true)
                    {
                        var page = JsonDocument.Parse(await Http.GetStringAsync("https://chat.example.com/api/guilds?limit=100&after=" + after)).RootElement;
                        var count = 0;
                        foreach (var g in page.EnumerateArray()) { after = g.GetProperty("id").GetString()!; count++; yield return after; }
                        if (count <= 0) yield break;
                    }
                }
            }
            """,

        ["M-7 sync: cursor assigned inside a nested foreach in a record, exit on a flag"] = Usings + """
            record Guilds(HttpClient Http)
            {
                public List<string> All()
                {
                    var all = new List<string>();
                    var after = "0";
                    var more = true;
                    [|while|] (more)
                    {
                        var page = JsonDocument.Parse(Http.Send(new HttpRequestMessage(HttpMethod.Get, "https://chat.example.com/api/guilds?limit=100&after=" + after)).Content.ReadAsStream()).RootElement;
                        more = false;
                        foreach (var g in page.EnumerateArray()) { after = g.GetProperty("id").GetString()!; all.Add(after); more = true; }
                    }
                    return all;
                }
            }
            """,

        ["a handler whose only policy has a base address of another API (a local)"] = Usings + """
            using RateLimitAnalyzers.Pacing;
            class Page { public List<string> Items { get; set; } = new(); public string? Next { get; set; } }
            class Export
            {
                public async Task RunAsync(CancellationToken cancellationToken)
                {
                    var archiva = new RateLimitPolicy("api.archiva.app/api/ingest/event", new QuotaWindow(100, TimeSpan.FromSeconds(60))) { BaseAddress = "https://api.archiva.app/" };
                    using var client = new HttpClient(new RateLimitedHandler(archiva));
                    string? cursor = null;
                    [|do|]
                    {
                        var page = await client.GetFromJsonAsync<Page>("https://api.example.com/v1/items?cursor=" + cursor, cancellationToken);
                        cursor = page!.Next;
                    }
                    while (cursor != null);
                }
            }
            """,
        // The real-code pattern M-6 (realcode-patterns.md): sends deeper than three of the user's methods down, the way
        // an SDK layers a client over a connection over an HTTP adapter (octokit.net's ApiConnection -> Connection -> ...).
        ["M-6 async: a send four calls deep through instance methods"] = Usings + """
            class Page { public List<string> Items { get; set; } = new(); public string? Next { get; set; } }
            class Transport
            {
                private readonly HttpClient _client = new();
                public async Task<string> TransmitAsync(string url) { using var response = await _client.GetAsync(url); return await response.Content.ReadAsStringAsync(); }
            }
            class Connection
            {
                private readonly Transport _transport = new();
                public Task<string> FetchAsync(string url) => _transport.TransmitAsync(url);
            }
            class Api
            {
                private readonly Connection _connection = new();
                public async Task<Page?> PageAsync(string? cursor) => JsonSerializer.Deserialize<Page>(await LoadAsync("https://api.example.com/v1/items?cursor=" + cursor));
                private Task<string> LoadAsync(string url) => _connection.FetchAsync(url);
            }
            class Export
            {
                public async Task RunAsync(Api api)
                {
                    string? cursor = null;
                    [|do|]
                    {
                        var page = await api.PageAsync(cursor);
                        cursor = page?.Next;
                    }
                    while (cursor != null);
                }
            }
            """,

        ["M-6 async: a send six calls deep through interfaces implemented here and a static helper"] = Usings + """
            class Page { public List<string> Items { get; set; } = new(); public string? Next { get; set; } }
            interface IApiConnection { Task<Page?> GetPageAsync(string url); }
            interface IConnection { Task<string> ExchangeAsync(HttpMethod method, string url); }
            sealed class HttpAdapter
            {
                private readonly HttpClient _client = new();
                public Task<string> DispatchAsync(HttpRequestMessage request) => TransmitAsync(request);
                private async Task<string> TransmitAsync(HttpRequestMessage request) { using var response = await _client.SendAsync(request); return await response.Content.ReadAsStringAsync(); }
            }
            static class Requests
            {
                public static Task<string> TransferAsync(HttpAdapter adapter, HttpMethod method, string url) => adapter.DispatchAsync(new HttpRequestMessage(method, url));
            }
            sealed class Connection : IConnection
            {
                private readonly HttpAdapter _adapter = new();
                public Task<string> ExchangeAsync(HttpMethod method, string url) => Requests.TransferAsync(_adapter, method, url);
            }
            sealed class ApiConnection : IApiConnection
            {
                private readonly IConnection _connection = new Connection();
                public async Task<Page?> GetPageAsync(string url) => JsonSerializer.Deserialize<Page>(await _connection.ExchangeAsync(HttpMethod.Get, url));
            }
            sealed class IssuesClient
            {
                private readonly IApiConnection _api = new ApiConnection();
                public Task<Page?> ListAsync(string? cursor) => _api.GetPageAsync("https://api.example.com/v1/issues?cursor=" + cursor);
            }
            class Export
            {
                public async Task<List<string>> RunAsync(IssuesClient issues)
                {
                    var all = new List<string>();
                    string? cursor = null;
                    [|while|] (true)
                    {
                        var page = await issues.ListAsync(cursor);
                        if (page is null || page.Items.Count == 0) break;
                        all.AddRange(page.Items);
                        cursor = page.Next;
                    }
                    return all;
                }
            }
            """,

        ["M-6 async: a send eight calls deep through instance methods, an interface, a static helper and a delegate parameter"] = Usings + """
            class Page { public List<string> Items { get; set; } = new(); public string? Next { get; set; } }
            interface IConnection { Task<string> ExchangeAsync(string url); }
            sealed class HttpAdapter
            {
                private readonly HttpClient _client = new();
                public Task<string> DispatchAsync(string url) => EncodeAsync(new HttpRequestMessage(HttpMethod.Get, url));
                private Task<string> EncodeAsync(HttpRequestMessage request) { request.Headers.Add("Accept", "application/json"); return TransmitAsync(request); }
                private async Task<string> TransmitAsync(HttpRequestMessage request) { using var response = await _client.SendAsync(request); return await response.Content.ReadAsStringAsync(); }
            }
            static class Timing
            {
                // Runs what it is given and logs how long it took: it sends what its callers' lambdas send.
                public static async Task<T> TimedAsync<T>(Func<Task<T>> action)
                {
                    var started = DateTime.UtcNow;
                    try { return await action(); }
                    finally { Console.WriteLine(DateTime.UtcNow - started); }
                }
                public static Task<string> TransferAsync(HttpAdapter adapter, string url) => adapter.DispatchAsync(url);
            }
            sealed class Connection : IConnection
            {
                private readonly HttpAdapter _adapter = new();
                public Task<string> ExchangeAsync(string url) => Timing.TimedAsync(() => Timing.TransferAsync(_adapter, url));
            }
            sealed class ApiConnection
            {
                private readonly IConnection _connection = new Connection();
                public async Task<Page?> GetPageAsync(string url) => JsonSerializer.Deserialize<Page>(await _connection.ExchangeAsync(url));
            }
            sealed class Pager
            {
                private readonly ApiConnection _api = new();
                public Task<Page?> NextAsync(string? cursor) => _api.GetPageAsync("https://api.example.com/v1/events?cursor=" + cursor);
            }
            class Export
            {
                public async Task RunAsync(Pager pager)
                {
                    string? cursor = null;
                    [|do|]
                    {
                        var page = await pager.NextAsync(cursor);
                        cursor = page?.Next;
                    }
                    while (cursor != null);
                }
            }
            """,

        ["M-6 sync: a send five calls deep in a record, through WebClient"] = Usings + """
            record Page(List<string> Items, string? Next);
            record Transport(System.Net.WebClient Client)
            {
                #pragma warning disable SYSLIB0014
                public string Download(string url) => Client.DownloadString(url);
                #pragma warning restore SYSLIB0014
            }
            record Connection(Transport Transport)
            {
                public string Fetch(string url) => Transport.Download(url);
            }
            record Api(Connection Connection)
            {
                public Page? Page(string? cursor) => JsonSerializer.Deserialize<Page>(Load("https://api.example.com/v1/items?cursor=" + cursor));
                private string Load(string url) => Read(url);
                private string Read(string url) => Connection.Fetch(url);
            }
            class Export
            {
                public void Run(Api api)
                {
                    string? cursor = null;
                    [|do|]
                    {
                        var page = api.Page(cursor);
                        cursor = page?.Next;
                    }
                    while (cursor != null);
                }
            }
            """,

        ["M-6 async: mutually recursive helpers on the way to the send"] = Usings + """
            class Node { public List<Node> Children { get; set; } = new(); public string? Url { get; set; } }
            class Page { public List<string> Items { get; set; } = new(); public string? Next { get; set; } }
            class Api
            {
                private readonly HttpClient _client = new();
                public async Task<Page?> PageAsync(string? cursor)
                {
                    var root = new Node { Url = "https://api.example.com/v1/items?cursor=" + cursor };
                    return JsonSerializer.Deserialize<Page>(await VisitAsync(root, 0));
                }
                private async Task<string> VisitAsync(Node node, int level) =>
                    node.Url is { } url ? await FetchAsync(url) : await VisitChildrenAsync(node, level + 1);
                private async Task<string> VisitChildrenAsync(Node node, int level)
                {
                    var text = "";
                    foreach (var child in node.Children) text += await VisitAsync(child, level);
                    return text;
                }
                private Task<string> FetchAsync(string url) => ReadAsync(url);
                private Task<string> ReadAsync(string url) => _client.GetStringAsync(url);
            }
            class Export
            {
                public async Task RunAsync(Api api)
                {
                    string? cursor = null;
                    [|do|]
                    {
                        var page = await api.PageAsync(cursor);
                        cursor = page?.Next;
                    }
                    while (cursor != null);
                }
            }
            """,

        // A paginator that keeps the page it received in its object and asks for the next one from it (ZendeskApiClient's
        // CursorPaginatedIterator): the loop never names the cursor, the method it calls both reads and replaces it.
        ["async: a paginator's method asks for the page its last answer points to, and keeps the new answer in its object"] = Usings + """
            class Links { public string? Next { get; set; } }
            class Meta { public bool HasMore { get; set; } }
            class Page { public List<string> Items { get; set; } = new(); public Links Links { get; set; } = new(); public Meta Meta { get; set; } = new(); }
            class Iterator
            {
                private readonly HttpClient _client = new();
                public Iterator(Page first) { Response = first; }
                public Page Response { get; set; }
                public bool HasMore() => Response.Meta.HasMore;
                public async Task NextPage() { await ExecuteRequest(Response.Links.Next!); }
                public async IAsyncEnumerable<string> All()
                {
                    foreach (var item in Response.Items) yield return item;
                    [|while|] (HasMore())
                    {
                        await NextPage();
                        foreach (var item in Response.Items) yield return item;
                    }
                }
                private async Task ExecuteRequest(string url)
                {
                    var message = await _client.GetAsync(url);
                    var body = await message.Content.ReadAsStringAsync();
                    Response = JsonSerializer.Deserialize<Page>(body)!;
                }
            }
            """,

        ["sync, in a record: the loop calls a pager on another object, which sends with its cursor field and sets it from the answer"] = Usings + """
            class Page { public List<string> Items { get; set; } = new(); public string? Next { get; set; } }
            record Pager(HttpClient Client)
            {
                private string? _cursor;
                public bool Done { get; private set; }
                public List<string> Fetch()
                {
                    using var response = Client.Send(new HttpRequestMessage(HttpMethod.Get, "https://api.example.com/v1/items?cursor=" + _cursor));
                    var page = JsonSerializer.Deserialize<Page>(response.Content.ReadAsStream())!;
                    _cursor = page.Next;
                    Done = page.Next is null;
                    return page.Items;
                }
            }
            class Export
            {
                public List<string> Drain(Pager pager)
                {
                    var all = new List<string>();
                    [|while|] (!pager.Done)
                    {
                        all.AddRange(pager.Fetch());
                    }
                    return all;
                }
            }
            """,

        // octokit.graphql.net's Run: `while (await run.RunPage(ct)) { }` over an interface whose implementation keeps the
        // next cursor in a dictionary of its object and sends with it.
        ["async: a pager behind an interface, called in the loop's condition, keeps its cursor in a dictionary it sends"] = Usings + """
            class Page { public string EndCursor { get; set; } = ""; public bool HasNextPage { get; set; } }
            interface IRunner { Task<bool> RunPage(CancellationToken cancellationToken); }
            class PagedRunner : IRunner
            {
                private readonly HttpClient _client = new();
                private Dictionary<string, string> Variables { get; } = new() { ["after"] = "" };
                public async Task<bool> RunPage(CancellationToken cancellationToken)
                {
                    var json = await _client.GetStringAsync("https://api.example.com/graphql?after=" + Variables["after"], cancellationToken);
                    var page = JsonSerializer.Deserialize<Page>(json)!;
                    Variables["after"] = page.EndCursor;
                    return page.HasNextPage;
                }
            }
            static class Runs
            {
                public static async Task RunAll(IRunner run, CancellationToken cancellationToken)
                {
                    [|while|] (await run.RunPage(cancellationToken).ConfigureAwait(false)) { }
                }
            }
            """,

        ["async: a method sends its object's stream position through a local and moves it to the position the answer gives"] = Usings + """
            class Batch { public List<string> Entries { get; set; } = new(); public long NextPosition { get; set; } }
            class Feed
            {
                private readonly HttpClient _client = new();
                private long _position;
                public async Task<List<string>> PullAsync(CancellationToken cancellationToken)
                {
                    var url = $"https://api.example.com/v1/events?stream_position={_position}";
                    var batch = await _client.GetFromJsonAsync<Batch>(url, cancellationToken);
                    _position = batch!.NextPosition;
                    return batch.Entries;
                }
                public async Task<List<string>> DrainAsync(CancellationToken cancellationToken)
                {
                    var all = new List<string>();
                    [|do|]
                    {
                        var entries = await PullAsync(cancellationToken);
                        if (entries.Count == 0) return all;
                        all.AddRange(entries);
                    }
                    while (!cancellationToken.IsCancellationRequested);
                    return all;
                }
            }
            """,
        // A token fetched once per object (`??=`) and a page fetched on every pass: the token is no repeated request,
        // the pages are.
        ["a token kept once in a field beside a cursor loop that fetches a page every pass"] = Usings + """
            class Page { public List<string> Items { get; set; } = new(); public string? Next { get; set; } }
            class Export
            {
                private readonly HttpClient _client = new();
                private string? _token;
                public async Task<List<string>> AllAsync()
                {
                    var all = new List<string>();
                    string? cursor = null;
                    [|do|]
                    {
                        _token ??= await _client.GetStringAsync("https://api.example.com/v1/token");
                        var page = await _client.GetFromJsonAsync<Page>("https://api.example.com/v1/items?token=" + _token + "&cursor=" + cursor);
                        all.AddRange(page!.Items);
                        cursor = page.Next;
                    }
                    while (cursor is not null);
                    return all;
                }
            }
            """,
    };

    /// <summary>Loops RL0001 leaves alone.</summary>
    public static readonly IReadOnlyDictionary<string, string> NotReported = new Dictionary<string, string>
    {
        // A request per chunk of the caller's text, stopping at the first one flagged (OpenAI-DotNet's chunked
        // moderation): the loop walks the text and stops on an answer; it does not page, and the endpoint is not
        // catalogued. The same with an array's items, and with a range of a string.
        ["a request per chunk of the caller's text, stopping at the first one flagged"] = Usings + """
            class Moderation
            {
                public async Task<bool> AnyFlaggedAsync(HttpClient client, string input, int size)
                {
                    for (var i = 0; i < input.Length; i += size)
                    {
                        var text = input.Substring(i, Math.Min(size, input.Length - i));
                        var response = await client.PostAsJsonAsync("https://moderation.example.com/check", new { input = text });
                        var flagged = await response.Content.ReadFromJsonAsync<bool>();
                        if (flagged) return true;
                    }
                    return false;
                }
            }
            """,

        ["a request per item of an array, stopping at the first answer"] = Usings + """
            class Lookup
            {
                public string? FindOwner(HttpClient client, string[] ids)
                {
                    for (int i = 0; i < ids.Length; i++)
                    {
                        var owner = client.GetStringAsync("https://directory.example.com/owners/" + ids[i]).Result;
                        if (owner.Length > 0) return owner;
                    }
                    return null;
                }
            }
            """,

        ["a request per range of a string, stopping at the first answer"] = Usings + """
            class Moderation
            {
                public async Task<bool> AnyFlaggedAsync(HttpClient client, string input)
                {
                    for (var i = 0; i < input.Length; i += 900)
                    {
                        var flagged = await client.GetFromJsonAsync<bool>("https://moderation.example.com/check?text=" + input[i..(i + 1000 > input.Length ? ^1 : i + 1000)]);
                        if (flagged) break;
                    }
                    return false;
                }
            }
            """,

        ["Task.Delay at the top of the body"] = Usings + """
            class Page { public List<string> Items { get; set; } = new(); public string? Next { get; set; } }
            class Export
            {
                public async Task RunAsync(HttpClient client, CancellationToken cancellationToken)
                {
                    string? cursor = null;
                    do
                    {
                        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                        var page = await client.GetFromJsonAsync<Page>("https://api.example.com/v1/items?cursor=" + cursor, cancellationToken);
                        cursor = page!.Next;
                    }
                    while (cursor != null);
                }
            }
            """,

        ["a delay on each arm of an if"] = Usings + """
            class Page { public List<string> Items { get; set; } = new(); public string? Next { get; set; } }
            class Export
            {
                public async Task RunAsync(HttpClient client)
                {
                    string? cursor = null;
                    do
                    {
                        var page = await client.GetFromJsonAsync<Page>("https://api.example.com/v1/items?cursor=" + cursor);
                        cursor = page!.Next;
                        if (page.Items.Count == 0) await Task.Delay(500);
                        else await Task.Delay(1000);
                    }
                    while (cursor != null);
                }
            }
            """,

        ["a delay in every section of a switch"] = Usings + """
            class Page { public List<string> Items { get; set; } = new(); public string? Next { get; set; } }
            class Export
            {
                public async Task RunAsync(HttpClient client, CancellationToken cancellationToken)
                {
                    string? cursor = null;
                    while (true)
                    {
                        var page = await client.GetFromJsonAsync<Page>("https://api.example.com/v1/items?cursor=" + cursor, cancellationToken);
                        switch (page!.Items.Count)
                        {
                            case 0:
                                await Task.Delay(5000, cancellationToken);
                                break;
                            default:
                                await Task.Delay(1000, cancellationToken);
                                break;
                        }

                        if (page.Next is null) break;
                        cursor = page.Next;
                    }
                }
            }
            """,

        ["Thread.Sleep in a finally, which a continue passes through too"] = Usings + """
            class Report
            {
                public void Download(HttpClient client, List<string> rows)
                {
                    for (var page = 1; ; page++)
                    {
                        try
                        {
                            using var response = client.Send(new HttpRequestMessage(HttpMethod.Get, "https://api.example.com/v1/report/rows?page=" + page));
                            if (!response.Headers.TryGetValues("X-Rows", out var values)) continue;
                            var row = values.First();
                            if (row.Length == 0) break;
                            rows.Add(row);
                        }
                        finally
                        {
                            Thread.Sleep(250);
                        }
                    }
                }
            }
            """,

        ["a helper that waits on each of its paths"] = Usings + """
            class Page { public List<string> Items { get; set; } = new(); public string? Next { get; set; } }
            class Export
            {
                // An empty page means the export is still being prepared: give it longer.
                private static Task PaceAsync(Page page) => page.Items.Count == 0 ? Task.Delay(5000) : Task.Delay(1000);

                public async Task<int> CountAsync(HttpClient client)
                {
                    var count = 0;
                    var url = "https://api.example.com/v1/items";
                    while (url != null)
                    {
                        var page = await client.GetFromJsonAsync<Page>(url);
                        count += page!.Items.Count;
                        url = page.Next;
                        await PaceAsync(page);
                    }

                    return count;
                }
            }
            """,

        ["a continue before the request needs no wait"] = Usings + """
            class Report { public List<string> Rows { get; set; } = new(); public int TotalPages { get; set; } }
            class Resume
            {
                // Pages an earlier run saved are skipped without a request, so they need no wait either.
                public async Task RunAsync(HttpClient client, Dictionary<int, List<string>> saved)
                {
                    var totalPages = 1;
                    for (var page = 1; page <= totalPages; page++)
                    {
                        if (saved.ContainsKey(page)) continue;
                        var report = await client.GetFromJsonAsync<Report>("https://api.example.com/v1/report?page=" + page);
                        saved[page] = report!.Rows;
                        totalPages = report.TotalPages;
                        await Task.Delay(1000);
                    }
                }
            }
            """,

        ["Thread.Sleep at the bottom of a synchronous loop"] = Usings + """
            class Export
            {
                public void Run(HttpClient client)
                {
                    string? token = null;
                    do
                    {
                        using var response = client.Send(new HttpRequestMessage(HttpMethod.Get, "https://api.example.com/v1/items?token=" + token));
                        token = response.Headers.TryGetValues("X-Next-Token", out var values) ? values.First() : null;
                        Thread.Sleep(1000);
                    }
                    while (token != null);
                }
            }
            """,

        ["PeriodicTimer in the loop condition"] = Usings + """
            class Page { public List<string> Items { get; set; } = new(); public string? Next { get; set; } }
            class Export
            {
                public async Task RunAsync(HttpClient client, CancellationToken cancellationToken)
                {
                    using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
                    string? cursor = "";
                    while (cursor != null && await timer.WaitForNextTickAsync(cancellationToken))
                    {
                        var page = await client.GetFromJsonAsync<Page>("https://api.example.com/v1/items?cursor=" + cursor, cancellationToken);
                        cursor = page!.Next;
                    }
                }
            }
            """,

        ["RateLimiter.AcquireAsync"] = Usings + """
            using System.Threading.RateLimiting;
            class Page { public List<string> Items { get; set; } = new(); public string? Next { get; set; } }
            class Export
            {
                private readonly RateLimiter _limiter = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions { TokenLimit = 1, TokensPerPeriod = 1, ReplenishmentPeriod = TimeSpan.FromSeconds(1), QueueLimit = 10 });
                public async Task RunAsync(HttpClient client, CancellationToken cancellationToken)
                {
                    string? cursor = null;
                    do
                    {
                        using var lease = await _limiter.AcquireAsync(1, cancellationToken);
                        var page = await client.GetFromJsonAsync<Page>("https://api.example.com/v1/items?cursor=" + cursor, cancellationToken);
                        cursor = page!.Next;
                    }
                    while (cursor != null);
                }
            }
            """,

        ["RateLimiter.AttemptAcquire in a synchronous loop"] = Usings + """
            using System.Threading.RateLimiting;
            class Export
            {
                public void Run(HttpClient client, RateLimiter limiter)
                {
                    string? token = null;
                    do
                    {
                        using var lease = limiter.AttemptAcquire();
                        using var response = client.Send(new HttpRequestMessage(HttpMethod.Get, "https://api.example.com/v1/items?token=" + token));
                        token = response.Headers.TryGetValues("X-Next-Token", out var values) ? values.First() : null;
                    }
                    while (token != null);
                }
            }
            """,

        ["Polly pipeline with a rate limiter"] = Usings + """
            using Polly;
            using System.Threading.RateLimiting;
            class Page { public List<string> Items { get; set; } = new(); public string? Next { get; set; } }
            class Export
            {
                private readonly ResiliencePipeline _pipeline = new ResiliencePipelineBuilder()
                    .AddRateLimiter(new SlidingWindowRateLimiter(new SlidingWindowRateLimiterOptions { PermitLimit = 1, Window = TimeSpan.FromSeconds(1), SegmentsPerWindow = 1, QueueLimit = 100 }))
                    .Build();
                public async Task RunAsync(HttpClient client, CancellationToken cancellationToken)
                {
                    string? cursor = null;
                    do
                    {
                        var page = await _pipeline.ExecuteAsync(async ct => await client.GetFromJsonAsync<Page>("https://api.example.com/v1/items?cursor=" + cursor, ct), cancellationToken);
                        cursor = page!.Next;
                    }
                    while (cursor != null);
                }
            }
            """,

        ["the package's pacer"] = Usings + """
            using RateLimitAnalyzers.Pacing;
            class Page { public List<string> Items { get; set; } = new(); public string? Next { get; set; } }
            class Export
            {
                public async Task RunAsync(HttpClient client, CancellationToken cancellationToken)
                {
                    string? cursor = null;
                    do
                    {
                        await RequestPacer.Shared("api.example.com/v1/items", QuotaWindow.PerSecond(2)).WaitTurnAsync(cancellationToken);
                        var page = await client.GetFromJsonAsync<Page>("https://api.example.com/v1/items?cursor=" + cursor, cancellationToken);
                        cursor = page!.Next;
                    }
                    while (cursor != null);
                }
            }
            """,

        ["a client made with the runtime's retrying handler, as the RL0002 fix writes it"] = Usings + """
            using RateLimitAnalyzers.Pacing;
            class Ingest
            {
                private static readonly HttpClient s_client = new HttpClient(new RateLimitedHandler(
                    new RateLimitPolicy("api.archiva.app/api/ingest/event", new QuotaWindow(100, TimeSpan.FromSeconds(60))) { ThrottleBodyContains = "\"error\":\"Rate limit exceeded\"" }));

                public async Task PostAllAsync(IEnumerable<string> ids, CancellationToken cancellationToken)
                {
                    foreach (var id in ids)
                    {
                        using var response = await s_client.PostAsJsonAsync("https://api.archiva.app/api/ingest/event", new { entityId = id }, cancellationToken);
                    }
                }
            }
            """,

        ["a helper the loop calls waits"] = Usings + """
            class Page { public List<string> Items { get; set; } = new(); public string? Next { get; set; } }
            class Export
            {
                private static Task PaceAsync(CancellationToken cancellationToken) => WaitAsync(cancellationToken);
                private static async Task WaitAsync(CancellationToken cancellationToken) => await Task.Delay(500, cancellationToken);
                public async Task RunAsync(HttpClient client, CancellationToken cancellationToken)
                {
                    string? cursor = null;
                    do
                    {
                        var page = await client.GetFromJsonAsync<Page>("https://api.example.com/v1/items?cursor=" + cursor, cancellationToken);
                        cursor = page!.Next;
                        await PaceAsync(cancellationToken);
                    }
                    while (cursor != null);
                }
            }
            """,

        ["a helper that paces and sends"] = Usings + """
            class Page { public List<string> Items { get; set; } = new(); public string? Next { get; set; } }
            class Api
            {
                private readonly HttpClient _client = new();
                public async Task<Page?> FetchPageAsync(string? cursor)
                {
                    await Task.Delay(1000);
                    return await _client.GetFromJsonAsync<Page>("https://api.example.com/v1/items?cursor=" + cursor);
                }
            }
            class Export
            {
                public async Task RunAsync(Api api)
                {
                    string? cursor = null;
                    do
                    {
                        var page = await api.FetchPageAsync(cursor);
                        cursor = page?.Next;
                    }
                    while (cursor != null);
                }
            }
            """,

        ["retry loop: the same request until it succeeds"] = Usings + """
            class Export
            {
                public async Task<string> RunAsync(HttpClient client)
                {
                    while (true)
                    {
                        using var response = await client.GetAsync("https://api.example.com/v1/report");
                        if (response.IsSuccessStatusCode) return await response.Content.ReadAsStringAsync();
                    }
                }
            }
            """,

        ["retry loop with a catch and an attempt counter"] = Usings + """
            class Export
            {
                public async Task<string> RunAsync(HttpClient client)
                {
                    for (var attempt = 0; ; attempt++)
                    {
                        try { return await client.GetStringAsync("https://api.archiva.app/api/ingest/event"); }
                        catch (HttpRequestException) when (attempt < 3) { }
                    }
                }
            }
            """,

        ["retry loop posting a request built with an object initializer"] = Usings + """
            class Ingest
            {
                public void Send(HttpClient client, HttpContent content)
                {
                    for (var attempt = 0; attempt < 3; attempt++)
                    {
                        using var response = client.Send(new HttpRequestMessage(HttpMethod.Post, "https://api.archiva.app/api/ingest/event") { Content = content });
                        if (response.IsSuccessStatusCode) return;
                    }
                }
            }
            """,

        ["a Polly pipeline passed in, whose making is out of view, counts as holding a rate limiter"] = Usings + """
            using Polly;
            class Page { public List<string> Items { get; set; } = new(); public string? Next { get; set; } }
            class Export
            {
                public async Task<List<string>> RunAsync(HttpClient client, ResiliencePipeline pipeline, CancellationToken cancellationToken)
                {
                    var all = new List<string>();
                    var url = "https://api.example.com/v1/items";
                    while (true)
                    {
                        var page = await pipeline.ExecuteAsync(async ct => await client.GetFromJsonAsync<Page>(url, ct), cancellationToken);
                        all.AddRange(page!.Items);
                        if (page.Next is null) return all;
                        url = page.Next;
                    }
                }
            }
            """,

        ["a method of a Refit interface without an HTTP attribute sends nothing"] = Usings + """
            using Refit;
            public record OrderBatch(List<string> OrderIds, int? NextOffset);
            public interface IOrdersApi
            {
                [Post("/v2/orders/search")]
                Task<OrderBatch> SearchAsync([Body] object query, [Query] int offset);

                Task<OrderBatch> ReadArchivedBatchAsync(int offset);
            }
            class Replay
            {
                // Only the first batch is fetched; the rest were archived by an earlier run.
                public async Task<List<string>> RunAsync(IOrdersApi api)
                {
                    var first = await api.SearchAsync(new { status = "open" }, 0);
                    var ids = new List<string>(first.OrderIds);
                    var offset = first.NextOffset;
                    while (offset.HasValue)
                    {
                        var batch = await api.ReadArchivedBatchAsync(offset.Value);
                        ids.AddRange(batch.OrderIds);
                        offset = batch.NextOffset;
                    }

                    return ids;
                }
            }
            """,

        ["RestSharp's BuildUri only builds the link"] = Usings + """
            using RestSharp;
            class TotalPages { public int Count { get; set; } }
            class Links
            {
                // The download workers fetch these links at their own pace; this loop sends nothing.
                public async Task<List<Uri>> PageLinksAsync(RestClient client)
                {
                    var total = await client.ExecuteGetAsync<TotalPages>(new RestRequest("v1/items/pages"));
                    var links = new List<Uri>();
                    for (var page = 1; page <= total.Data!.Count; page++)
                    {
                        var uri = client.BuildUri(new RestRequest("v1/items").AddQueryParameter("page", page.ToString()));
                        if (uri.AbsoluteUri.Length > 2048) break;
                        links.Add(uri);
                    }

                    return links;
                }
            }
            """,

        ["loop with no request"] = Usings + """
            class Export
            {
                public int Run(List<string> items)
                {
                    var count = 0;
                    string? cursor = null;
                    do { cursor = items.Count > count ? items[count++] : null; } while (cursor != null);
                    return count;
                }
            }
            """,

        ["fan-out over ids to an unknown endpoint is not paging"] = Usings + """
            class Export
            {
                public async Task RunAsync(HttpClient client, string[] ids)
                {
                    foreach (var id in ids)
                    {
                        await client.GetStringAsync("https://api.example.com/v1/items/" + id);
                    }
                }
            }
            """,

        ["polling the same request until done is not paging"] = Usings + """
            class Job { public bool Done { get; set; } }
            class Export
            {
                public async Task RunAsync(HttpClient client)
                {
                    var done = false;
                    while (!done)
                    {
                        var job = await client.GetFromJsonAsync<Job>("https://api.example.com/v1/jobs/42");
                        done = job!.Done;
                    }
                }
            }
            """,

        ["request only in a branch"] = Usings + """
            class Page { public List<string> Items { get; set; } = new(); public string? Next { get; set; } }
            class Export
            {
                public async Task RunAsync(HttpClient client, List<string> cache)
                {
                    string? cursor = null;
                    do
                    {
                        if (cache.Count > 0) { cursor = null; continue; }
                        if (cursor != "skip")
                        {
                            var page = await client.GetFromJsonAsync<Page>("https://api.example.com/v1/items?cursor=" + cursor);
                            cursor = page!.Next;
                        }
                    }
                    while (cursor != null);
                }
            }
            """,

        ["requests started in a lambda inside the loop"] = Usings + """
            class Page { public string? Next { get; set; } }
            class Export
            {
                public void Run(HttpClient client, List<Func<Task>> work, string[] ids)
                {
                    foreach (var id in ids)
                    {
                        work.Add(async () => await client.GetStringAsync("https://api.archiva.app/api/ingest/event?id=" + id));
                    }
                }
            }
            """,

        // The real-code patterns behind false warnings (realcode-patterns.md F-1 to F-9), each in more than one shape.
        ["F-1 async: a helper that waits when X-RateLimit-Remaining reaches 0 paces the paging loop"] = Usings + """
            static class Chat
            {
                private static readonly HttpClient Http = new() { BaseAddress = new Uri("https://chat.example.com/api/") };
                static async Task<JsonElement> GetAsync(string url)
                {
                    var response = await Http.GetAsync(url);
                    if (response.Headers.TryGetValues("X-RateLimit-Remaining", out var r) && int.Parse(r.First()) <= 0
                        && response.Headers.TryGetValues("X-RateLimit-Reset-After", out var s))
                        await Task.Delay(TimeSpan.FromSeconds(double.Parse(s.First())));
                    return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
                }
                public static async IAsyncEnumerable<string> Messages(string channel)
                {
                    var after = "0";
                    while (true)
                    {
                        var page = await GetAsync($"channels/{channel}/messages?limit=100&after={after}");
                        if (page.GetArrayLength() == 0) yield break;
                        foreach (var m in page.EnumerateArray()) { after = m.GetProperty("id").GetString()!; yield return after; }
                    }
                }
            }
            """,

        ["F-1 sync: a helper that sleeps for Retry-After paces the paging loop"] = Usings + """
            class Feed
            {
                private readonly HttpClient _http = new();
                private JsonElement Get(string url)
                {
                    var response = _http.Send(new HttpRequestMessage(HttpMethod.Get, url));
                    if (response.Headers.RetryAfter?.Delta is { } wait) Thread.Sleep(wait);
                    return JsonDocument.Parse(response.Content.ReadAsStream()).RootElement;
                }
                public List<string> All()
                {
                    var all = new List<string>();
                    string? next = "https://feed.example.com/v1/items";
                    do
                    {
                        var page = Get(next);
                        foreach (var item in page.GetProperty("items").EnumerateArray()) all.Add(item.GetString()!);
                        next = page.TryGetProperty("next", out var link) ? link.GetString() : null;
                    }
                    while (next != null);
                    return all;
                }
            }
            """,

        ["F-1 in a record: the loop waits itself when the RateLimit-Remaining header says so"] = Usings + """
            record Feed(HttpClient Http)
            {
                public async Task<int> CountAsync()
                {
                    var total = 0;
                    for (var page = 1; ; page++)
                    {
                        var response = await Http.GetAsync($"https://feed.example.com/v1/items?page={page}");
                        var items = await response.Content.ReadFromJsonAsync<List<string>>();
                        if (items is null || items.Count == 0) return total;
                        total += items.Count;
                        if (response.Headers.TryGetValues("RateLimit-Remaining", out var left) && left.First() == "0")
                            await Task.Delay(TimeSpan.FromSeconds(int.Parse(response.Headers.GetValues("RateLimit-Reset").First())));
                    }
                }
            }
            """,

        ["F-2 async: an accumulator threaded through a recursive call in a foreach"] = Usings + """
            class State { public int Downloaded; }
            static class Actions
            {
                private static readonly HttpClient Http = new();
                public static async Task<State> Prepare(State state, List<string> actions, int depth)
                {
                    foreach (var a in actions) { await Http.GetByteArrayAsync("https://cdn.example.com/actions/" + a); state.Downloaded++; }
                    if (depth > 5) return state;
                    foreach (var group in actions.Select(a => a + "/child").GroupBy(a => a.Length))
                        state = await Prepare(state, group.ToList(), depth + 1);
                    return state;
                }
            }
            """,

        ["F-2 sync: an accumulator threaded through a recursive call in a record"] = Usings + """
            record Tally(int Count);
            record Crawler(HttpClient Http)
            {
                public Tally Walk(Tally tally, string[] paths, int depth)
                {
                    foreach (var p in paths) { Http.Send(new HttpRequestMessage(HttpMethod.Get, "https://cdn.example.com/tree/" + p)); tally = tally with { Count = tally.Count + 1 }; }
                    if (depth > 3) return tally;
                    foreach (var p in paths)
                        tally = Walk(tally, new[] { p + "/a", p + "/b" }, depth + 1);
                    return tally;
                }
            }
            """,

        ["F-3 async: a retry loop that rebuilds its request per attempt, with a backoff guarded by attempt > 1"] = Usings + """
            class Upload
            {
                private static readonly HttpClient Http = new();
                private static bool IsFastFail(HttpResponseMessage response) => (int)response.StatusCode is 400 or 403;
                public async Task<HttpResponseMessage?> PutAsync(byte[] chunk, CancellationToken ct)
                {
                    HttpResponseMessage? response = null; HttpRequestMessage? request = null;
                    for (int attempt = 1; attempt <= 3; attempt++)
                    {
                        if (attempt > 1) await Task.Delay(TimeSpan.FromSeconds(Random.Shared.Next(5, 10)), ct);
                        request?.Dispose();
                        request = new HttpRequestMessage(HttpMethod.Put, "https://files.example.com/container/1") { Content = new ByteArrayContent(chunk) };
                        try { response = await Http.SendAsync(request, ct); }
                        catch (HttpRequestException) when (attempt < 3) { continue; }
                        if (response.IsSuccessStatusCode || IsFastFail(response)) break;
                    }
                    return response;
                }
            }
            """,

        ["F-3 sync: a while loop that rebuilds its request per attempt and stops on success"] = Usings + """
            class Upload
            {
                private readonly HttpClient _http = new();
                public HttpResponseMessage Put(byte[] chunk)
                {
                    HttpRequestMessage request;
                    HttpResponseMessage response;
                    var attempt = 0;
                    while (true)
                    {
                        attempt++;
                        request = new HttpRequestMessage(HttpMethod.Put, "https://files.example.com/container/1");
                        request.Content = new ByteArrayContent(chunk);
                        response = _http.Send(request);
                        if (response.IsSuccessStatusCode || attempt >= 3) return response;
                        Thread.Sleep(1000 * attempt);
                    }
                }
            }
            """,

        // Kiota's RedirectHandler: each redirect sends the response's own request again (response.RequestMessage) at the
        // Location; the 3xx test is in a predicate.
        ["F-4 async: a redirect handler sends the response's own request again at its Location"] = Usings + """
            using System.Net;
            class RedirectHandler : DelegatingHandler
            {
                private readonly Func<HttpResponseMessage, bool> _shouldRedirect = _ => true;

                protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
                {
                    var response = await base.SendAsync(request, ct);
                    if (!ShouldRedirect(response)) return response;
                    var redirects = 0;
                    while (redirects < 5)
                    {
                        var original = response.RequestMessage;
                        if (original is null) return response;
                        var next = new HttpRequestMessage(response.StatusCode == HttpStatusCode.SeeOther ? HttpMethod.Get : original.Method, response.Headers.Location);
                        foreach (var header in original.Headers) next.Headers.TryAddWithoutValidation(header.Key, header.Value);
                        response = await base.SendAsync(next, ct);
                        if (ShouldRedirect(response)) redirects++;
                        else return response;
                    }

                    throw new InvalidOperationException("Too many redirects.");
                }

                private bool ShouldRedirect(HttpResponseMessage response) => (int)response.StatusCode is >= 300 and < 400 && _shouldRedirect(response);
            }
            """,

        ["sync: a retry that sends the failed response's own request again is no paging"] = Usings + """
            class Report
            {
                public HttpResponseMessage Fetch(HttpClient client)
                {
                    var response = client.Send(new HttpRequestMessage(HttpMethod.Get, "https://api.example.com/v1/report"));
                    for (var attempt = 0; attempt < 3 && (int)response.StatusCode >= 500; attempt++)
                    {
                        Thread.Sleep(1000 << attempt);
                        var again = new HttpRequestMessage(response.RequestMessage!.Method, response.RequestMessage.RequestUri);
                        response = client.Send(again);
                    }

                    return response;
                }
            }
            """,

        ["F-4 async: following redirects by hand in a for loop"] = Usings + """
            class Redirects
            {
                private static readonly HttpClient Http = new(new HttpClientHandler { AllowAutoRedirect = false });
                public static async Task<HttpResponseMessage> FollowAsync(Uri url)
                {
                    for (var redirects = 0; ; redirects++)
                    {
                        var response = await Http.GetAsync(url);
                        if ((int)response.StatusCode is < 300 or >= 400 || redirects >= 5 || response.Headers.Location is null) return response;
                        url = new Uri(url, response.Headers.Location);
                    }
                }
            }
            """,

        ["F-4 sync: following redirects by hand in a while loop"] = Usings + """
            class Redirects
            {
                private readonly HttpClient _http = new(new HttpClientHandler { AllowAutoRedirect = false });
                public HttpResponseMessage Follow(string url)
                {
                    var response = _http.Send(new HttpRequestMessage(HttpMethod.Get, url));
                    var hops = 0;
                    while ((int)response.StatusCode is >= 300 and < 400 && response.Headers.Location != null && hops++ < 10)
                    {
                        url = response.Headers.Location.ToString();
                        response = _http.Send(new HttpRequestMessage(HttpMethod.Get, url));
                    }
                    return response;
                }
            }
            """,

        ["F-8 async: a chunked download bounded by a known total size"] = Usings + """
            class Egest
            {
                private static readonly HttpClient Http = new();
                public async Task DownloadAsync(string fileId, long totalSize, System.IO.Stream output, CancellationToken ct)
                {
                    var chunk = 0; var downloaded = 0L;
                    while (downloaded < totalSize)
                    {
                        using var response = await Http.GetAsync($"https://egest.example.com/{fileId}/{chunk}", ct);
                        response.EnsureSuccessStatusCode();
                        var bytes = await response.Content.ReadAsByteArrayAsync(ct);
                        await output.WriteAsync(bytes, ct);
                        downloaded += bytes.Length; chunk++;
                    }
                }
            }
            """,

        ["F-8 sync: a ranged download in a for loop over the content length"] = Usings + """
            record Download(HttpClient Http, string Url)
            {
                public void Save(long length, System.IO.Stream output)
                {
                    for (long offset = 0; offset < length;)
                    {
                        var request = new HttpRequestMessage(HttpMethod.Get, Url);
                        request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(offset, offset + 1048575);
                        var bytes = Http.Send(request).Content.ReadAsStream();
                        var buffer = new byte[1048576];
                        var read = bytes.Read(buffer, 0, buffer.Length);
                        output.Write(buffer, 0, read);
                        offset += read;
                    }
                }
            }
            """,

        ["F-9 async: a foreach over fixed paths that looks up a map of earlier results"] = Usings + """
            record Created(string Id);
            class Folders
            {
                private static readonly HttpClient Http = new();
                private readonly Dictionary<string, string> _createdFolders = new();
                public async Task CreateAsync(List<string> paths, string rootId)
                {
                    foreach (var path in paths.OrderBy(p => p.Count(c => c == '/')))
                    {
                        var parentId = _createdFolders.TryGetValue(System.IO.Path.GetDirectoryName(path) ?? "", out var id) ? id : rootId;
                        var response = await Http.PostAsJsonAsync($"https://graph.example.com/v1.0/folders/{parentId}/children", new { name = System.IO.Path.GetFileName(path) });
                        _createdFolders[path] = (await response.Content.ReadFromJsonAsync<Created>())!.Id;
                    }
                }
            }
            """,

        ["F-9 sync: a foreach over fixed items whose parent comes from a local map"] = Usings + """
            record Created(string Id);
            record Tree(HttpClient Http)
            {
                public void Create(string[] paths)
                {
                    var ids = new Dictionary<string, string>();
                    foreach (var path in paths)
                    {
                        var parent = ids.GetValueOrDefault(System.IO.Path.GetDirectoryName(path) ?? "", "root");
                        var response = Http.Send(new HttpRequestMessage(HttpMethod.Post, "https://graph.example.com/v1.0/folders/" + parent + "/children"));
                        ids[path] = JsonDocument.Parse(response.Content.ReadAsStream()).RootElement.GetProperty("id").GetString()!;
                    }
                }
            }
            """,

        ["a client shared by several APIs whose handler has a policy for the loop's endpoint (static readonly fields)"] = Usings + """
            using RateLimitAnalyzers.Pacing;
            class Repo { public string Name { get; set; } = ""; }
            class Export
            {
                private static readonly RateLimitPolicy ArchivaPolicy = new RateLimitPolicy("api.archiva.app/api/ingest/event", new QuotaWindow(100, TimeSpan.FromSeconds(60))) { BaseAddress = "https://api.archiva.app/" };
                private static readonly RateLimitPolicy GitHubPolicy = new RateLimitPolicy("api.github.com", QuotaWindow.PerHour(5000)) { BaseAddress = "https://api.github.com/" };
                private static readonly HttpClient s_client = new HttpClient(new RateLimitedHandler(ArchivaPolicy, GitHubPolicy));

                public async Task<List<string>> ReposAsync(string org, CancellationToken cancellationToken)
                {
                    var names = new List<string>();
                    for (var page = 1; ; page++)
                    {
                        var repos = await s_client.GetFromJsonAsync<List<Repo>>($"https://api.github.com/orgs/{org}/repos?per_page=100&page={page}", cancellationToken);
                        if (repos is null || repos.Count == 0) break;
                        names.AddRange(repos.Select(r => r.Name));
                    }

                    return names;
                }
            }
            """,

        ["a relative URL under the client's base address, paced by the handler's policy for that API (policies made in place)"] = Usings + """
            using RateLimitAnalyzers.Pacing;
            class Repo { public string Name { get; set; } = ""; }
            class Export
            {
                private readonly HttpClient _client = new HttpClient(new RateLimitedHandler(
                    new RateLimitPolicy("api.github.com/*", QuotaWindow.PerHour(5000)),
                    new RateLimitPolicy("quotes.example.com", QuotaWindow.PerSecond(5)) { BaseAddress = "https://quotes.example.com/" }))
                {
                    BaseAddress = new Uri("https://api.github.com/"),
                };

                public async Task<List<string>> ReposAsync(string org, CancellationToken cancellationToken)
                {
                    var names = new List<string>();
                    for (var page = 1; ; page++)
                    {
                        var repos = await _client.GetFromJsonAsync<List<Repo>>($"orgs/{org}/repos?per_page=100&page={page}", cancellationToken);
                        if (repos is null || repos.Count == 0) break;
                        names.AddRange(repos.Select(r => r.Name));
                    }

                    return names;
                }
            }
            """,

        ["a loop paced by a pacer hoisted into a static readonly field"] = Usings + """
            using RateLimitAnalyzers.Pacing;
            class Repo { public string Name { get; set; } = ""; }
            class Export
            {
                private static readonly RequestPacer GitHubPacer = RequestPacer.Shared("api.github.com/*", QuotaWindow.PerHour(5000));

                public async Task<List<string>> ReposAsync(HttpClient client, string org, CancellationToken cancellationToken)
                {
                    var names = new List<string>();
                    for (var page = 1; ; page++)
                    {
                        await GitHubPacer.WaitTurnAsync(cancellationToken);
                        var repos = await client.GetFromJsonAsync<List<Repo>>($"https://api.github.com/orgs/{org}/repos?per_page=100&page={page}", cancellationToken);
                        if (repos is null || repos.Count == 0) break;
                        names.AddRange(repos.Select(r => r.Name));
                    }

                    return names;
                }
            }
            """,
        // M-6: a wait as deep in the user's helpers as a send is followed still paces the loop.
        ["M-6 async: the request path waits five calls deep, in a helper of a helper"] = Usings + """
            class Page { public List<string> Items { get; set; } = new(); public string? Next { get; set; } }
            sealed class Throttle
            {
                public Task HoldAsync(CancellationToken ct) => PauseAsync(ct);
                private Task PauseAsync(CancellationToken ct) => Task.Delay(TimeSpan.FromSeconds(1), ct);
            }
            sealed class Connection
            {
                private readonly HttpClient _client = new();
                private readonly Throttle _throttle = new();
                public async Task<string> FetchAsync(string url, CancellationToken ct)
                {
                    await BeforeSendAsync(ct);
                    return await _client.GetStringAsync(url, ct);
                }
                private Task BeforeSendAsync(CancellationToken ct) => _throttle.HoldAsync(ct);
            }
            sealed class Api
            {
                private readonly Connection _connection = new();
                public async Task<Page?> PageAsync(string? cursor, CancellationToken ct) =>
                    JsonSerializer.Deserialize<Page>(await _connection.FetchAsync("https://api.example.com/v1/items?cursor=" + cursor, ct));
            }
            class Export
            {
                public async Task RunAsync(Api api, CancellationToken ct)
                {
                    string? cursor = null;
                    do
                    {
                        var page = await api.PageAsync(cursor, ct);
                        cursor = page?.Next;
                    }
                    while (cursor != null);
                }
            }
            """,

        ["M-6 sync: the loop's own pause waits five calls deep, in a record"] = Usings + """
            record Page(List<string> Items, string? Next);
            record Clock
            {
                public void Rest() => Nap(1000);
                private void Nap(int milliseconds) => Doze(TimeSpan.FromMilliseconds(milliseconds));
                private void Doze(TimeSpan time) => Thread.Sleep(time);
            }
            record Throttle(Clock Clock)
            {
                public void Hold() => Pause();
                private void Pause() => Clock.Rest();
            }
            class Export
            {
                private readonly HttpClient _client = new();
                public void Run(Throttle throttle)
                {
                    string? cursor = null;
                    do
                    {
                        throttle.Hold();
                        var page = JsonSerializer.Deserialize<Page>(_client.GetStringAsync("https://api.example.com/v1/items?cursor=" + cursor).Result);
                        cursor = page?.Next;
                    }
                    while (cursor != null);
                }
            }
            """,

        ["M-6 async: mutual recursion on the request path ends, and the loop's delay still counts"] = Usings + """
            class Node { public List<Node> Children { get; set; } = new(); public string? Url { get; set; } }
            class Page { public List<string> Items { get; set; } = new(); public string? Next { get; set; } }
            class Api
            {
                private readonly HttpClient _client = new();
                public async Task<Page?> PageAsync(Node root) => JsonSerializer.Deserialize<Page>(await VisitAsync(root));
                private async Task<string> VisitAsync(Node node) => node.Url is { } url ? await FetchAsync(url) : await VisitChildrenAsync(node);
                private async Task<string> VisitChildrenAsync(Node node)
                {
                    var text = "";
                    foreach (var child in node.Children) text += await VisitAsync(child);
                    return text;
                }
                private Task<string> FetchAsync(string url) => _client.GetStringAsync(url);
            }
            class Export
            {
                public async Task RunAsync(Api api, CancellationToken ct)
                {
                    string? cursor = null;
                    do
                    {
                        await Task.Delay(1000, ct);
                        var page = await api.PageAsync(new Node { Url = "https://api.example.com/v1/items?cursor=" + cursor });
                        cursor = page?.Next;
                    }
                    while (cursor != null);
                }
            }
            """,
        // The object keeps the last answer, but every request asks the same address: a poll, not paging.
        ["a method keeps the last answer in its object but asks the same address every time"] = Usings + """
            class Job { public bool Done { get; set; } }
            class Watcher
            {
                private readonly HttpClient _client = new();
                public Job? Last { get; private set; }
                public async Task Refresh() { Last = await _client.GetFromJsonAsync<Job>("https://api.example.com/v1/jobs/1"); }
                public async Task UntilDoneAsync()
                {
                    while (Last is null || !Last.Done)
                    {
                        await Refresh();
                    }
                }
            }
            """,

        // A token fetched once into the object and sent with every later request is made from no earlier answer of
        // the request that sends it: the requests do not move through anything.
        ["a method fetches a token into its object once and sends it with each request of a counted loop"] = Usings + """
            class Api
            {
                private readonly HttpClient _client = new();
                private string? _token;
                public async Task<string> StatusAsync()
                {
                    if (_token is null)
                    {
                        var issued = await _client.PostAsync("https://api.example.com/v1/token", null);
                        _token = await issued.Content.ReadAsStringAsync();
                    }

                    return await _client.GetStringAsync("https://api.example.com/v1/status?access_token=" + _token);
                }
                public async Task<List<string>> ThreeAsync()
                {
                    var all = new List<string>();
                    for (var i = 0; i < 3; i++)
                    {
                        all.Add(await StatusAsync());
                    }
                    return all;
                }
            }
            """,
        // The same shape, but the implementation asks the same address each time and keeps only whether it is done.
        ["a pager-shaped interface whose implementation asks the same address every time"] = Usings + """
            class Status { public bool Running { get; set; } }
            interface IProbe { Task<bool> StillRunning(CancellationToken cancellationToken); }
            class Probe : IProbe
            {
                private readonly HttpClient _client = new();
                private Dictionary<string, bool> Seen { get; } = new();
                public async Task<bool> StillRunning(CancellationToken cancellationToken)
                {
                    var status = await _client.GetFromJsonAsync<Status>("https://api.example.com/v1/jobs/1", cancellationToken);
                    Seen["running"] = status!.Running;
                    return status.Running;
                }
            }
            static class Runs
            {
                public static async Task UntilStopped(IProbe probe, CancellationToken cancellationToken)
                {
                    while (await probe.StillRunning(cancellationToken)) { }
                }
            }
            """,
        // Code that requests only while a member of its object is unset, and sets it, requests once: a loop that
        // calls it on every pass and feeds each result into the next call repeats no request (TwitchDownloader's chat
        // renderer draws each frame from the last, and an icon is fetched the first time a frame needs it). Sync with
        // `??=` on a property and `.Result`; async with an is-null test and a block that sets the field.
        ["a frame loop whose helper fetches an image once into a property"] = Usings + """
            record Frame(int Tick, int Size);
            class Renderer
            {
                private readonly HttpClient _client = new();
                private byte[]? Badge { get; set; }
                private byte[] BadgeImage() => Badge ??= _client.GetByteArrayAsync("https://api.example.com/v1/badge.png").Result;
                private Frame Draw(int tick, Frame? previous) => new(tick, BadgeImage().Length + (previous?.Size ?? 0));
                public int Render(int ticks)
                {
                    Frame? last = null;
                    for (var tick = 0; tick < ticks; tick++)
                    {
                        last = Draw(tick, last);
                    }
                    return last?.Size ?? 0;
                }
            }
            """,
        ["an async step loop whose helper gets a token once under an is-null test"] = Usings + """
            class State { public int Step { get; set; } public string Token { get; set; } = ""; }
            class Machine
            {
                private readonly HttpClient _client = new();
                private string? _token;
                private async Task<string> TokenAsync()
                {
                    if (_token is null)
                    {
                        var issued = await _client.PostAsync("https://api.example.com/v1/token", null);
                        _token = await issued.Content.ReadAsStringAsync();
                    }
                    return _token;
                }
                private async Task<State> NextAsync(State state) => new() { Step = state.Step + 1, Token = await TokenAsync() };
                public async Task<State> RunAsync()
                {
                    var state = new State();
                    while (state.Step < 10)
                    {
                        state = await NextAsync(state);
                    }
                    return state;
                }
            }
            """,
    };

    /// <summary>
    /// Cases a test of its own runs, with what it expects beyond the markup: the message's arguments, an
    /// .editorconfig, a catalog file. Kept here so that the robustness test truncates them too.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> Individual = new Dictionary<string, string>
    {
        ["message: a catalogued endpoint and its quota"] = Usings + """
            class Page { public List<string> Calls { get; set; } = new(); public string? Cursor { get; set; } }
            class Export
            {
                public async Task RunAsync(HttpClient client)
                {
                    string? cursor = null;
                    {|#0:while|} (true)
                    {
                        var page = await client.GetFromJsonAsync<Page>("https://api.agora.io/beta/analytics/call/lists?page_size=100&cursor=" + cursor);
                        if (page == null || page.Calls.Count == 0) break;
                        cursor = page.Cursor;
                    }
                }
            }
            """,

        ["message: an unknown endpoint by its URL, and the default pace"] = Usings + """
            class Export
            {
                public async Task RunAsync(HttpClient client)
                {
                    var page = 1;
                    {|#0:while|} (true)
                    {
                        var items = await client.GetFromJsonAsync<List<string>>($"https://api.example.com/v1/items?page={page}");
                        if (items!.Count == 0) break;
                        page++;
                    }
                }
            }
            """,

        ["message: a request per chunk to a catalogued API is a loop, not a paging loop"] = Usings + """
            class Moderation
            {
                public async Task<bool> AnyFlaggedAsync(HttpClient client, string input, int size)
                {
                    {|#0:for|} (var i = 0; i < input.Length; i += size)
                    {
                        var response = await client.PostAsJsonAsync("https://api.openai.com/v1/moderations", new { input = input.Substring(i, Math.Min(size, input.Length - i)) });
                        var flagged = await response.Content.ReadFromJsonAsync<bool>();
                        if (flagged) return true;
                    }
                    return false;
                }
            }
            """,

        ["message: the Archiva quota"] = Usings + """
            class Ingest
            {
                private const string Endpoint = "https://api.archiva.app/api/ingest/event";
                public void SendAll(HttpClient client, IEnumerable<HttpContent> events)
                {
                    {|#0:foreach|} (var e in events)
                    {
                        client.Send(new HttpRequestMessage(HttpMethod.Post, Endpoint) { Content = e });
                    }
                }
            }
            """,

        ["a method of the user's that .editorconfig lists as pacing"] = Usings + """
            class Throttle { public Task WaitAsync(CancellationToken cancellationToken) => Task.CompletedTask; }
            class Page { public string? Next { get; set; } }
            class Export
            {
                private readonly Throttle _throttle = new();
                public async Task RunAsync(HttpClient client, CancellationToken cancellationToken)
                {
                    string? cursor = null;
                    [|do|]
                    {
                        await _throttle.WaitAsync(cancellationToken);
                        var page = await client.GetFromJsonAsync<Page>("https://api.example.com/v1/items?cursor=" + cursor, cancellationToken);
                        cursor = page!.Next;
                    }
                    while (cursor != null);
                }
            }
            """,

        ["a loop over ids to an endpoint in the user's catalog"] = Usings + """
            class Sync
            {
                public async Task RunAsync(HttpClient client, string[] ids)
                {
                    [|foreach|] (var id in ids)
                    {
                        await client.PutAsync("https://erp.internal.example/api/v2/orders/" + id, null);
                    }
                }
            }
            """,

        ["message: a relative URL under the client's base address, as RL0002 resolves it"] = Usings + """
            class Repo { public string Name { get; set; } = ""; }
            class Export
            {
                private readonly HttpClient _client = {|#1:new HttpClient { BaseAddress = new Uri("https://api.github.com/") }|};

                public async Task<List<string>> ReposAsync(string org, CancellationToken cancellationToken)
                {
                    var names = new List<string>();
                    {|#0:for|} (var page = 1; ; page++)
                    {
                        using var response = await _client.GetAsync($"orgs/{org}/repos?per_page=100&page={page}", cancellationToken);
                        var repos = await response.Content.ReadFromJsonAsync<List<Repo>>(cancellationToken);
                        if (repos is null || repos.Count == 0) break;
                        names.AddRange(repos.Select(r => r.Name));
                    }

                    return names;
                }
            }
            """,

        ["message: an unknown endpoint with a computed part"] = Usings + """
            class Repo { public string Name { get; set; } = ""; }
            class Export
            {
                public async Task<List<string>> ReposAsync(HttpClient client, string org, CancellationToken cancellationToken)
                {
                    var names = new List<string>();
                    {|#0:for|} (var page = 1; ; page++)
                    {
                        var repos = await client.GetFromJsonAsync<List<Repo>>($"https://git.example.com/orgs/{org}/repos?page={page}", cancellationToken);
                        if (repos is null || repos.Count == 0) break;
                        names.AddRange(repos.Select(r => r.Name));
                    }

                    return names;
                }
            }
            """,

        ["both rules: a client whose handler is for other APIs, its policies' base addresses do not cover the loop's endpoint"] = Usings + """
            using RateLimitAnalyzers.Pacing;
            class Repo { public string Name { get; set; } = ""; }
            class Export
            {
                private static readonly RateLimitPolicy ArchivaPolicy = new RateLimitPolicy("api.archiva.app/api/ingest/event", new QuotaWindow(100, TimeSpan.FromSeconds(60))) { BaseAddress = "https://api.archiva.app/" };
                private static readonly RateLimitPolicy QuotesPolicy = new RateLimitPolicy("quotes.example.com", QuotaWindow.PerSecond(5)) { BaseAddress = "https://quotes.example.com/" };
                private static readonly HttpClient s_client = new HttpClient(new RateLimitedHandler(ArchivaPolicy, QuotesPolicy));

                public async Task<List<string>> ReposAsync(string org, CancellationToken cancellationToken)
                {
                    var names = new List<string>();
                    [|for|] (var page = 1; ; page++)
                    {
                        var repos = await s_client.GetFromJsonAsync<List<Repo>>($"https://api.github.com/orgs/{org}/repos?per_page=100&page={page}", cancellationToken);
                        if (repos is null || repos.Count == 0) break;
                        names.AddRange(repos.Select(r => r.Name));
                    }

                    return names;
                }
            }
            """,

        ["both rules, M-4: a loop over a catalogued API whose base address reaches the client through a constructor chain and a factory method"] = Usings + """
            class MbClient
            {
                public const string ServiceBaseAddress = "https://musicbrainz.org/ws/2/";
                private readonly HttpClient _client;
                public MbClient() : this(ServiceBaseAddress) { }
                public MbClient(string baseAddress) : this(Create(new Uri(baseAddress))) { }
                public MbClient(HttpClient httpClient) { _client = httpClient; }
                private static HttpClient Create(Uri baseAddress) { var c = new HttpClient(); c.BaseAddress = baseAddress; return c; }

                public async Task<List<string>> ArtistsAsync(IEnumerable<string> ids)
                {
                    var artists = new List<string>();
                    [|foreach|] (var id in ids)
                    {
                        artists.Add(await _client.GetStringAsync("artist/" + id + "?fmt=json"));
                    }

                    return artists;
                }
            }
            """,
    };

    public static TheoryData<string> ReportedNames => new(Reported.Keys);

    public static TheoryData<string> NotReportedNames => new(NotReported.Keys);

    public static IEnumerable<string> All => Reported.Values.Concat(NotReported.Values).Concat(Individual.Values);
}
