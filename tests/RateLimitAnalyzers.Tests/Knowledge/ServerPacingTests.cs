using System.Collections.Generic;
using System.Threading.Tasks;
using RateLimitAnalyzers.Tests.Rules;
using Xunit;
using Verify = RateLimitAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<RateLimitAnalyzers.Rules.RL0001PagingLoopWithoutPacingAnalyzer>;

namespace RateLimitAnalyzers.Tests.Knowledge;

/// <summary>
/// The server's pacing carried in a member: one method reads Retry-After or a rate-limit header and stores what it
/// says in a field or property, and the wait before the next request (in another method) is driven by that member
/// (gh-gei's <c>_retryDelay</c>). Such a wait follows the server's pacing as a wait on the header itself does.
/// </summary>
public class ServerPacingTests
{
    private const string Usings = RL0001Cases.Usings;

    public static readonly IReadOnlyDictionary<string, string> Paced = new Dictionary<string, string>
    {
        ["async: a delay field set from X-RateLimit-Reset through helpers, awaited first thing on every send"] = Usings + """
            class GithubClient
            {
                private readonly HttpClient _httpClient = new() { BaseAddress = new Uri("https://api.example.com/") };
                private int _retryDelay;
                public async IAsyncEnumerable<string> Repositories(string org)
                {
                    string? after = null;
                    var hasNextPage = true;
                    while (hasNextPage)
                    {
                        var (content, _) = await SendAsync(HttpMethod.Post, "graphql?org=" + org + "&after=" + after);
                        var page = JsonDocument.Parse(content).RootElement;
                        foreach (var node in page.GetProperty("nodes").EnumerateArray()) yield return node.GetString()!;
                        hasNextPage = page.GetProperty("hasNextPage").GetBoolean();
                        after = page.GetProperty("endCursor").GetString();
                    }
                }
                private async Task<(string Content, KeyValuePair<string, IEnumerable<string>>[] Headers)> SendAsync(HttpMethod method, string url)
                {
                    await ApplyRetryDelayAsync();
                    using var request = new HttpRequestMessage(method, url);
                    using var response = await _httpClient.SendAsync(request);
                    var content = await response.Content.ReadAsStringAsync();
                    var headers = response.Headers.ToArray();
                    if (GetRateLimitRemaining(headers) <= 0) SetRetryDelay(headers);
                    return (content, headers);
                }
                private async Task ApplyRetryDelayAsync()
                {
                    if (_retryDelay > 0)
                    {
                        await Task.Delay(_retryDelay * 1000);
                        _retryDelay = 0;
                    }
                }
                private int GetRateLimitRemaining(IEnumerable<KeyValuePair<string, IEnumerable<string>>> headers) =>
                    int.Parse(ExtractHeaderValue("X-RateLimit-Remaining", headers) ?? "5000");
                private long GetRateLimitReset(IEnumerable<KeyValuePair<string, IEnumerable<string>>> headers) =>
                    long.Parse(ExtractHeaderValue("X-RateLimit-Reset", headers) ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString());
                private static string? ExtractHeaderValue(string key, IEnumerable<KeyValuePair<string, IEnumerable<string>>> headers) =>
                    headers.SingleOrDefault(h => h.Key.Equals(key, StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault();
                private void SetRetryDelay(IEnumerable<KeyValuePair<string, IEnumerable<string>>> headers)
                {
                    var resetUnixSeconds = GetRateLimitReset(headers);
                    var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
                    _retryDelay = (int)(resetUnixSeconds - now);
                }
            }
            """,

        ["sync: a property set from Retry-After after each response, slept on before the next request"] = Usings + """
            class Feed
            {
                private readonly HttpClient _http = new();
                private TimeSpan Backoff { get; set; }
                private JsonElement Get(string url)
                {
                    if (Backoff > TimeSpan.Zero) Thread.Sleep(Backoff);
                    var response = _http.Send(new HttpRequestMessage(HttpMethod.Get, url));
                    Backoff = response.Headers.RetryAfter?.Delta ?? TimeSpan.Zero;
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
                    while (next is not null);
                    return all;
                }
            }
            """,

        ["async, a record: a wait guarded by a remaining count that a header read in another method set"] = Usings + """
            record Chat(HttpClient Http)
            {
                private int _remaining = 1;
                private void Remember(HttpResponseMessage response)
                {
                    if (response.Headers.TryGetValues("X-RateLimit-Remaining", out var values)) _remaining = int.Parse(values.First());
                }
                private async Task<JsonElement> GetAsync(string url)
                {
                    if (_remaining == 0) await Task.Delay(TimeSpan.FromSeconds(1));
                    var response = await Http.GetAsync(url);
                    Remember(response);
                    return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
                }
                public async IAsyncEnumerable<string> Messages(string channel)
                {
                    var after = "0";
                    while (true)
                    {
                        var page = await GetAsync($"https://chat.example.com/api/channels/{channel}/messages?limit=100&after={after}");
                        if (page.GetArrayLength() == 0) yield break;
                        foreach (var m in page.EnumerateArray()) { after = m.GetProperty("id").GetString()!; yield return after; }
                    }
                }
            }
            """,

        ["sync, an abstract base class: a protected field set from RateLimit-Reset in the base, slept on by the base's send"] = Usings + """
            abstract class ApiBase
            {
                protected readonly HttpClient Http = new();
                protected double WaitSeconds;
                protected JsonElement Get(string url)
                {
                    if (WaitSeconds > 0) Thread.Sleep(TimeSpan.FromSeconds(WaitSeconds));
                    var response = Http.Send(new HttpRequestMessage(HttpMethod.Get, url));
                    WaitSeconds = ReadReset(response);
                    return JsonDocument.Parse(response.Content.ReadAsStream()).RootElement;
                }
                private static double ReadReset(HttpResponseMessage response) =>
                    response.Headers.TryGetValues("RateLimit-Reset", out var values) ? double.Parse(values.First()) : 0;
            }
            sealed class Tickets : ApiBase
            {
                public List<string> All()
                {
                    var all = new List<string>();
                    var page = 1;
                    while (true)
                    {
                        var body = Get("https://support.example.com/api/v2/tickets?page=" + page);
                        var items = body.GetProperty("tickets");
                        if (items.GetArrayLength() == 0) return all;
                        foreach (var item in items.EnumerateArray()) all.Add(item.GetString()!);
                        page = body.GetProperty("next_page").GetInt32();
                    }
                }
            }
            """,

        // A vendor's reset header (X-Contentful-RateLimit-Reset) read into the property where another class throws it.
        ["async: an exception's property set from a vendor's reset header where another class throws it, waited on 429"] =
            SyncThroughAnException("int.TryParse(values.FirstOrDefault(), out var seconds) ? seconds : 0", "while"),
    };

    public static readonly IReadOnlyDictionary<string, string> NotPaced = new Dictionary<string, string>
    {
        // The same shape with the member set from the caller's settings: the wait is the client's own, and runs only
        // when configured, so it does not pace the loop.
        ["async: a delay field set from options, awaited only when set"] = Usings + """
            class Client
            {
                private readonly HttpClient _httpClient = new();
                private int _delay;
                public Client(int delay) => _delay = delay;
                public async IAsyncEnumerable<string> Items()
                {
                    string? cursor = null;
                    [|while|] (true)
                    {
                        var page = JsonDocument.Parse(await SendAsync("https://api.example.com/v1/items?cursor=" + cursor)).RootElement;
                        foreach (var item in page.GetProperty("items").EnumerateArray()) yield return item.GetString()!;
                        cursor = page.GetProperty("next").GetString();
                        if (cursor is null) yield break;
                    }
                }
                private async Task<string> SendAsync(string url)
                {
                    if (_delay > 0) await Task.Delay(_delay);
                    return await _httpClient.GetStringAsync(url);
                }
            }
            """,

        // A member set from a header once and from the caller as well: not the server's word alone.
        ["sync: a property set from Retry-After and from a setting, slept on only when positive"] = Usings + """
            class Feed
            {
                private readonly HttpClient _http = new();
                public TimeSpan Backoff { get; set; }
                public Feed(TimeSpan configured) => Backoff = configured;
                private JsonElement Get(string url)
                {
                    if (Backoff > TimeSpan.Zero) Thread.Sleep(Backoff);
                    var response = _http.Send(new HttpRequestMessage(HttpMethod.Get, url));
                    Backoff = response.Headers.RetryAfter?.Delta ?? Backoff;
                    return JsonDocument.Parse(response.Content.ReadAsStream()).RootElement;
                }
                public List<string> All()
                {
                    var all = new List<string>();
                    string? next = "https://feed.example.com/v1/items";
                    [|do|]
                    {
                        var page = Get(next);
                        foreach (var item in page.GetProperty("items").EnumerateArray()) all.Add(item.GetString()!);
                        next = page.TryGetProperty("next", out var link) ? link.GetString() : null;
                    }
                    while (next is not null);
                    return all;
                }
            }
            """,

        // The same, but the throwing class sets the property from its own setting, whatever the server said.
        ["async: an exception's property set from a setting where another class throws it, waited on 429"] =
            SyncThroughAnException("Settings.RetrySeconds", "[|while|]"),
    };

    // contentful.net's SyncInitialRecursive: every request goes through a helper that, on a 429, waits an exception's
    // SecondsUntilNextRequest, which another class sets where it throws the exception, from the expression `seconds`.
    private static string SyncThroughAnException(string seconds, string loopKeyword) => Usings + string.Format(
        System.Globalization.CultureInfo.InvariantCulture,
        """
            static class Settings {{ public static int RetrySeconds {{ get; set; }} = 2; }}
            class RateLimited : Exception
            {{
                public RateLimited(string message) : base(message) {{ }}
                public int SecondsUntilNextRequest {{ get; set; }}
            }}
            static class Errors
            {{
                public static void ThrowFor(HttpResponseMessage response)
                {{
                    if ((int)response.StatusCode == 429 && response.Headers.TryGetValues("X-Contentful-RateLimit-Reset", out var values))
                    {{
                        throw new RateLimited("slow down") {{ SecondsUntilNextRequest = {0} }};
                    }}
                }}
            }}
            class SyncPage {{ public List<string> Items {{ get; set; }} = new(); public string? NextPageUrl {{ get; set; }} }}
            class Delivery
            {{
                private readonly HttpClient _client = new();
                public async Task<List<string>> SyncAllAsync(CancellationToken cancellationToken)
                {{
                    var all = new List<string>();
                    var page = await NextAsync("https://api.example.com/v1/sync?initial=true", cancellationToken);
                    all.AddRange(page.Items);
                    {1} (!string.IsNullOrEmpty(page.NextPageUrl))
                    {{
                        page = await NextAsync(page.NextPageUrl!, cancellationToken);
                        all.AddRange(page.Items);
                    }}
                    return all;
                }}
                private async Task<SyncPage> NextAsync(string url, CancellationToken cancellationToken)
                {{
                    using var response = await SendAsync(url, cancellationToken);
                    return JsonSerializer.Deserialize<SyncPage>(await response.Content.ReadAsStringAsync(cancellationToken))!;
                }}
                private async Task<HttpResponseMessage> SendAsync(string url, CancellationToken cancellationToken)
                {{
                    var response = await _client.GetAsync(url, cancellationToken);
                    for (var i = 0; i < 5 && (int)response.StatusCode == 429; i++)
                    {{
                        try
                        {{
                            Errors.ThrowFor(response);
                        }}
                        catch (RateLimited ex)
                        {{
                            await Task.Delay(ex.SecondsUntilNextRequest * 1000, cancellationToken);
                        }}

                        response = await _client.GetAsync(url, cancellationToken);
                    }}
                    return response;
                }}
            }}
            """,
        seconds,
        loopKeyword);

    public static TheoryData<string> PacedNames => new(Paced.Keys);

    public static TheoryData<string> NotPacedNames => new(NotPaced.Keys);

    [Theory]
    [MemberData(nameof(PacedNames))]
    public Task A_wait_on_a_member_the_server_sets_paces_the_loop(string name) => Verify.VerifyAnalyzerAsync(Paced[name]);

    [Theory]
    [MemberData(nameof(NotPacedNames))]
    public Task A_wait_on_a_member_the_caller_sets_does_not(string name) => Verify.VerifyAnalyzerAsync(NotPaced[name]);
}
