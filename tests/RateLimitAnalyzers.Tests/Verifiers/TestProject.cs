using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using RateLimitAnalyzers.Knowledge;
using Xunit;

namespace RateLimitAnalyzers.Tests.Verifiers;

/// <summary>
/// A one-document project in a workspace of its own, for tests that drive analyzers and fixes by hand rather than
/// through the testing library: the same .NET 8 and library references and compiler settings the verifiers use.
/// </summary>
internal static class TestProject
{
    private static readonly SemaphoreSlim s_referencesGate = new(1, 1);
    private static ImmutableArray<MetadataReference> s_references;

    /// <summary>.NET 8 and the libraries, resolved once per test run.</summary>
    public static async Task<ImmutableArray<MetadataReference>> ReferencesAsync(CancellationToken cancellationToken)
    {
        await s_referencesGate.WaitAsync(cancellationToken);
        try
        {
            if (s_references.IsDefault)
            {
                var platform = await TestReferences.Net80.ResolveAsync(LanguageNames.CSharp, cancellationToken);
                s_references = platform.AddRange(TestReferences.Libraries);
            }

            return s_references;
        }
        finally
        {
            s_referencesGate.Release();
        }
    }

    /// <summary>
    /// A library compiled from <paramref name="sources"/> (one file each; it must have no error), and the HTTP knowledge
    /// the rules would share for it: for tests that ask the knowledge layer directly.
    /// </summary>
    public static async Task<(CSharpCompilation Compilation, HttpKnowledge Knowledge)> KnowledgeAsync(params string[] sources)
    {
        var references = await ReferencesAsync(CancellationToken.None);
        var trees = sources.Select(source => CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest)));
        var compilation = CSharpCompilation.Create("Knowledge", trees, references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        return (compilation, HttpKnowledge.For(compilation, NoOptions, CancellationToken.None)!);
    }

    /// <summary>Options with no additional file and no .editorconfig: the ones <see cref="KnowledgeAsync"/> makes its knowledge with.</summary>
    public static AnalyzerOptions NoOptions { get; } = new(ImmutableArray<AdditionalText>.Empty);

    /// <summary>The workspace's solution with one project holding <paramref name="source"/> at <paramref name="filePath"/>.</summary>
    public static async Task<(Solution Solution, DocumentId Document)> CreateAsync(Workspace workspace, string name, string source, string filePath, CancellationToken cancellationToken)
    {
        var references = await ReferencesAsync(cancellationToken);
        var projectId = ProjectId.CreateNewId();
        var documentId = DocumentId.CreateNewId(projectId);
        var solution = workspace.CurrentSolution
            .AddProject(ProjectInfo.Create(
                projectId,
                VersionStamp.Default,
                name,
                name,
                LanguageNames.CSharp,
                compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable),
                parseOptions: new CSharpParseOptions(LanguageVersion.Latest),
                metadataReferences: references))
            .AddDocument(documentId, System.IO.Path.GetFileName(filePath), SourceText.From(source), filePath: filePath);
        return (solution, documentId);
    }
}
