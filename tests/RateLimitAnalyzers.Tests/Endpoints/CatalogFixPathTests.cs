using System.Threading.Tasks;
using Xunit;
using Verify = RateLimitAnalyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    RateLimitAnalyzers.Rules.RL0002RateLimitedEndpointWithoutRetryAnalyzer,
    RateLimitAnalyzers.CodeFixes.Rules.RL0002RateLimitedEndpointWithoutRetryCodeFix>;

namespace RateLimitAnalyzers.Tests.Endpoints;

/// <summary>
/// Catalog entries whose throttle signal is not a plain 429 reach the runtime's policy through RL0002's fix as written:
/// Salesforce's 403 with its error code, Shopify GraphQL's body (which the runtime looks for in 200 responses).
/// </summary>
public class CatalogFixPathTests
{
    private const string Usings = """
        using System;
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;

        """;

    private const string FixedUsings = """
        using System;
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;
        using RateLimitAnalyzers.Pacing;

        """;

    [Fact]
    public Task Salesforce_fix_retries_its_403_with_the_request_limit_error_code_and_paces_by_no_invented_number() => Verify.VerifyCodeFixAsync(
        Usings + """
        class Accounts
        {
            private readonly HttpClient _client = new HttpClient();
            public Task<string> QueryAsync() => _client.[|GetStringAsync|]("https://contoso.my.salesforce.com/services/data/v62.0/query?q=SELECT+Id+FROM+Account");
        }
        """,
        FixedUsings + """
        class Accounts
        {
            private static readonly RateLimitPolicy SalesforcePolicy = new RateLimitPolicy("*.salesforce.com/services/data/*")
            {
                BaseAddress = "https://contoso.my.salesforce.com/services/data/",
                ThrottleStatusCodes = new[] { 403 },
                ThrottleBodyContains = "REQUEST_LIMIT_EXCEEDED",
            };

            private readonly HttpClient _client = new HttpClient(new RateLimitedHandler(SalesforcePolicy));
            public Task<string> QueryAsync() => _client.GetStringAsync("https://contoso.my.salesforce.com/services/data/v62.0/query?q=SELECT+Id+FROM+Account");
        }
        """);

    [Fact]
    public Task Shopify_graphql_fix_carries_the_throttled_body_marker() => Verify.VerifyCodeFixAsync(
        Usings + """
        class Products
        {
            private readonly HttpClient _client = new HttpClient();
            public Task<HttpResponseMessage> QueryAsync(HttpContent query) => _client.[|PostAsync|]("https://contoso.myshopify.com/admin/api/2026-10/graphql.json", query);
        }
        """,
        FixedUsings + """
        class Products
        {
            private static readonly RateLimitPolicy ShopifyPolicy = new RateLimitPolicy(
                "*.myshopify.com/admin/api/{version}/graphql.json")
            {
                BaseAddress = "https://contoso.myshopify.com/admin/api/",
                ThrottleBodyContains = "\"message\":\"Throttled\"",
            };

            private readonly HttpClient _client = new HttpClient(new RateLimitedHandler(ShopifyPolicy));
            public Task<HttpResponseMessage> QueryAsync(HttpContent query) => _client.PostAsync("https://contoso.myshopify.com/admin/api/2026-10/graphql.json", query);
        }
        """);
}
