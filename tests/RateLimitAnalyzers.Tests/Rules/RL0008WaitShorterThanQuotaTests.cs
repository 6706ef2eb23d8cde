using System.Threading.Tasks;
using Xunit;
using Verify = RateLimitAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<RateLimitAnalyzers.Rules.RL0008WaitShorterThanQuotaAnalyzer>;

namespace RateLimitAnalyzers.Tests.Rules;

public class RL0008WaitShorterThanQuotaTests
{
    [Theory]
    [MemberData(nameof(RL0008Cases.ReportedNames), MemberType = typeof(RL0008Cases))]
    public Task Reports_short_wait(string name) => Verify.VerifyAnalyzerAsync(RL0008Cases.Reported[name]);

    [Theory]
    [MemberData(nameof(RL0008Cases.NotReportedNames), MemberType = typeof(RL0008Cases))]
    public Task Leaves_wait_alone(string name) => Verify.VerifyAnalyzerAsync(RL0008Cases.NotReported[name]);

    [Fact]
    public Task Message_gives_the_wait_and_the_quotas_interval() => Verify.VerifyMessageAsync(
        RL0008Cases.Reported["Task.Delay(100) in a paging loop against 1 request per second"],
        RuleIdentifiers.WaitShorterThanQuota,
        "100 ms",
        "Agora Analytics GET /beta/analytics/call/lists",
        "1 request per second",
        "1,000 ms");

    [Fact]
    public Task Message_adds_up_the_waits_of_an_iteration() => Verify.VerifyMessageAsync(
        RL0008Cases.Reported["two short delays that add up to less than the interval"],
        RuleIdentifiers.WaitShorterThanQuota,
        "700 ms",
        "Slack chat.postMessage",
        "1 request per second",
        "1,000 ms");
}
