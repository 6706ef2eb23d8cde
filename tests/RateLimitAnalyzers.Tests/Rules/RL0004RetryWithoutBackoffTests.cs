using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = RateLimitAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<RateLimitAnalyzers.Rules.RL0004RetryWithoutBackoffAnalyzer>;

namespace RateLimitAnalyzers.Tests.Rules;

public class RL0004RetryWithoutBackoffTests
{
    [Theory]
    [MemberData(nameof(RL0004Cases.ReportedNames), MemberType = typeof(RL0004Cases))]
    public Task Reports_retry_without_backoff(string name) => Verify.VerifyAnalyzerAsync(RL0004Cases.Reported[name]);

    [Theory]
    [MemberData(nameof(RL0004Cases.NotReportedNames), MemberType = typeof(RL0004Cases))]
    public Task Leaves_code_alone(string name) => Verify.VerifyAnalyzerAsync(RL0004Cases.NotReported[name]);

    [Fact]
    public Task Message_for_a_loop_with_no_wait_and_no_bound() => Verify.VerifyMessageAsync(
        RL0004Cases.Reported["async: while (true) until success, no wait and no limit"],
        RuleIdentifiers.RetryWithoutBackoff,
        "This retry loop",
        "repeats GET https://api.example.com/v1/report (HttpClient.GetAsync) with no wait between attempts, forever",
        "back off exponentially with jitter so the server's counter can reset, and give up after a few attempts");

    [Fact]
    public Task Message_for_a_foreach_over_fallbacks_says_no_forever() => Verify.VerifyMessageAsync(
        RL0004Cases.Reported["async: a foreach over fallback user agents sends the same GET again at once until one succeeds"],
        RuleIdentifiers.RetryWithoutBackoff,
        "This retry loop",
        "repeats GET https://api.example.com/v1/feed (HttpClient.SendAsync) with no wait between attempts",
        "back off exponentially with jitter so the server's counter can reset");

    [Fact]
    public Task Message_names_agora_and_its_quota() => Verify.VerifyMessageAsync(
        RL0004Cases.Reported["async: Agora's throttle body answered with a fixed wait"],
        RuleIdentifiers.RetryWithoutBackoff,
        "This retry loop",
        "repeats Agora Analytics GET /beta/analytics/call/lists after the same 1 s every time",
        "back off exponentially with jitter so the server's counter can reset (Agora Analytics GET /beta/analytics/call/lists allows 1 request per second and 1,000 requests per day)");

    [Fact]
    public Task Message_for_an_unbounded_retry_that_backs_off() => Verify.VerifyMessageAsync(
        RL0004Cases.Reported["async: a doubling wait, but while (true) with no limit or deadline"],
        RuleIdentifiers.RetryWithoutBackoff,
        "This retry loop",
        "retries GET https://api.example.com/v1/report (HttpClient.GetStringAsync) forever, with no attempt limit or deadline",
        "back off exponentially with jitter so the server's counter can reset, and give up after a few attempts");

    [Fact]
    public Task Message_for_polly_v8_default_backoff() => Verify.VerifyMessageAsync(
        RL0004Cases.Reported["Polly v8: the default constant backoff on HTTP work"],
        RuleIdentifiers.RetryWithoutBackoff,
        "This Polly retry (RetryStrategyOptions<HttpResponseMessage>)",
        "waits the same 2 s before every attempt (the default constant backoff)",
        "back off exponentially with jitter so the server's counter can reset");

    [Fact]
    public Task Nothing_happens_without_an_http_client_in_the_compilation()
    {
        var test = new Verify.Test
        {
            TestCode = """
                class Plain
                {
                    public int Run(System.Func<int> work) { while (true) { try { return work(); } catch (System.Exception) { } } }
                }
                """,
            ReferenceAssemblies = ReferenceAssemblies.NetStandard.NetStandard20.WithPackages(default),
        };
        test.TestState.AdditionalReferences.Clear();
        return test.RunAsync();
    }
}
