using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using RateLimitAnalyzers.Generator;
using RateLimitAnalyzers.Rules;

namespace RateLimitAnalyzers.Benchmarks.AnalyzerCost;

/// <summary>
/// One configuration the corpus is compiled with: the analyzers and generators a build would load, the rule
/// severities its .editorconfig or AnalysisLevel sets, and the options analyzers read.
/// </summary>
public sealed class AnalyzerSuite
{
    private AnalyzerSuite(
        string name,
        ImmutableArray<DiagnosticAnalyzer> analyzers,
        ImmutableArray<ISourceGenerator> generators,
        ImmutableDictionary<string, ReportDiagnostic> severities,
        ImmutableDictionary<string, string> globalOptions)
    {
        Name = name;
        Analyzers = analyzers;
        Generators = generators;
        Severities = severities;
        _globalOptions = globalOptions;
        Options = new GlobalOptionsProvider(globalOptions);
    }

    private readonly ImmutableDictionary<string, string> _globalOptions;

    public string Name { get; }

    public ImmutableArray<DiagnosticAnalyzer> Analyzers { get; }

    public ImmutableArray<ISourceGenerator> Generators { get; }

    public ImmutableDictionary<string, ReportDiagnostic> Severities { get; }

    public AnalyzerConfigOptionsProvider Options { get; }

    // What the SDK passes every build (CompilerVisibleProperty); some NetAnalyzers rules read them.
    private static readonly ImmutableDictionary<string, string> s_buildProperties = new Dictionary<string, string>
    {
        ["build_property.TargetFramework"] = "net10.0",
        ["build_property.TargetFrameworkIdentifier"] = ".NETCoreApp",
        ["build_property.TargetFrameworkVersion"] = "v10.0",
        ["build_property.RootNamespace"] = "Contoso",
        ["build_property.EnableAotAnalyzer"] = string.Empty,
        ["build_property.EnableTrimAnalyzer"] = string.Empty,
    }.ToImmutableDictionary();

    public static AnalyzerSuite None { get; } = new(
        "no analyzers",
        ImmutableArray<DiagnosticAnalyzer>.Empty,
        ImmutableArray<ISourceGenerator>.Empty,
        ImmutableDictionary<string, ReportDiagnostic>.Empty,
        s_buildProperties);

    /// <summary>Our package as it runs in a build: every analyzer, and the generator that emits the pacing runtime.</summary>
    public static AnalyzerSuite RateLimitAnalyzers() => new(
        "RateLimitAnalyzers",
        typeof(RL0001PagingLoopWithoutPacingAnalyzer).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToImmutableArray(),
        ImmutableArray.Create(new PacingRuntimeGenerator().AsSourceGenerator()),
        ImmutableDictionary<string, ReportDiagnostic>.Empty,
        s_buildProperties);

    /// <summary>Meziantou.Analyzer at its default severities, the build for the harness's Roslyn, from the package folder.</summary>
    public static AnalyzerSuite Meziantou()
    {
        var package = Path.Combine(BuildLocations.NuGetPackageRoot, "meziantou.analyzer", BuildLocations.MeziantouAnalyzerVersion, "analyzers", "dotnet");
        var folder = NewestBuildFor(package, typeof(Compilation).Assembly.GetName().Version!);
        var analyzers = Load(Path.Combine(folder, "cs", "Meziantou.Analyzer.dll"));
        return new AnalyzerSuite(
            "Meziantou.Analyzer " + BuildLocations.MeziantouAnalyzerVersion + " (" + Path.GetFileName(folder) + ")",
            analyzers,
            ImmutableArray<ISourceGenerator>.Empty,
            ImmutableDictionary<string, ReportDiagnostic>.Empty,
            s_buildProperties);
    }

    /// <summary>
    /// The SDK's own NetAnalyzers with the global config that <c>AnalysisLevel latest-all</c> selects
    /// (analysislevel_&lt;latest&gt;_all.globalconfig): every rule of that release enabled as a warning.
    /// </summary>
    public static AnalyzerSuite NetAnalyzersLatestAll() => NetAnalyzers("all", "AnalysisLevel latest-all");

    /// <summary>
    /// The SDK's NetAnalyzers as a plain <c>dotnet build</c> of a .NET 5+ project runs them, with no AnalysisLevel
    /// set (analysislevel_&lt;latest&gt;_default.globalconfig): the few rules on by default. Every such build pays
    /// for them, including binding method bodies for their operation callbacks, so the cost of adding a package is
    /// best read on top of this.
    /// </summary>
    public static AnalyzerSuite SdkDefaults() => NetAnalyzers("default", "SDK defaults");

    private static AnalyzerSuite NetAnalyzers(string mode, string label)
    {
        var folder = BuildLocations.SdkAnalyzers;
        var analyzers = Load(Path.Combine(folder, "Microsoft.CodeAnalysis.NetAnalyzers.dll"), Path.Combine(folder, "Microsoft.CodeAnalysis.CSharp.NetAnalyzers.dll"));
        var level = BuildLocations.LatestAnalysisLevel.Split('.')[0];
        var configPath = Path.Combine(folder, "build", "config", "analysislevel_" + level + "_" + mode + ".globalconfig");
        var config = AnalyzerConfig.Parse(File.ReadAllText(configPath), configPath);
        var global = AnalyzerConfigSet.Create(new[] { config }).GlobalConfigOptions;
        return new AnalyzerSuite(
            "NetAnalyzers (SDK " + BuildLocations.SdkVersion + ", " + label + ")",
            analyzers,
            ImmutableArray<ISourceGenerator>.Empty,
            global.TreeOptions,
            s_buildProperties.SetItems(global.AnalyzerOptions));
    }

    /// <summary>Both suites in one build, as a project that references both packages runs them.</summary>
    public AnalyzerSuite With(AnalyzerSuite other, string name) => new(
        name,
        Analyzers.AddRange(other.Analyzers),
        Generators.AddRange(other.Generators),
        Severities.SetItems(other.Severities),
        _globalOptions.SetItems(other._globalOptions));

    /// <summary>The analyzers' severities applied to the corpus compilation, as the build's global config would.</summary>
    public Microsoft.CodeAnalysis.CSharp.CSharpCompilation Configure(Microsoft.CodeAnalysis.CSharp.CSharpCompilation compilation) =>
        Severities.IsEmpty ? compilation : compilation.WithOptions(compilation.Options.WithSpecificDiagnosticOptions(Severities));

    public AnalyzerOptions AnalyzerOptions => new(ImmutableArray<AdditionalText>.Empty, Options);

    /// <summary>A package ships one build per Roslyn version (roslyn4.8, roslyn5.0, ...); the compiler loads the newest it can run.</summary>
    private static string NewestBuildFor(string packageAnalyzers, Version roslyn)
    {
        var builds = Directory.EnumerateDirectories(packageAnalyzers, "roslyn*")
            .Select(path => (Path: path, Version: Version.Parse(Path.GetFileName(path)["roslyn".Length..])))
            .Where(b => b.Version <= new Version(roslyn.Major, roslyn.Minor))
            .OrderByDescending(b => b.Version)
            .ToList();
        return builds.Count > 0 ? builds[0].Path : throw new InvalidOperationException("No build in " + packageAnalyzers + " runs on Roslyn " + roslyn + ".");
    }

    private static ImmutableArray<DiagnosticAnalyzer> Load(params string[] paths)
    {
        var loader = new DefaultContextLoader(paths);
        var analyzers = ImmutableArray.CreateBuilder<DiagnosticAnalyzer>();
        foreach (var path in paths)
        {
            var reference = new AnalyzerFileReference(path, loader);
            var failures = new List<string>();
            reference.AnalyzerLoadFailed += (_, e) => failures.Add(e.Message);
            analyzers.AddRange(reference.GetAnalyzers(LanguageNames.CSharp));
            if (failures.Count > 0)
            {
                throw new InvalidOperationException("Could not load analyzers from " + path + ": " + string.Join("; ", failures));
            }
        }

        return analyzers.ToImmutable();
    }

    /// <summary>Loads analyzer assemblies into the default context, where the harness's own Roslyn already is.</summary>
    private sealed class DefaultContextLoader : IAnalyzerAssemblyLoader
    {
        private readonly Dictionary<string, string> _byName;

        public DefaultContextLoader(IEnumerable<string> paths)
        {
            _byName = paths.ToDictionary(p => Path.GetFileNameWithoutExtension(p), p => p, StringComparer.OrdinalIgnoreCase);
            AssemblyLoadContext.Default.Resolving += (context, name) =>
                name.Name is { } simple && _byName.TryGetValue(simple, out var path) ? context.LoadFromAssemblyPath(path) : null;
        }

        public void AddDependencyLocation(string fullPath) => _byName[Path.GetFileNameWithoutExtension(fullPath)] = fullPath;

        public Assembly LoadFromPath(string fullPath) => AssemblyLoadContext.Default.LoadFromAssemblyPath(fullPath);
    }

    private sealed class GlobalOptionsProvider : AnalyzerConfigOptionsProvider
    {
        private static readonly DictionaryOptions s_empty = new(ImmutableDictionary<string, string>.Empty);

        public GlobalOptionsProvider(ImmutableDictionary<string, string> values) => GlobalOptions = new DictionaryOptions(values);

        public override AnalyzerConfigOptions GlobalOptions { get; }

        // A global config applies to every file: per-tree lookups see the same keys.
        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => GlobalOptions;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => s_empty;
    }

    private sealed class DictionaryOptions : AnalyzerConfigOptions
    {
        private readonly ImmutableDictionary<string, string> _values;

        public DictionaryOptions(ImmutableDictionary<string, string> values) => _values = values;

        public override bool TryGetValue(string key, out string value) => _values.TryGetValue(key, out value!);
    }
}
