using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using RateLimitAnalyzers.Knowledge;
using RateLimitAnalyzers.Knowledge.Endpoints;

namespace RateLimitAnalyzers.Rules;

/// <summary>
/// RL9002: a line of a <c>RateLimitEndpoints.txt</c> additional file that cannot be read, reported at its file,
/// line and column. The line is skipped and the rest of the catalog still loads.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class RL9002MalformedCatalogEntryAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.MalformedCatalogEntry);

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

            start.RegisterAdditionalFileAction(file =>
            {
                if (!EndpointCatalogFiles.IsCatalogFile(file.AdditionalFile.Path) || file.AdditionalFile.GetText(file.CancellationToken) is not { } text)
                {
                    return;
                }

                var result = EndpointCatalogParser.Parse(text, file.AdditionalFile.Path, CatalogEntryOrigin.User, file.CancellationToken);
                foreach (var error in result.Errors)
                {
                    file.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.MalformedCatalogEntry, error.ToLocation(), error.Message));
                }
            });
        });
    }
}
