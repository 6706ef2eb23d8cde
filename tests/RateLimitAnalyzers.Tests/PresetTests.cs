using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using RateLimitAnalyzers.Rules;
using RateLimitAnalyzers.Tests.Rules;
using RateLimitAnalyzers.Tests.Verifiers;
using Xunit;

namespace RateLimitAnalyzers.Tests;

/// <summary>
/// The presets the package ships (RateLimitAnalyzersMode), fed to the compiler as the global configs they are, and
/// the one category that sets every rule. Which preset the package's targets pick is the package tests' business.
/// The project is built in a workspace, the way the IDE and the compiler see .editorconfig files.
/// </summary>
public class PresetTests
{
    private static readonly string s_pagingLoop = RL0001Cases.Reported["cursor taken from the response, exit on an empty page"].Replace("[|while|]", "while");

    private const string UnseenClientCall = RL0002Cases.Usings + """
        class Ingest
        {
            public Task<HttpResponseMessage> SendAsync(HttpClient client, HttpContent content) =>
                client.PostAsync("https://api.archiva.app/api/ingest/event", content);
        }
        """;

    [Theory]
    [InlineData("recommended", DiagnosticSeverity.Warning)]
    [InlineData("strict", DiagnosticSeverity.Error)]
    public async Task Preset_sets_the_rules_severity(string mode, DiagnosticSeverity severity) =>
        Assert.Equal(new[] { severity }, await SeveritiesAsync(new RL0001PagingLoopWithoutPacingAnalyzer(), s_pagingLoop, Preset(mode)));

    [Fact]
    public async Task None_preset_silences_every_rule() =>
        Assert.Empty(await SeveritiesAsync(new RL0001PagingLoopWithoutPacingAnalyzer(), s_pagingLoop, Preset("none")));

    [Fact]
    public async Task Strict_preset_reports_calls_through_clients_out_of_view_and_recommended_does_not()
    {
        Assert.Equal(new[] { DiagnosticSeverity.Error }, await SeveritiesAsync(new RL0002RateLimitedEndpointWithoutRetryAnalyzer(), UnseenClientCall, Preset("strict")));
        Assert.Empty(await SeveritiesAsync(new RL0002RateLimitedEndpointWithoutRetryAnalyzer(), UnseenClientCall, Preset("recommended")));
    }

    [Fact]
    public async Task A_users_editorconfig_wins_over_the_strict_preset() =>
        Assert.Equal(
            new[] { DiagnosticSeverity.Info },
            await SeveritiesAsync(new RL0001PagingLoopWithoutPacingAnalyzer(), s_pagingLoop, Preset("strict"), ("/src/.editorconfig", """
                root = true

                [*.cs]
                dotnet_analyzer_diagnostic.category-RateLimiting.severity = suggestion
                """)));

    [Fact]
    public async Task A_users_own_global_config_wins_over_the_none_preset() =>
        Assert.Equal(
            new[] { DiagnosticSeverity.Warning },
            await SeveritiesAsync(new RL0001PagingLoopWithoutPacingAnalyzer(), s_pagingLoop, Preset("none"), ("/src/.globalconfig", """
                is_global = true
                dotnet_analyzer_diagnostic.category-RateLimiting.severity = warning
                """)));

    [Fact]
    public async Task The_category_sets_every_rule() =>
        Assert.Equal(
            new[] { DiagnosticSeverity.Error },
            await SeveritiesAsync(new RL0001PagingLoopWithoutPacingAnalyzer(), s_pagingLoop, ("/src/.editorconfig", """
                root = true

                [*.cs]
                dotnet_analyzer_diagnostic.category-RateLimiting.severity = error
                """)));

    [Fact]
    public async Task Another_category_leaves_the_rules_alone() =>
        Assert.Equal(
            new[] { DiagnosticSeverity.Warning },
            await SeveritiesAsync(new RL0001PagingLoopWithoutPacingAnalyzer(), s_pagingLoop, ("/src/.editorconfig", """
                root = true

                [*.cs]
                dotnet_analyzer_diagnostic.category-Reliability.severity = error
                """)));

    /// <summary>The severities the analyzer reports <paramref name="source"/> at, under the given config files.</summary>
    private static async Task<DiagnosticSeverity[]> SeveritiesAsync(DiagnosticAnalyzer analyzer, string source, params (string Path, string Text)[] configs)
    {
        using var workspace = new AdhocWorkspace();
        var (solution, documentId) = await TestProject.CreateAsync(workspace, "Presets", source, "/src/Test.cs", CancellationToken.None);
        foreach (var (path, text) in configs)
        {
            solution = solution.AddAnalyzerConfigDocument(DocumentId.CreateNewId(documentId.ProjectId), System.IO.Path.GetFileName(path), SourceText.From(text), filePath: path);
        }

        var project = solution.GetProject(documentId.ProjectId)!;
        var compilation = (await project.GetCompilationAsync())!;
        var diagnostics = await compilation.WithAnalyzers(ImmutableArray.Create(analyzer), project.AnalyzerOptions).GetAnalyzerDiagnosticsAsync();
        return diagnostics.Select(d => d.Severity).ToArray();
    }

    /// <summary>The preset as the package ships it, from src/RateLimitAnalyzers.Package/build.</summary>
    private static (string Path, string Text) Preset(string mode)
    {
        var file = "RateLimitAnalyzers." + mode + ".globalconfig";
        return ("/" + file, RepositoryFiles.Read(System.IO.Path.Combine("src", "RateLimitAnalyzers.Package", "build", file)));
    }
}
