using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = RateLimitAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<RateLimitAnalyzers.Rules.RL0002RateLimitedEndpointWithoutRetryAnalyzer>;

namespace RateLimitAnalyzers.Tests.Rules;

/// <summary>
/// Each seed API's catalog entry, reached through each way the code can show a request's target: RL0002 must name
/// the entry whichever way the URL is written. The call is marked; the message must name the entry.
/// </summary>
public class RL0002TargetMatrixTests
{
    /// <summary>The three seed APIs: the entry's name, the request's method, the API's base address and a path the entry covers.</summary>
    private static readonly IReadOnlyList<(string Api, string Quota, string Signals, string Method, string Base, string Path)> s_seeds = new[]
    {
        ("Agora", "Agora Analytics GET /beta/analytics/call/lists allows 1 request per second and 1,000 requests per day", "429 or body containing \"code\":300", "Get", "https://api.agora.io", "/beta/analytics/call/lists"),
        ("Archiva", "Archiva POST /api/ingest/event allows 100 requests per 60 s", "429 with Retry-After or body containing \"error\":\"Rate limit exceeded\"", "Post", "https://api.archiva.app", "/api/ingest/event"),
        ("SUSE", "SUSE Application Collection API is rate limited per rolling 24 h window; the quota comes from the ratelimit-limit header at run time", "429", "Get", "https://api.apps.rancher.io", "/v1/applications"),
    };

    /// <summary>Ways of writing the target, each a class whose one marked call sends to {base}{path}.</summary>
    private static readonly IReadOnlyDictionary<string, string> s_ways = new Dictionary<string, string>
    {
        ["URL literal"] = """
            class Client
            {
                private readonly HttpClient _http = new();
                public Task Run() => _http.{|#0:SEND|}("BASEPATH"ARGS);
            }
            """,
        ["constant"] = """
            class Client
            {
                private const string Url = "BASEPATH";
                private readonly HttpClient _http = new();
                public Task Run() => _http.{|#0:SEND|}(UrlARGS);
            }
            """,
        ["interpolated string"] = """
            class Client
            {
                private readonly HttpClient _http = new();
                public Task Run(string query) => _http.{|#0:SEND|}($"BASEPATH?q={query}"ARGS);
            }
            """,
        ["concatenated string"] = """
            class Client
            {
                private readonly HttpClient _http = new();
                public Task Run(string query) => _http.{|#0:SEND|}("BASE" + "PATH" + "?q=" + queryARGS);
            }
            """,
        ["new Uri(base, relative)"] = """
            class Client
            {
                private readonly HttpClient _http = new();
                public Task Run() => _http.{|#0:SEND|}(new Uri(new Uri("BASE/"), "RELATIVE")ARGS);
            }
            """,
        ["HttpRequestMessage"] = """
            class Client
            {
                private readonly HttpClient _http = new();
                public Task Run() => _http.{|#0:SendAsync|}(new HttpRequestMessage(HttpMethod.METHOD, "BASEPATH"));
            }
            """,
        ["BaseAddress in an object initializer"] = """
            class Client
            {
                public async Task Run()
                {
                    using var http = new HttpClient { BaseAddress = new Uri("BASE/") };
                    await http.{|#0:SEND|}("RELATIVE"ARGS);
                }
            }
            """,
        ["BaseAddress in a constructor"] = """
            class Client
            {
                private readonly HttpClient _http;
                public Client() { _http = new HttpClient(); _http.BaseAddress = new Uri("BASE/"); }
                public Task Run() => _http.{|#0:SEND|}("RELATIVE"ARGS);
            }
            """,
        ["BaseAddress in a field initializer"] = """
            class Client
            {
                private readonly HttpClient _http = new HttpClient { BaseAddress = new Uri("BASE/") };
                public Task Run() => _http.{|#0:SEND|}("RELATIVE"ARGS);
            }
            """,
        ["typed client registered with AddHttpClient<T>"] = """
            class Client(HttpClient http)
            {
                public Task Run() => http.{|#0:SEND|}("RELATIVE"ARGS);
            }
            static class Registration
            {
                public static void Add(IServiceCollection services) => services.AddHttpClient<Client>(c => c.BaseAddress = new Uri("BASE/"));
            }
            """,
        ["named client with CreateClient"] = """
            class Client(IHttpClientFactory factory)
            {
                public Task Run() => factory.CreateClient("api").{|#0:SEND|}("RELATIVE"ARGS);
            }
            static class Registration
            {
                public static void Add(IServiceCollection services) => services.AddHttpClient("api", c => c.BaseAddress = new Uri("BASE/"));
            }
            """,
        ["RestSharp client base URL"] = """
            class Client
            {
                private readonly RestSharp.RestClient _rest = new RestSharp.RestClient("BASE");
                public Task Run() => _rest.{|#0:ExecuteAsync|}(new RestSharp.RestRequest("RELATIVE", RestSharp.Method.METHOD));
            }
            """,
        ["Refit interface with RestService.For"] = """
            public interface IApi
            {
                [Refit.METHOD("PATH")]
                Task<string> CallAsync();
            }
            class Client
            {
                private readonly IApi _api = Refit.RestService.For<IApi>("BASE");
                public Task Run() => _api.{|#0:CallAsync|}();
            }
            """,
    };

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var seed in s_seeds)
        {
            foreach (var way in s_ways.Keys)
            {
                data.Add(seed.Api, way);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Seed_entry_is_recognised_however_the_target_is_written(string api, string way)
    {
        var seed = s_seeds.Single(s => s.Api == api);
        var source = RL0002Cases.Usings + s_ways[way]
            .Replace("SEND", seed.Method == "Get" ? "GetStringAsync" : "PostAsync")
            .Replace("ARGS", seed.Method == "Get" ? string.Empty : ", null")
            .Replace("BASEPATH", seed.Base + seed.Path)
            .Replace("BASE", seed.Base)
            .Replace("RELATIVE", seed.Path.TrimStart('/'))
            .Replace("PATH", seed.Path)
            .Replace("METHOD", seed.Method);

        var test = new Verify.Test { TestCode = source };
        // Where the client is made in the file, the diagnostic also points at its creation for the fix; not this test's business.
        test.TestState.ExpectedDiagnostics.Add(Verify.Diagnostic(RuleIdentifiers.RateLimitedEndpointWithoutRetry)
            .WithLocation(0, DiagnosticLocationOptions.None)
            .WithOptions(DiagnosticOptions.IgnoreAdditionalLocations)
            .WithArguments(seed.Quota, seed.Signals));
        await test.RunAsync();
    }
}
