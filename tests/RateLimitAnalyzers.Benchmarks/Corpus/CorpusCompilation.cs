using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace RateLimitAnalyzers.Benchmarks.Corpus;

/// <summary>Compiles a generated corpus the way a net10.0 class library builds.</summary>
public static class CorpusCompilation
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest, DocumentationMode.Parse);

    public static readonly CSharpCompilationOptions Options = new(
        OutputKind.DynamicallyLinkedLibrary,
        optimizationLevel: OptimizationLevel.Release,
        nullableContextOptions: NullableContextOptions.Enable,
        concurrentBuild: true,
        deterministic: true);

    // Libraries the corpus uses besides the framework. The harness references them itself, so they sit in
    // its output folder; they are the net8.0+ builds a net10.0 project would reference.
    private static readonly string[] s_httpLibraries =
    {
        "Microsoft.Extensions.Http.dll",
    };

    private static readonly string[] s_otherLibraries =
    {
        "Polly.Core.dll",
        "Polly.RateLimiting.dll",
        "System.Threading.RateLimiting.dll",
        "Microsoft.Extensions.DependencyInjection.Abstractions.dll",
        "Microsoft.Extensions.Logging.Abstractions.dll",
        "Microsoft.Extensions.Options.dll",
        "Microsoft.Extensions.Primitives.dll",
    };

    private static readonly Lazy<ImmutableArray<MetadataReference>> s_withHttp = new(() => LoadReferences(includeHttp: true));
    private static readonly Lazy<ImmutableArray<MetadataReference>> s_withoutHttp = new(() => LoadReferences(includeHttp: false));

    /// <summary>The framework and the libraries, as a project that calls HTTP APIs references them.</summary>
    public static ImmutableArray<MetadataReference> ReferencesWithHttp => s_withHttp.Value;

    /// <summary>The same without System.Net.Http (and what builds on it): a project that makes no HTTP calls.</summary>
    public static ImmutableArray<MetadataReference> ReferencesWithoutHttp => s_withoutHttp.Value;

    /// <summary>Parses the files (in parallel, as the compiler does) and creates the compilation.</summary>
    public static CSharpCompilation Create(IReadOnlyList<CorpusFile> files, ImmutableArray<MetadataReference> references, string assemblyName = "Contoso.Corpus")
    {
        var trees = new SyntaxTree[files.Count];
        Parallel.For(0, files.Count, i =>
            trees[i] = CSharpSyntaxTree.ParseText(SourceText.From(files[i].Text, Encoding.UTF8), ParseOptions, files[i].Path));
        return CSharpCompilation.Create(assemblyName, trees, references, Options);
    }

    private static ImmutableArray<MetadataReference> LoadReferences(bool includeHttp)
    {
        var pack = BuildLocations.ReferencePack;
        if (!Directory.Exists(pack))
        {
            throw new InvalidOperationException("The reference pack " + pack + " is missing; the harness compiles against the SDK's Microsoft.NETCore.App.Ref.");
        }

        var framework = Directory.EnumerateFiles(pack, "*.dll")
            .Where(path => includeHttp || !Path.GetFileName(path).StartsWith("System.Net.Http", StringComparison.Ordinal))
            .OrderBy(path => path, StringComparer.Ordinal);
        var libraries = (includeHttp ? s_httpLibraries.Concat(s_otherLibraries) : s_otherLibraries)
            .Select(name => Path.Combine(AppContext.BaseDirectory, name));
        return framework.Concat(libraries)
            .Select(path => File.Exists(path) ? (MetadataReference)MetadataReference.CreateFromFile(path) : throw new FileNotFoundException("Corpus reference missing", path))
            .ToImmutableArray();
    }
}
