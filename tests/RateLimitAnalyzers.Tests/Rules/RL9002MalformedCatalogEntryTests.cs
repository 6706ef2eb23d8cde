using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using All = RateLimitAnalyzers.Tests.Verifiers.CSharpRulesVerifier;

namespace RateLimitAnalyzers.Tests.Rules;

public class RL9002MalformedCatalogEntryTests
{
    private const string CatalogPath = "/src/RateLimitEndpoints.txt";

    // Line 3 misspells a value: it is skipped, and the entry on line 2 still loads.
    private const string Catalog = """
        # Partner API: orders are limited; the stock line has a typo.
        POST partner.example/api/orders name="Partner orders" quota=10/1s throttle=429
        GET partner.example/api/stock name="Partner stock" quota=5/1s distinctive=maybe

        """;

    [Fact]
    public Task A_broken_line_gets_RL9002_at_its_file_line_and_column_and_RL0002_still_uses_the_good_lines()
    {
        var test = new All.Test
        {
            TestCode = RL0002Cases.Usings + """
                class Partner
                {
                    private readonly HttpClient _client = {|#1:new()|};
                    public Task<HttpResponseMessage> OrderAsync(HttpContent order) => _client.{|#0:PostAsync|}("https://partner.example/api/orders", order);
                    public Task<string> StockAsync() => _client.GetStringAsync("https://partner.example/api/stock");
                }
                """,
        };
        test.TestState.AdditionalFiles.Add((CatalogPath, Catalog));
        test.ExpectedDiagnostics.Add(new DiagnosticResult(RuleIdentifiers.MalformedCatalogEntry, DiagnosticSeverity.Warning)
            .WithSpan(CatalogPath, 3, 63, 3, 80)
            .WithArguments("distinctive must be yes or no, not 'maybe'"));
        test.ExpectedDiagnostics.Add(new DiagnosticResult(RuleIdentifiers.RateLimitedEndpointWithoutRetry, DiagnosticSeverity.Warning)
            .WithLocation(0)
            .WithLocation(1)
            .WithArguments("Partner orders allows 10 requests per second", "429"));
        return test.RunAsync();
    }
}
