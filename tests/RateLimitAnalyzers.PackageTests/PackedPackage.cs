using System;
using System.IO;
using System.Linq;
using Xunit;

namespace RateLimitAnalyzers.PackageTests;

/// <summary>
/// Packs the real package once per test run into a local folder feed, with a version unique to the run
/// so that no stale copy in the NuGet cache can stand in for it. Consumers restore it into a packages folder
/// of the run's own (<see cref="PackagesDirectory"/>), deleted with the rest, so that nothing is left in the
/// user's global packages folder; they read every other package from that folder without copying it.
/// </summary>
public sealed class PackedPackage : IDisposable
{
    public PackedPackage()
    {
        WorkDirectory = RepositoryPaths.NewTemporaryDirectory("e2e");
        FeedDirectory = Path.Combine(WorkDirectory, "feed");
        PackagesDirectory = Path.Combine(WorkDirectory, "packages");
        UserPackagesDirectory = FindUserPackagesDirectory();
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

    /// <summary>The global packages folder of the consumers' restores (NUGET_PACKAGES), inside <see cref="WorkDirectory"/>.</summary>
    public string PackagesDirectory { get; }

    /// <summary>The user's own global packages folder: the consumers read from it, and must write nothing to it.</summary>
    public string UserPackagesDirectory { get; }

    public string Version { get; }

    public string PackagePath { get; }

    private static string FindUserPackagesDirectory()
    {
        // "global-packages: /root/.nuget/packages/", wherever NUGET_PACKAGES or a NuGet.config put it.
        var result = DotNetCli.Run(RepositoryPaths.Root, "nuget", "locals", "global-packages", "--list");
        Assert.True(result.ExitCode == 0, result.ToString());
        var line = result.Output.Split('\n').Single(l => l.StartsWith("global-packages:", StringComparison.Ordinal));
        return line.Substring("global-packages:".Length).Trim();
    }

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
