using System.Threading.Tasks;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using RateLimitAnalyzers.CodeFixes.Rules;
using RateLimitAnalyzers.Rules;
using RateLimitAnalyzers.Tests.Verifiers;
using Xunit;

namespace RateLimitAnalyzers.Tests.Rules;

/// <summary>
/// Library code awaits with <c>.ConfigureAwait(false)</c> throughout (CA2007 asks for it). The analyzers report such
/// code as they report the same code without it, so each fix must rewrite it too, or <c>dotnet format analyzers</c>
/// leaves the build failing on the finding it was run to fix.
/// </summary>
public sealed class ConfigureAwaitFixesTests
{
    private const string Usings = """
        using System;
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;

        namespace Consumer;

        """;

    /// <summary>The fixed source, after checking that the analyzer does report the case, so that the fix is what is missing.</summary>
    private static async Task<string?> FixAsync<TAnalyzer, TFix>(string rule, string source)
        where TAnalyzer : DiagnosticAnalyzer, new()
        where TFix : CodeFixProvider, new()
    {
        var (_, reported) = await ComposedFixes.AnalyzeAsync(await ComposedFixes.ProjectAsync(new[] { (ComposedFixes.ConsumerFolder + "Test0.cs", source) }));
        Assert.Contains(reported, d => d.Id == rule);
        return await CodeFixOutput.ApplyAsync<TAnalyzer, TFix>(source);
    }

    [Fact]
    public async Task RL0003_fix_rewrites_a_retry_whose_awaits_configure_the_context()
    {
        var fixedCode = await FixAsync<RL0003RetryAfterIgnoredAnalyzer, RL0003RetryAfterIgnoredCodeFix>("RL0003", Usings + """
            public sealed class ReportClient
            {
                private readonly HttpClient _http;

                public ReportClient(HttpClient http) => _http = http;

                public async Task<string> FetchAsync(CancellationToken cancellationToken)
                {
                    while (true)
                    {
                        using var response = await _http.GetAsync("https://reports.example.com/v1/report", cancellationToken).ConfigureAwait(false);
                        if ((int)response.StatusCode == 429)
                        {
                            await Task.Delay(1000, cancellationToken).ConfigureAwait(false);
                            continue;
                        }

                        response.EnsureSuccessStatusCode();
                        return await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            """);

        Assert.NotNull(fixedCode);
        Assert.Contains("RetryAfter", fixedCode);
        Assert.DoesNotContain("Task.Delay(1000", fixedCode);
    }

    [Fact]
    public async Task RL0004_fix_rewrites_a_retry_whose_awaits_configure_the_context()
    {
        var fixedCode = await FixAsync<RL0004RetryWithoutBackoffAnalyzer, RL0004RetryWithoutBackoffCodeFix>("RL0004", Usings + """
            public sealed class EventSender
            {
                private readonly HttpClient _http;

                public EventSender(HttpClient http) => _http = http;

                public async Task SendAsync(HttpContent content, CancellationToken cancellationToken)
                {
                    for (var attempt = 0; attempt < 5; attempt++)
                    {
                        try
                        {
                            using var response = await _http.PostAsync("https://reports.example.com/v1/events", content, cancellationToken).ConfigureAwait(false);
                            response.EnsureSuccessStatusCode();
                            return;
                        }
                        catch (HttpRequestException)
                        {
                            await Task.Delay(1000, cancellationToken).ConfigureAwait(false);
                        }
                    }
                }
            }
            """);

        Assert.NotNull(fixedCode);
        Assert.Contains("Backoff", fixedCode);
        Assert.DoesNotContain("Task.Delay(1000", fixedCode);
    }

    [Fact]
    public async Task RL0008_fix_rewrites_a_wait_that_configures_the_context()
    {
        var fixedCode = await FixAsync<RL0008WaitShorterThanQuotaAnalyzer, RL0008WaitShorterThanQuotaCodeFix>("RL0008", Usings + """
            public sealed class CallLists
            {
                private readonly HttpClient _http;

                public CallLists(HttpClient http) => _http = http;

                public async Task<int> CountAsync(CancellationToken cancellationToken)
                {
                    var count = 0;
                    string? cursor = string.Empty;
                    while (cursor is not null)
                    {
                        var page = await _http.GetStringAsync("https://api.agora.io/beta/analytics/call/lists?cursor=" + cursor, cancellationToken).ConfigureAwait(false);
                        count += page.Length;
                        cursor = page.Length > 2 ? null : page;
                        await Task.Delay(100, cancellationToken).ConfigureAwait(false);
                    }

                    return count;
                }
            }
            """);

        Assert.NotNull(fixedCode);
        Assert.Contains("WaitTurnAsync(cancellationToken).ConfigureAwait(false);", fixedCode);
        Assert.DoesNotContain("Task.Delay", fixedCode);
    }
}
