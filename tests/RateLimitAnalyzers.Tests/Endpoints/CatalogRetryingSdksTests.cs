using System;
using System.Linq;
using System.Threading.Tasks;
using RateLimitAnalyzers.Knowledge.Endpoints;
using RateLimitAnalyzers.Tests.Rules;
using Xunit;
using Verify = RateLimitAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<RateLimitAnalyzers.Rules.RL0002RateLimitedEndpointWithoutRetryAnalyzer>;

namespace RateLimitAnalyzers.Tests.Endpoints;

/// <summary>Official SDKs that retry by themselves (BuiltInRetryingSdks.txt): the list as data, and RL0002 treating their calls as covered.</summary>
public class CatalogRetryingSdksTests
{
    private const string Strict = "root = true\n\n[*.cs]\nrate_limit_analyzers.report_unseen_clients = true\n";

    [Fact]
    public void Every_listed_sdk_reads_names_its_client_namespaces_and_cites_its_documentation()
    {
        Assert.True(BuiltInRetryingSdks.Errors.IsEmpty, string.Join(Environment.NewLine, BuiltInRetryingSdks.Errors));
        Assert.True(BuiltInRetryingSdks.Sdks.Length >= 4);
        Assert.All(BuiltInRetryingSdks.Sdks, sdk =>
        {
            Assert.NotEmpty(sdk.Namespaces);
            Assert.NotEmpty(sdk.Sources);
            Assert.NotEqual(string.Empty, sdk.Retries);
        });
        Assert.Contains(BuiltInRetryingSdks.Sdks, sdk => sdk.Namespaces.Contains("Microsoft.Graph"));
    }

    [Theory]
    [InlineData("Azure SDK | Azure | retries | https://docs.example.com")]
    [InlineData("Azure SDK | | retries | https://docs.example.com | 2026-12-04")]
    [InlineData("Azure SDK | Azure | retries | docs.example.com | 2026-12-04")]
    [InlineData("Azure SDK | Azure | retries | https://docs.example.com | yesterday")]
    public void A_malformed_line_is_skipped_with_an_error_and_the_others_still_load(string line)
    {
        var (sdks, errors) = BuiltInRetryingSdks.Parse("# comment\n" + line + "\nAWS SDK | Amazon | throttling | https://docs.example.com/aws | 2026-12-04\n");

        Assert.Equal("line 2: expected 'name | namespaces | what it retries | https:// sources | yyyy-MM-dd'", Assert.Single(errors));
        Assert.Equal("AWS SDK", Assert.Single(sdks).Name);
    }

    private const string InsideAnSdkType = RL0002Cases.Usings + """
        namespace Azure.ResourceManager.Stubs
        {
            public class SubscriptionClient
            {
                private readonly HttpClient _http = new();
                public Task<HttpResponseMessage> ListAsync() => _http.GetAsync("https://management.azure.com/subscriptions?api-version=2022-12-01");
            }
        }
        """;

    private const string ThroughAnSdkFactory = RL0002Cases.Usings + """
        namespace Microsoft.Graph
        {
            public static class GraphClientFactory
            {
                public static HttpClient Create(HttpClient given) => given;
            }
        }

        class Directory
        {
            public async Task<string> UsersAsync(HttpClient given)
            {
                var client = Microsoft.Graph.GraphClientFactory.Create(given);
                return await client.GetStringAsync("https://graph.microsoft.com/v1.0/users");
            }
        }
        """;

    [Fact]
    public Task A_request_made_inside_a_listed_sdks_types_is_covered_by_its_retry() => Verify.VerifyAnalyzerAsync(InsideAnSdkType);

    [Theory]
    [InlineData(nameof(InsideAnSdkType), InsideAnSdkType)]
    [InlineData(nameof(ThroughAnSdkFactory), ThroughAnSdkFactory)]
    public async Task Half_typed_sdk_calls_are_analysed_without_an_exception(string name, string source)
    {
        var failures = await RateLimitAnalyzers.Tests.Robustness.TruncatedSource.FailuresAsync(source);
        Assert.True(failures.Count == 0, name + ":\n" + string.Join("\n\n", failures));
    }

    [Fact]
    public Task The_same_request_inside_an_unlisted_namespace_is_still_reported() => Verify.VerifyAnalyzerAsync(
        RL0002Cases.Usings + """
        namespace Contoso.ResourceManager.Stubs
        {
            public class SubscriptionClient
            {
                private readonly HttpClient _http = {|#1:new()|};
                public Task<HttpResponseMessage> ListAsync() => _http.{|#0:GetAsync|}("https://management.azure.com/subscriptions?api-version=2022-12-01");
            }
        }
        """,
        Verify.Diagnostic(RuleIdentifiers.RateLimitedEndpointWithoutRetry).WithLocation(0).WithLocation(1).WithArguments(
            "Azure Resource Manager allows 10 requests per second (writes and deletes; reads 25 per second)",
            "429 with Retry-After"));

    [Theory]
    [InlineData("Microsoft.Graph", false)]
    [InlineData("Contoso.Graph", true)]
    public async Task A_client_an_sdk_factory_hands_out_is_covered_only_when_the_sdk_is_listed(string factoryNamespace, bool reported)
    {
        var source = RL0002Cases.Usings + """
            namespace FACTORY
            {
                public static class GraphClientFactory
                {
                    public static HttpClient Create(HttpClient given) => given;
                }
            }

            class Directory
            {
                public async Task<string> UsersAsync(HttpClient given)
                {
                    var client = FACTORY.GraphClientFactory.Create(given);
                    return await client.[|GetStringAsync|]("https://graph.microsoft.com/v1.0/users");
                }
            }
            """.Replace("FACTORY", factoryNamespace, StringComparison.Ordinal);

        var test = new Verify.Test { TestCode = reported ? source : source.Replace("[|GetStringAsync|]", "GetStringAsync", StringComparison.Ordinal) };
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", Strict));
        await test.RunAsync();
    }

    [Fact]
    public async Task A_client_typed_member_of_an_sdk_type_is_covered()
    {
        var test = new Verify.Test
        {
            TestCode = RL0002Cases.Usings + """
                namespace Amazon.Runtime.Stubs
                {
                    public class ServiceClient
                    {
                        public HttpClient HttpClient { get; set; }
                    }
                }

                class Buckets
                {
                    public Task<string> ListAsync(Amazon.Runtime.Stubs.ServiceClient service) =>
                        service.HttpClient.GetStringAsync("https://graph.microsoft.com/v1.0/users");
                }
                """,
        };
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", Strict));
        await test.RunAsync();
    }
}
