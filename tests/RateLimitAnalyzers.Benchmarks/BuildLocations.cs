using System;
using System.Linq;
using System.Reflection;

namespace RateLimitAnalyzers.Benchmarks;

/// <summary>Paths and versions the build recorded in this assembly (see EmbedBenchmarkLocations in the project file).</summary>
internal static class BuildLocations
{
    public static string NuGetPackageRoot => Get(nameof(NuGetPackageRoot));

    public static string MeziantouAnalyzerVersion => Get(nameof(MeziantouAnalyzerVersion));

    /// <summary>The framework reference assemblies of the SDK that built the harness (Microsoft.NETCore.App.Ref).</summary>
    public static string ReferencePack => Get(nameof(ReferencePack));

    /// <summary>The SDK's own analyzers folder, holding the NetAnalyzers and their AnalysisLevel configs.</summary>
    public static string SdkAnalyzers => Get(nameof(SdkAnalyzers));

    /// <summary>What AnalysisLevel 'latest' means for that SDK, e.g. 10.0.</summary>
    public static string LatestAnalysisLevel => Get(nameof(LatestAnalysisLevel));

    public static string SdkVersion => Get(nameof(SdkVersion));

    private static string Get(string key) =>
        typeof(BuildLocations).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value
        ?? throw new InvalidOperationException("The benchmark assembly carries no " + key + " metadata; build it with dotnet build.");
}
