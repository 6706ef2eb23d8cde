using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace RateLimitAnalyzers.Tests.Rules;

/// <summary>
/// Every RL0006 case as source with markup. The positive and negative tests run them through the analyzer,
/// and the robustness test runs every one of them truncated.
/// </summary>
public static class RL0006Cases
{
    public const string Usings = RL0001Cases.Usings;

    /// <summary>Paging loops that ask for smaller pages than the catalog's maximum; the request is marked.</summary>
    public static readonly IReadOnlyDictionary<string, string> Reported = new Dictionary<string, string>
    {
        ["GitHub issues paged without per_page"] = Usings + """
            class Issue { public int Number { get; set; } }
            class Export
            {
                public async Task<List<Issue>> RunAsync(HttpClient client, CancellationToken cancellationToken)
                {
                    var all = new List<Issue>();
                    for (var page = 1; ; page++)
                    {
                        var issues = await [|client.GetFromJsonAsync<List<Issue>>($"https://api.github.com/repos/dotnet/runtime/issues?state=open&page={page}", cancellationToken)|];
                        if (issues is null || issues.Count == 0) break;
                        all.AddRange(issues);
                    }
                    return all;
                }
            }
            """,

        ["GitHub issues paged by a relative URL under the client's base address, without per_page"] = Usings + """
            class Issue { public int Number { get; set; } }
            class Export
            {
                private readonly HttpClient _client = new() { BaseAddress = new Uri("https://api.github.com/") };
                public async Task<List<Issue>> RunAsync(CancellationToken cancellationToken)
                {
                    var all = new List<Issue>();
                    for (var page = 1; ; page++)
                    {
                        var issues = await [|_client.GetFromJsonAsync<List<Issue>>($"repos/dotnet/runtime/issues?state=open&page={page}", cancellationToken)|];
                        if (issues is null || issues.Count == 0) break;
                        all.AddRange(issues);
                    }
                    return all;
                }
            }
            """,

        ["Stripe customers paged with limit=10"] = Usings + """
            class Customer { public string Id { get; set; } = ""; }
            class CustomerList { public List<Customer> Data { get; set; } = new(); public bool HasMore { get; set; } }
            class Export
            {
                public async Task RunAsync(HttpClient client)
                {
                    string? after = null;
                    var hasMore = true;
                    while (hasMore)
                    {
                        var list = await [|client.GetFromJsonAsync<CustomerList>("https://api.stripe.com/v1/customers?limit=10&starting_after=" + after)|];
                        hasMore = list!.HasMore;
                        after = list.Data.Last().Id;
                    }
                }
            }
            """,

        ["a fixed number of pages with no stop on an empty page"] = Usings + """
            class Export
            {
                public async Task<List<string>> RunAsync(HttpClient client)
                {
                    var all = new List<string>();
                    for (var page = 1; page <= 20; page++)
                    {
                        var names = await [|client.GetFromJsonAsync<List<string>>($"https://api.github.com/orgs/dotnet/repos?per_page=100&page={page}")|];
                        all.AddRange(names!);
                    }
                    return all;
                }
            }
            """,
    };

    /// <summary>Pages as large as allowed, sizes the code computes, and endpoints without a documented maximum.</summary>
    public static readonly IReadOnlyDictionary<string, string> NotReported = new Dictionary<string, string>
    {
        ["per_page at the maximum"] = Usings + """
            class Export
            {
                public async Task RunAsync(HttpClient client)
                {
                    for (var page = 1; ; page++)
                    {
                        var issues = await client.GetFromJsonAsync<List<string>>($"https://api.github.com/repos/dotnet/runtime/issues?per_page=100&page={page}");
                        if (issues is null || issues.Count == 0) break;
                    }
                }
            }
            """,

        ["page size left out where the documented default is the maximum"] = Usings + """
            class Export
            {
                public async Task RunAsync(HttpClient client)
                {
                    string? offset = null;
                    do
                    {
                        var page = await client.GetFromJsonAsync<Dictionary<string, string>>("https://api.airtable.com/v0/app1/Table?offset=" + offset);
                        offset = page?["offset"];
                    }
                    while (offset != null);
                }
            }
            """,

        ["page size from a variable"] = Usings + """
            class Export
            {
                public async Task RunAsync(HttpClient client, int pageSize)
                {
                    for (var page = 1; ; page++)
                    {
                        var issues = await client.GetFromJsonAsync<List<string>>($"https://api.github.com/repos/dotnet/runtime/issues?page={page}&per_page={pageSize}");
                        if (issues is null || issues.Count == 0) break;
                    }
                }
            }
            """,

        ["an endpoint the catalog does not know"] = Usings + """
            class Export
            {
                public async Task RunAsync(HttpClient client)
                {
                    for (var page = 1; ; page++)
                    {
                        var items = await client.GetFromJsonAsync<List<string>>($"https://api.example.com/v1/items?page={page}");
                        if (items is null || items.Count == 0) break;
                    }
                }
            }
            """,

        ["a query the code does not write out"] = Usings + """
            class Export
            {
                public async Task RunAsync(HttpClient client, string query)
                {
                    for (var page = 1; ; page++)
                    {
                        var issues = await client.GetFromJsonAsync<List<string>>($"https://api.github.com/repos/dotnet/runtime/issues?{query}&page={page}");
                        if (issues is null || issues.Count == 0) break;
                    }
                }
            }
            """,

        ["a fixed number of pages that stops on an empty page"] = Usings + """
            class Export
            {
                public async Task RunAsync(HttpClient client)
                {
                    for (var page = 1; page <= 20; page++)
                    {
                        var names = await client.GetFromJsonAsync<List<string>>($"https://api.github.com/orgs/dotnet/repos?per_page=100&page={page}");
                        if (names is null || names.Count == 0) break;
                    }
                }
            }
            """,

        ["a fixed page count to an endpoint the catalog does not know"] = Usings + """
            class Export
            {
                public async Task RunAsync(HttpClient client)
                {
                    for (var page = 1; page <= 20; page++)
                    {
                        await client.GetStringAsync($"https://api.example.com/v1/items?page={page}");
                    }
                }
            }
            """,

        ["a loop over ids, not pages"] = Usings + """
            class Export
            {
                public async Task RunAsync(HttpClient client, IEnumerable<int> numbers)
                {
                    foreach (var number in numbers)
                    {
                        await client.GetStringAsync($"https://api.github.com/repos/dotnet/runtime/issues/{number}/comments?page=1");
                    }
                }
            }
            """,
    };

    public static TheoryData<string> ReportedNames => new(Reported.Keys);

    public static TheoryData<string> NotReportedNames => new(NotReported.Keys);

    public static IEnumerable<string> All => Reported.Values.Concat(NotReported.Values);
}
