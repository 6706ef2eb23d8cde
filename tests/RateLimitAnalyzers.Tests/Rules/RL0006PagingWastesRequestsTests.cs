using System.Threading.Tasks;
using Xunit;
using Verify = RateLimitAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<RateLimitAnalyzers.Rules.RL0006PagingWastesRequestsAnalyzer>;

namespace RateLimitAnalyzers.Tests.Rules;

public class RL0006PagingWastesRequestsTests
{
    [Theory]
    [MemberData(nameof(RL0006Cases.ReportedNames), MemberType = typeof(RL0006Cases))]
    public Task Reports_small_pages(string name) => Verify.VerifyAnalyzerAsync(RL0006Cases.Reported[name]);

    [Theory]
    [MemberData(nameof(RL0006Cases.NotReportedNames), MemberType = typeof(RL0006Cases))]
    public Task Leaves_paging_alone(string name) => Verify.VerifyAnalyzerAsync(RL0006Cases.NotReported[name]);

    [Fact]
    public Task Message_names_the_parameter_left_out_and_its_maximum() => Verify.VerifyMessageAsync(
        RL0006Cases.Reported["GitHub issues paged without per_page"],
        RuleIdentifiers.PagingWastesRequests,
        "GitHub REST API",
        "leaves per_page out, so the API's default of 30 applies",
        "per_page goes up to 100, and larger pages spend fewer requests of the quota");

    [Fact]
    public Task Message_gives_the_value_set_and_the_maximum() => Verify.VerifyMessageAsync(
        RL0006Cases.Reported["Stripe customers paged with limit=10"],
        RuleIdentifiers.PagingWastesRequests,
        "Stripe API",
        "sets limit=10",
        "limit goes up to 100, and larger pages spend fewer requests of the quota");

    [Fact]
    public Task Message_says_a_fixed_page_count_spends_requests_past_the_last_page() => Verify.VerifyMessageAsync(
        RL0006Cases.Reported["a fixed number of pages with no stop on an empty page"],
        RuleIdentifiers.PagingWastesRequests,
        "GitHub REST API",
        "counts to a fixed number of pages and does not stop on an empty page",
        "every request past the last page spends quota for nothing; stop when a page comes back empty");
}
