using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using RateLimitAnalyzers.Benchmarks.Corpus;

namespace RateLimitAnalyzers.Benchmarks.AnalyzerCost;

public sealed record KindCost(CorpusFileKind Kind, int Files, int Loops, TimeSpan Time, TimeSpan NoOpTime);

/// <summary>
/// Where an analyzer's time goes: the corpus analyzed one file at a time, on one thread, with the analyzer's
/// telemetry read after each file, so each file's share of the analyzer's own time (not the compiler's binding)
/// is known, then added up by file kind.
/// </summary>
public static class RuleCostByFileKind
{
    /// <summary>The analyzer's time by file kind, next to a no-op analyzer's with the same registration.</summary>
    public static async Task<IReadOnlyList<KindCost>> MeasureAsync(GeneratedCorpus corpus, DiagnosticAnalyzer analyzer, AnalyzerSuite suite)
    {
        var floor = await MeasureOneAsync(corpus, new NoOpLoopAnalyzer(), suite).ConfigureAwait(false);
        var times = await MeasureOneAsync(corpus, analyzer, suite).ConfigureAwait(false);
        return times.Select(t => t with { NoOpTime = floor.Single(f => f.Kind == t.Kind).Time }).ToList();
    }

    private static async Task<IReadOnlyList<KindCost>> MeasureOneAsync(GeneratedCorpus corpus, DiagnosticAnalyzer analyzer, AnalyzerSuite suite)
    {
        var compilation = suite.Configure(CorpusCompilation.Create(corpus.Files, CorpusCompilation.ReferencesWithHttp));
        var withAnalyzer = compilation.WithAnalyzers(
            ImmutableArray.Create(analyzer),
            new CompilationWithAnalyzersOptions(suite.AnalyzerOptions, onAnalyzerException: null, concurrentAnalysis: false, logAnalyzerExecutionTime: true, reportSuppressedDiagnostics: false));

        var byKind = new Dictionary<CorpusFileKind, (int Files, int Loops, TimeSpan Time)>();
        var before = TimeSpan.Zero;
        var trees = withAnalyzer.Compilation.SyntaxTrees.ToList();
        for (var i = 0; i < corpus.Files.Count; i++)
        {
            var model = withAnalyzer.Compilation.GetSemanticModel(trees[i]);
            await withAnalyzer.GetAnalyzerSemanticDiagnosticsAsync(model, null, default).ConfigureAwait(false);
            var after = (await withAnalyzer.GetAnalyzerTelemetryInfoAsync(analyzer, default).ConfigureAwait(false)).ExecutionTime;
            var loops = trees[i].GetRoot().DescendantNodes().Count(n => n is WhileStatementSyntax or DoStatementSyntax or ForStatementSyntax or CommonForEachStatementSyntax);
            var kind = corpus.Files[i].Kind;
            byKind.TryGetValue(kind, out var sum);
            byKind[kind] = (sum.Files + 1, sum.Loops + loops, sum.Time + (after - before));
            before = after;
        }

        return byKind.OrderBy(p => p.Key).Select(p => new KindCost(p.Key, p.Value.Files, p.Value.Loops, p.Value.Time, TimeSpan.Zero)).ToList();
    }
}
