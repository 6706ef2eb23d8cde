using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using RateLimitAnalyzers.CodeFixes.Rules;
using RateLimitAnalyzers.Tests.Verifiers;
using Xunit;

namespace RateLimitAnalyzers.Tests.Rules;

/// <summary>
/// Every fix applied to a small consumer project written the way people write HTTP code, as the README tells users to:
/// through the fix-all providers, one rule after another in several orders, in the document and in the solution, and one
/// diagnostic at a time as in the IDE. Every way must give the same code, which compiles without a warning, writes no
/// brace-less statement (IDE0011), and leaves no RL diagnostic behind.
/// </summary>
public class FixCompositionTests
{
    internal const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Net.Http;
        using System.Net.Http.Json;
        using System.Threading;
        using System.Threading.Tasks;

        namespace Consumer;

        """;

    /// <summary>A paging loop over GitHub through a client the file makes: RL0001 and RL0002 on the same requests.</summary>
    internal const string GitHubIssues = Usings + """
        public sealed class Issue
        {
            public int Number { get; set; }

            public string? Title { get; set; }
        }

        public sealed class IssueExporter
        {
            private static readonly HttpClient s_github = new HttpClient();

            public async Task<List<Issue>> ExportAsync(string owner, string repo, CancellationToken cancellationToken)
            {
                var all = new List<Issue>();
                for (var page = 1; page <= 50; page++)
                {
                    var issues = await s_github.GetFromJsonAsync<List<Issue>>(
                        "https://api.github.com/repos/" + owner + "/" + repo + "/issues?per_page=100&page=" + page,
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
        """;

    /// <summary>One client for Archiva, GitHub and an API the catalog does not know, with a loop over Archiva.</summary>
    internal const string SharedClient = Usings + """
        public sealed class EventShipper
        {
            private static readonly HttpClient s_client = new HttpClient
            {
                Timeout = TimeSpan.FromSeconds(100),
            };

            public async Task ShipAsync(IEnumerable<object> events, CancellationToken cancellationToken)
            {
                foreach (var e in events)
                {
                    using var response = await s_client.PostAsJsonAsync("https://api.archiva.app/api/ingest/event", e, cancellationToken);
                    response.EnsureSuccessStatusCode();
                }
            }

            public Task<string> RepositoryAsync(string owner, string repo, CancellationToken cancellationToken) =>
                s_client.GetStringAsync("https://api.github.com/repos/" + owner + "/" + repo, cancellationToken);

            public Task<string> QuoteAsync(string symbol, CancellationToken cancellationToken) =>
                s_client.GetStringAsync("https://quotes.example.com/v1/quote/" + symbol, cancellationToken);
        }
        """;

    /// <summary>A paging loop over Agora through a client made elsewhere: RL0001 only.</summary>
    internal const string AgoraExport = Usings + """
        public sealed class CallPage
        {
            public List<string> Calls { get; set; } = new();

            public string? Next { get; set; }
        }

        public sealed class CallListExport
        {
            private readonly HttpClient _http;

            public CallListExport(HttpClient http) => _http = http;

            public async Task<int> CountAsync(CancellationToken cancellationToken)
            {
                var count = 0;
                string? cursor = null;
                do
                {
                    var page = await _http.GetFromJsonAsync<CallPage>("https://api.agora.io/beta/analytics/call/lists?page_size=100&cursor=" + cursor, cancellationToken);
                    if (page is null)
                    {
                        break;
                    }

                    count += page.Calls.Count;
                    cursor = page.Next;
                }
                while (cursor is not null);

                return count;
            }
        }
        """;

    /// <summary>A retry that ignores Retry-After (RL0003), and one that waits a constant second between attempts (RL0004).</summary>
    private const string ReportRetry = Usings + """
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
                        using var response = await _http.PostAsync("https://reports.example.com/v1/events", content, cancellationToken);
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
        """;

    private static readonly (string Path, string Source)[] s_consumer =
    {
        ("/0/GitHubIssues.cs", GitHubIssues),
        ("/0/SharedClient.cs", SharedClient),
        ("/0/AgoraExport.cs", AgoraExport),
        ("/0/ReportRetry.cs", ReportRetry),
    };

    private static readonly string[] s_rules = { "RL0001", "RL0002", "RL0003", "RL0004" };

    private static readonly Dictionary<string, (CodeFixProvider Fix, string Key)> s_fixes = new()
    {
        ["RL0001"] = (new RL0001PagingLoopWithoutPacingCodeFix(), RL0001PagingLoopWithoutPacingCodeFix.EquivalenceKey),
        ["RL0002"] = (new RL0002RateLimitedEndpointWithoutRetryCodeFix(), RL0002RateLimitedEndpointWithoutRetryCodeFix.EquivalenceKey),
        ["RL0003"] = (new RL0003RetryAfterIgnoredCodeFix(), RL0003RetryAfterIgnoredCodeFix.FixEquivalenceKey),
        ["RL0004"] = (new RL0004RetryWithoutBackoffCodeFix(), RL0004RetryWithoutBackoffCodeFix.FixEquivalenceKey),
    };

    [Fact]
    public Task Every_order_gives_the_same_code_that_compiles_cleanly_and_leaves_nothing_to_report() => VerifyAsync(reportUnseenClients: false);

    /// <summary>
    /// With the strict option RL0002 also reports the Agora loop's calls, through a client made elsewhere, and wraps them
    /// in the retrying send, which paces too: whichever fix runs first, the loop must not wait twice.
    /// </summary>
    [Fact]
    public Task Every_order_agrees_when_RL0002_also_reports_clients_made_out_of_view() => VerifyAsync(reportUnseenClients: true);

    private static async Task VerifyAsync(bool reportUnseenClients)
    {
        var before = await ProjectAsync(s_consumer, reportUnseenClients);
        Assert.Empty(Problems((await CompileAsync(before)).Compilation));

        // Every rule has something to fix here: an order that fixed nothing would agree with another that fixed nothing.
        var reported = (await AnalyzeAsync(before)).Diagnostics.Select(d => d.Id).Distinct().OrderBy(id => id);
        Assert.Equal(s_rules, reported);

        var results = new Dictionary<string, Project>
        {
            ["fix all in solution, RL0001 to RL0004"] = await FixAllAsync(before, FixAllScope.Solution, "RL0001", "RL0002", "RL0003", "RL0004"),
            ["fix all in solution, RL0004 to RL0001"] = await FixAllAsync(before, FixAllScope.Solution, "RL0004", "RL0003", "RL0002", "RL0001"),
            ["fix all in project, RL0002 first"] = await FixAllAsync(before, FixAllScope.Project, "RL0002", "RL0001", "RL0004", "RL0003"),
            ["fix all in document, RL0001 first"] = await FixAllAsync(before, FixAllScope.Document, "RL0001", "RL0003", "RL0002", "RL0004"),
            ["one diagnostic at a time"] = await OneAtATimeAsync(before),
        };

        var (firstName, first) = results.First();
        foreach (var (name, project) in results.Skip(1))
        {
            foreach (var (path, _) in s_consumer)
            {
                var expected = await TextAsync(first, path);
                var actual = await TextAsync(project, path);
                Assert.True(expected == actual, path + ": \"" + name + "\" differs from \"" + firstName + "\":\n" + actual + "\n\n--- " + firstName + ":\n" + expected);
            }
        }

        foreach (var (name, project) in results)
        {
            var problems = Problems((await CompileAsync(project)).Compilation);
            Assert.True(problems.Count == 0, name + ":\n" + string.Join("\n", problems));

            var (_, remaining) = await AnalyzeAsync(project);
            Assert.True(remaining.IsEmpty, name + " leaves:\n" + string.Join("\n", remaining));

            foreach (var (path, source) in s_consumer)
            {
                var fixedRoot = await project.Documents.Single(d => d.FilePath == path).GetSyntaxRootAsync();
                var originalRoot = Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(source).GetRoot();
                Assert.True(BracelessStatements(fixedRoot!) <= BracelessStatements(originalRoot), name + ": " + path + " has a brace-less statement the fixes wrote:\n" + fixedRoot);
                Assert.True(DoublyPacedLoops(fixedRoot!) == 0, name + ": " + path + " paces a loop's requests twice:\n" + fixedRoot);
            }
        }
    }

    /// <summary>Each rule's Fix All in turn, as <c>dotnet format analyzers --diagnostics ...</c> applies them.</summary>
    private static async Task<Project> FixAllAsync(Project project, FixAllScope scope, params string[] rules)
    {
        foreach (var rule in rules)
        {
            var (fix, key) = s_fixes[rule];
            var paths = scope == FixAllScope.Document ? s_consumer.Select(c => c.Path).ToList() : new List<string> { string.Empty };
            foreach (var path in paths)
            {
                var (analyzed, all) = await AnalyzeAsync(project);
                var diagnostics = all.Where(d => d.Id == rule && (path.Length == 0 || d.Location.SourceTree!.FilePath == path)).ToImmutableArray();
                if (diagnostics.IsEmpty)
                {
                    continue;
                }

                var document = analyzed.GetDocument(diagnostics[0].Location.SourceTree)!;
                var context = new FixAllContext(document, fix, scope, key, new[] { rule }, new FixedDiagnostics(diagnostics), CancellationToken.None);
                var action = await fix.GetFixAllProvider()!.GetFixAsync(context);
                if (action is not null)
                {
                    project = await ApplyAsync(analyzed, action);
                }
            }
        }

        return project;
    }

    /// <summary>As in the IDE: the first diagnostic any rule offers a fix for, fixed, and the code analyzed again.</summary>
    private static async Task<Project> OneAtATimeAsync(Project project)
    {
        for (var round = 0; round < 40; round++)
        {
            var (analyzed, diagnostics) = await AnalyzeAsync(project);
            CodeAction? action = null;
            foreach (var diagnostic in diagnostics)
            {
                var document = analyzed.GetDocument(diagnostic.Location.SourceTree)!;
                await s_fixes[diagnostic.Id].Fix.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (offered, _) => action ??= offered, CancellationToken.None));
                if (action is not null)
                {
                    break;
                }
            }

            if (action is null)
            {
                return project;
            }

            project = await ApplyAsync(analyzed, action);
        }

        Assert.Fail("The fixes kept offering themselves on their own output.");
        return project;
    }

    /// <summary>The project after the action, without the runtime the analysis added.</summary>
    private static async Task<Project> ApplyAsync(Project analyzed, CodeAction action)
    {
        var operations = await action.GetOperationsAsync(CancellationToken.None);
        var project = operations.OfType<ApplyChangesOperation>().Single().ChangedSolution.GetProject(analyzed.Id)!;
        return project.RemoveDocuments(project.Documents.Where(d => !IsConsumer(d)).Select(d => d.Id).ToImmutableArray());
    }

    private static async Task<Project> ProjectAsync((string Path, string Source)[] files, bool reportUnseenClients)
    {
        var workspace = new AdhocWorkspace();
        var (solution, documentId) = await TestProject.CreateAsync(workspace, "Consumer", files[0].Source, files[0].Path, CancellationToken.None);
        if (reportUnseenClients)
        {
            var editorConfig = "root = true\n\n[*.cs]\nrate_limit_analyzers.report_unseen_clients = true\n";
            solution = solution.AddAnalyzerConfigDocument(DocumentId.CreateNewId(documentId.ProjectId), ".editorconfig", SourceText.From(editorConfig), filePath: "/.editorconfig");
        }

        foreach (var (path, source) in files.Skip(1))
        {
            solution = solution.AddDocument(DocumentId.CreateNewId(documentId.ProjectId), System.IO.Path.GetFileName(path), SourceText.From(source), filePath: path);
        }

        return solution.GetProject(documentId.ProjectId)!;
    }

    /// <summary>The project compiled as a build compiles it, with the runtime the generator emits.</summary>
    private static async Task<(Project Project, Compilation Compilation)> CompileAsync(Project project)
    {
        var (solution, _) = await CodeFixOutput.WithRuntimeAsync(project.Solution, project.Id, CancellationToken.None);
        var withRuntime = solution.GetProject(project.Id)!;
        return (withRuntime, (await withRuntime.GetCompilationAsync())!);
    }

    /// <summary>The project with the runtime, and every RL diagnostic in the consumer's files, in order.</summary>
    private static async Task<(Project Project, ImmutableArray<Diagnostic> Diagnostics)> AnalyzeAsync(Project project)
    {
        var (withRuntime, compilation) = await CompileAsync(project);
        var diagnostics = await compilation.WithAnalyzers(CSharpRulesVerifier.CreateAnalyzers(), withRuntime.AnalyzerOptions).GetAnalyzerDiagnosticsAsync();
        return (withRuntime, diagnostics.Where(d => d.Id.StartsWith("RL", System.StringComparison.Ordinal) && IsConsumer(d.Location.SourceTree))
            .OrderBy(d => d.Location.SourceTree!.FilePath, System.StringComparer.Ordinal).ThenBy(d => d.Location.SourceSpan.Start)
            .ToImmutableArray());
    }

    /// <summary>What <c>-warnaserror</c> fails on in the consumer's files.</summary>
    private static List<Diagnostic> Problems(Compilation compilation) =>
        compilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning && IsConsumer(d.Location.SourceTree)).ToList();

    private static bool IsConsumer(Document document) => document.FilePath?.StartsWith("/0/", System.StringComparison.Ordinal) == true;

    private static bool IsConsumer(SyntaxTree? tree) => tree?.FilePath.StartsWith("/0/", System.StringComparison.Ordinal) == true;

    private static async Task<string> TextAsync(Project project, string path) =>
        (await project.Documents.Single(d => d.FilePath == path).GetTextAsync()).ToString();

    /// <summary>Statements that IDE0011 wants in braces: the body of an if, else, or loop that is not a block.</summary>
    private static int BracelessStatements(SyntaxNode root) => root.DescendantNodes().Count(n => n switch
    {
        IfStatementSyntax s => s.Statement is not BlockSyntax,
        ElseClauseSyntax s => s.Statement is not (BlockSyntax or IfStatementSyntax),
        WhileStatementSyntax s => s.Statement is not BlockSyntax,
        ForStatementSyntax s => s.Statement is not BlockSyntax,
        CommonForEachStatementSyntax s => s.Statement is not BlockSyntax,
        DoStatementSyntax s => s.Statement is not BlockSyntax,
        _ => false,
    });

    /// <summary>
    /// Loops whose requests would take two turns each: a wait on a pacer in the loop, and a send through the retrying
    /// helper or through a client whose handler paces too.
    /// </summary>
    private static int DoublyPacedLoops(SyntaxNode root)
    {
        var pacedClients = root.DescendantNodes().OfType<VariableDeclaratorSyntax>()
            .Where(v => v.Initializer?.Value.ToString().Contains("RateLimitedHandler(", System.StringComparison.Ordinal) == true)
            .Select(v => v.Identifier.ValueText)
            .ToHashSet();
        return root.DescendantNodes().OfType<StatementSyntax>()
            .Where(n => n is WhileStatementSyntax or DoStatementSyntax or ForStatementSyntax or CommonForEachStatementSyntax)
            .Count(loop =>
            {
                var calls = loop.DescendantNodes().OfType<InvocationExpressionSyntax>().Select(c => c.Expression).OfType<MemberAccessExpressionSyntax>().ToList();
                var waits = calls.Any(c => c.Name.Identifier.ValueText is "WaitTurnAsync" or "WaitTurn");
                var pacedSends = calls.Any(c => c.Expression is IdentifierNameSyntax { Identifier.ValueText: var receiver } && (receiver == "RateLimitedSend" || pacedClients.Contains(receiver)));
                return waits && pacedSends;
            });
    }

    /// <summary>The diagnostics of the pass, as Fix All gets them from the IDE.</summary>
    internal sealed class FixedDiagnostics : FixAllContext.DiagnosticProvider
    {
        private readonly ImmutableArray<Diagnostic> _diagnostics;

        public FixedDiagnostics(ImmutableArray<Diagnostic> diagnostics) => _diagnostics = diagnostics;

        public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Task.FromResult<IEnumerable<Diagnostic>>(_diagnostics);

        public override async Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken)
        {
            var tree = await document.GetSyntaxTreeAsync(cancellationToken);
            return _diagnostics.Where(d => d.Location.SourceTree == tree);
        }

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Task.FromResult<IEnumerable<Diagnostic>>(_diagnostics.Where(d => !d.Location.IsInSource));
    }
}
