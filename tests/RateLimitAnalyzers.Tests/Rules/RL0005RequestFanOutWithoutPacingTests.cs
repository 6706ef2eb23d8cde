using System.Threading.Tasks;
using Xunit;
using Verify = RateLimitAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<RateLimitAnalyzers.Rules.RL0005RequestFanOutWithoutPacingAnalyzer>;

namespace RateLimitAnalyzers.Tests.Rules;

public class RL0005RequestFanOutWithoutPacingTests
{
    [Theory]
    [MemberData(nameof(RL0005Cases.ReportedNames), MemberType = typeof(RL0005Cases))]
    public Task Reports_fan_out(string name) => Verify.VerifyAnalyzerAsync(RL0005Cases.Reported[name]);

    [Theory]
    [MemberData(nameof(RL0005Cases.NotReportedNames), MemberType = typeof(RL0005Cases))]
    public Task Leaves_fan_out_alone(string name) => Verify.VerifyAnalyzerAsync(RL0005Cases.NotReported[name]);

    [Fact]
    public Task Message_names_the_catalogued_endpoint_and_its_quota() => Verify.VerifyMessageAsync(
        RL0005Cases.Reported["Task.WhenAll over an async lambda per item, catalogued endpoint"],
        RuleIdentifiers.RequestFanOutWithoutPacing,
        "Task.WhenAll over a task per item",
        "Agora Analytics GET /beta/analytics/call/lists",
        "it allows 1 request per second and 1,000 requests per day; wait for a turn before each request");

    [Fact]
    public Task Message_resolves_a_relative_url_under_the_clients_base_address() => Verify.VerifyMessageAsync(
        RL0005Cases.Reported["Task.WhenAll over relative URLs under a catalogued client's base address"],
        RuleIdentifiers.RequestFanOutWithoutPacing,
        "Task.WhenAll over a task per item",
        "GitHub REST API",
        "it allows 5,000 requests per hour (authenticated); wait for a turn before each request");

    [Fact]
    public Task Message_says_a_bound_on_concurrency_is_no_bound_on_rate() => Verify.VerifyMessageAsync(
        RL0005Cases.Reported["Parallel.ForEachAsync over a catalogued endpoint, bounded but not paced"],
        RuleIdentifiers.RequestFanOutWithoutPacing,
        "Parallel.ForEachAsync",
        "Stripe API",
        "bounding how many run at once does not bound how many start per second: it allows 25 requests per second (per endpoint; 100 per second across the account in live mode); wait for a turn before each request");

    [Fact]
    public Task Message_names_an_unknown_endpoint_by_url_and_the_default_pace() => Verify.VerifyMessageAsync(
        RL0005Cases.Reported["tasks started in a foreach loop and awaited together"],
        RuleIdentifiers.RequestFanOutWithoutPacing,
        "Task.WhenAll over tasks started in a loop",
        "POST https://api.example.com/v1/events/… (HttpClient.PostAsync)",
        "wait for a turn before each request (the fix paces at 1 request per second; adjust it to the API's quota)");

    [Fact]
    public Task Message_calls_out_the_async_lambda_given_to_Parallel_ForEach() => Verify.VerifyMessageAsync(
        RL0005Cases.Reported["Parallel.ForEach with an async lambda"],
        RuleIdentifiers.RequestFanOutWithoutPacing,
        "Parallel.ForEach with an async lambda",
        "GET https://api.example.com/v1/items/… (HttpClient.GetAsync)",
        "wait for a turn before each request (the fix paces at 1 request per second; adjust it to the API's quota)");
}
