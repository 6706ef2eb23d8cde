using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Diagnostics.Telemetry;
using RateLimitAnalyzers.Benchmarks.Corpus;

namespace RateLimitAnalyzers.Benchmarks.AnalyzerCost;

/// <summary>What one build of the corpus cost, and what it reported.</summary>
public sealed record CorpusBuildResult(
    TimeSpan Total,
    TimeSpan Generators,
    IReadOnlyDictionary<DiagnosticAnalyzer, TimeSpan> AnalyzerTimes,
    IReadOnlySet<DiagnosticAnalyzer> ActiveAnalyzers,
    int CompilerErrors,
    int AnalyzerDiagnostics,
    IReadOnlyDictionary<string, int> DiagnosticsById,
    IReadOnlyList<Diagnostic> Errors)
{
    public TimeSpan AnalyzerTotal => AnalyzerTimes.Values.Aggregate(TimeSpan.Zero, (sum, t) => sum + t);
}

/// <summary>
/// Builds the corpus in process as csc does, timed end to end: parse, run generators, emit (which reports every
/// compiler diagnostic), and run the analyzers over the same compilation with Roslyn's per-analyzer telemetry
/// (what <c>-p:ReportAnalyzer=true</c> prints).
/// </summary>
public static class CorpusBuild
{
    public static async Task<CorpusBuildResult> RunAsync(IReadOnlyList<CorpusFile> files, ImmutableArray<MetadataReference> references, AnalyzerSuite suite)
    {
        var stopwatch = Stopwatch.StartNew();
        Compilation compilation = suite.Configure(CorpusCompilation.Create(files, references));

        var generatorTime = TimeSpan.Zero;
        if (!suite.Generators.IsEmpty)
        {
            var driver = CSharpGeneratorDriver.Create(suite.Generators, parseOptions: CorpusCompilation.ParseOptions, optionsProvider: suite.Options)
                .RunGeneratorsAndUpdateCompilation(compilation, out compilation, out _);
            generatorTime = driver.GetTimingInfo().ElapsedTime;
        }

        using var assembly = new MemoryStream();
        var emit = compilation.Emit(assembly);
        var errors = emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();

        var times = new Dictionary<DiagnosticAnalyzer, TimeSpan>();
        var active = new HashSet<DiagnosticAnalyzer>();
        var analyzerDiagnostics = 0;
        var diagnosticsById = new Dictionary<string, int>(StringComparer.Ordinal);
        if (!suite.Analyzers.IsEmpty)
        {
            var withAnalyzers = compilation.WithAnalyzers(
                suite.Analyzers,
                new CompilationWithAnalyzersOptions(suite.AnalyzerOptions, onAnalyzerException: null, concurrentAnalysis: true, logAnalyzerExecutionTime: true, reportSuppressedDiagnostics: false));
            var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync().ConfigureAwait(false);
            analyzerDiagnostics = diagnostics.Length;
            foreach (var group in diagnostics.GroupBy(d => d.Id, StringComparer.Ordinal))
            {
                diagnosticsById[group.Key] = group.Count();
            }

            foreach (var analyzer in suite.Analyzers)
            {
                var telemetry = await withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, default).ConfigureAwait(false);
                times[analyzer] = telemetry.ExecutionTime;
                if (RegisteredActions(telemetry) > 0)
                {
                    active.Add(analyzer);
                }
            }
        }

        stopwatch.Stop();
        return new CorpusBuildResult(stopwatch.Elapsed, generatorTime, times, active, errors.Count, analyzerDiagnostics, diagnosticsById, errors);
    }

    /// <summary>
    /// Analyzers whose every rule is disabled are never initialized, so they register nothing: they cost the build
    /// nothing, and the per-rule comparison leaves them out.
    /// </summary>
    private static int RegisteredActions(AnalyzerTelemetryInfo t) =>
        t.CompilationStartActionsCount + t.CompilationEndActionsCount + t.CompilationActionsCount + t.SyntaxTreeActionsCount
        + t.AdditionalFileActionsCount + t.SemanticModelActionsCount + t.SymbolActionsCount + t.SymbolStartActionsCount
        + t.SymbolEndActionsCount + t.SyntaxNodeActionsCount + t.CodeBlockStartActionsCount + t.CodeBlockEndActionsCount
        + t.CodeBlockActionsCount + t.OperationActionsCount + t.OperationBlockStartActionsCount + t.OperationBlockEndActionsCount
        + t.OperationBlockActionsCount + t.SuppressionActionsCount;
}
