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
        "leaves per_page out, so the API's default page size applies",
        "per_page",
        "100");

    [Fact]
    public Task Message_gives_the_value_set_and_the_maximum() => Verify.VerifyMessageAsync(
        RL0006Cases.Reported["Stripe customers paged with limit=10"],
        RuleIdentifiers.PagingWastesRequests,
        "Stripe API",
        "sets limit=10",
        "limit",
        "100");
}
