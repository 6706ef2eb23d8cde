using System.Collections.Generic;
using System.IO;
using Xunit;

namespace RateLimitAnalyzers.PackageTests;

/// <summary>
/// A fresh project of a user's, elsewhere on disk, that references the packed package and holds one unpaced paging
/// loop (<c>Exporter.cs</c>). Its restores write to the run's own packages folder, never the user's.
/// </summary>
internal sealed class ConsumerProject
{
    private readonly IReadOnlyDictionary<string, string> _environment;

    private ConsumerProject(string directory, PackedPackage package)
    {
        Directory = directory;
        // NUGET_PACKAGES outranks any NuGet.config, a user's own variable included.
        _environment = new Dictionary<string, string> { ["NUGET_PACKAGES"] = package.PackagesDirectory };
    }

    public string Directory { get; }

    public CliResult Run(params string[] arguments) => DotNetCli.Run(Directory, _environment, arguments);

    /// <summary>Writes the project and restores it.</summary>
    public static ConsumerProject Create(PackedPackage package, string name, string targetFramework, string languageVersion, string extraSource = "")
    {
        var directory = Path.Combine(package.WorkDirectory, name);
        System.IO.Directory.CreateDirectory(directory);

        // The local feed serves the package under test; the user's packages folder, read-only as a fallback,
        // serves the targeting packs this test project's own restore fetched, so nothing is copied or downloaded.
        File.WriteAllText(Path.Combine(directory, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{package.PackagesDirectory}" />
              </config>
              <fallbackPackageFolders>
                <add key="user" value="{package.UserPackagesDirectory}" />
              </fallbackPackageFolders>
              <packageSources>
                <add key="local" value="{package.FeedDirectory}" />
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
                <PackageReference Include="RateLimitAnalyzers" Version="{package.Version}" PrivateAssets="all" />
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
        if (extraSource.Length > 0)
        {
            File.WriteAllText(Path.Combine(directory, "Extra.cs"), extraSource);
        }

        var consumer = new ConsumerProject(directory, package);
        var restore = consumer.Run("restore");
        Assert.True(restore.ExitCode == 0, restore.ToString());
        return consumer;
    }
}
