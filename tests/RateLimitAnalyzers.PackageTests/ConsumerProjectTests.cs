using System.IO;
using System.Linq;
using Xunit;

namespace RateLimitAnalyzers.PackageTests;

/// <summary>
/// What a user does: add the package to a fresh project, watch a paging loop fail a warnings-as-errors
/// build with RL0001, apply the fix with <c>dotnet format analyzers</c>, and build again with the
/// generated runtime compiled in.
/// </summary>
[Collection(PackedPackageCollection.Name)]
public sealed class ConsumerProjectTests
{
    private readonly PackedPackage _package;

    public ConsumerProjectTests(PackedPackage package) => _package = package;

    [Theory]
    [InlineData("net10.0", "latest")]
    [InlineData("net8.0", "latest")]
    [InlineData("netstandard2.0", "7.3")]
    [InlineData("net472", "7.3")]
    public void Paging_loop_fails_the_build_until_dotnet_format_applies_the_fix(string targetFramework, string languageVersion)
    {
        var consumer = ConsumerProject.Create(_package, "consumer-" + targetFramework, targetFramework, languageVersion);
        var project = consumer.Directory;

        var before = consumer.Run("build", "-warnaserror", "-p:EmitCompilerGeneratedFiles=true");
        Assert.True(before.ExitCode != 0, "The unpaced loop should fail the build.\n" + before);
        Assert.Contains("error RL0001", before.Output);
        // RL0001 must be the only reason the build failed, or the test proves nothing.
        Assert.DoesNotContain("error CS", before.Output);

        var format = consumer.Run("format", "analyzers", "--diagnostics", "RL0001", "--severity", "warn", "--no-restore");
        Assert.True(format.ExitCode == 0, format.ToString());

        var fixedSource = File.ReadAllText(Path.Combine(project, "Exporter.cs"));
        // The pacer is built once, in a field named after the API, and the loop waits on it.
        Assert.Contains("private static readonly RequestPacer ExamplePacer = RequestPacer.Shared(", fixedSource);
        Assert.Contains("\"api.example.com/v1/items\"", fixedSource);
        Assert.Contains("await ExamplePacer.WaitTurnAsync(cancellationToken);", fixedSource);

        var after = consumer.Run("build", "-warnaserror", "-p:EmitCompilerGeneratedFiles=true");
        Assert.True(after.ExitCode == 0, "The fixed loop should build cleanly.\n" + after + "\n" + fixedSource);
        Assert.DoesNotContain("RL0001", after.Output);

        var generated = Directory.GetFiles(Path.Combine(project, "obj"), "RateLimitAnalyzers.Pacing.RequestPacer.g.cs", SearchOption.AllDirectories);
        Assert.NotEmpty(generated);
    }

    [Theory]
    [InlineData("net10.0", "latest")]
    [InlineData("netstandard2.0", "7.3")]
    public void The_READMEs_format_command_fixes_every_rule_and_paces_each_request_once(string targetFramework, string languageVersion)
    {
        var consumer = ConsumerProject.Create(_package, "all-rules-" + targetFramework, targetFramework, languageVersion, GitHubAndReports);
        var before = consumer.Run("build", "-warnaserror");
        Assert.Contains("error RL0001", before.Output);
        Assert.Contains("error RL0002", before.Output);
        Assert.Contains("error RL0003", before.Output);
        Assert.DoesNotContain("error CS", before.Output);

        var format = consumer.Run("format", "analyzers", "--diagnostics", "RL0001", "RL0002", "RL0003", "RL0004", "--severity", "warn", "--no-restore");
        Assert.True(format.ExitCode == 0, format.ToString());

        var fixedSource = File.ReadAllText(Path.Combine(consumer.Directory, "Extra.cs"));
        var after = consumer.Run("build", "-warnaserror");
        Assert.True(after.ExitCode == 0, "The fixed code should build cleanly.\n" + after + "\n" + fixedSource);
        Assert.DoesNotContain("RL000", after.Output);

        // The GitHub loop is paced once, by its client's handler, not again by a pacer in the loop.
        Assert.Contains("new RateLimitedHandler(GitHubPolicy)", fixedSource);
        Assert.DoesNotContain("WaitTurn", fixedSource);
    }

    // C# 7.3, clean with nullable on or off: a paging loop over GitHub through a client made here (RL0001 and RL0002 on
    // the same requests) and a retry that ignores Retry-After (RL0003).
    private const string GitHubAndReports = """
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;

        namespace Consumer
        {
            public class Issues
            {
                private static readonly HttpClient s_github = new HttpClient();

                public async Task<int> CountPagesAsync(string owner, string repo, CancellationToken cancellationToken)
                {
                    var pages = 0;
                    for (var page = 1; page <= 50; page++)
                    {
                        var body = await s_github.GetStringAsync("https://api.github.com/repos/" + owner + "/" + repo + "/issues?per_page=100&page=" + page);
                        if (body.Length <= 2)
                        {
                            break;
                        }

                        pages++;
                    }

                    return pages;
                }
            }

            public class Reports
            {
                private readonly HttpClient _http;

                public Reports(HttpClient http)
                {
                    _http = http;
                }

                public async Task<string> FetchAsync(CancellationToken cancellationToken)
                {
                    while (true)
                    {
                        var response = await _http.GetAsync("https://reports.example.com/v1/report", cancellationToken);
                        if ((int)response.StatusCode == 429)
                        {
                            await Task.Delay(1000, cancellationToken);
                            continue;
                        }

                        response.EnsureSuccessStatusCode();
                        return await response.Content.ReadAsStringAsync();
                    }
                }
            }
        }
        """;
}
