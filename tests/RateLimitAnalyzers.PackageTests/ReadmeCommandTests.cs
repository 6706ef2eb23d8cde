using System.IO;
using Xunit;

namespace RateLimitAnalyzers.PackageTests;

/// <summary>The README promises that building the sample prints RL0001 warnings; hold it to that.</summary>
public sealed class ReadmeCommandTests
{
    [Fact]
    public void Building_the_sample_prints_RL0001()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md"));
        Assert.Contains("dotnet build samples/PagingSample", readme);
        Assert.Contains("dotnet test", readme);

        var artifacts = RepositoryPaths.NewTemporaryDirectory("sample");
        try
        {
            // Same command as the README, with outputs kept out of the working tree.
            var result = DotNetCli.Run(RepositoryPaths.Root, "build", "samples/PagingSample", "--artifacts-path", artifacts);
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains("warning RL0001", result.Output);
        }
        finally
        {
            Directory.Delete(artifacts, recursive: true);
        }
    }
}
