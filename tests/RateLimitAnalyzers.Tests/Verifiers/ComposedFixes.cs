using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using RateLimitAnalyzers.CodeFixes.Rules;
using RateLimitAnalyzers.Tests.Rules;

namespace RateLimitAnalyzers.Tests.Verifiers;

/// <summary>
/// A consumer project with every fix of the package applied the way <c>dotnet format analyzers --diagnostics ...</c>
/// applies them: each rule's Fix All over the solution, one rule after another in a given order. The rules and fixes
/// are found by reflection, so a new rule's fix takes part without a list to update.
/// </summary>
internal static class ComposedFixes
{
    private static readonly ImmutableArray<CodeFixProvider> s_fixes = typeof(RL0001PagingLoopWithoutPacingCodeFix).Assembly.GetTypes()
        .Where(t => !t.IsAbstract && typeof(CodeFixProvider).IsAssignableFrom(t) && t.GetCustomAttribute<ExportCodeFixProviderAttribute>() is not null)
        .Select(t => (CodeFixProvider)Activator.CreateInstance(t)!)
        .ToImmutableArray();

    /// <summary>The consumer's files sit under this folder; the runtime the generator emits, elsewhere.</summary>
    public const string ConsumerFolder = "/0/";

    /// <summary>
    /// A project of <paramref name="files"/> (paths under <see cref="ConsumerFolder"/>), with the test references and,
    /// when given, an .editorconfig of <paramref name="editorConfig"/>.
    /// </summary>
    public static async Task<Project> ProjectAsync(IReadOnlyList<(string Path, string Source)> files, string? editorConfig = null)
    {
        var workspace = new AdhocWorkspace();
        var (solution, documentId) = await TestProject.CreateAsync(workspace, "Consumer", files[0].Source, files[0].Path, CancellationToken.None);
        if (editorConfig is not null)
        {
            solution = solution.AddAnalyzerConfigDocument(DocumentId.CreateNewId(documentId.ProjectId), ".editorconfig", SourceText.From(editorConfig), filePath: "/.editorconfig");
        }

        foreach (var (path, source) in files.Skip(1))
        {
            solution = solution.AddDocument(DocumentId.CreateNewId(documentId.ProjectId), System.IO.Path.GetFileName(path), SourceText.From(source), filePath: path);
        }

        return solution.GetProject(documentId.ProjectId)!;
    }

    /// <summary>
    /// Each of <paramref name="rules"/>' Fix All over the solution, in that order, on the diagnostics the project has
    /// when that rule's turn comes; the project returned holds the consumer's files only.
    /// </summary>
    public static async Task<Project> FixAllAsync(Project project, IEnumerable<string> rules)
    {
        foreach (var rule in rules)
        {
            var (analyzed, all) = await AnalyzeAsync(project);
            var diagnostics = all.Where(d => d.Id == rule).ToImmutableArray();
            if (diagnostics.IsEmpty)
            {
                continue;
            }

            var fix = s_fixes.Single(f => f.FixableDiagnosticIds.Contains(rule));
            var document = analyzed.GetDocument(diagnostics[0].Location.SourceTree)!;
            CodeAction? offered = null;
            await fix.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostics[0], (action, _) => offered ??= action, CancellationToken.None));
            if (offered?.EquivalenceKey is not { } key)
            {
                continue;
            }

            var context = new FixAllContext(document, fix, FixAllScope.Solution, key, new[] { rule }, new FixCompositionTests.FixedDiagnostics(diagnostics), CancellationToken.None);
            var fixAll = await fix.GetFixAllProvider()!.GetFixAsync(context);
            if (fixAll is not null)
            {
                var operations = await fixAll.GetOperationsAsync(CancellationToken.None);
                var changed = operations.OfType<ApplyChangesOperation>().Single().ChangedSolution.GetProject(analyzed.Id)!;
                project = changed.RemoveDocuments(changed.Documents.Where(d => !IsConsumer(d.FilePath)).Select(d => d.Id).ToImmutableArray());
            }
        }

        return project;
    }

    /// <summary>The project with the runtime the generator emits, and every RL diagnostic in the consumer's files.</summary>
    public static async Task<(Project Project, ImmutableArray<Diagnostic> Diagnostics)> AnalyzeAsync(Project project)
    {
        var withRuntime = await WithRuntimeAsync(project);
        var compilation = (await withRuntime.GetCompilationAsync())!;
        var diagnostics = await compilation.WithAnalyzers(CSharpRulesVerifier.CreateAnalyzers(), withRuntime.AnalyzerOptions).GetAnalyzerDiagnosticsAsync();
        return (withRuntime, diagnostics
            .Where(d => d.Id.StartsWith("RL", StringComparison.Ordinal) && IsConsumer(d.Location.SourceTree?.FilePath))
            .OrderBy(d => d.Location.SourceTree!.FilePath, StringComparer.Ordinal).ThenBy(d => d.Location.SourceSpan.Start)
            .ToImmutableArray());
    }

    /// <summary>The project as a build compiles it: with the runtime the generator emits from it.</summary>
    public static async Task<Project> WithRuntimeAsync(Project project)
    {
        var (solution, _) = await CodeFixOutput.WithRuntimeAsync(project.Solution, project.Id, CancellationToken.None);
        return solution.GetProject(project.Id)!;
    }

    public static bool IsConsumer(string? filePath) => filePath?.StartsWith(ConsumerFolder, StringComparison.Ordinal) == true;
}
