using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using RateLimitAnalyzers.Tests.Rules;
using Xunit;
using PagingVerify = RateLimitAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<RateLimitAnalyzers.Rules.RL0001PagingLoopWithoutPacingAnalyzer>;
using RetryVerify = RateLimitAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<RateLimitAnalyzers.Rules.RL0002RateLimitedEndpointWithoutRetryAnalyzer>;

namespace RateLimitAnalyzers.Tests.Endpoints;

/// <summary>
/// The catalog's data as the rules show it: a paging loop against an API gets that API's entry and quota in RL0001's
/// message, however the vendor states its limit (a number, a window, only headers, nothing); and a request inside an
/// SDK the retrying list leaves out is still RL0002's to report.
/// </summary>
public class CatalogRuleMessageTests
{
    /// <summary>The API, a paging request to it (the loop's cursor is appended), and RL0001's second and third arguments.</summary>
    private static readonly IReadOnlyDictionary<string, (string Url, string Target, string Advice)> s_pagedApis = new Dictionary<string, (string, string, string)>
    {
        ["Mailchimp"] = (
            "https://us21.api.mailchimp.com/3.0/lists/abc123/members?count=1000&offset=",
            "Mailchimp Marketing API",
            "Mailchimp Marketing API is rate limited; its vendor documents no fixed quota; wait for a turn before each request"),
        ["SendGrid"] = (
            "https://api.sendgrid.com/v3/suppression/bounces?limit=500&offset=",
            "SendGrid v3 Web API",
            "SendGrid v3 Web API is rate limited; its vendor documents no fixed quota; the x-ratelimit-limit header reports the current limit; wait for a turn before each request"),
        ["X recent search"] = (
            "https://api.x.com/2/tweets/search/recent?query=dotnet&max_results=100&next_token=",
            "X API v2 recent search",
            "it allows 300 requests per 15 min (per user; 450 per 15 minutes per app with a Bearer token); wait for a turn before each request"),
        ["Azure DevOps"] = (
            "https://dev.azure.com/contoso/_apis/git/repositories/web/commits?api-version=7.1&continuationToken=",
            "Azure DevOps Services REST API",
            "Azure DevOps Services REST API is rate limited per rolling 5 min window; its vendor documents no fixed quota; the x-ratelimit-limit header reports the current limit; wait for a turn before each request"),
        ["Confluence Cloud"] = (
            "https://contoso.atlassian.net/wiki/api/v2/pages?limit=250&cursor=",
            "Confluence Cloud REST API",
            "Confluence Cloud REST API is rate limited; its vendor documents no fixed quota; wait for a turn before each request"),
    };

    public static IEnumerable<object[]> PagedApiNames => s_pagedApis.Keys.Select(k => new object[] { k });

    private static string PagingLoop(string url) => RL0001Cases.Usings + """
        class Page { public List<string> Items { get; set; } = new(); public string? Next { get; set; } }
        class Export
        {
            public async Task RunAsync(HttpClient client)
            {
                string? cursor = "0";
                {|#0:while|} (cursor != null)
                {
                    var page = await client.GetFromJsonAsync<Page>("URL" + cursor);
                    if (page == null || page.Items.Count == 0) break;
                    cursor = page.Next;
                }
            }
        }
        """.Replace("URL", url, StringComparison.Ordinal);

    [Theory]
    [MemberData(nameof(PagedApiNames))]
    public Task A_paging_loop_against_a_catalogued_api_is_told_that_apis_quota(string api)
    {
        var (url, target, advice) = s_pagedApis[api];
        return PagingVerify.VerifyAnalyzerAsync(
            PagingLoop(url),
            PagingVerify.Diagnostic(RuleIdentifiers.PagingLoopWithoutPacing).WithLocation(0).WithArguments(
                "This paging loop (next page from 'cursor')", target, advice));
    }

    [Theory]
    [MemberData(nameof(PagedApiNames))]
    public async Task A_half_typed_paging_loop_against_a_catalogued_api_is_analysed_and_fixed_without_an_exception(string api)
    {
        var failures = await RateLimitAnalyzers.Tests.Robustness.TruncatedSource.FailuresAsync(PagingLoop(s_pagedApis[api].Url));
        Assert.True(failures.Count == 0, api + ":\n" + string.Join("\n\n", failures));
    }

    [Fact]
    public void Confluence_and_jira_share_the_site_host_and_each_keeps_its_own_entry()
    {
        var catalog = RateLimitAnalyzers.Knowledge.Endpoints.EndpointCatalog.Create(RateLimitAnalyzers.Knowledge.Endpoints.BuiltInEndpoints.Entries, []);
        Assert.True(catalog.TryMatchUrl("GET", "https://contoso.atlassian.net/wiki/rest/api/content?limit=100", out var confluence));
        Assert.Equal("Confluence Cloud REST API", confluence!.Name);
        Assert.True(catalog.TryMatchUrl("GET", "https://contoso.atlassian.net/rest/api/3/search?jql=project%3DWEB", out var jira));
        Assert.Equal("Jira Cloud platform REST API", jira!.Name);

        // The wildcard stands for the data-center label only: Mailchimp's bare host serves no API.
        Assert.True(catalog.TryMatchUrl("GET", "https://us21.api.mailchimp.com/3.0/lists", out _));
        Assert.False(catalog.TryMatchUrl("GET", "https://api.mailchimp.com/3.0/lists", out _));
    }

    /// <summary>
    /// SDKs whose own code was read and found not to retry a plain 429 by default (rules.md, "SDKs that retry"), each
    /// with a host of its API. A send inside their namespaces must still be reported; listing one by mistake hides it.
    /// OpenAI stands for RageAgainstThePixel's OpenAI-DotNet, which shares the official library's namespace and
    /// sends every request once.
    /// </summary>
    [Theory]
    [InlineData("Stripe", "https://api.stripe.com/v1/customers", "Stripe API allows 25 requests per second (per endpoint; 100 per second across the account in live mode)", "429")]
    [InlineData("Octokit", "https://api.github.com/repos/octokit/octokit.net/issues", "GitHub REST API allows 5,000 requests per hour (authenticated)", "403 or 429 with Retry-After")]
    [InlineData("Google.Apis.Sheets.v4", "https://sheets.googleapis.com/v4/spreadsheets/abc/values/A1:B2", "Google Sheets API allows 60 requests per minute (per user per project; 300 per minute per project)", "429")]
    [InlineData("OpenAI", "https://api.openai.com/v1/models", "OpenAI API is rate limited; its vendor documents no fixed quota; the x-ratelimit-limit-requests header reports the current limit", "429")]
    [InlineData("Dropbox.Api", "https://api.dropboxapi.com/2/files/list_folder", "Dropbox API is rate limited; its vendor documents no fixed quota", "429 with Retry-After")]
    [InlineData("Microsoft.VisualStudio.Services.WebApi", "https://dev.azure.com/contoso/_apis/projects", "Azure DevOps Services REST API is rate limited per rolling 5 min window; its vendor documents no fixed quota; the x-ratelimit-limit header reports the current limit", "429 with Retry-After")]
    public Task A_request_inside_an_sdk_left_off_the_retrying_list_is_still_reported(string sdkNamespace, string url, string quota, string signals) => RetryVerify.VerifyAnalyzerAsync(
        RL0002Cases.Usings + """
        namespace SDK
        {
            public class ApiConnection
            {
                private readonly HttpClient _http = {|#1:new()|};
                public Task<HttpResponseMessage> GetAsync() => _http.{|#0:GetAsync|}("URL");
            }
        }
        """.Replace("SDK", sdkNamespace, StringComparison.Ordinal).Replace("URL", url, StringComparison.Ordinal),
        RetryVerify.Diagnostic(RuleIdentifiers.RateLimitedEndpointWithoutRetry).WithLocation(0).WithLocation(1).WithArguments(quota, signals));
}
