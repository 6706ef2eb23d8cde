using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace RateLimitAnalyzers.Tests.Rules;

/// <summary>
/// Every RL0005 case as source with markup. The positive and negative tests run them through the analyzer,
/// and the robustness test runs every one of them truncated.
/// </summary>
public static class RL0005Cases
{
    public const string Usings = RL0001Cases.Usings;

    /// <summary>Requests fanned out with nothing that paces them; the fan-out call is marked.</summary>
    public static readonly IReadOnlyDictionary<string, string> Reported = new Dictionary<string, string>
    {
        ["Task.WhenAll over an async lambda per item, catalogued endpoint"] = Usings + """
            class Report { public List<string> Calls { get; set; } = new(); }
            class Export
            {
                public async Task<Report?[]> RunAsync(HttpClient client, IEnumerable<string> days, CancellationToken cancellationToken)
                {
                    return await [|Task.WhenAll|](days.Select(async day =>
                        await client.GetFromJsonAsync<Report>("https://api.agora.io/beta/analytics/call/lists?day=" + day, cancellationToken)));
                }
            }
            """,

        ["Task.WhenAll over relative URLs under a catalogued client's base address"] = Usings + """
            class Issue { public int Number { get; set; } }
            class Export
            {
                private static readonly HttpClient Client = new() { BaseAddress = new Uri("https://api.github.com/") };
                public Task<Issue?[]> RunAsync(IEnumerable<int> numbers) =>
                    [|Task.WhenAll|](numbers.Select(n => Client.GetFromJsonAsync<Issue>("repos/dotnet/runtime/issues/" + n)));
            }
            """,

        ["Task.WhenAll over a lambda returning the task, uncatalogued endpoint, collection of unknown size"] = Usings + """
            class Export
            {
                public Task<string[]> RunAsync(HttpClient client, List<int> ids) =>
                    [|Task.WhenAll|](ids.Select(id => client.GetStringAsync($"https://api.example.com/v1/orders/{id}")));
            }
            """,

        ["tasks kept in a local made by Select and ToList"] = Usings + """
            class Export
            {
                public async Task RunAsync(HttpClient client, string[] customers)
                {
                    var tasks = customers.Select(c => client.DeleteAsync("https://api.stripe.com/v1/customers/" + c)).ToList();
                    await [|Task.WhenAll|](tasks);
                }
            }
            """,

        ["tasks started in a foreach loop and awaited together"] = Usings + """
            class Export
            {
                public async Task RunAsync(HttpClient client, IEnumerable<string> ids)
                {
                    var tasks = new List<Task<HttpResponseMessage>>();
                    foreach (var id in ids)
                    {
                        tasks.Add(client.PostAsync("https://api.example.com/v1/events/" + id, null));
                    }

                    await [|Task.WhenAll|](tasks);
                }
            }
            """,

        ["tasks started through a helper of the user's in a loop"] = Usings + """
            class Export
            {
                private readonly HttpClient _client = new();
                private async Task<string> FetchAsync(string id) => await _client.GetStringAsync("https://api.github.com/repos/dotnet/runtime/issues/" + id);
                public void Run(IEnumerable<string> ids)
                {
                    var tasks = new List<Task>();
                    foreach (var id in ids)
                    {
                        tasks.Add(FetchAsync(id));
                    }

                    [|Task.WaitAll|](tasks.ToArray());
                }
            }
            """,

        ["Parallel.ForEach with an async lambda"] = Usings + """
            class Export
            {
                public void Run(HttpClient client, IEnumerable<string> ids)
                {
                    [|Parallel.ForEach|](ids, async id =>
                    {
                        using var response = await client.GetAsync("https://api.example.com/v1/items/" + id);
                    });
                }
            }
            """,

        ["Parallel.ForEachAsync over a catalogued endpoint, bounded but not paced"] = Usings + """
            class Export
            {
                public async Task RunAsync(HttpClient client, IEnumerable<string> customers, CancellationToken cancellationToken)
                {
                    var options = new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken };
                    await [|Parallel.ForEachAsync|](customers, options, async (customer, ct) =>
                    {
                        using var response = await client.GetAsync("https://api.stripe.com/v1/customers/" + customer, ct);
                    });
                }
            }
            """,

        ["a SemaphoreSlim bounds a fan-out to a catalogued endpoint"] = Usings + """
            class Export
            {
                private static readonly SemaphoreSlim s_gate = new(5);
                public async Task RunAsync(HttpClient client, IEnumerable<string> repos)
                {
                    await [|Task.WhenAll|](repos.Select(async repo =>
                    {
                        await s_gate.WaitAsync();
                        try
                        {
                            return await client.GetStringAsync("https://api.github.com/repos/" + repo);
                        }
                        finally
                        {
                            s_gate.Release();
                        }
                    }));
                }
            }
            """,

        ["a synchronous Parallel.ForEach to a catalogued endpoint"] = Usings + """
            class Export
            {
                public void Run(HttpClient client, IEnumerable<HttpContent> events)
                {
                    [|Parallel.ForEach|](events, e => client.Send(new HttpRequestMessage(HttpMethod.Post, "https://api.archiva.app/api/ingest/event") { Content = e }));
                }
            }
            """,
    };

    /// <summary>Fan-outs that are paced, bounded, small or not to one endpoint, and calls that only look like fan-outs.</summary>
    public static readonly IReadOnlyDictionary<string, string> NotReported = new Dictionary<string, string>
    {
        ["each item waits its turn on the package's pacer"] = Usings + """
            using RateLimitAnalyzers.Pacing;
            class Export
            {
                public async Task RunAsync(HttpClient client, IEnumerable<string> days, CancellationToken cancellationToken)
                {
                    await Task.WhenAll(days.Select(async day =>
                    {
                        await RequestPacer.Shared("api.agora.io/beta/analytics/call/lists", QuotaWindow.PerSecond(1)).WaitTurnAsync(cancellationToken);
                        return await client.GetStringAsync("https://api.agora.io/beta/analytics/call/lists?day=" + day, cancellationToken);
                    }));
                }
            }
            """,

        ["each item acquires a lease from a rate limiter"] = Usings + """
            using System.Threading.RateLimiting;
            class Export
            {
                private static readonly RateLimiter s_limiter = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions { TokenLimit = 25, TokensPerPeriod = 25, ReplenishmentPeriod = TimeSpan.FromSeconds(1), QueueLimit = 1000 });
                public async Task RunAsync(HttpClient client, IEnumerable<string> customers, CancellationToken cancellationToken)
                {
                    await Parallel.ForEachAsync(customers, cancellationToken, async (customer, ct) =>
                    {
                        using var lease = await s_limiter.AcquireAsync(1, ct);
                        using var response = await client.GetAsync("https://api.stripe.com/v1/customers/" + customer, ct);
                    });
                }
            }
            """,

        ["a client made with the runtime's pacing handler"] = Usings + """
            using RateLimitAnalyzers.Pacing;
            class Export
            {
                private static readonly HttpClient s_client = new HttpClient(new RateLimitedHandler(
                    new RateLimitPolicy("api.stripe.com/*", QuotaWindow.PerSecond(25))));
                public Task<string[]> RunAsync(IEnumerable<string> customers) =>
                    Task.WhenAll(customers.Select(c => s_client.GetStringAsync("https://api.stripe.com/v1/customers/" + c)));
            }
            """,

        ["a SemaphoreSlim bounds a fan-out to an uncatalogued endpoint"] = Usings + """
            class Export
            {
                public async Task RunAsync(HttpClient client, IEnumerable<string> ids)
                {
                    using var gate = new SemaphoreSlim(4);
                    await Task.WhenAll(ids.Select(async id =>
                    {
                        await gate.WaitAsync();
                        try { return await client.GetStringAsync("https://api.example.com/v1/items/" + id); }
                        finally { gate.Release(); }
                    }));
                }
            }
            """,

        ["Parallel.ForEachAsync to an uncatalogued endpoint"] = Usings + """
            class Export
            {
                public async Task RunAsync(HttpClient client, IEnumerable<string> ids, CancellationToken cancellationToken)
                {
                    await Parallel.ForEachAsync(ids, cancellationToken, async (id, ct) =>
                    {
                        using var response = await client.GetAsync("https://api.example.com/v1/items/" + id, ct);
                    });
                }
            }
            """,

        ["a synchronous Parallel.ForEach to an uncatalogued endpoint"] = Usings + """
            class Export
            {
                public void Run(HttpClient client, IEnumerable<string> ids)
                {
                    Parallel.ForEach(ids, id => client.Send(new HttpRequestMessage(HttpMethod.Delete, "https://api.example.com/v1/items/" + id)));
                }
            }
            """,

        ["a handful of items written out"] = Usings + """
            class Export
            {
                public Task<string[]> RunAsync(HttpClient client) =>
                    Task.WhenAll(new[] { "eu", "us", "ap" }.Select(region => client.GetStringAsync("https://api.example.com/v1/status/" + region)));
            }
            """,

        ["every URL comes from the items"] = Usings + """
            class Crawler
            {
                public Task<string[]> RunAsync(HttpClient client, IEnumerable<string> urls) =>
                    Task.WhenAll(urls.Select(url => client.GetStringAsync(url)));
            }
            """,

        ["batches of requests with a pause between them"] = Usings + """
            class Export
            {
                public async Task RunAsync(HttpClient client, IEnumerable<string> customers, CancellationToken cancellationToken)
                {
                    foreach (var batch in customers.Chunk(20))
                    {
                        await Task.WhenAll(batch.Select(c => client.GetStringAsync("https://api.stripe.com/v1/customers/" + c, cancellationToken)));
                        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                    }
                }
            }
            """,

        ["two requests written out and awaited together"] = Usings + """
            class Export
            {
                public async Task RunAsync(HttpClient client)
                {
                    var first = client.GetStringAsync("https://api.stripe.com/v1/customers");
                    var second = client.GetStringAsync("https://api.stripe.com/v1/invoices");
                    await Task.WhenAll(first, second);
                }
            }
            """,

        ["a fan-out that sends no request"] = Usings + """
            class Export
            {
                public Task<string[]> RunAsync(IEnumerable<string> paths) =>
                    Task.WhenAll(paths.Select(path => System.IO.File.ReadAllTextAsync(path)));
                public Task Ping(HttpClient client) => client.GetAsync("https://api.example.com/v1/ping");
            }
            """,
    };

    public static TheoryData<string> ReportedNames => new(Reported.Keys);

    public static TheoryData<string> NotReportedNames => new(NotReported.Keys);

    public static IEnumerable<string> All => Reported.Values.Concat(NotReported.Values);
}
