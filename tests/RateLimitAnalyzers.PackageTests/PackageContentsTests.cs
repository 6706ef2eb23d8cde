using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
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

    [Theory]
    [InlineData("build")]
    [InlineData("buildTransitive")]
    public void Build_folder_makes_the_options_visible_and_picks_the_preset(string folder)
    {
        Assert.Contains("<CompilerVisibleProperty Include=\"RateLimitAnalyzersEmitPacingRuntime\" />", Text(folder + "/RateLimitAnalyzers.props"));
        Assert.Contains("<EditorConfigFiles Include=\"$(_RateLimitAnalyzersPreset)\" />", Text(folder + "/RateLimitAnalyzers.targets"));
        foreach (var mode in new[] { "recommended", "strict", "none" })
        {
            // Below the default level of any global config of the user's, so theirs wins.
            var preset = Text(folder + "/RateLimitAnalyzers." + mode + ".globalconfig");
            Assert.Contains("is_global = true", preset);
            Assert.Contains("global_level = -100", preset);
        }

        Assert.Equal(5, Entries().Count(e => e.StartsWith(folder + "/", StringComparison.Ordinal)));
    }

    [Fact]
    public void Rules_md_ships_as_docs_rules_md_for_offline_reading()
    {
        Assert.Equal(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "rules.md")), Text("docs/rules.md"));
    }

    [Fact]
    public void Nuspec_declares_a_development_dependency_with_license_readme_icon_release_notes_and_repository()
    {
        var nuspec = Nuspec();
        var ns = nuspec.Root!.GetDefaultNamespace();
        var metadata = nuspec.Root.Element(ns + "metadata")!;
        var repository = RepositoryPaths.BuildProperty("RateLimitAnalyzersRepositoryUrl");

        Assert.Equal("RateLimitAnalyzers", metadata.Element(ns + "id")!.Value);
        Assert.Equal(_package.Version, metadata.Element(ns + "version")!.Value);
        Assert.Equal("true", metadata.Element(ns + "developmentDependency")!.Value);
        Assert.Equal("expression", metadata.Element(ns + "license")!.Attribute("type")!.Value);
        Assert.Equal("MIT", metadata.Element(ns + "license")!.Value);
        Assert.Equal("README.md", metadata.Element(ns + "readme")!.Value);
        Assert.Equal("icon.png", metadata.Element(ns + "icon")!.Value);
        Assert.Equal(File.ReadAllBytes(Path.Combine(RepositoryPaths.Root, "src", "RateLimitAnalyzers.Package", "icon.png")), Bytes("icon.png"));
        Assert.False(string.IsNullOrWhiteSpace(metadata.Element(ns + "description")!.Value));

        // Every address comes from the one MSBuild property.
        Assert.Equal(repository, metadata.Element(ns + "projectUrl")!.Value);
        Assert.Equal(repository, metadata.Element(ns + "repository")!.Attribute("url")!.Value);
        Assert.Contains(repository + "/blob/main/CHANGELOG.md", metadata.Element(ns + "releaseNotes")!.Value);
        Assert.Equal(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "CHANGELOG.md")), Text("CHANGELOG.md"));
        var readme = Text("README.md");
        Assert.Contains(repository + "/blob/main/rules.md", readme);
        Assert.DoesNotContain("{RepositoryUrl}", readme);

        // The analyzers run inside the compiler; the consumer must not inherit Roslyn as a dependency.
        Assert.Empty(metadata.Descendants(ns + "dependency"));
    }

    private string Text(string entry) => Encoding.UTF8.GetString(Bytes(entry));

    private byte[] Bytes(string entry)
    {
        using var archive = ZipFile.OpenRead(_package.PackagePath);
        using var stream = archive.GetEntry(entry)?.Open() ?? throw new Xunit.Sdk.XunitException(entry + " is not in the package");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
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
