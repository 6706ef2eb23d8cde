using System.Threading.Tasks;
using Xunit;
using Verify = RateLimitAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<RateLimitAnalyzers.Rules.RL0007RateLimiterBuiltPerCallAnalyzer>;

namespace RateLimitAnalyzers.Tests.Rules;

public class RL0007RateLimiterBuiltPerCallTests
{
    [Theory]
    [MemberData(nameof(RL0007Cases.ReportedNames), MemberType = typeof(RL0007Cases))]
    public Task Reports_limiter_built_per_call(string name) => Verify.VerifyAnalyzerAsync(RL0007Cases.Reported[name]);

    [Theory]
    [MemberData(nameof(RL0007Cases.NotReportedNames), MemberType = typeof(RL0007Cases))]
    public Task Leaves_kept_limiter_alone(string name) => Verify.VerifyAnalyzerAsync(RL0007Cases.NotReported[name]);

    [Fact]
    public Task Message_names_the_limiter_the_endpoint_and_its_quota() => Verify.VerifyMessageAsync(
        RL0007Cases.Reported["a TokenBucketRateLimiter made in the method"],
        RuleIdentifiers.RateLimiterBuiltPerCall,
        "A TokenBucketRateLimiter made here",
        "Agora Analytics GET /beta/analytics/call/lists",
        "; it allows 1 request per second and 1,000 requests per day");

    [Fact]
    public Task Message_resolves_a_relative_url_under_the_clients_base_address() => Verify.VerifyMessageAsync(
        RL0007Cases.Reported["a limiter made in the method before a relative URL under a catalogued base address"],
        RuleIdentifiers.RateLimiterBuiltPerCall,
        "A FixedWindowRateLimiter made here",
        "Stripe API",
        "; it allows 25 requests per second");

    [Fact]
    public Task Message_names_a_pipeline_around_a_limiter_and_an_unknown_endpoint_by_url() => Verify.VerifyMessageAsync(
        RL0007Cases.Reported["a Polly pipeline with a rate limiter built in the method"],
        RuleIdentifiers.RateLimiterBuiltPerCall,
        "A pipeline around a SlidingWindowRateLimiter made here",
        "GET https://api.example.com/v1/items/… (HttpClient.GetStringAsync)",
        "");
}
