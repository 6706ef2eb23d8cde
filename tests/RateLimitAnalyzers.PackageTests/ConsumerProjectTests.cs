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
        var project = WriteConsumer(targetFramework, languageVersion);

        var before = DotNetCli.Run(project, "build", "-warnaserror", "-p:EmitCompilerGeneratedFiles=true");
        Assert.True(before.ExitCode != 0, "The unpaced loop should fail the build.\n" + before);
        Assert.Contains("error RL0001", before.Output);
        // RL0001 must be the only reason the build failed, or the test proves nothing.
        Assert.DoesNotContain("error CS", before.Output);

        var format = DotNetCli.Run(project, "format", "analyzers", "--diagnostics", "RL0001", "--severity", "warn", "--no-restore");
        Assert.True(format.ExitCode == 0, format.ToString());

        var fixedSource = File.ReadAllText(Path.Combine(project, "Exporter.cs"));
        Assert.Contains("await RequestPacer.Shared(\"api.example.com/v1/items\", QuotaWindow.PerSecond(1)).WaitTurnAsync(cancellationToken);", fixedSource);

        var after = DotNetCli.Run(project, "build", "-warnaserror", "-p:EmitCompilerGeneratedFiles=true");
        Assert.True(after.ExitCode == 0, "The fixed loop should build cleanly.\n" + after + "\n" + fixedSource);
        Assert.DoesNotContain("RL0001", after.Output);

        var generated = Directory.GetFiles(Path.Combine(project, "obj"), "RateLimitAnalyzers.Pacing.RequestPacer.g.cs", SearchOption.AllDirectories);
        Assert.NotEmpty(generated);
    }

    private string WriteConsumer(string targetFramework, string languageVersion)
    {
        var directory = Path.Combine(_package.WorkDirectory, "consumer-" + targetFramework);
        Directory.CreateDirectory(directory);

        File.WriteAllText(Path.Combine(directory, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="local" value="{_package.FeedDirectory}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
            </configuration>
            """);

        // Empty imports shield the consumer from the repository's own Directory.*.props, like a user's
        // project elsewhere on disk.
        File.WriteAllText(Path.Combine(directory, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(directory, "Directory.Packages.props"), "<Project />");

        var frameworkReference = targetFramework == "net472" ? """<Reference Include="System.Net.Http" />""" : string.Empty;
        File.WriteAllText(Path.Combine(directory, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>{targetFramework}</TargetFramework>
                <LangVersion>{languageVersion}</LangVersion>
                <Nullable>{(languageVersion == "7.3" ? "disable" : "enable")}</Nullable>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="RateLimitAnalyzers" Version="{_package.Version}" PrivateAssets="all" />
                {frameworkReference}
              </ItemGroup>
            </Project>
            """);

        // C# 7.3 on purpose, and clean with nullable on or off: the same source must compile on every consumer.
        File.WriteAllText(Path.Combine(directory, "Exporter.cs"), """
            using System.Collections.Generic;
            using System.Net.Http;
            using System.Threading;
            using System.Threading.Tasks;

            namespace Consumer
            {
                public class Exporter
                {
                    private readonly HttpClient _client;

                    public Exporter(HttpClient client)
                    {
                        _client = client;
                    }

                    public async Task<List<string>> ExportAllAsync(CancellationToken cancellationToken)
                    {
                        var pages = new List<string>();
                        string cursor = "";
                        do
                        {
                            var page = await _client.GetStringAsync("https://api.example.com/v1/items?cursor=" + cursor);
                            pages.Add(page);
                            cursor = NextCursor(page);
                        }
                        while (cursor.Length > 0);

                        return pages;
                    }

                    private static string NextCursor(string page)
                    {
                        var index = page.IndexOf("\"next\":\"");
                        return index < 0 ? string.Empty : page.Substring(index + 8, page.IndexOf('"', index + 8) - index - 8);
                    }
                }
            }
            """);

        var restore = DotNetCli.Run(directory, "restore");
        Assert.True(restore.ExitCode == 0, restore.ToString());
        return directory;
    }
}
