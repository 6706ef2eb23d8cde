using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Xml.Linq;
using Xunit;

namespace RateLimitAnalyzers.PackageTests;

[Collection(PackedPackageCollection.Name)]
public sealed class PackageContentsTests
{
    private readonly PackedPackage _package;

    public PackageContentsTests(PackedPackage package) => _package = package;

    [Fact]
    public void Analyzer_and_code_fix_assemblies_sit_under_analyzers_dotnet_cs()
    {
        var entries = Entries();
        Assert.Contains("analyzers/dotnet/cs/RateLimitAnalyzers.dll", entries);
        Assert.Contains("analyzers/dotnet/cs/RateLimitAnalyzers.CodeFixes.dll", entries);
    }

    [Fact]
    public void Nothing_is_a_compile_asset()
    {
        // A development dependency must not put anything on the consumer's reference path.
        Assert.DoesNotContain(Entries(), e => e.StartsWith("lib/") || e.StartsWith("ref/"));
    }

    [Fact]
    public void Build_props_make_the_opt_out_property_visible_to_the_generator()
    {
        var entries = Entries();
        Assert.Contains("build/RateLimitAnalyzers.props", entries);
        Assert.Contains("buildTransitive/RateLimitAnalyzers.props", entries);

        using var archive = ZipFile.OpenRead(_package.PackagePath);
        using var reader = new StreamReader(archive.GetEntry("build/RateLimitAnalyzers.props")!.Open());
        Assert.Contains("<CompilerVisibleProperty Include=\"RateLimitAnalyzersEmitPacingRuntime\" />", reader.ReadToEnd());
    }

    [Fact]
    public void Nuspec_declares_a_development_dependency_with_license_readme_and_repository()
    {
        var nuspec = Nuspec();
        var ns = nuspec.Root!.GetDefaultNamespace();
        var metadata = nuspec.Root.Element(ns + "metadata")!;

        Assert.Equal("RateLimitAnalyzers", metadata.Element(ns + "id")!.Value);
        Assert.Equal(_package.Version, metadata.Element(ns + "version")!.Value);
        Assert.Equal("true", metadata.Element(ns + "developmentDependency")!.Value);
        Assert.Equal("expression", metadata.Element(ns + "license")!.Attribute("type")!.Value);
        Assert.Equal("MIT", metadata.Element(ns + "license")!.Value);
        Assert.Equal("README.md", metadata.Element(ns + "readme")!.Value);
        Assert.Contains("README.md", Entries());
        Assert.StartsWith("https://github.com/", metadata.Element(ns + "repository")!.Attribute("url")!.Value);
        Assert.False(string.IsNullOrWhiteSpace(metadata.Element(ns + "description")!.Value));

        // The analyzers run inside the compiler; the consumer must not inherit Roslyn as a dependency.
        Assert.Empty(metadata.Descendants(ns + "dependency"));
    }

    private string[] Entries()
    {
        using var archive = ZipFile.OpenRead(_package.PackagePath);
        return archive.Entries.Select(e => e.FullName).ToArray();
    }

    private XDocument Nuspec()
    {
        using var archive = ZipFile.OpenRead(_package.PackagePath);
        var entry = archive.Entries.Single(e => e.FullName.EndsWith(".nuspec"));
        using var stream = entry.Open();
        return XDocument.Load(stream);
    }
}
