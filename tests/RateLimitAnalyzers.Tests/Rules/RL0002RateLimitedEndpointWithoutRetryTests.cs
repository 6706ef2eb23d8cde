using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = RateLimitAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<RateLimitAnalyzers.Rules.RL0002RateLimitedEndpointWithoutRetryAnalyzer>;

namespace RateLimitAnalyzers.Tests.Rules;

public class RL0002RateLimitedEndpointWithoutRetryTests
{
    [Theory]
    [MemberData(nameof(RL0002Cases.ReportedNames), MemberType = typeof(RL0002Cases))]
    public Task Reports_call_without_retry(string name) => Verify.VerifyAnalyzerAsync(RL0002Cases.Reported[name]);

    [Theory]
    [MemberData(nameof(RL0002Cases.NotReportedNames), MemberType = typeof(RL0002Cases))]
    public Task Leaves_call_alone(string name) => Verify.VerifyAnalyzerAsync(RL0002Cases.NotReported[name]);

    [Fact]
    public Task Message_names_the_api_its_quota_and_its_throttle_signal() => Verify.VerifyAnalyzerAsync(
        RL0002Cases.Usings + """
        class Ingest
        {
            private readonly HttpClient _client = {|#1:new()|};
            public Task<HttpResponseMessage> SendAsync(HttpContent content) => _client.{|#0:PostAsync|}("https://api.archiva.app/api/ingest/event", content);
        }
        """,
        Verify.Diagnostic(RuleIdentifiers.RateLimitedEndpointWithoutRetry).WithLocation(0).WithLocation(1).WithArguments(
            "Archiva POST /api/ingest/event allows 100 requests per 60 s",
            "429 with Retry-After or body containing \"error\":\"Rate limit exceeded\""));

    [Fact]
    public Task Message_for_agora_names_both_windows_and_the_code_300_body() => Verify.VerifyAnalyzerAsync(
        RL0002Cases.Usings + """
        class Calls
        {
            private readonly HttpClient _client = {|#1:new()|};
            public Task<string> ListAsync() => _client.{|#0:GetStringAsync|}("https://api.agora.io/beta/analytics/call/lists?page_size=100");
        }
        """,
        Verify.Diagnostic(RuleIdentifiers.RateLimitedEndpointWithoutRetry).WithLocation(0).WithLocation(1).WithArguments(
            "Agora Analytics GET /beta/analytics/call/lists allows 1 request per second and 1,000 requests per day",
            "429 or body containing \"code\":300"));

    [Fact]
    public Task Message_for_an_endpoint_without_a_documented_number_says_where_the_quota_comes_from() => Verify.VerifyAnalyzerAsync(
        RL0002Cases.Usings + """
        class Artifacts
        {
            private readonly HttpClient _client = {|#1:new()|};
            public Task<string> GetAsync() => _client.{|#0:GetStringAsync|}("https://api.apps.rancher.io/v1/artifacts");
        }
        """,
        Verify.Diagnostic(RuleIdentifiers.RateLimitedEndpointWithoutRetry).WithLocation(0).WithLocation(1).WithArguments(
            "SUSE Application Collection API is rate limited per rolling 24 h window; the quota comes from the ratelimit-limit header at run time",
            "429"));

    [Fact]
    public async Task Clients_from_out_of_view_are_reported_only_in_strict_mode()
    {
        const string source = RL0002Cases.Usings + """
            class Ingest
            {
                public Task<HttpResponseMessage> SendAsync(HttpClient client, HttpContent content) =>
                    client.[|PostAsync|]("https://api.archiva.app/api/ingest/event", content);
            }
            """;
        await Verify.VerifyAnalyzerAsync(source.Replace("[|PostAsync|]", "PostAsync"));

        var strict = new Verify.Test { TestCode = source };
        strict.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", """
            root = true

            [*.cs]
            rate_limit_analyzers.report_unseen_clients = true
            """));
        await strict.RunAsync();
    }

    [Fact]
    public async Task Strict_mode_leaves_a_call_whose_every_caller_retries_it()
    {
        var probe = RL0002Cases.NotReported["F-7: a best-effort probe whose only caller retries it with backoff"];
        await Strict(probe).RunAsync();

        // The same probe called once more outside the retry is reported: one caller that does not retry is enough.
        var alsoCalledOnce = probe.Replace(
            "private static async Task<bool> CheckAsync",
            "public Task<bool> OnceAsync(HttpClient client) => CheckAsync(client);\n    private static async Task<bool> CheckAsync")
            .Replace("await client.GetAsync(", "await client.[|GetAsync|](");
        await Strict(alsoCalledOnce).RunAsync();

        static Verify.Test Strict(string source)
        {
            var test = new Verify.Test { TestCode = source };
            test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n\n[*.cs]\nrate_limit_analyzers.report_unseen_clients = true\n"));
            return test;
        }
    }

    [Fact]
    public Task User_catalog_entry_is_matched_through_a_typed_clients_base_address()
    {
        var test = new Verify.Test
        {
            TestCode = RL0002Cases.Usings + """
                class ErpClient(HttpClient http)
                {
                    public Task<HttpResponseMessage> PutAsync(string id, HttpContent body) => http.[|PutAsync|]("api/v2/orders/" + id, body);
                }
                static class Registration
                {
                    public static void Add(IServiceCollection services) =>
                        services.AddHttpClient<ErpClient>(c => c.BaseAddress = new Uri("https://erp.internal.example/"));
                }
                """,
        };
        test.TestState.AdditionalFiles.Add(("/src/RateLimitEndpoints.txt", "PUT erp.internal.example/api/v2/orders/{id} name=\"ERP orders API\" quota=10/1s throttle=429\n"));
        return test.RunAsync();
    }
}
