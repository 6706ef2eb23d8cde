using System.Threading.Tasks;
using Xunit;
using Verify = RateLimitAnalyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    RateLimitAnalyzers.Rules.RL0006PagingWastesRequestsAnalyzer,
    RateLimitAnalyzers.CodeFixes.Rules.RL0006PagingWastesRequestsCodeFix>;

namespace RateLimitAnalyzers.Tests.Rules;

public class RL0006PagingWastesRequestsCodeFixTests
{
    [Fact]
    public Task Parameter_left_out_is_added_at_its_maximum()
    {
        var source = RL0006Cases.Reported["GitHub issues paged without per_page"];
        return Verify.VerifyCodeFixAsync(
            source,
            source.Replace("[|", string.Empty).Replace("|]", string.Empty).Replace("issues?state=open&page=", "issues?per_page=100&state=open&page="));
    }

    [Fact]
    public Task Constant_below_the_maximum_is_raised_to_it()
    {
        var source = RL0006Cases.Reported["Stripe customers paged with limit=10"];
        return Verify.VerifyCodeFixAsync(
            source,
            source.Replace("[|", string.Empty).Replace("|]", string.Empty).Replace("?limit=10&", "?limit=100&"));
    }

    [Fact]
    public Task Fixed_page_count_stops_on_an_empty_page()
    {
        var source = RL0006Cases.Reported["a fixed number of pages with no stop on an empty page"];
        return Verify.VerifyCodeFixAsync(
            source,
            source.Replace("[|", string.Empty).Replace("|]", string.Empty).Replace(
                "&page={page}\");\n",
                "&page={page}\");\n            if (names is null || names.Count == 0) break;\n"));
    }
}
