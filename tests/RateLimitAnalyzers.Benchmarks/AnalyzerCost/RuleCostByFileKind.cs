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

/// <summary>One kind of corpus file: how many there are, their loops, and each analyzer's own time in them.</summary>
public sealed record KindCost(CorpusFileKind Kind, int Files, int Loops, IReadOnlyDictionary<DiagnosticAnalyzer, TimeSpan> Times)
{
    public TimeSpan Total => Times.Values.Aggregate(TimeSpan.Zero, (sum, t) => sum + t);
}

/// <summary>
/// Where the analyzers' time goes: the corpus analyzed one file at a time, on one thread, with every analyzer's
/// telemetry read after each file, so each file's share of each analyzer's own time (not the compiler's binding)
/// is known, then added up by file kind. The analyzers run together, as in a build, so work they share (the
/// per-compilation HTTP knowledge, the methods they follow) is billed to whichever asks for it first.
/// </summary>
public static class RuleCostByFileKind
{
    public static async Task<IReadOnlyList<KindCost>> MeasureAsync(GeneratedCorpus corpus, AnalyzerSuite suite)
    {
        var compilation = suite.Configure(CorpusCompilation.Create(corpus.Files, CorpusCompilation.ReferencesWithHttp));
        var withAnalyzers = compilation.WithAnalyzers(
            suite.Analyzers,
            new CompilationWithAnalyzersOptions(suite.AnalyzerOptions, onAnalyzerException: null, concurrentAnalysis: false, logAnalyzerExecutionTime: true, reportSuppressedDiagnostics: false));

        var byKind = new Dictionary<CorpusFileKind, (int Files, int Loops, Dictionary<DiagnosticAnalyzer, TimeSpan> Times)>();
        var before = suite.Analyzers.ToDictionary(a => a, _ => TimeSpan.Zero);
        var trees = withAnalyzers.Compilation.SyntaxTrees.ToList();
        for (var i = 0; i < corpus.Files.Count; i++)
        {
            var model = withAnalyzers.Compilation.GetSemanticModel(trees[i]);
            await withAnalyzers.GetAnalyzerSemanticDiagnosticsAsync(model, null, default).ConfigureAwait(false);
            var kind = corpus.Files[i].Kind;
            if (!byKind.TryGetValue(kind, out var sum))
            {
                sum = (0, 0, suite.Analyzers.ToDictionary(a => a, _ => TimeSpan.Zero));
            }

            foreach (var analyzer in suite.Analyzers)
            {
                var after = (await withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, default).ConfigureAwait(false)).ExecutionTime;
                sum.Times[analyzer] += after - before[analyzer];
                before[analyzer] = after;
            }

            var loops = trees[i].GetRoot().DescendantNodes().Count(n => n is WhileStatementSyntax or DoStatementSyntax or ForStatementSyntax or CommonForEachStatementSyntax);
            byKind[kind] = (sum.Files + 1, sum.Loops + loops, sum.Times);
        }

        return byKind.OrderBy(p => p.Key).Select(p => new KindCost(p.Key, p.Value.Files, p.Value.Loops, p.Value.Times)).ToList();
    }
}
