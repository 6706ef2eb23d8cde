using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace RateLimitAnalyzers.PackageTests;

/// <summary>The README promises that building the sample prints RL0001 warnings, and SARIF 2.1 with its argument; hold it to that.</summary>
public sealed class ReadmeCommandTests
{
    // The README's SARIF argument; a bare comma would make it SARIF 1.0.
    private const string SarifArgument = "-p:ErrorLog=results.sarif%2Cversion=2.1";

    [Fact]
    public void Building_the_sample_prints_RL0001_and_writes_SARIF_2_1_with_the_help_link()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md"));
        Assert.Contains("dotnet build samples/PagingSample", readme);
        Assert.Contains("dotnet test", readme);
        Assert.Contains("dotnet build --no-incremental -warnaserror", readme);
        Assert.Contains("dotnet build --no-incremental " + SarifArgument, readme);
        Assert.Contains("github/codeql-action/upload-sarif", readme);

        var artifacts = RepositoryPaths.NewTemporaryDirectory("sample");
        try
        {
            // The README's two commands in one build, with outputs kept out of the working tree.
            var sarif = Path.Combine(artifacts, "results.sarif");
            var result = DotNetCli.Run(
                RepositoryPaths.Root,
                "build", "samples/PagingSample", "--no-incremental", "--artifacts-path", artifacts,
                SarifArgument.Replace("results.sarif", sarif));
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains("warning RL0001", result.Output);

            using var log = JsonDocument.Parse(File.ReadAllText(sarif));
            Assert.Equal("2.1.0", log.RootElement.GetProperty("version").GetString());
            var run = log.RootElement.GetProperty("runs")[0];
            Assert.Contains(run.GetProperty("results").EnumerateArray(), r => r.GetProperty("ruleId").GetString() == "RL0001");
            var rule = run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray().Single(r => r.GetProperty("id").GetString() == "RL0001");
            Assert.Equal(RepositoryPaths.BuildProperty("RateLimitAnalyzersRepositoryUrl") + "/blob/main/rules.md#rl0001", rule.GetProperty("helpUri").GetString());
        }
        finally
        {
            Directory.Delete(artifacts, recursive: true);
        }
    }
}
