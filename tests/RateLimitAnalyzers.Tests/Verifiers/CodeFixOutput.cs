using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis.Text;

namespace RateLimitAnalyzers.Tests.Verifiers;

/// <summary>
/// What a rule's fix turns a case into, as the IDE would leave it: the analyzer runs over the case (with the emitted
/// runtime in the compilation), its fix is applied to one diagnostic, and again, until no fix is left. The code fix
/// tests pin the exact text of a few outputs; this gives every case's, so a test can run them through every rule.
/// </summary>
internal static class CodeFixOutput
{
    // More rounds than any case has diagnostics: a fix that keeps offering itself on its own output stops here.
    private const int MaxRounds = 8;

    /// <summary>The fixed source, markup-free; null when the fix offers nothing for the case.</summary>
    public static async Task<string?> ApplyAsync<TAnalyzer, TFix>(string markup, CancellationToken cancellationToken = default)
        where TAnalyzer : DiagnosticAnalyzer, new()
        where TFix : CodeFixProvider, new()
    {
        TestFileMarkupParser.GetSpans(markup, out string source, out ImmutableArray<TextSpan> _);
        var analyzer = new TAnalyzer();
        var fix = new TFix();
        using var workspace = new AdhocWorkspace();
        var (solution, documentId) = await TestProject.CreateAsync(workspace, "Fixed", source, "/0/Test0.cs", cancellationToken);
        var projectId = documentId.ProjectId;
        var generated = ImmutableArray<DocumentId>.Empty;

        var fixedAny = false;
        for (var round = 0; round < MaxRounds; round++)
        {
            // The runtime as a build of this round's code emits it: the fix's edit is what brings it in.
            (solution, generated) = await WithRuntimeAsync(solution.RemoveDocuments(generated), projectId, cancellationToken);
            var project = solution.GetProject(projectId)!;
            var compilation = (await project.GetCompilationAsync(cancellationToken))!;
            var diagnostics = await compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(analyzer), project.AnalyzerOptions)
                .GetAnalyzerDiagnosticsAsync(cancellationToken);
            CodeAction? action = null;
            foreach (var diagnostic in diagnostics.Where(d => fix.FixableDiagnosticIds.Contains(d.Id)).OrderBy(d => d.Location.SourceSpan.Start))
            {
                var document = project.GetDocument(documentId)!;
                await fix.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (offered, _) => action ??= offered, cancellationToken));
                if (action is not null)
                {
                    break;
                }
            }

            if (action is null)
            {
                break;
            }

            var operations = await action.GetOperationsAsync(cancellationToken);
            solution = operations.OfType<ApplyChangesOperation>().Single().ChangedSolution;
            fixedAny = true;
        }

        return fixedAny ? (await solution.GetDocument(documentId)!.GetTextAsync(cancellationToken)).ToString() : null;
    }

    /// <summary>The project with the runtime the generator emits, as a build has it, under a folder of its own.</summary>
    internal static async Task<(Solution Solution, ImmutableArray<DocumentId> Generated)> WithRuntimeAsync(Solution solution, ProjectId projectId, CancellationToken cancellationToken)
    {
        var compilation = (await solution.GetProject(projectId)!.GetCompilationAsync(cancellationToken))!;
        var driver = CSharpGeneratorDriver.Create(new RateLimitAnalyzers.Generator.PacingRuntimeGenerator())
            .RunGenerators(compilation, cancellationToken);
        var added = ImmutableArray.CreateBuilder<DocumentId>();
        foreach (var generated in driver.GetRunResult().GeneratedTrees)
        {
            var name = System.IO.Path.GetFileName(generated.FilePath);
            var id = DocumentId.CreateNewId(projectId);
            solution = solution.AddDocument(id, name, await generated.GetTextAsync(cancellationToken), filePath: "/Generated/" + name);
            added.Add(id);
        }

        return (solution, added.ToImmutable());
    }
}
