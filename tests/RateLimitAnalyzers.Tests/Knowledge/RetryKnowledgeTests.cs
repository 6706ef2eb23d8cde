using System.Collections.Immutable;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using RateLimitAnalyzers.Knowledge;
using RateLimitAnalyzers.Tests.Rules;
using Xunit;
using Verify = RateLimitAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<RateLimitAnalyzers.Tests.Knowledge.RetryKnowledgeTests.RetriedProbe>;

namespace RateLimitAnalyzers.Tests.Knowledge;

/// <summary>
/// <see cref="RetryKnowledge.IsRetried"/>, the question other rules ask ("does anything retry this call?"): a probe marks
/// every request it says is retried, and the markup says which ones should be.
/// </summary>
public class RetryKnowledgeTests
{
    private const string Usings = RL0001Cases.Usings;

    private const string PollyUsings = Usings + "using Polly;\nusing Polly.Retry;\n";

    [Fact]
    public Task A_request_in_a_retry_loop_is_retried_and_a_paging_loops_is_not() => Verify.VerifyAnalyzerAsync(
        Usings + """
        class Page { public string? Next { get; set; } }
        class Calls
        {
            public async Task<string> RetryAsync(HttpClient client)
            {
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    try { return await [|client.GetStringAsync("https://api.example.com/v1/report")|]; }
                    catch (HttpRequestException) { await Task.Delay(1000 << attempt); }
                }

                return string.Empty;
            }

            public async Task PageAsync(HttpClient client)
            {
                string? cursor = null;
                do
                {
                    var page = await client.GetFromJsonAsync<Page>("https://api.example.com/v1/items?cursor=" + cursor);
                    cursor = page!.Next;
                }
                while (cursor != null);
            }

            public Task<string> OnceAsync(HttpClient client) => client.GetStringAsync("https://api.example.com/v1/report");
        }
        """);

    [Fact]
    public Task A_request_in_a_method_that_retries_itself_is_retried() => Verify.VerifyAnalyzerAsync(
        Usings + """
        class Calls
        {
            public HttpResponseMessage Fetch(HttpClient client, int attempt = 0)
            {
                var response = [|client.Send(new HttpRequestMessage(HttpMethod.Get, "https://api.example.com/v1/report"))|];
                if (!response.IsSuccessStatusCode && attempt < 3) return Fetch(client, attempt + 1);
                return response;
            }
        }
        """);

    [Fact]
    public Task A_method_that_calls_itself_again_retries_unless_it_first_changes_what_the_request_is_made_from() => Verify.VerifyAnalyzerAsync(
        Usings + """
        class Calls
        {
            private readonly HttpClient _client = new();
            private readonly List<string> _ids = new();
            private int _attempts;
            private string _path = "v1/report";

            // The counter is the instance's, and the request is the same every time: a retry.
            public HttpResponseMessage Fetch()
            {
                var response = [|_client.Send(new HttpRequestMessage(HttpMethod.Get, "https://api.example.com/" + _path))|];
                if (!response.IsSuccessStatusCode && _attempts < 3)
                {
                    _attempts++;
                    return Fetch();
                }

                return response;
            }

            // The request is made from the path, changed before asking again: another request.
            public HttpResponseMessage FetchMoved()
            {
                var response = _client.Send(new HttpRequestMessage(HttpMethod.Get, "https://api.example.com/" + _path));
                if (response.StatusCode == System.Net.HttpStatusCode.NotFound && _path != "v2/report")
                {
                    _path = "v2/report";
                    return FetchMoved();
                }

                return response;
            }

            // The request is made from the ids, one dropped before asking again: another request.
            public HttpResponseMessage FetchFewer()
            {
                var request = new HttpRequestMessage(HttpMethod.Post, "https://api.example.com/v1/batch");
                request.Content = new StringContent(string.Join(",", _ids));
                var response = _client.Send(request);
                if (!response.IsSuccessStatusCode && _ids.Count > 1)
                {
                    _ids.RemoveAt(_ids.Count - 1);
                    return FetchFewer();
                }

                return response;
            }
        }
        """);

    [Fact]
    public Task A_request_in_a_polly_execution_is_retried_when_the_pipeline_retries_or_is_out_of_view() => Verify.VerifyAnalyzerAsync(
        PollyUsings + """
        using Polly.RateLimiting;
        using System.Threading.RateLimiting;
        class Calls
        {
            private readonly ResiliencePipeline _retrying = new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions { BackoffType = DelayBackoffType.Exponential, UseJitter = true }).Build();
            private readonly ResiliencePipeline _limiting = new ResiliencePipelineBuilder().AddConcurrencyLimiter(10).Build();

            public async Task RunAsync(HttpClient client, ResiliencePipeline injected, CancellationToken cancellationToken)
            {
                await _retrying.ExecuteAsync(async token => await [|client.GetStringAsync("https://api.example.com/v1/a", token)|], cancellationToken);
                await _limiting.ExecuteAsync(async token => await client.GetStringAsync("https://api.example.com/v1/b", token), cancellationToken);
                await injected.ExecuteAsync(async token => await [|client.GetStringAsync("https://api.example.com/v1/c", token)|], cancellationToken);
            }
        }
        """);

    [Fact]
    public Task A_request_sent_through_the_runtimes_retrying_send_is_retried() => Verify.VerifyAnalyzerAsync(
        Usings + """
        using RateLimitAnalyzers.Pacing;
        class Calls
        {
            private static readonly RateLimitPolicy s_policy = new RateLimitPolicy("api.example.com/v1/report", QuotaWindow.PerSecond(1));

            public Task<HttpResponseMessage> FetchAsync(HttpClient client, CancellationToken cancellationToken) =>
                RateLimitedSend.RunAsync(s_policy, token => [|client.GetAsync("https://api.example.com/v1/report", token)|], cancellationToken);
        }
        """);

    /// <summary>Marks every request <see cref="RetryKnowledge.IsRetried"/> calls retried.</summary>
#pragma warning disable RS1036, RS2008 // A test probe, not an analyzer that ships.
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class RetriedProbe : DiagnosticAnalyzer
    {
        private static readonly DiagnosticDescriptor s_retried = new("RETRIED", "Retried", "Retried", "Test", DiagnosticSeverity.Warning, isEnabledByDefault: true);

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(s_retried);

        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.RegisterCompilationStartAction(start =>
            {
                if (RetryKnowledge.For(start.Compilation, start.Options, start.CancellationToken) is not { } retries)
                {
                    return;
                }

                start.RegisterOperationAction(
                    c =>
                    {
                        var call = (IInvocationOperation)c.Operation;
                        if (retries.Http.AsDirectSend(call, c.CancellationToken) is not null && retries.IsRetried(call, c.CancellationToken))
                        {
                            c.ReportDiagnostic(Diagnostic.Create(s_retried, call.Syntax.GetLocation()));
                        }
                    },
                    OperationKind.Invocation);
            });
        }
    }
#pragma warning restore RS1036, RS2008
}
