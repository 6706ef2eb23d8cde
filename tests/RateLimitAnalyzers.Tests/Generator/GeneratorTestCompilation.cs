using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using RateLimitAnalyzers.Generator;

namespace RateLimitAnalyzers.Tests.Generator;

/// <summary>Builds small compilations and runs the real generator over them.</summary>
internal static class GeneratorTestCompilation
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> s_platform = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(path => Path.GetFileName(path) is var name && (name.StartsWith("System.", StringComparison.Ordinal) || name is "netstandard.dll" or "mscorlib.dll"))
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray());

    /// <summary>
    /// The platform as a project that calls HTTP APIs sees it, without System.Threading.RateLimiting (a package, or
    /// the ASP.NET Core shared framework), which the test host itself loads.
    /// </summary>
    public static ImmutableArray<MetadataReference> WithHttp { get; } =
        s_platform.Value.Where(r => Path.GetFileName(r.Display!) != "System.Threading.RateLimiting.dll").ToImmutableArray();

    // Declared after WithHttp, which it reads while it initialises.
    /// <summary>The platform without System.Net.Http, as a project that makes no HTTP calls sees it.</summary>
    public static ImmutableArray<MetadataReference> WithoutHttp { get; } =
        WithHttp.Where(r => !Path.GetFileName(r.Display!).StartsWith("System.Net.Http", StringComparison.Ordinal)).ToImmutableArray();

    /// <summary>A project that calls HTTP APIs and references System.Threading.RateLimiting.</summary>
    public static ImmutableArray<MetadataReference> WithHttpAndRateLimiting { get; } =
        WithHttp.Add(MetadataReference.CreateFromFile(typeof(System.Threading.RateLimiting.RateLimiter).Assembly.Location));

    public static CSharpCompilation Create(
        string source,
        IEnumerable<MetadataReference> references,
        LanguageVersion languageVersion = LanguageVersion.Latest,
        NullableContextOptions nullable = NullableContextOptions.Enable,
        string assemblyName = "Consumer",
        IEnumerable<string>? preprocessorSymbols = null)
    {
        var parseOptions = new CSharpParseOptions(languageVersion, preprocessorSymbols: preprocessorSymbols);
        return CSharpCompilation.Create(
            assemblyName,
            new[] { CSharpSyntaxTree.ParseText(source, parseOptions, path: "Consumer.cs") },
            references,
            new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: languageVersion == LanguageVersion.CSharp7_3 ? NullableContextOptions.Disable : nullable,
                generalDiagnosticOption: ReportDiagnostic.Error,
                warningLevel: 9999));
    }

    public static GeneratorDriver CreateDriver(CSharpCompilation compilation, string? emitProperty = null)
    {
        var globalOptions = new Dictionary<string, string>();
        if (emitProperty is not null)
        {
            globalOptions["build_property." + PacingRuntimeGenerator.EmitPropertyName] = emitProperty;
        }

        return CSharpGeneratorDriver.Create(
            new[] { new PacingRuntimeGenerator().AsSourceGenerator() },
            parseOptions: (CSharpParseOptions)compilation.SyntaxTrees.First().Options,
            optionsProvider: new GlobalOptionsProvider(globalOptions),
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
    }

    public static (Compilation Output, GeneratorDriverRunResult Result) Run(CSharpCompilation compilation, string? emitProperty = null)
    {
        var driver = CreateDriver(compilation, emitProperty).RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        return (output, driver.GetRunResult());
    }

    private sealed class GlobalOptionsProvider : AnalyzerConfigOptionsProvider
    {
        private readonly DictionaryOptions _global;

        public GlobalOptionsProvider(Dictionary<string, string> values) => _global = new DictionaryOptions(values);

        public override AnalyzerConfigOptions GlobalOptions => _global;

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => DictionaryOptions.Empty;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => DictionaryOptions.Empty;
    }

    private sealed class DictionaryOptions : AnalyzerConfigOptions
    {
        public static readonly DictionaryOptions Empty = new(new Dictionary<string, string>());

        private readonly Dictionary<string, string> _values;

        public DictionaryOptions(Dictionary<string, string> values) => _values = values;

        public override bool TryGetValue(string key, out string value) => _values.TryGetValue(key, out value!);
    }
}
