using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using RateLimitAnalyzers.CodeFixes.Rules;
using RateLimitAnalyzers.Rules;
using RateLimitAnalyzers.Tests.Verifiers;
using Xunit;

namespace RateLimitAnalyzers.Tests.Rules;

/// <summary>
/// Every fix run inside types whose members are named like the runtime's types and <c>TimeSpan</c>: a short name the
/// fix writes there would mean the member (CS1061, CS0119, CS0120), and RL0003 once reported its own output again and
/// again. The output must compile with the emitted runtime and leave nothing for the same rule.
/// </summary>
public class HostileNamesTests
{
    // A member of every kind, named like every type a fix writes.
    private const string Members = """
            public int RetryAfter { get; set; }
            public void Backoff(int attempt) { }
            private readonly object RequestPacer = new object();
            public string QuotaWindow => "";
            public static int RateLimitPolicy;
            public event EventHandler? RateLimitedHandler;
            public int RateLimitedSend() => RateLimitedHandler is null ? 0 : 1;
            public int TimeSpan => 0;
            public class HttpStatusCode { }
            public void Thread() { }
            public int DateTimeOffset;
            public int ValueTask;
            public int HttpRequestException;
            public int ArchivaPolicy => 0;
            public void ArchivaPacer() { }
            public int GitHubPolicy;

        """;

    private const string Usings = RL0001Cases.Usings;

    public static readonly IReadOnlyDictionary<string, (string Rule, string Source)> Cases = new Dictionary<string, (string, string)>
    {
        ["RL0001: paging loop in a method"] = (RuleIdentifiers.PagingLoopWithoutPacing, Usings + """
            class Ingest
            {
            """ + Members + """
                public async Task SendAllAsync(HttpClient client, IEnumerable<object> events)
                {
                    foreach (var e in events)
                    {
                        await client.PostAsJsonAsync("https://api.archiva.app/api/ingest/event", e);
                    }
                }
            }
            """),

        ["RL0001: the loop's own variable and a lambda's parameter take the names"] = (RuleIdentifiers.PagingLoopWithoutPacing, Usings + """
            class Ingest
            {
                public Func<HttpClient, IEnumerable<object>, Task> SendAll = async (QuotaWindow, RequestPacer) =>
                {
                    foreach (var TimeSpan in RequestPacer)
                    {
                        await QuotaWindow.PostAsJsonAsync("https://api.archiva.app/api/ingest/event", TimeSpan);
                    }
                };
            }
            """),

        ["RL0002: a client made in a static field initializer"] = (RuleIdentifiers.RateLimitedEndpointWithoutRetry, Usings + """
            class Ingest
            {
            """ + Members + """
                private static readonly HttpClient s_client = new HttpClient();
                public Task<HttpResponseMessage> SendAsync(HttpContent content) => s_client.PostAsync("https://api.archiva.app/api/ingest/event", content);
            }
            """),

        ["RL0002: a client made in a method"] = (RuleIdentifiers.RateLimitedEndpointWithoutRetry, Usings + """
            class Ingest
            {
            """ + Members + """
                public async Task SendAsync(HttpContent content)
                {
                    var client = new HttpClient();
                    await client.PostAsync("https://api.archiva.app/api/ingest/event", content);
                }
            }
            """),

        ["RL0001: paging loop through a client made in the file"] = (RuleIdentifiers.PagingLoopWithoutPacing, Usings + """
            class Issues
            {
            """ + Members + """
                private static readonly HttpClient s_github = new HttpClient();
                public async Task<int> CountAsync(CancellationToken cancellationToken)
                {
                    var count = 0;
                    for (var page = 1; page <= 10; page++)
                    {
                        var issues = await s_github.GetFromJsonAsync<List<object>>("https://api.github.com/repos/o/r/issues?page=" + page, cancellationToken);
                        count += issues!.Count;
                    }

                    return count;
                }
            }
            """),

        ["RL0002: a client shared by two catalogued APIs"] = (RuleIdentifiers.RateLimitedEndpointWithoutRetry, Usings + """
            class Ingest
            {
            """ + Members + """
                private static readonly HttpClient s_client = new HttpClient(new SocketsHttpHandler());
                public Task<HttpResponseMessage> SendAsync(HttpContent content) => s_client.PostAsync("https://api.archiva.app/api/ingest/event", content);
                public Task<string> RepositoryAsync() => s_client.GetStringAsync("https://api.github.com/repos/o/r");
            }
            """),

        ["RL0002: a client whose RateLimitedHandler covers another API"] = (RuleIdentifiers.RateLimitedEndpointWithoutRetry, Usings + """
            class Shipper
            {
            """ + Members + """
                private static readonly global::RateLimitAnalyzers.Pacing.RateLimitPolicy s_archiva = new global::RateLimitAnalyzers.Pacing.RateLimitPolicy("api.archiva.app/api/ingest/event")
                {
                    BaseAddress = "https://api.archiva.app/api/ingest/event",
                };
                private static readonly HttpClient s_client = new HttpClient(new global::RateLimitAnalyzers.Pacing.RateLimitedHandler(s_archiva));
                public Task<HttpResponseMessage> SendAsync(HttpContent content) => s_client.PostAsync("https://api.archiva.app/api/ingest/event", content);
                public Task<string> RepositoryAsync() => s_client.GetStringAsync("https://api.github.com/repos/o/r");
            }
            """),

        ["RL0003: Thread.Sleep after 429 in a while (true)"] = (RuleIdentifiers.RetryAfterIgnored, Usings + """
            class Ingest
            {
            """ + Members + """
                public HttpResponseMessage Send(HttpClient client)
                {
                    while (true)
                    {
                        var response = client.Send(new HttpRequestMessage(HttpMethod.Get, "https://api.example.com/v1/report"));
                        if ((int)response.StatusCode == 429)
                        {
                            System.Threading.Thread.Sleep(1000);
                            continue;
                        }

                        return response;
                    }
                }
            }
            """),

        ["RL0003: a fixed Task.Delay after 429 in a lambda"] = (RuleIdentifiers.RetryAfterIgnored, Usings + """
            class Ingest
            {
            """ + Members + """
                public Func<HttpClient, CancellationToken, Task<HttpResponseMessage>> Send = async (client, cancellationToken) =>
                {
                    while (true)
                    {
                        var response = await client.GetAsync("https://api.example.com/v1/report", cancellationToken);
                        if ((int)response.StatusCode == 429)
                        {
                            await Task.Delay(1500, cancellationToken);
                            continue;
                        }

                        return response;
                    }
                };
            }
            """),

        ["RL0004: while (true) until success"] = (RuleIdentifiers.RetryWithoutBackoff, Usings + """
            class Report
            {
            """ + Members + """
                public async Task<HttpResponseMessage> FetchAsync(HttpClient client, CancellationToken cancellationToken)
                {
                    while (true)
                    {
                        var response = await client.GetAsync("https://api.example.com/v1/report", cancellationToken);
                        if (response.IsSuccessStatusCode) return response;
                    }
                }
            }
            """),

        ["RL0004: a for loop that catches and tries again at once"] = (RuleIdentifiers.RetryWithoutBackoff,
            WithMembers(RL0004Cases.Reported["sync: a for loop that catches and tries again at once"])),
        ["RL0005: a synchronous Parallel.ForEach"] = (RuleIdentifiers.RequestFanOutWithoutPacing,
            WithMembers(RL0005Cases.Reported["a synchronous Parallel.ForEach to a catalogued endpoint"])),
        ["RL0005: Task.WhenAll over an async lambda"] = (RuleIdentifiers.RequestFanOutWithoutPacing,
            WithMembers(RL0005Cases.Reported["Task.WhenAll over an async lambda per item, catalogued endpoint"])),
        ["RL0008: Task.Delay in a paging loop"] = (RuleIdentifiers.WaitShorterThanQuota,
            WithMembers(RL0008Cases.Reported["Task.Delay(100) in a paging loop against 1 request per second"])),
    };

    public static IEnumerable<object[]> CaseNames => Cases.Keys.Select(k => new object[] { k });

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task The_fix_output_compiles_and_leaves_nothing_for_its_rule(string name)
    {
        var (rule, source) = Cases[name];
        var (analyzer, fixedSource) = rule switch
        {
            RuleIdentifiers.PagingLoopWithoutPacing => (new RL0001PagingLoopWithoutPacingAnalyzer(),
                await CodeFixOutput.ApplyAsync<RL0001PagingLoopWithoutPacingAnalyzer, RL0001PagingLoopWithoutPacingCodeFix>(source)),
            RuleIdentifiers.RateLimitedEndpointWithoutRetry => (new RL0002RateLimitedEndpointWithoutRetryAnalyzer(),
                await CodeFixOutput.ApplyAsync<RL0002RateLimitedEndpointWithoutRetryAnalyzer, RL0002RateLimitedEndpointWithoutRetryCodeFix>(source)),
            RuleIdentifiers.RetryAfterIgnored => (new RL0003RetryAfterIgnoredAnalyzer(),
                await CodeFixOutput.ApplyAsync<RL0003RetryAfterIgnoredAnalyzer, RL0003RetryAfterIgnoredCodeFix>(source)),
            RuleIdentifiers.RequestFanOutWithoutPacing => (new RL0005RequestFanOutWithoutPacingAnalyzer(),
                await CodeFixOutput.ApplyAsync<RL0005RequestFanOutWithoutPacingAnalyzer, RL0005RequestFanOutWithoutPacingCodeFix>(source)),
            RuleIdentifiers.WaitShorterThanQuota => (new RL0008WaitShorterThanQuotaAnalyzer(),
                await CodeFixOutput.ApplyAsync<RL0008WaitShorterThanQuotaAnalyzer, RL0008WaitShorterThanQuotaCodeFix>(source)),
            _ => ((DiagnosticAnalyzer)new RL0004RetryWithoutBackoffAnalyzer(),
                await CodeFixOutput.ApplyAsync<RL0004RetryWithoutBackoffAnalyzer, RL0004RetryWithoutBackoffCodeFix>(source)),
        };

        // The case is reported and fixed at all: a fix that offers nothing would pass every check below.
        Assert.NotNull(fixedSource);
        Assert.NotEqual(source, fixedSource);

        var compilation = await CompileWithRuntimeAsync(fixedSource!);
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()).ToArray();
        Assert.True(errors.Length == 0, string.Join("\n", errors) + "\n\n" + fixedSource);

        var remaining = await compilation.WithAnalyzers(ImmutableArray.Create(analyzer)).GetAnalyzerDiagnosticsAsync(CancellationToken.None);
        Assert.DoesNotContain(remaining, d => d.Id == rule);
    }

    /// <summary>The case with <see cref="Members"/> at the top of its first type.</summary>
    private static string WithMembers(string source)
    {
        var body = source.IndexOf("\n{\n", System.StringComparison.Ordinal) + 3;
        return source.Substring(0, body) + Members + source.Substring(body);
    }

    /// <summary>The fixed source as a build compiles it: with the runtime the generator emits.</summary>
    private static async Task<Compilation> CompileWithRuntimeAsync(string source)
    {
        using var workspace = new AdhocWorkspace();
        var (solution, documentId) = await TestProject.CreateAsync(workspace, "Hostile", source, "/0/Test0.cs", CancellationToken.None);
        var compilation = (await solution.GetProject(documentId.ProjectId)!.GetCompilationAsync())!;
        CSharpGeneratorDriver.Create(new RateLimitAnalyzers.Generator.PacingRuntimeGenerator())
            .RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        return output;
    }
}
