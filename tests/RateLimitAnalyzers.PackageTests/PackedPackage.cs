using System;
using System.IO;
using System.Linq;
using Xunit;

namespace RateLimitAnalyzers.PackageTests;

/// <summary>
/// Packs the real package once per test run into a local folder feed, with a version unique to the run
/// so that no stale copy in the NuGet cache can stand in for it.
/// </summary>
public sealed class PackedPackage : IDisposable
{
    public PackedPackage()
    {
        WorkDirectory = RepositoryPaths.NewTemporaryDirectory("e2e");
        FeedDirectory = Path.Combine(WorkDirectory, "feed");
        Version = "0.1.0-e2e." + DateTime.UtcNow.ToString("yyyyMMddHHmmss") + "." + Environment.ProcessId;

        var project = Path.Combine(RepositoryPaths.Root, "src", "RateLimitAnalyzers.Package", "RateLimitAnalyzers.Package.csproj");
        var result = DotNetCli.Run(
            RepositoryPaths.Root,
            "pack", project,
            "-c", "Release",
            "-o", FeedDirectory,
            "-p:Version=" + Version,
            "--artifacts-path", Path.Combine(WorkDirectory, "artifacts"));
        Assert.True(result.ExitCode == 0, result.ToString());

        PackagePath = Directory.GetFiles(FeedDirectory, "RateLimitAnalyzers." + Version + ".nupkg").Single();
    }

    public string WorkDirectory { get; }

    public string FeedDirectory { get; }

    public string Version { get; }

    public string PackagePath { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(WorkDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless; a failing cleanup must not fail the run.
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PackedPackageCollection : ICollectionFixture<PackedPackage>
{
    public const string Name = "Packed package";
}
