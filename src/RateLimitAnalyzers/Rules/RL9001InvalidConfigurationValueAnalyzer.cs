using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using RateLimitAnalyzers.Configuration;
using RateLimitAnalyzers.Knowledge;

namespace RateLimitAnalyzers.Rules;

/// <summary>
/// RL9001: a <c>rate_limit_analyzers.*</c> .editorconfig value the rules cannot read. The rules fall back to
/// the default; this says so once per compilation and value. (The generator reports unreadable MSBuild
/// properties with the same ID.) Analyzers are not told which .editorconfig line a value came from, so the
/// message names the key and the value instead.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class RL9001InvalidConfigurationValueAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.InvalidConfigurationValue);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            if (!HttpKnowledge.CanSendRequests(start.Compilation))
            {
                return;
            }

            var options = new RateLimitOptionsCache(start.Options.AnalyzerConfigOptionsProvider);
            var reported = new ConcurrentDictionary<ConfigurationProblem, bool>();
            start.RegisterSyntaxTreeAction(tree =>
            {
                foreach (var problem in options.For(tree.Tree).Problems)
                {
                    if (reported.TryAdd(problem, true))
                    {
                        tree.ReportDiagnostic(Diagnostic.Create(
                            DiagnosticDescriptors.InvalidConfigurationValue,
                            Location.None,
                            ".editorconfig key",
                            problem.Key,
                            problem.Value,
                            problem.Expected));
                    }
                }
            });
        });
    }
}
