using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using RateLimitAnalyzers.Tests.Rules;
using Xunit;

namespace RateLimitAnalyzers.Tests.Robustness;

/// <summary>Every rule's test cases, cut off at many points as while typing, analysed and fixed without an exception.</summary>
public class TruncatedSourceTests
{
    /// <summary>Each rule's cases, under "rule: case" names; a new rule adds its cases here.</summary>
    private static readonly IReadOnlyDictionary<string, string> s_cases = Named("RL0001", RL0001Cases.Reported)
        .Concat(Named("RL0001", RL0001Cases.NotReported))
        .Concat(Named("RL0001", RL0001Cases.Individual))
        .Concat(Named("RL0001", Knowledge.ServerPacingTests.Paced))
        .Concat(Named("RL0001", Knowledge.ServerPacingTests.NotPaced))
        .Concat(Named("RL0002", RL0002Cases.Reported))
        .Concat(Named("RL0002", RL0002Cases.NotReported))
        .Concat(Named("RL0003", RL0003Cases.Reported))
        .Concat(Named("RL0003", RL0003Cases.NotReported))
        .Concat(Named("RL0004", RL0004Cases.Reported))
        .Concat(Named("RL0004", RL0004Cases.NotReported))
        .Concat(Named("RL0005", RL0005Cases.Reported))
        .Concat(Named("RL0005", RL0005Cases.NotReported))
        .Concat(Named("RL0006", RL0006Cases.Reported))
        .Concat(Named("RL0006", RL0006Cases.NotReported))
        .Concat(Named("RL0007", RL0007Cases.Reported))
        .Concat(Named("RL0007", RL0007Cases.NotReported))
        .Concat(Named("RL0008", RL0008Cases.Reported))
        .Concat(Named("RL0008", RL0008Cases.NotReported))
        .ToDictionary(p => p.Key, p => p.Value);

    public static TheoryData<string> CaseNames => new(s_cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task Truncated_case_is_analysed_and_fixed_without_an_exception(string name)
    {
        var failures = await TruncatedSource.FailuresAsync(s_cases[name]);
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }

    [Fact]
    public void Every_case_is_cut_at_many_points_and_every_analyzer_and_fix_takes_part()
    {
        Assert.All(s_cases.Values, source => Assert.True(TruncatedSource.Cuts(source).Count() >= 16));
        Assert.True(TruncatedSource.AnalyzerCount >= 3);
        Assert.True(TruncatedSource.FixCount >= 1);
    }

    [Fact]
    public async Task An_analyzer_that_throws_on_half_typed_code_fails_the_check()
    {
        var failures = await TruncatedSource.FailuresAsync(
            RL0001Cases.All.First(),
            ImmutableArray.Create<DiagnosticAnalyzer>(new ThrowsOnMissingTokens()));
        Assert.NotEmpty(failures);
        Assert.Contains(nameof(ThrowsOnMissingTokens), failures[0]);
    }

    private static IEnumerable<KeyValuePair<string, string>> Named(string rule, IReadOnlyDictionary<string, string> cases) =>
        cases.Select(p => new KeyValuePair<string, string>(rule + ": " + p.Key, p.Value));

    /// <summary>An analyzer with the bug this suite exists to catch: it assumes the code under it is complete.</summary>
#pragma warning disable RS1036 // A test double, not an analyzer that ships.
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    private sealed class ThrowsOnMissingTokens : DiagnosticAnalyzer
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
            ImmutableArray.Create(new DiagnosticDescriptor("TEST0001", "Throws", "Throws", "Test", DiagnosticSeverity.Warning, isEnabledByDefault: true));

        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.RegisterSyntaxTreeAction(tree =>
            {
                if (tree.Tree.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error))
                {
                    throw new InvalidOperationException("the code is incomplete");
                }
            });
        }
    }
}
#pragma warning restore RS1036
