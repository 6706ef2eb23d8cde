using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = RateLimitAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<RateLimitAnalyzers.Rules.RL0003RetryAfterIgnoredAnalyzer>;

namespace RateLimitAnalyzers.Tests.Rules;

public class RL0003RetryAfterIgnoredTests
{
    [Theory]
    [MemberData(nameof(RL0003Cases.ReportedNames), MemberType = typeof(RL0003Cases))]
    public Task Reports_throttle_handling_that_ignores_retry_after(string name) => Verify.VerifyAnalyzerAsync(RL0003Cases.Reported[name]);

    [Theory]
    [MemberData(nameof(RL0003Cases.NotReportedNames), MemberType = typeof(RL0003Cases))]
    public Task Leaves_code_alone(string name) => Verify.VerifyAnalyzerAsync(RL0003Cases.NotReported[name]);

    [Fact]
    public Task Message_names_archiva_its_retry_after_and_quota() => Verify.VerifyMessageAsync(
        RL0003Cases.Usings + """
        class Ingest
        {
            public async Task SendAsync(HttpClient client, HttpContent content)
            {
                for (var attempt = 0; attempt < 5; attempt++)
                {
                    var response = await client.PostAsync("https://api.archiva.app/api/ingest/event", content);
                    if ([|response.StatusCode == HttpStatusCode.TooManyRequests|])
                    {
                        await Task.Delay(TimeSpan.FromSeconds(45));
                        continue;
                    }

                    return;
                }
            }
        }
        """,
        RuleIdentifiers.RetryAfterIgnored,
        "This retry loop",
        "waits a fixed 45 s after a 429",
        "Archiva POST /api/ingest/event answers 429 with Retry-After (100 requests per 60 s): wait as long as it asks");

    [Fact]
    public Task Message_for_an_unknown_endpoint_retried_at_once() => Verify.VerifyMessageAsync(
        RL0003Cases.Usings + """
        class Report
        {
            public HttpResponseMessage Fetch(HttpClient client)
            {
                while (true)
                {
                    var response = client.Send(new HttpRequestMessage(HttpMethod.Get, "https://api.example.com/v1/report"));
                    if ([|(int)response.StatusCode == 503|]) continue;
                    return response;
                }
            }
        }
        """,
        RuleIdentifiers.RetryAfterIgnored,
        "This retry loop",
        "retries a 503 at once",
        "the server's Retry-After says how long its window needs: wait that long, and back off when it sends none");

    [Fact]
    public Task Message_says_ensure_success_status_code_threw_the_headers_away() => Verify.VerifyMessageAsync(
        RL0003Cases.Reported["async: EnsureSuccessStatusCode, then a retry on the 429 it threw"],
        RuleIdentifiers.RetryAfterIgnored,
        "This retry loop",
        "retries the 429 that EnsureSuccessStatusCode() threw, after the response and its headers are gone,",
        "Archiva POST /api/ingest/event answers 429 with Retry-After (100 requests per 60 s): wait as long as it asks");

    [Fact]
    public Task Message_for_polly_v8_options() => Verify.VerifyMessageAsync(
        RL0003Cases.Reported["Polly v8: RetryStrategyOptions handling 429 without a DelayGenerator"],
        RuleIdentifiers.RetryAfterIgnored,
        "This Polly retry (RetryStrategyOptions<HttpResponseMessage>)",
        "retries 429 on its own delay schedule",
        "the server's Retry-After says how long to wait: read it in a DelayGenerator");

    [Fact]
    public async Task A_user_catalog_entry_decides_whether_the_server_sends_a_hint()
    {
        const string source = RL0003Cases.Usings + """
            class Orders
            {
                public async Task SendAsync(HttpClient client, HttpContent content)
                {
                    for (var attempt = 0; attempt < 5; attempt++)
                    {
                        var response = await client.PutAsync("https://erp.internal.example/api/v2/orders/1", content);
                        if (MARK)
                        {
                            await Task.Delay(1000);
                            continue;
                        }

                        return;
                    }
                }
            }
            """;
        const string check = "response.StatusCode == HttpStatusCode.TooManyRequests";

        // Documented as answering 429 with nothing that says when to come back: backoff is the answer (RL0004), not a header.
        var withoutHint = new Verify.Test { TestCode = source.Replace("MARK", check) };
        withoutHint.TestState.AdditionalFiles.Add(("/RateLimitEndpoints.txt", "PUT erp.internal.example/api/v2/orders/{id} name=\"ERP orders\" quota=10/1s throttle=429\n"));
        await withoutHint.RunAsync();

        var withHint = new Verify.Test { TestCode = source.Replace("MARK", "[|" + check + "|]") };
        withHint.TestState.AdditionalFiles.Add(("/RateLimitEndpoints.txt", "PUT erp.internal.example/api/v2/orders/{id} name=\"ERP orders\" quota=10/1s throttle=429,retry-after\n"));
        await withHint.RunAsync();
    }

    [Fact]
    public Task Nothing_happens_without_an_http_client_in_the_compilation()
    {
        var test = new Verify.Test
        {
            TestCode = """
                class Plain
                {
                    public int Run(int status) { while (status == 429) { System.Threading.Thread.Sleep(1); status = 200; } return status; }
                }
                """,
            ReferenceAssemblies = ReferenceAssemblies.NetStandard.NetStandard20.WithPackages(default),
        };
        test.TestState.AdditionalReferences.Clear();
        return test.RunAsync();
    }
}
