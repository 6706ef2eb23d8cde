using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace RateLimitAnalyzers.Tests.Verifiers;

/// <summary>
/// What test compilations reference. Nothing here downloads: the reference pack is fetched at restore time by the
/// project's PackageDownload, and the libraries are the net8.0 builds of packages the test project itself restores.
/// </summary>
internal static class TestReferences
{
    /// <summary>
    /// .NET 8 reference assemblies. ReferenceAssemblies.Net.Net80 asks for Microsoft.NETCore.App.Ref 8.0.0, which
    /// the package source here does not serve; 8.0.28 is pinned instead.
    /// </summary>
    public static ReferenceAssemblies Net80 { get; } = new ReferenceAssemblies(
        "net8.0",
        new PackageIdentity("Microsoft.NETCore.App.Ref", "8.0.28"),
        Path.Combine("ref", "net8.0"));

    /// <summary>Polly (v7 API and v8 core, with its rate limiter), System.Threading.RateLimiting (a package, not part of the .NET 8 framework), Refit and RestSharp, as a user project references them.</summary>
    public static ImmutableArray<MetadataReference> Libraries { get; } = ImmutableArray.Create(
        Library("Polly", "Polly.dll"),
        Library("Polly.Core", "Polly.Core.dll"),
        Library("Polly.RateLimiting", "Polly.RateLimiting.dll"),
        Library("System.Threading.RateLimiting", "System.Threading.RateLimiting.dll"),
        Library("Refit", "Refit.dll"),
        Library("RestSharp", "RestSharp.dll"));

    private static MetadataReference Library(string packageId, string fileName)
    {
        var path = Path.Combine(PackageRoot, packageId.ToLowerInvariant(), PackageVersion(packageId), "lib", "net8.0", fileName);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException("Test reference " + path + " is missing; run dotnet restore.");
        }

        return MetadataReference.CreateFromFile(path);
    }

    private static string PackageRoot => Metadata("NuGetPackageRoot");

    private static string PackageVersion(string packageId) => Metadata("PackageVersion:" + packageId);

    private static string Metadata(string key) =>
        typeof(TestReferences).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value
        ?? throw new InvalidOperationException("The test assembly carries no " + key + " metadata.");
}
