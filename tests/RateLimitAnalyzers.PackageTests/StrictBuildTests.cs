using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using Xunit;

namespace RateLimitAnalyzers.PackageTests;

/// <summary>
/// The fixes' output in a project that holds code to the strictest settings a team commonly turns on:
/// <c>AnalysisLevel latest-recommended</c> with the NetAnalyzers package, the code-style analyzers enforced in the build
/// with this repository's own <c>.editorconfig</c>, and warnings as errors. The consumer's code is clean under those
/// rules except for what the package reports, so every error after <c>dotnet format analyzers</c> is the fixes' own.
/// </summary>
[Collection(PackedPackageCollection.Name)]
public sealed partial class StrictBuildTests
{
    private static readonly string[] s_rules = { "RL0001", "RL0002", "RL0003", "RL0004", "RL0005", "RL0006", "RL0007", "RL0008" };

    private readonly PackedPackage _package;

    public StrictBuildTests(PackedPackage package) => _package = package;

    [Theory]
    [InlineData("net10.0", "latest")]
    [InlineData("netstandard2.0", "7.3")]
    public void Every_fix_applied_by_dotnet_format_builds_under_latest_recommended_and_the_repositorys_code_style(string targetFramework, string languageVersion)
    {
        var consumer = ConsumerProject.Create(_package, "strict-" + targetFramework, targetFramework, languageVersion);
        var sources = languageVersion == "7.3" ? s_sources73 : s_sources;
        MakeStrict(consumer, sources, withRateLimiting: languageVersion != "7.3");

        var before = consumer.Run("build", "--no-restore");
        var errorsBefore = Errors(before.Output);
        // Only the package's findings may fail the build before the fixes, or a failure after them proves nothing.
        Assert.True(errorsBefore.Count > 0 && errorsBefore.All(e => e.StartsWith("RL", System.StringComparison.Ordinal)), "Before the fixes:\n" + before);
        // RL0007's limiters come from System.Threading.RateLimiting, which only the net10.0 consumer references.
        foreach (var rule in languageVersion == "7.3" ? s_rules.Where(r => r != "RL0007") : s_rules)
        {
            Assert.Contains(rule, errorsBefore);
        }

        var format = consumer.Run(new[] { "format", "analyzers", "--diagnostics" }.Concat(s_rules).Concat(new[] { "--severity", "warn", "--no-restore" }).ToArray());
        Assert.True(format.ExitCode == 0, format.ToString());

        // Laid out as the .editorconfig asks, as `dotnet format --verify-no-changes` checks in CI.
        var whitespace = consumer.Run("format", "whitespace", "--verify-no-changes", "--no-restore");
        Assert.True(whitespace.ExitCode == 0, "The fixed code is not laid out as the .editorconfig asks:\n" + whitespace + "\n" + FixedCode(consumer, sources));

        var after = consumer.Run("build", "--no-restore");
        Assert.True(after.ExitCode == 0 && Errors(after.Output).Count == 0, "The fixed code fails the strict build:\n" + after + "\n" + FixedCode(consumer, sources));
    }

    /// <summary>
    /// The strict settings, the analyzers at the versions this project downloads, and the repository's .editorconfig;
    /// with <paramref name="withRateLimiting"/>, System.Threading.RateLimiting for RL0007's limiters.
    /// </summary>
    private static void MakeStrict(ConsumerProject consumer, (string Name, string Source)[] sources, bool withRateLimiting)
    {
        var directory = consumer.Directory;
        var project = Path.Combine(directory, "Consumer.csproj");
        var strict = $"""
              <PropertyGroup>
                <AnalysisLevel>latest-recommended</AnalysisLevel>
                <EnforceCodeStyleInBuild>true</EnforceCodeStyleInBuild>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Microsoft.CodeAnalysis.NetAnalyzers" Version="{Metadata("NetAnalyzersVersion")}" PrivateAssets="all" />
                <PackageReference Include="Microsoft.CodeAnalysis.CSharp.CodeStyle" Version="{Metadata("CodeStyleVersion")}" PrivateAssets="all" />
                {(withRateLimiting ? $"<PackageReference Include=\"System.Threading.RateLimiting\" Version=\"{Metadata("RateLimitingVersion")}\" />" : string.Empty)}
              </ItemGroup>
            </Project>
            """;
        File.WriteAllText(project, File.ReadAllText(project).Replace("</Project>", strict));
        File.Copy(Path.Combine(RepositoryPaths.Root, ".editorconfig"), Path.Combine(directory, ".editorconfig"));

        // The shared C# 7.3 paging loop is written for every target, not for these rules; this test has its own.
        File.Delete(Path.Combine(directory, "Exporter.cs"));
        foreach (var (name, source) in sources)
        {
            // A raw string drops the last line break; the .editorconfig asks for one.
            File.WriteAllText(Path.Combine(directory, name), source + "\n");
        }

        var restore = consumer.Run("restore");
        Assert.True(restore.ExitCode == 0, restore.ToString());
    }

    /// <summary>The distinct IDs of the errors a build reports.</summary>
    private static List<string> Errors(string output) =>
        ErrorId().Matches(output).Select(m => m.Groups[1].Value).Distinct().OrderBy(id => id, System.StringComparer.Ordinal).ToList();

    private static string FixedCode(ConsumerProject consumer, (string Name, string Source)[] sources) =>
        string.Join("\n", sources.Select(s => "// " + s.Name + "\n" + File.ReadAllText(Path.Combine(consumer.Directory, s.Name))));

    private static string Metadata(string key) =>
        typeof(StrictBuildTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    [GeneratedRegex(@"error ([A-Z]+[0-9]+):")]
    private static partial Regex ErrorId();

    // Clean under the strict rules as they stand, the way a careful user writes them: static where no instance data
    // is used, cancellation passed on, culture-independent string handling.
    private static readonly (string Name, string Source)[] s_sources =
    {
        ("Issues.cs", """
        using System.Collections.Generic;
        using System.Net.Http;
        using System.Net.Http.Json;
        using System.Threading;
        using System.Threading.Tasks;

        namespace Consumer;

        public sealed class Issue
        {
            public int Number { get; set; }

            public string? Title { get; set; }
        }

        public sealed class IssueExporter
        {
            private static readonly HttpClient s_github = new HttpClient();

            public static async Task<List<Issue>> ExportAsync(string owner, string repo, CancellationToken cancellationToken)
            {
                var all = new List<Issue>();
                for (var page = 1; page <= 50; page++)
                {
                    var issues = await s_github.GetFromJsonAsync<List<Issue>>(
                        "https://api.github.com/repos/" + owner + "/" + repo + "/issues?state=open&page=" + page,
                        cancellationToken);
                    if (issues is null || issues.Count == 0)
                    {
                        break;
                    }

                    all.AddRange(issues);
                }

                return all;
            }
        }
        """),
        ("Shipper.cs", """
        using System;
        using System.Collections.Generic;
        using System.Net.Http;
        using System.Net.Http.Json;
        using System.Threading;
        using System.Threading.Tasks;

        namespace Consumer;

        public sealed class EventShipper
        {
            private static readonly HttpClient s_client = new HttpClient
            {
                Timeout = TimeSpan.FromSeconds(100),
            };

            public static async Task ShipAsync(IEnumerable<string> events, CancellationToken cancellationToken)
            {
                ArgumentNullException.ThrowIfNull(events);
                foreach (var e in events)
                {
                    using var response = await s_client.PostAsJsonAsync("https://api.archiva.app/api/ingest/event", e, cancellationToken);
                    response.EnsureSuccessStatusCode();
                }
            }

            public static Task<string> RepositoryAsync(string owner, string repo, CancellationToken cancellationToken) =>
                s_client.GetStringAsync("https://api.github.com/repos/" + owner + "/" + repo, cancellationToken);

            public static Task<string> QuoteAsync(string symbol, CancellationToken cancellationToken) =>
                s_client.GetStringAsync("https://quotes.example.com/v1/quote/" + symbol, cancellationToken);
        }
        """),
        ("Quotes.cs", """
        using System;
        using System.Net.Http;
        using System.Threading;
        using System.Threading.RateLimiting;
        using System.Threading.Tasks;

        namespace Consumer;

        public sealed class QuoteReader
        {
            private static readonly HttpClient s_client = new HttpClient
            {
                Timeout = TimeSpan.FromSeconds(100),
            };

            public static async Task<string> QuoteAsync(string symbol, CancellationToken cancellationToken)
            {
                using var limiter = new FixedWindowRateLimiter(new FixedWindowRateLimiterOptions { PermitLimit = 5, Window = TimeSpan.FromSeconds(1), QueueLimit = 10 });
                using var lease = await limiter.AcquireAsync(1, cancellationToken);
                return await s_client.GetStringAsync(new Uri("https://quotes.example.com/v1/quote/" + symbol), cancellationToken);
            }
        }
        """),
        ("Calls.cs", """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Net.Http;
        using System.Net.Http.Json;
        using System.Threading;
        using System.Threading.Tasks;

        namespace Consumer;

        public sealed class CallPage
        {
            public IReadOnlyList<string> Calls { get; set; } = Array.Empty<string>();

            public string? NextCursor { get; set; }
        }

        public sealed class CallLists
        {
            private readonly HttpClient _http;

            public CallLists(HttpClient http) => _http = http;

            public async Task<int> CountDaysAsync(IReadOnlyList<string> days, CancellationToken cancellationToken)
            {
                var pages = await Task.WhenAll(days.Select(async day =>
                    await _http.GetFromJsonAsync<CallPage>(new Uri("https://api.agora.io/beta/analytics/call/lists?day=" + day), cancellationToken))).ConfigureAwait(false);
                return pages.Sum(p => p?.Calls.Count ?? 0);
            }

            public async Task<int> CountAllAsync(CancellationToken cancellationToken)
            {
                var count = 0;
                string? cursor = string.Empty;
                do
                {
                    var page = await _http.GetFromJsonAsync<CallPage>("https://api.agora.io/beta/analytics/call/lists?page_size=100&cursor=" + cursor, cancellationToken);
                    count += page?.Calls.Count ?? 0;
                    cursor = page?.NextCursor;
                }
                while (cursor is not null);

                return count;
            }

            public async Task<int> CountPagesAsync(CancellationToken cancellationToken)
            {
                var count = 0;
                string? cursor = string.Empty;
                while (cursor is not null)
                {
                    var page = await _http.GetFromJsonAsync<CallPage>(new Uri("https://api.agora.io/beta/analytics/call/lists?cursor=" + cursor), cancellationToken);
                    count += page?.Calls.Count ?? 0;
                    cursor = page?.NextCursor;
                    await Task.Delay(100, cancellationToken);
                }

                return count;
            }
        }
        """),
        ("Reports.cs", """
        using System;
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;

        namespace Consumer;

        public sealed class ReportClient
        {
            private readonly HttpClient _http;

            public ReportClient(HttpClient http) => _http = http;

            public async Task<string> FetchAsync(CancellationToken cancellationToken)
            {
                while (true)
                {
                    using var response = await _http.GetAsync("https://reports.example.com/v1/report", cancellationToken);
                    if ((int)response.StatusCode == 429)
                    {
                        await Task.Delay(1000, cancellationToken);
                        continue;
                    }

                    response.EnsureSuccessStatusCode();
                    return await response.Content.ReadAsStringAsync(cancellationToken);
                }
            }

            public async Task SendAsync(HttpContent content, CancellationToken cancellationToken)
            {
                for (var attempt = 0; attempt < 5; attempt++)
                {
                    try
                    {
                        using var response = await _http.PostAsync(new Uri("https://reports.example.com/v1/events"), content, cancellationToken);
                        response.EnsureSuccessStatusCode();
                        return;
                    }
                    catch (HttpRequestException)
                    {
                        await Task.Delay(1000, cancellationToken);
                    }
                }
            }
        }
        """),
    };

    // The same kinds of code in C# 7.3 for netstandard2.0, which has neither System.Net.Http.Json nor the overloads
    // that take a CancellationToken.
    private static readonly (string Name, string Source)[] s_sources73 =
    {
        ("Issues.cs", """
        using System.Net.Http;
        using System.Threading.Tasks;

        namespace Consumer
        {
            public static class IssuePages
            {
                private static readonly HttpClient s_github = new HttpClient();

                public static async Task<int> CountAsync(string owner, string repo)
                {
                    var pages = 0;
                    for (var page = 1; page <= 50; page++)
                    {
                        var body = await s_github.GetStringAsync("https://api.github.com/repos/" + owner + "/" + repo + "/issues?state=open&page=" + page);
                        if (body.Length <= 2)
                        {
                            break;
                        }

                        pages++;
                    }

                    return pages;
                }
            }
        }
        """),
        ("Shipper.cs", """
        using System;
        using System.Collections.Generic;
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;

        namespace Consumer
        {
            public static class EventShipper
            {
                private static readonly HttpClient s_client = new HttpClient
                {
                    Timeout = TimeSpan.FromSeconds(100),
                };

                public static async Task ShipAsync(IEnumerable<string> events, CancellationToken cancellationToken)
                {
                    if (events == null)
                    {
                        throw new ArgumentNullException(nameof(events));
                    }

                    foreach (var e in events)
                    {
                        using (var content = new StringContent(e))
                        using (var response = await s_client.PostAsync("https://api.archiva.app/api/ingest/event", content, cancellationToken))
                        {
                            response.EnsureSuccessStatusCode();
                        }
                    }
                }

                public static Task<string> RepositoryAsync(string owner, string repo) =>
                    s_client.GetStringAsync("https://api.github.com/repos/" + owner + "/" + repo);

                public static Task<string> QuoteAsync(string symbol) =>
                    s_client.GetStringAsync("https://quotes.example.com/v1/quote/" + symbol);
            }
        }
        """),
        ("Calls.cs", """
        using System.Collections.Generic;
        using System.Linq;
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;

        namespace Consumer
        {
            public sealed class CallLists
            {
                private readonly HttpClient _http;

                public CallLists(HttpClient http)
                {
                    _http = http;
                }

                public async Task<int> CountDaysAsync(IReadOnlyList<string> days)
                {
                    var pages = await Task.WhenAll(days.Select(async day =>
                        await _http.GetStringAsync("https://api.agora.io/beta/analytics/call/lists?day=" + day)));
                    return pages.Sum(p => p.Length);
                }

                public async Task<int> CountAllAsync()
                {
                    var count = 0;
                    var cursor = string.Empty;
                    do
                    {
                        var page = await _http.GetStringAsync("https://api.agora.io/beta/analytics/call/lists?page_size=100&cursor=" + cursor);
                        count += page.Length;
                        cursor = page.Length > 2 ? null : page;
                    }
                    while (cursor != null);

                    return count;
                }

                public async Task<int> CountPagesAsync(CancellationToken cancellationToken)
                {
                    var count = 0;
                    var cursor = string.Empty;
                    while (cursor != null)
                    {
                        var page = await _http.GetStringAsync("https://api.agora.io/beta/analytics/call/lists?cursor=" + cursor);
                        count += page.Length;
                        cursor = page.Length > 2 ? null : page;
                        await Task.Delay(100, cancellationToken);
                    }

                    return count;
                }
            }
        }
        """),
        ("Reports.cs", """
        using System;
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;

        namespace Consumer
        {
            public sealed class ReportClient
            {
                private readonly HttpClient _http;

                public ReportClient(HttpClient http)
                {
                    _http = http;
                }

                public async Task<string> FetchAsync(CancellationToken cancellationToken)
                {
                    while (true)
                    {
                        using (var response = await _http.GetAsync(new Uri("https://reports.example.com/v1/report"), cancellationToken))
                        {
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

                public async Task SendAsync(HttpContent content, CancellationToken cancellationToken)
                {
                    for (var attempt = 0; attempt < 5; attempt++)
                    {
                        try
                        {
                            using (var response = await _http.PostAsync(new Uri("https://reports.example.com/v1/events"), content, cancellationToken))
                            {
                                response.EnsureSuccessStatusCode();
                                return;
                            }
                        }
                        catch (HttpRequestException)
                        {
                            await Task.Delay(1000, cancellationToken);
                        }
                    }
                }
            }
        }
        """),
    };
}
