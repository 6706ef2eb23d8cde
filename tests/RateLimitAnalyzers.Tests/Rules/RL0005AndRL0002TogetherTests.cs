using System.Linq;
using System.Threading.Tasks;
using RateLimitAnalyzers.CodeFixes.Rules;
using RateLimitAnalyzers.Rules;
using RateLimitAnalyzers.Tests.Verifiers;
using Xunit;

namespace RateLimitAnalyzers.Tests.Rules;

/// <summary>
/// RL0005 and RL0002 on the same fanned-out requests: when RL0002 gives the client a rate-limit handler, RL0005's fix
/// makes that same client edit instead of a wait per item, so the requests take one turn each whichever fix runs first.
/// </summary>
public class RL0005AndRL0002TogetherTests
{
    private const string ClientMadeInTheFile = "tasks started through a helper of the user's in a loop";

    [Fact]
    public async Task RL0005_asks_for_RL0002s_client_edit_when_RL0002_reports_the_client()
    {
        var diagnostics = await RL0001AndRL0002TogetherTests.DiagnosticsAsync(RL0005Cases.Reported[ClientMadeInTheFile]);
        var fanOut = Assert.Single(diagnostics, d => d.Id == RuleIdentifiers.RequestFanOutWithoutPacing);
        var call = Assert.Single(diagnostics, d => d.Id == RuleIdentifiers.RateLimitedEndpointWithoutRetry);
        Assert.Equal(PacingFixData.HandlerFix, fanOut.Properties[PacingFixData.FixKind]);
        foreach (var key in new[] { PacingFixData.EndpointKey, PacingFixData.Quota, PacingFixData.PolicyBaseAddress, PacingFixData.ApiName, PacingFixData.FixKind })
        {
            Assert.Equal(call.Properties[key], fanOut.Properties[key]);
        }

        Assert.Equal(call.AdditionalLocations.Single().SourceSpan, fanOut.AdditionalLocations.Single().SourceSpan);
    }

    /// <summary>Both fixes, in either order, on every fan-out: the same code, no RL0005 left, and never a wait per item beside a pacing handler.</summary>
    [Theory]
    [MemberData(nameof(RL0005Cases.ReportedNames), MemberType = typeof(RL0005Cases))]
    public async Task Both_fixes_in_either_order_pace_each_request_once(string name)
    {
        var source = RL0001AndRL0002TogetherTests.Plain(RL0005Cases.Reported[name]);
        var fanOutFirst = await Rl0005Async(source) is { } paced ? await Rl0002Async(paced) ?? paced : null;
        var retriedFirst = await Rl0002Async(source) is { } retried ? await Rl0005Async(retried) ?? retried : await Rl0005Async(source);
        Assert.True(fanOutFirst is not null || retriedFirst is not null, "neither fix changed the case");
        Assert.Equal(fanOutFirst is null, retriedFirst is null);
        if (fanOutFirst is null || retriedFirst is null)
        {
            return;
        }

        Assert.Equal(retriedFirst, fanOutFirst);
        Assert.False(
            fanOutFirst.Contains("RateLimitedHandler(") && fanOutFirst.Contains("WaitTurn"),
            "the requests are paced by the client's handler and by a wait per item:\n" + fanOutFirst);
        var after = await RL0001AndRL0002TogetherTests.DiagnosticsAsync(fanOutFirst);
        Assert.DoesNotContain(after, d => d.Id == RuleIdentifiers.RequestFanOutWithoutPacing);
    }

    private static Task<string?> Rl0005Async(string code) =>
        CodeFixOutput.ApplyAsync<RL0005RequestFanOutWithoutPacingAnalyzer, RL0005RequestFanOutWithoutPacingCodeFix>(code);

    private static Task<string?> Rl0002Async(string code) =>
        CodeFixOutput.ApplyAsync<RL0002RateLimitedEndpointWithoutRetryAnalyzer, RL0002RateLimitedEndpointWithoutRetryCodeFix>(code);
}
