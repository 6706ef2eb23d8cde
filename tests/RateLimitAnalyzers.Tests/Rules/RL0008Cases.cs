using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace RateLimitAnalyzers.Tests.Rules;

/// <summary>
/// Every RL0008 case as source with markup. The positive and negative tests run them through the analyzer,
/// and the robustness test runs every one of them truncated.
/// </summary>
public static class RL0008Cases
{
    public const string Usings = RL0001Cases.Usings;

    /// <summary>Loops to a catalogued endpoint that wait a fixed time shorter than the quota's interval; the wait is marked.</summary>
    public static readonly IReadOnlyDictionary<string, string> Reported = new Dictionary<string, string>
    {
        ["Task.Delay(100) in a paging loop against 1 request per second"] = Usings + """
            class Page { public List<string> Calls { get; set; } = new(); public string? Cursor { get; set; } }
            class Export
            {
                public async Task RunAsync(HttpClient client, CancellationToken cancellationToken)
                {
                    string? cursor = null;
                    while (true)
                    {
                        var page = await client.GetFromJsonAsync<Page>("https://api.agora.io/beta/analytics/call/lists?cursor=" + cursor, cancellationToken);
                        if (page == null || page.Calls.Count == 0) break;
                        cursor = page.Cursor;
                        await [|Task.Delay(100, cancellationToken)|];
                    }
                }
            }
            """,

        ["Thread.Sleep of half a second against 100 per 60 s"] = Usings + """
            class Sender
            {
                public void SendAll(HttpClient client, IEnumerable<HttpContent> events)
                {
                    foreach (var e in events)
                    {
                        client.Send(new HttpRequestMessage(HttpMethod.Post, "https://api.archiva.app/api/ingest/event") { Content = e });
                        [|Thread.Sleep(TimeSpan.FromMilliseconds(500))|];
                    }
                }
            }
            """,

        ["a short delay before each request through a client made in the file"] = Usings + """
            class Export
            {
                private static readonly HttpClient Client = new HttpClient();
                public async Task<List<string>> RunAsync(IEnumerable<string> days, CancellationToken cancellationToken)
                {
                    var pages = new List<string>();
                    foreach (var day in days)
                    {
                        await [|Task.Delay(100, cancellationToken)|];
                        pages.Add(await Client.GetStringAsync("https://api.agora.io/beta/analytics/call/lists?day=" + day, cancellationToken));
                    }
                    return pages;
                }
            }
            """,

        ["a short delay in a cursor loop whose URL a conditional builds"] = Usings + """
            class Page { public List<string> Tickets { get; set; } = new(); public string? NextCursor { get; set; } }
            class Export
            {
                private const string Endpoint = "https://contoso.zendesk.com/api/v2/tickets";
                public async Task RunAsync(HttpClient http, CancellationToken ct)
                {
                    string? cursor = null;
                    do
                    {
                        var url = cursor is null ? Endpoint + "?limit=100" : Endpoint + "?limit=100&cursor=" + cursor;
                        var page = await http.GetFromJsonAsync<Page>(url, ct);
                        cursor = page!.NextCursor;
                        await [|Task.Delay(250, ct)|];
                    }
                    while (cursor is not null);
                }
            }
            """,

        ["two short delays that add up to less than the interval"] = Usings + """
            class Poster
            {
                public async Task PostAllAsync(HttpClient client, IEnumerable<HttpContent> messages)
                {
                    foreach (var message in messages)
                    {
                        await [|Task.Delay(200)|];
                        await client.PostAsync("https://slack.com/api/chat.postMessage", message);
                        await Task.Delay(TimeSpan.FromSeconds(0.5));
                    }
                }
            }
            """,
    };

    /// <summary>Waits long enough, waits that are not fixed, and endpoints the catalog does not know.</summary>
    public static readonly IReadOnlyDictionary<string, string> NotReported = new Dictionary<string, string>
    {
        ["a short delay where a conditional picks one of two hosts"] = Usings + """
            class Export
            {
                public async Task RunAsync(HttpClient http, bool eu, IEnumerable<string> ids, CancellationToken ct)
                {
                    foreach (var id in ids)
                    {
                        var url = eu ? "https://eu.example.com/v1/items/" + id : "https://contoso.zendesk.com/api/v2/tickets/" + id;
                        await http.GetStringAsync(url, ct);
                        await Task.Delay(250, ct);
                    }
                }
            }
            """,

        ["a delay as long as the quota's interval"] = Usings + """
            class Export
            {
                public async Task RunAsync(HttpClient client, IEnumerable<string> days, CancellationToken cancellationToken)
                {
                    foreach (var day in days)
                    {
                        await client.GetStringAsync("https://api.agora.io/beta/analytics/call/lists?day=" + day, cancellationToken);
                        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                    }
                }
            }
            """,

        ["a short delay to an endpoint the catalog does not know"] = Usings + """
            class Export
            {
                public async Task RunAsync(HttpClient client, IEnumerable<string> ids)
                {
                    foreach (var id in ids)
                    {
                        await client.GetStringAsync("https://api.example.com/v1/items/" + id);
                        await Task.Delay(100);
                    }
                }
            }
            """,

        ["a short delay next to the package's pacer"] = Usings + """
            using RateLimitAnalyzers.Pacing;
            class Export
            {
                public async Task RunAsync(HttpClient client, IEnumerable<string> days, CancellationToken cancellationToken)
                {
                    foreach (var day in days)
                    {
                        await RequestPacer.Shared("api.agora.io/beta/analytics/call/lists", QuotaWindow.PerSecond(1)).WaitTurnAsync(cancellationToken);
                        await client.GetStringAsync("https://api.agora.io/beta/analytics/call/lists?day=" + day, cancellationToken);
                        await Task.Delay(50, cancellationToken);
                    }
                }
            }
            """,

        ["a delay whose length is computed"] = Usings + """
            class Export
            {
                public async Task RunAsync(HttpClient client, IEnumerable<string> days, int pauseMilliseconds)
                {
                    foreach (var day in days)
                    {
                        await client.GetStringAsync("https://api.agora.io/beta/analytics/call/lists?day=" + day);
                        await Task.Delay(pauseMilliseconds);
                    }
                }
            }
            """,

        ["a short delay against a quota counted per hour"] = Usings + """
            class Export
            {
                public async Task RunAsync(HttpClient client, IEnumerable<string> repos)
                {
                    foreach (var repo in repos)
                    {
                        await client.GetStringAsync("https://api.github.com/repos/" + repo);
                        await Task.Delay(500);
                    }
                }
            }
            """,

        ["a delay only on some iterations"] = Usings + """
            class Export
            {
                public async Task RunAsync(HttpClient client, IEnumerable<string> days)
                {
                    var sent = 0;
                    foreach (var day in days)
                    {
                        await client.GetStringAsync("https://api.agora.io/beta/analytics/call/lists?day=" + day);
                        if (++sent % 10 == 0) await Task.Delay(100);
                        else await Task.Delay(1000);
                    }
                }
            }
            """,

        ["no wait at all (RL0001's finding)"] = Usings + """
            class Export
            {
                public async Task RunAsync(HttpClient client, IEnumerable<string> days)
                {
                    foreach (var day in days)
                    {
                        await client.GetStringAsync("https://api.agora.io/beta/analytics/call/lists?day=" + day);
                    }
                }
            }
            """,
    };

    public static TheoryData<string> ReportedNames => new(Reported.Keys);

    public static TheoryData<string> NotReportedNames => new(NotReported.Keys);

    public static IEnumerable<string> All => Reported.Values.Concat(NotReported.Values);
}
