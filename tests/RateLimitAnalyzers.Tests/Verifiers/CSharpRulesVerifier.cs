using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using RateLimitAnalyzers.Rules;

namespace RateLimitAnalyzers.Tests.Verifiers;

/// <summary>
/// Every analyzer of the package over one source, as a build runs them: for proving that a construct gets one rule's
/// finding and no other's. Markup names the rule: <c>{|RL0003:...|}</c>; <see cref="ForRule"/> turns a single rule's
/// <c>[|...|]</c> markup into that.
/// </summary>
public static class CSharpRulesVerifier
{
    private static readonly Type[] s_analyzers = typeof(RL0001PagingLoopWithoutPacingAnalyzer).Assembly.GetTypes()
        .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
        .ToArray();

    /// <summary>A new instance of every analyzer the package has.</summary>
    public static ImmutableArray<DiagnosticAnalyzer> CreateAnalyzers() =>
        s_analyzers.Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!).ToImmutableArray();

    public static Task VerifyAsync(string source, params DiagnosticResult[] expected)
    {
        var test = new Test { TestCode = source };
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    /// <summary>A single rule's case, its <c>[|...|]</c> spans claimed by <paramref name="ruleId"/>.</summary>
    public static string ForRule(string source, string ruleId) => source.Replace("[|", "{|" + ruleId + ":");

    public sealed class Test : CSharpAnalyzerTest<RL0001PagingLoopWithoutPacingAnalyzer, DefaultVerifier>
    {
        public Test() => TestSetup.Configure(this, TestState);

        protected override IEnumerable<Type> GetSourceGenerators() => TestSetup.SourceGenerators;

        protected override IEnumerable<DiagnosticAnalyzer> GetDiagnosticAnalyzers() => CreateAnalyzers();
    }
}
