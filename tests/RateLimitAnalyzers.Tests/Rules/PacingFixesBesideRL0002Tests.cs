using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using RateLimitAnalyzers.CodeFixes.Rules;
using RateLimitAnalyzers.Rules;
using RateLimitAnalyzers.Tests.Verifiers;
using Xunit;

namespace RateLimitAnalyzers.Tests.Rules;

/// <summary>
/// RL0005 and RL0008 beside RL0002 on the same requests: when RL0002 gives the client a rate-limit handler, their fixes
/// make that same client edit instead of a wait of their own, so each request takes one turn whichever fix runs first.
/// (RL0001 beside RL0002 is <see cref="RL0001AndRL0002TogetherTests"/>.)
/// </summary>
public class PacingFixesBesideRL0002Tests
{
    public static IEnumerable<object[]> Cases() =>
        RL0005Cases.Reported.Keys.Select(name => new object[] { RuleIdentifiers.RequestFanOutWithoutPacing, name })
            .Concat(RL0008Cases.Reported.Keys.Select(name => new object[] { RuleIdentifiers.WaitShorterThanQuota, name }));

    [Theory]
    [InlineData(RuleIdentifiers.RequestFanOutWithoutPacing, "tasks started through a helper of the user's in a loop")]
    [InlineData(RuleIdentifiers.WaitShorterThanQuota, "a short delay before each request through a client made in the file")]
    public async Task The_rule_asks_for_RL0002s_client_edit_when_RL0002_reports_the_client(string rule, string name)
    {
        var diagnostics = await RL0001AndRL0002TogetherTests.DiagnosticsAsync(Source(rule, name));
        var paced = Assert.Single(diagnostics, d => d.Id == rule);
        var call = Assert.Single(diagnostics, d => d.Id == RuleIdentifiers.RateLimitedEndpointWithoutRetry);
        Assert.Equal(PacingFixData.HandlerFix, paced.Properties[PacingFixData.FixKind]);
        foreach (var key in new[] { PacingFixData.EndpointKey, PacingFixData.Quota, PacingFixData.PolicyBaseAddress, PacingFixData.ApiName, PacingFixData.FixKind })
        {
            Assert.Equal(call.Properties[key], paced.Properties[key]);
        }

        Assert.Equal(call.AdditionalLocations.Single().SourceSpan, paced.AdditionalLocations.Single().SourceSpan);
    }

    /// <summary>Both fixes, in either order, on every case: the same code, the rule not left, and never a wait of the rule's own beside a pacing handler.</summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Both_fixes_in_either_order_pace_each_request_once(string rule, string name)
    {
        var source = RL0001AndRL0002TogetherTests.Plain(Source(rule, name));
        var ruleFirst = await FixAsync(rule, source) is { } paced ? await FixAsync(RuleIdentifiers.RateLimitedEndpointWithoutRetry, paced) ?? paced : null;
        var retriedFirst = await FixAsync(RuleIdentifiers.RateLimitedEndpointWithoutRetry, source) is { } retried
            ? await FixAsync(rule, retried) ?? retried
            : await FixAsync(rule, source);
        Assert.Equal(ruleFirst is null, retriedFirst is null);
        if (ruleFirst is null || retriedFirst is null)
        {
            // Neither fix offers anything here (RL0008 with several delays, and RL0002 giving a parameter the benefit of the doubt).
            return;
        }

        Assert.Equal(retriedFirst, ruleFirst);
        Assert.False(
            ruleFirst.Contains("RateLimitedHandler(") && ruleFirst.Contains("WaitTurn"),
            "the requests are paced by the client's handler and by a wait of " + rule + "'s fix:\n" + ruleFirst);
        var after = await RL0001AndRL0002TogetherTests.DiagnosticsAsync(ruleFirst);
        Assert.DoesNotContain(after, d => d.Id == rule);
    }

    private static string Source(string rule, string name) =>
        rule == RuleIdentifiers.RequestFanOutWithoutPacing ? RL0005Cases.Reported[name] : RL0008Cases.Reported[name];

    private static Task<string?> FixAsync(string rule, string code) => rule switch
    {
        RuleIdentifiers.RequestFanOutWithoutPacing => CodeFixOutput.ApplyAsync<RL0005RequestFanOutWithoutPacingAnalyzer, RL0005RequestFanOutWithoutPacingCodeFix>(code),
        RuleIdentifiers.WaitShorterThanQuota => CodeFixOutput.ApplyAsync<RL0008WaitShorterThanQuotaAnalyzer, RL0008WaitShorterThanQuotaCodeFix>(code),
        _ => CodeFixOutput.ApplyAsync<RL0002RateLimitedEndpointWithoutRetryAnalyzer, RL0002RateLimitedEndpointWithoutRetryCodeFix>(code),
    };
}
