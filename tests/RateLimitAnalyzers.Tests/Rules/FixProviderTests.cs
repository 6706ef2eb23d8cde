using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis.Text;
using RateLimitAnalyzers.CodeFixes;
using RateLimitAnalyzers.CodeFixes.Rules;
using RateLimitAnalyzers.Rules;
using RateLimitAnalyzers.Tests.Verifiers;
using Xunit;

namespace RateLimitAnalyzers.Tests.Rules;

/// <summary>
/// What every rule's fix provider shares, checked for each: every fix it offers carries the rule's one published
/// equivalence key (Fix All and <c>dotnet format</c> group fixes by it), and Fix All runs over a document, a project and
/// a solution through the one editing pass every fix goes through.
/// </summary>
public class FixProviderTests
{
    // A few reported cases per rule: enough to see several kinds of fix, few enough to stay quick.
    private const int CasesPerRule = 4;

    public static readonly IReadOnlyDictionary<string, (DiagnosticAnalyzer Analyzer, CodeFixProvider Fix, string Key, IReadOnlyDictionary<string, string> Cases)> Rules =
        new Dictionary<string, (DiagnosticAnalyzer, CodeFixProvider, string, IReadOnlyDictionary<string, string>)>
        {
            ["RL0001"] = (new RL0001PagingLoopWithoutPacingAnalyzer(), new RL0001PagingLoopWithoutPacingCodeFix(), RL0001PagingLoopWithoutPacingCodeFix.EquivalenceKey, RL0001Cases.Reported),
            ["RL0002"] = (new RL0002RateLimitedEndpointWithoutRetryAnalyzer(), new RL0002RateLimitedEndpointWithoutRetryCodeFix(), RL0002RateLimitedEndpointWithoutRetryCodeFix.EquivalenceKey, RL0002Cases.Reported),
            ["RL0003"] = (new RL0003RetryAfterIgnoredAnalyzer(), new RL0003RetryAfterIgnoredCodeFix(), RL0003RetryAfterIgnoredCodeFix.FixEquivalenceKey, RL0003Cases.Reported),
            ["RL0004"] = (new RL0004RetryWithoutBackoffAnalyzer(), new RL0004RetryWithoutBackoffCodeFix(), RL0004RetryWithoutBackoffCodeFix.FixEquivalenceKey, RL0004Cases.Reported),
            ["RL0005"] = (new RL0005RequestFanOutWithoutPacingAnalyzer(), new RL0005RequestFanOutWithoutPacingCodeFix(), RL0005RequestFanOutWithoutPacingCodeFix.EquivalenceKey, RL0005Cases.Reported),
            ["RL0006"] = (new RL0006PagingWastesRequestsAnalyzer(), new RL0006PagingWastesRequestsCodeFix(), RL0006PagingWastesRequestsCodeFix.EquivalenceKey, RL0006Cases.Reported),
            ["RL0007"] = (new RL0007RateLimiterBuiltPerCallAnalyzer(), new RL0007RateLimiterBuiltPerCallCodeFix(), RL0007RateLimiterBuiltPerCallCodeFix.EquivalenceKey, RL0007Cases.Reported),
            ["RL0008"] = (new RL0008WaitShorterThanQuotaAnalyzer(), new RL0008WaitShorterThanQuotaCodeFix(), RL0008WaitShorterThanQuotaCodeFix.EquivalenceKey, RL0008Cases.Reported),
        };

    public static IEnumerable<object[]> RuleIds => Rules.Keys.Select(k => new object[] { k });

    [Theory]
    [MemberData(nameof(RuleIds))]
    public async Task Every_fix_carries_the_rules_one_key_and_fixes_all_in_one_editing_pass(string ruleId)
    {
        var (analyzer, fix, key, cases) = Rules[ruleId];
        Assert.IsAssignableFrom<EditorCodeFixProvider>(fix);
        Assert.Equal(new[] { FixAllScope.Document, FixAllScope.Project, FixAllScope.Solution }, fix.GetFixAllProvider()!.GetSupportedFixAllScopes().Where(s => s != FixAllScope.ContainingMember && s != FixAllScope.ContainingType));

        var offered = new List<CodeAction>();
        foreach (var markup in cases.Values.Take(CasesPerRule))
        {
            offered.AddRange(await OfferedAsync(analyzer, fix, markup));
        }

        Assert.NotEmpty(offered);
        Assert.All(offered, action => Assert.Equal(key, action.EquivalenceKey));
        Assert.StartsWith(ruleId + ".", key);
    }

    private static async Task<List<CodeAction>> OfferedAsync(DiagnosticAnalyzer analyzer, CodeFixProvider fix, string markup)
    {
        TestFileMarkupParser.GetSpans(markup, out string source, out ImmutableArray<TextSpan> _);
        using var workspace = new AdhocWorkspace();
        var (solution, documentId) = await TestProject.CreateAsync(workspace, "Offered", source, "/0/Test0.cs", CancellationToken.None);
        (solution, _) = await CodeFixOutput.WithRuntimeAsync(solution, documentId.ProjectId, CancellationToken.None);
        var project = solution.GetProject(documentId.ProjectId)!;
        var compilation = (await project.GetCompilationAsync())!;
        var diagnostics = await compilation.WithAnalyzers(ImmutableArray.Create(analyzer), project.AnalyzerOptions).GetAnalyzerDiagnosticsAsync();
        var offered = new List<CodeAction>();
        foreach (var diagnostic in diagnostics.Where(d => fix.FixableDiagnosticIds.Contains(d.Id)))
        {
            await fix.RegisterCodeFixesAsync(new CodeFixContext(project.GetDocument(documentId)!, diagnostic, (action, _) => offered.Add(action), CancellationToken.None));
        }

        return offered;
    }
}
