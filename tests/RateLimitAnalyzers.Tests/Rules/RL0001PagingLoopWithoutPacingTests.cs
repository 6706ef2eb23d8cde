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

    [Theory]
    [InlineData(
        "message: a catalogued endpoint and its quota",
        "This paging loop (next page from 'cursor')",
        "Agora Analytics GET /beta/analytics/call/lists",
        "it allows 1 request per second and 1,000 requests per day; wait for a turn before each request")]
    [InlineData(
        "message: an unknown endpoint by its URL, and the default pace",
        "This paging loop (stops on 'items')",
        "GET https://api.example.com/v1/items (HttpClient.GetFromJsonAsync)",
        "wait for a turn before each request (the fix paces at 1 request per second; adjust it to the API's quota)")]
    [InlineData(
        "message: a request per chunk to a catalogued API is a loop, not a paging loop",
        "This loop",
        "OpenAI API",
        "OpenAI API is rate limited; its vendor documents no fixed quota; the x-ratelimit-limit-requests header reports the current limit; wait for a turn before each request")]
    [InlineData(
        "message: the Archiva quota",
        "This loop",
        "Archiva POST /api/ingest/event",
        "it allows 100 requests per 60 s; wait for a turn before each request")]
    public Task Message_names_the_loop_the_endpoint_and_its_quota(string name, string loop, string endpoint, string advice) => Verify.VerifyAnalyzerAsync(
        RL0001Cases.Individual[name],
        Verify.Diagnostic(RuleIdentifiers.PagingLoopWithoutPacing).WithLocation(0).WithArguments(loop, endpoint, advice));

    [Fact]
    public async Task Methods_listed_as_pacing_in_editorconfig_count_as_pacing()
    {
        var source = RL0001Cases.Individual["a method of the user's that .editorconfig lists as pacing"];

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
            TestCode = RL0001Cases.Individual["a loop over ids to an endpoint in the user's catalog"],
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
