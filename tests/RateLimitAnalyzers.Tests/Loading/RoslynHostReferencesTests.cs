using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Xml.Linq;
using RateLimitAnalyzers.Tests.Verifiers;
using Xunit;

namespace RateLimitAnalyzers.Tests.Loading;

/// <summary>
/// The oldest hosts the README promises, VS 2022 17.8 and the .NET 8 SDK, run Roslyn 4.8 and load analyzers and code
/// fixes beside it: every assembly our two DLLs reference must be one that host already has, at its version or lower.
/// A reference to a newer version (System.Composition 8.0 where Workspaces 4.8 brings 7.0) fails to bind there, and
/// the rule's fix silently disappears. What the host has is read from Roslyn 4.8.0's own package manifests.
/// </summary>
public sealed class RoslynHostReferencesTests
{
    private const string RoslynVersion = "4.8.0";

    // The packages whose assemblies a Roslyn 4.8 host loads before any analyzer: the compiler and the workspaces.
    private static readonly string[] s_roslynPackages =
    {
        "Microsoft.CodeAnalysis.Common", "Microsoft.CodeAnalysis.CSharp", "Microsoft.CodeAnalysis.Workspaces.Common", "Microsoft.CodeAnalysis.CSharp.Workspaces",
    };

    [Theory]
    [InlineData("RateLimitAnalyzers.dll")]
    [InlineData("RateLimitAnalyzers.CodeFixes.dll")]
    public void Every_assembly_reference_is_one_a_Roslyn_4_8_host_provides(string assemblyFile)
    {
        var host = HostAssemblies();
        var unmet = new List<string>();
        foreach (var (name, version) in ReferencesOf(assemblyFile))
        {
            if (name.StartsWith("RateLimitAnalyzers", StringComparison.Ordinal))
            {
                continue; // shipped beside it in the same package folder
            }

            if (!host.TryGetValue(name, out var provided))
            {
                unmet.Add(name + " " + version + ": a Roslyn " + RoslynVersion + " host does not provide it");
            }
            else if (version > provided)
            {
                unmet.Add(name + " " + version + ": a Roslyn " + RoslynVersion + " host provides " + provided);
            }
        }

        Assert.True(unmet.Count == 0, assemblyFile + " would not load in VS 2022 17.8 / the .NET 8 SDK:\n" + string.Join("\n", unmet));
    }

    [Fact]
    public void The_analyzer_assembly_never_references_Workspaces()
    {
        // The compiler loads the analyzers on its own, where Workspaces is absent (csc, the .NET SDK's build server).
        Assert.DoesNotContain(ReferencesOf("RateLimitAnalyzers.dll"), r => r.Name.Contains("Workspaces", StringComparison.Ordinal));
        Assert.Contains(ReferencesOf("RateLimitAnalyzers.CodeFixes.dll"), r => r.Name == "Microsoft.CodeAnalysis.Workspaces");
    }

    [Fact]
    public void The_host_list_knows_Workspaces_4_8_brings_System_Composition_7()
    {
        // Guards the reading of the manifests: the version the original load failure was about.
        var host = HostAssemblies();

        Assert.Equal(new Version(7, 0, 0, 0), host["System.Composition.AttributedModel"]);
        Assert.Equal(new Version(4, 8, 0, 0), host["Microsoft.CodeAnalysis.Workspaces"]);
        Assert.Equal(new Version(2, 0, 0, 0), host["netstandard"]);
    }

    private static IReadOnlyList<(string Name, Version Version)> ReferencesOf(string assemblyFile)
    {
        // Copied beside the tests from the projects' netstandard2.0 builds, the same files the package ships.
        var path = Path.Combine(AppContext.BaseDirectory, assemblyFile);
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        return metadata.AssemblyReferences
            .Select(h => metadata.GetAssemblyReference(h))
            .Select(r => (metadata.GetString(r.Name), r.Version))
            .ToList();
    }

    /// <summary>
    /// Assembly name to the version a Roslyn 4.8 host has: the Roslyn assemblies themselves, netstandard 2.0, and
    /// what the Roslyn packages' netstandard2.0 dependency groups name, a package of several assemblies
    /// (System.Composition) giving its version to each.
    /// </summary>
    private static Dictionary<string, Version> HostAssemblies()
    {
        var host = new Dictionary<string, Version>(StringComparer.Ordinal) { ["netstandard"] = new Version(2, 0, 0, 0) };
        foreach (var package in s_roslynPackages)
        {
            var folder = Path.Combine(TestReferences.PackageRoot, package.ToLowerInvariant(), RoslynVersion);
            foreach (var dll in Directory.GetFiles(Path.Combine(folder, "lib", "netstandard2.0"), "*.dll"))
            {
                host[Path.GetFileNameWithoutExtension(dll)] = AssemblyVersionOf(dll);
            }

            foreach (var (id, version) in NetStandardDependencies(folder, package))
            {
                foreach (var (assembly, assemblyVersion) in AssembliesOf(id, version))
                {
                    if (!host.TryGetValue(assembly, out var known) || assemblyVersion < known)
                    {
                        host[assembly] = assemblyVersion;
                    }
                }
            }
        }

        return host;
    }

    /// <summary>
    /// The assemblies a dependency package brings. Read from the package when restore left that exact version in the
    /// package folder (a meta-package's from the packages it depends on); otherwise (a version the package source does not serve, like System.Composition 7.0.0) the
    /// .NET packaging convention since 5.0 gives version X.Y.0.0 to the assemblies of package X.Y.*.
    /// </summary>
    private static IEnumerable<(string Assembly, Version Version)> AssembliesOf(string packageId, Version version)
    {
        var folder = Path.Combine(TestReferences.PackageRoot, packageId.ToLowerInvariant(), version.ToString(3));
        var lib = Path.Combine(folder, "lib", "netstandard2.0");
        if (Directory.Exists(lib))
        {
            var dlls = Directory.GetFiles(lib, "*.dll");
            foreach (var dll in dlls)
            {
                yield return (Path.GetFileNameWithoutExtension(dll), AssemblyVersionOf(dll));
            }

            if (dlls.Length == 0)
            {
                // A meta-package (System.Composition: lib holds only _._): its assemblies are its dependencies'.
                foreach (var (id, dependencyVersion) in NetStandardDependencies(folder, packageId))
                {
                    foreach (var assembly in AssembliesOf(id, dependencyVersion))
                    {
                        yield return assembly;
                    }
                }
            }

            yield break;
        }

        if (version.Major >= 5)
        {
            var assemblyVersion = new Version(version.Major, version.Minor, 0, 0);
            yield return (packageId, assemblyVersion);
            if (packageId == "System.Composition")
            {
                // The meta-package: its parts, each versioned with it.
                foreach (var part in new[] { "AttributedModel", "Convention", "Hosting", "Runtime", "TypedParts" })
                {
                    yield return (packageId + "." + part, assemblyVersion);
                }
            }
        }
    }

    /// <summary>The packages a package in <paramref name="folder"/> depends on for netstandard2.0, from its nuspec.</summary>
    private static IEnumerable<(string Id, Version Version)> NetStandardDependencies(string folder, string packageId)
    {
        var nuspec = XDocument.Load(Path.Combine(folder, packageId.ToLowerInvariant() + ".nuspec"));
        var group = nuspec.Descendants().Where(e => e.Name.LocalName == "group")
            .SingleOrDefault(g => (string?)g.Attribute("targetFramework") == ".NETStandard2.0");
        foreach (var dependency in group?.Elements().Where(e => e.Name.LocalName == "dependency") ?? [])
        {
            yield return ((string)dependency.Attribute("id")!, NuGetVersion((string)dependency.Attribute("version")!));
        }
    }

    private static Version NuGetVersion(string range)
    {
        var text = range.Trim('[', ']', '(', ')').Split(',')[0].Trim();
        var version = Version.Parse(text);
        return new Version(version.Major, version.Minor, Math.Max(version.Build, 0));
    }

    private static Version AssemblyVersionOf(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        return metadata.GetAssemblyDefinition().Version;
    }
}
