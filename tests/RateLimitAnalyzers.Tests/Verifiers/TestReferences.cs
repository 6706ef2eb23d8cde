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
    // The build a net8.0 project would pick: its own, else the closest netstandard one. Declared first: the
    // static properties below read it while they initialise.
    private static readonly string[] s_frameworkFolders = { "net8.0", "netstandard2.1", "netstandard2.0" };

    /// <summary>
    /// .NET 8 reference assemblies. ReferenceAssemblies.Net.Net80 asks for Microsoft.NETCore.App.Ref 8.0.0, which
    /// the package source here does not serve; 8.0.28 is pinned instead.
    /// </summary>
    public static ReferenceAssemblies Net80 { get; } = new ReferenceAssemblies(
        "net8.0",
        new PackageIdentity("Microsoft.NETCore.App.Ref", "8.0.28"),
        Path.Combine("ref", "net8.0"));

    /// <summary>
    /// What a user's project references next to HttpClient: Polly (v7 API, v8 core, its rate limiter, its HttpClient
    /// integrations), System.Threading.RateLimiting (a package, not part of the .NET 8 framework), Refit, RestSharp,
    /// and the HttpClient factory with the Microsoft.Extensions resilience handlers.
    /// </summary>
    public static ImmutableArray<MetadataReference> Libraries { get; } = ImmutableArray.Create(
        Library("Polly"),
        Library("Polly.Core"),
        Library("Polly.RateLimiting"),
        Library("Polly.Extensions"),
        Library("Polly.Extensions.Http"),
        Library("System.Threading.RateLimiting"),
        Library("Refit"),
        Library("Refit.HttpClientFactory"),
        Library("RestSharp"),
        Library("Microsoft.Extensions.DependencyInjection.Abstractions"),
        Library("Microsoft.Extensions.Options"),
        Library("Microsoft.Extensions.Logging.Abstractions"),
        Library("Microsoft.Extensions.Http"),
        Library("Microsoft.Extensions.Http.Polly"),
        Library("Microsoft.Extensions.Resilience"),
        Library("Microsoft.Extensions.Http.Resilience"));

    private static MetadataReference Library(string packageId)
    {
        var package = Path.Combine(PackageRoot, packageId.ToLowerInvariant(), PackageVersion(packageId), "lib");
        foreach (var framework in s_frameworkFolders)
        {
            var path = Path.Combine(package, framework, packageId + ".dll");
            if (File.Exists(path))
            {
                return MetadataReference.CreateFromFile(path);
            }
        }

        throw new InvalidOperationException("Test reference " + packageId + " is missing under " + package + "; run dotnet restore.");
    }

    internal static string PackageRoot => Metadata("NuGetPackageRoot");

    private static string PackageVersion(string packageId) => Metadata("PackageVersion:" + packageId);

    private static string Metadata(string key) =>
        typeof(TestReferences).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value
        ?? throw new InvalidOperationException("The test assembly carries no " + key + " metadata.");
}
