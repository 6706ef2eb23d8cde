using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using RateLimitAnalyzers.Rules;
using Xunit;
using Verify = RateLimitAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<RateLimitAnalyzers.Rules.RL0001PagingLoopWithoutPacingAnalyzer>;

namespace RateLimitAnalyzers.Tests.Rules;

public class RL0001PagingLoopWithoutPacingTests
{
    [Theory]
    [MemberData(nameof(RL0001Cases.ReportedNames), MemberType = typeof(RL0001Cases))]
    public Task Reports_paging_loop(string name) => Verify.VerifyAnalyzerAsync(RL0001Cases.Reported[name]);

    [Theory]
    [MemberData(nameof(RL0001Cases.NotReportedNames), MemberType = typeof(RL0001Cases))]
    public Task Leaves_loop_alone(string name) => Verify.VerifyAnalyzerAsync(RL0001Cases.NotReported[name]);

    [Fact]
    public Task Message_names_the_catalogued_endpoint_and_its_quota() => Verify.VerifyAnalyzerAsync(
        RL0001Cases.Usings + """
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
        Verify.Diagnostic(RuleIdentifiers.PagingLoopWithoutPacing).WithLocation(0).WithArguments(
            "This paging loop (next page from 'cursor')",
            "Agora Analytics GET /beta/analytics/call/lists",
            "it allows 1 request per second and 1,000 requests per day; wait for a turn before each request"));

    [Fact]
    public Task Message_names_an_unknown_endpoint_by_url_and_the_default_pace() => Verify.VerifyAnalyzerAsync(
        RL0001Cases.Usings + """
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
        Verify.Diagnostic(RuleIdentifiers.PagingLoopWithoutPacing).WithLocation(0).WithArguments(
            "This paging loop (stops on 'items')",
            "GET https://api.example.com/v1/items (HttpClient.GetFromJsonAsync)",
            "wait for a turn before each request (the fix paces at 1 request per second; adjust it to the API's quota)"));

    [Fact]
    public Task Message_names_the_archiva_quota() => Verify.VerifyAnalyzerAsync(
        RL0001Cases.Usings + """
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
        Verify.Diagnostic(RuleIdentifiers.PagingLoopWithoutPacing).WithLocation(0).WithArguments(
            "This loop",
            "Archiva POST /api/ingest/event",
            "it allows 100 requests per 60 s; wait for a turn before each request"));

    [Fact]
    public async Task Methods_listed_as_pacing_in_editorconfig_count_as_pacing()
    {
        const string source = RL0001Cases.Usings + """
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
            """;

        await Verify.VerifyAnalyzerAsync(source);

        var configured = new Verify.Test { TestCode = source.Replace("[|do|]", "do") };
        configured.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", """
            root = true

            [*.cs]
            rate_limit_analyzers.pacing_methods = Throttle.WaitAsync, M:Other.Limiter.Wait
            """));
        await configured.RunAsync();
    }

    [Fact]
    public Task User_catalog_entry_makes_any_loop_to_its_endpoint_reportable()
    {
        var test = new Verify.Test
        {
            TestCode = RL0001Cases.Usings + """
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
        };
        test.TestState.AdditionalFiles.Add(("/src/RateLimitEndpoints.txt", "PUT erp.internal.example/api/v2/orders/{id} name=\"ERP orders API\" quota=10/1s\n"));
        return test.RunAsync();
    }

    [Fact]
    public Task Nothing_happens_without_an_http_client_in_the_compilation()
    {
        var test = new Verify.Test
        {
            TestCode = """
                class Plain
                {
                    public int Run(int[] items) { var n = 0; foreach (var i in items) n += i; return n; }
                }
                """,
            ReferenceAssemblies = ReferenceAssemblies.NetStandard.NetStandard20.WithPackages(default),
        };
        test.TestState.AdditionalReferences.Clear();
        return test.RunAsync();
    }
}
