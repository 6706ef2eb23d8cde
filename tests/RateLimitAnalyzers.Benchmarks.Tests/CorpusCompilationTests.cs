using System.Linq;
using Microsoft.CodeAnalysis;
using RateLimitAnalyzers.Benchmarks.Corpus;
using Xunit;

namespace RateLimitAnalyzers.Benchmarks.Tests;

public sealed class CorpusCompilationTests
{
    // A prefix of the corpus compiles on its own (registrations only name earlier files); 150 files hold every kind.
    private static readonly GeneratedCorpus s_slice = CorpusGenerator.Generate(150);

    [Fact]
    public void A_slice_of_the_corpus_compiles_without_errors()
    {
        Assert.All(System.Enum.GetValues<CorpusFileKind>(), kind => Assert.Contains(s_slice.Files, f => f.Kind == kind));

        var compilation = CorpusCompilation.Create(s_slice.Files, CorpusCompilation.ReferencesWithHttp);

        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }

    [Fact]
    public void The_files_without_HTTP_compile_without_System_Net_Http()
    {
        var compilation = CorpusCompilation.Create(s_slice.FilesWithoutHttp, CorpusCompilation.ReferencesWithoutHttp);

        Assert.Null(compilation.GetTypeByMetadataName("System.Net.Http.HttpClient"));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }
}
