// A measuring instrument run in process by the harness, never shipped or loaded by a compiler: the rules for
// analyzer assemblies (netstandard2.0, release tracking) do not apply.
#pragma warning disable RS1041, RS1036, RS2008

using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace RateLimitAnalyzers.Benchmarks.AnalyzerCost;

/// <summary>
/// Registers what RL0001 registers (a Loop operation action) and does nothing in it: the floor any analyzer
/// with that registration pays, so that the rest of RL0001's time is known to be its own work.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class NoOpLoopAnalyzer : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor s_rule = new("BENCH0001", "No-op", "No-op", "Benchmark", DiagnosticSeverity.Warning, isEnabledByDefault: true);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(s_rule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start => start.RegisterOperationAction(_ => { }, OperationKind.Loop));
    }
}
