using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis.Text;
using RateLimitAnalyzers.CodeFixes.Rules;
using RateLimitAnalyzers.Rules;
using RateLimitAnalyzers.Tests.Verifiers;
using Xunit;
using All = RateLimitAnalyzers.Tests.Verifiers.CSharpRulesVerifier;
using Verify = RateLimitAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<RateLimitAnalyzers.Rules.RL0001PagingLoopWithoutPacingAnalyzer>;

namespace RateLimitAnalyzers.Tests.Rules;

/// <summary>
/// RL0001 and RL0002 on the same requests: one target resolver (the same key, quota and endpoint text from both), one
/// client edit when both fire, and nothing reported on what their fixes write.
/// </summary>
public class RL0001AndRL0002TogetherTests
{
    private const string GitHubThroughBaseAddress = "message: a relative URL under the client's base address, as RL0002 resolves it";

    private const string OtherApisHandler = "both rules: a client whose handler is for other APIs, its policies' base addresses do not cover the loop's endpoint";

    private const string ThroughConstructorChain = "both rules, M-4: a loop over a catalogued API whose base address reaches the client through a constructor chain and a factory method";

    /// <summary>A shared client's handler for other APIs neither paces the loop (RL0001) nor retries its requests (RL0002).</summary>
    [Fact]
    public Task A_handler_for_other_apis_leaves_both_findings() => All.VerifyAsync(
        All.ForRule(RL0001Cases.Individual[OtherApisHandler], RuleIdentifiers.PagingLoopWithoutPacing)
            .Replace("s_client.GetFromJsonAsync", "s_client.{|RL0002:GetFromJsonAsync|}"));

    /// <summary>M-4 for RL0001: the base address reaches the client through a constructor chain and a factory method.</summary>
    [Fact]
    public Task A_base_address_through_a_constructor_chain_names_the_endpoint_for_both_rules() => All.VerifyAsync(
        All.ForRule(RL0001Cases.Individual[ThroughConstructorChain], RuleIdentifiers.PagingLoopWithoutPacing)
            .Replace("_client.GetStringAsync", "_client.{|RL0002:GetStringAsync|}"));

    [Fact]
    public Task RL0001_resolves_a_relative_url_under_the_clients_base_address_as_RL0002_does() => Verify.VerifyAnalyzerAsync(
        RL0001Cases.Individual[GitHubThroughBaseAddress],
        Verify.Diagnostic(RuleIdentifiers.PagingLoopWithoutPacing).WithLocation(0).WithLocation(1).WithArguments(
            "This paging loop (stops on 'repos')",
            "GitHub REST API",
            "it allows 5,000 requests per hour (authenticated); wait for a turn before each request"));

    [Fact]
    public Task A_computed_part_of_an_unknown_url_shows_as_an_ellipsis_never_a_placeholder() => Verify.VerifyAnalyzerAsync(
        RL0001Cases.Individual["message: an unknown endpoint with a computed part"],
        Verify.Diagnostic(RuleIdentifiers.PagingLoopWithoutPacing).WithLocation(0).WithArguments(
            "This paging loop (stops on 'repos')",
            "GET https://git.example.com/orgs/…/repos (HttpClient.GetFromJsonAsync)",
            "wait for a turn before each request (the fix paces at 1 request per second; adjust it to the API's quota)"));

    [Fact]
    public async Task Both_rules_give_the_same_key_quota_policy_and_client_edit_for_one_request()
    {
        var diagnostics = await DiagnosticsAsync(RL0001Cases.Individual[GitHubThroughBaseAddress]);
        var loop = Assert.Single(diagnostics, d => d.Id == RuleIdentifiers.PagingLoopWithoutPacing);
        var call = Assert.Single(diagnostics, d => d.Id == RuleIdentifiers.RateLimitedEndpointWithoutRetry);

        Assert.Equal("api.github.com/*", loop.Properties[PacingFixData.EndpointKey]);
        Assert.Equal("https://api.github.com/", loop.Properties[PacingFixData.PolicyBaseAddress]);
        Assert.Equal("GitHub REST API", loop.Properties[PacingFixData.ApiName]);
        foreach (var key in new[] { PacingFixData.EndpointKey, PacingFixData.Quota, PacingFixData.ThrottleStatusCodes, PacingFixData.PolicyBaseAddress, PacingFixData.ApiName, PacingFixData.FixKind })
        {
            Assert.Equal(call.Properties[key], loop.Properties[key]);
        }

        // RL0002 gives the client the handler; RL0001 says so, so that its fix paces through that client and not twice.
        Assert.Equal(PacingFixData.HandlerFix, loop.Properties[PacingFixData.FixKind]);
        Assert.Equal(call.AdditionalLocations.Single().SourceSpan, loop.AdditionalLocations.Single().SourceSpan);
        Assert.DoesNotContain("{0}", loop.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.DoesNotContain("{0}", call.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task RL0001_paces_in_the_loop_where_RL0002_does_not_report_the_client()
    {
        // The client is a parameter: RL0002 gives it the benefit of the doubt, so the loop gets its own pacer.
        var source = RL0001Cases.Individual[GitHubThroughBaseAddress]
            .Replace("private readonly HttpClient _client = {|#1:new HttpClient { BaseAddress = new Uri(\"https://api.github.com/\") }|};", string.Empty)
            .Replace("ReposAsync(string org", "ReposAsync(HttpClient _client, string org")
            .Replace("$\"orgs/", "$\"https://api.github.com/orgs/");
        var diagnostics = await DiagnosticsAsync(source);
        var loop = Assert.Single(diagnostics);
        Assert.Equal(PacingFixData.LoopFix, loop.Properties[PacingFixData.FixKind]);
        Assert.Equal("api.github.com/*", loop.Properties[PacingFixData.EndpointKey]);
        Assert.Empty(loop.AdditionalLocations);
    }

    [Fact]
    public async Task A_handler_for_other_apis_is_extended_not_replaced()
    {
        var diagnostics = await DiagnosticsAsync(RL0001Cases.Individual[OtherApisHandler]);
        var loop = Assert.Single(diagnostics, d => d.Id == RuleIdentifiers.PagingLoopWithoutPacing);
        var call = Assert.Single(diagnostics, d => d.Id == RuleIdentifiers.RateLimitedEndpointWithoutRetry);
        Assert.Equal(PacingFixData.AddPolicyFix, loop.Properties[PacingFixData.FixKind]);
        Assert.Equal(PacingFixData.AddPolicyFix, call.Properties[PacingFixData.FixKind]);
        var handler = loop.AdditionalLocations.Single();
        Assert.StartsWith("new RateLimitedHandler(ArchivaPolicy, QuotesPolicy)", handler.SourceTree!.GetText().ToString(handler.SourceSpan));
        Assert.Equal(call.AdditionalLocations.Single().SourceSpan, handler.SourceSpan);
    }

    /// <summary>
    /// What RL0002's fix leaves draws no RL0001 or RL0002 (not RL0001 on a loop its handler now paces), and no other
    /// rule's finding the case did not have.
    /// </summary>
    [Theory]
    [MemberData(nameof(RL0002Cases.ReportedNames), MemberType = typeof(RL0002Cases))]
    public async Task Every_RL0002_fix_output_draws_no_new_finding(string name)
    {
        var source = RL0002Cases.Reported[name];
        if (await Rl0002Async(source) is { } fixedSource)
        {
            await AssertNothingNewAsync(source, fixedSource);
        }
    }

    /// <summary>
    /// Both fixes, in either order, on every paging loop: no RL0001 is left, an RL0002 only where its fix offers nothing
    /// (RestSharp, Refit), and no other rule's finding the case did not have.
    /// </summary>
    [Theory]
    [MemberData(nameof(RL0001Cases.ReportedNames), MemberType = typeof(RL0001Cases))]
    [InlineData(OtherApisHandler)]
    [InlineData(ThroughConstructorChain)]
    [InlineData(GitHubThroughBaseAddress)]
    public async Task Both_fixes_in_either_order_leave_nothing_new_to_report(string name)
    {
        var source = Plain(RL0001Cases.Reported.TryGetValue(name, out var reported) ? reported : RL0001Cases.Individual[name]);
        var pacedFirst = await Rl0001Async(source) is { } paced ? await Rl0002Async(paced) ?? paced : null;
        var retriedFirst = await Rl0002Async(source) is { } retried ? await Rl0001Async(retried) ?? retried : await Rl0001Async(source);
        Assert.True(pacedFirst is not null || retriedFirst is not null, "neither fix changed the case");
        foreach (var output in new[] { pacedFirst, retriedFirst })
        {
            if (output is not null)
            {
                await AssertNothingNewAsync(source, output);
            }
        }
    }

    /// <summary>What the RL0001 fix writes, on its own, draws no RL0001.</summary>
    [Theory]
    [MemberData(nameof(RL0001Cases.ReportedNames), MemberType = typeof(RL0001Cases))]
    public async Task The_RL0001_fix_output_is_never_reported_by_RL0001(string name)
    {
        if (await Rl0001Async(RL0001Cases.Reported[name]) is { } fixedSource)
        {
            Assert.DoesNotContain(await DiagnosticsAsync(fixedSource), d => d.Id == RuleIdentifiers.PagingLoopWithoutPacing);
        }
    }

    private static Task<string?> Rl0001Async(string code) =>
        CodeFixOutput.ApplyAsync<RL0001PagingLoopWithoutPacingAnalyzer, RL0001PagingLoopWithoutPacingCodeFix>(code);

    private static Task<string?> Rl0002Async(string code) =>
        CodeFixOutput.ApplyAsync<RL0002RateLimitedEndpointWithoutRetryAnalyzer, RL0002RateLimitedEndpointWithoutRetryCodeFix>(code);

    /// <summary>
    /// The fixed code has no RL0001, RL0002 only where the fix offers nothing more, and no more of any other rule's
    /// findings than the case had.
    /// </summary>
    private static async Task AssertNothingNewAsync(string source, string fixedSource)
    {
        var before = await DiagnosticsAsync(source);
        var after = await DiagnosticsAsync(fixedSource);
        Assert.DoesNotContain(after, d => d.Id == RuleIdentifiers.PagingLoopWithoutPacing);
        if (after.Any(d => d.Id == RuleIdentifiers.RateLimitedEndpointWithoutRetry))
        {
            Assert.Null(await Rl0002Async(fixedSource));
        }

        foreach (var rule in after.Where(d => d.Id != RuleIdentifiers.RateLimitedEndpointWithoutRetry).GroupBy(d => d.Id))
        {
            Assert.True(rule.Count() <= before.Count(d => d.Id == rule.Key), rule.Key + " on the fixed code:\n" + fixedSource);
        }
    }

    /// <summary>A case without its markup, numbered locations included.</summary>
    internal static string Plain(string markup)
    {
        TestFileMarkupParser.GetSpans(markup, out string source, out ImmutableDictionary<string, ImmutableArray<TextSpan>> _);
        return source;
    }

    /// <summary>Every analyzer of the package over one source with the emitted runtime, as a build runs them.</summary>
    internal static async Task<ImmutableArray<Diagnostic>> DiagnosticsAsync(string markup)
    {
        var source = Plain(markup);
        using var workspace = new AdhocWorkspace();
        var (solution, documentId) = await TestProject.CreateAsync(workspace, "Together", source, "/0/Test0.cs", CancellationToken.None);
        var project = solution.GetProject(documentId.ProjectId)!;
        var compilation = (await project.GetCompilationAsync())!;
        CSharpGeneratorDriver.Create(new RateLimitAnalyzers.Generator.PacingRuntimeGenerator())
            .RunGeneratorsAndUpdateCompilation(compilation, out var withRuntime, out _);
        var analyzers = typeof(RL0001PagingLoopWithoutPacingAnalyzer).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttributes(typeof(DiagnosticAnalyzerAttribute), false).Length > 0)
            .Select(t => (DiagnosticAnalyzer)System.Activator.CreateInstance(t)!)
            .ToImmutableArray();
        return await withRuntime.WithAnalyzers(analyzers, project.AnalyzerOptions).GetAnalyzerDiagnosticsAsync();
    }
}
