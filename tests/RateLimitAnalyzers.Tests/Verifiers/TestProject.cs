using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

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
