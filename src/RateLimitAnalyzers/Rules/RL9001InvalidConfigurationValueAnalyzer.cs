using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using RateLimitAnalyzers.Configuration;
using RateLimitAnalyzers.Knowledge;

namespace RateLimitAnalyzers.Rules;

/// <summary>
/// RL9001: a <c>rate_limit_analyzers.*</c> .editorconfig value the rules cannot read. The rules fall back to
/// the default; this says so once per compilation, value and line. (The generator reports unreadable MSBuild
/// properties with the same ID.) It points at the .editorconfig line that set the value when the build passes the
/// config files as additional files, as the package's props do (<see cref="EditorConfigLines"/>); otherwise the
/// message alone names the key and the value.
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
            var configFiles = EditorConfigLines.From(start.Options.AdditionalFiles);
            var reported = new ConcurrentDictionary<(ConfigurationProblem, string?, int), bool>();
            start.RegisterSyntaxTreeAction(tree =>
            {
                foreach (var problem in options.For(tree.Tree).Problems)
                {
                    var location = configFiles.Find(tree.Tree.FilePath, problem.Key, problem.Value, tree.CancellationToken) ?? Location.None;
                    var line = location.GetLineSpan();
                    if (reported.TryAdd((problem, line.Path, line.StartLinePosition.Line), true))
                    {
                        tree.ReportDiagnostic(Diagnostic.Create(
                            DiagnosticDescriptors.InvalidConfigurationValue,
                            location,
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
