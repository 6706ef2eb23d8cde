using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = RateLimitAnalyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    RateLimitAnalyzers.Rules.RL0002RateLimitedEndpointWithoutRetryAnalyzer,
    RateLimitAnalyzers.CodeFixes.Rules.RL0002RateLimitedEndpointWithoutRetryCodeFix>;

namespace RateLimitAnalyzers.Tests.Rules;

public class RL0002RateLimitedEndpointWithoutRetryCodeFixTests
{
    private const string Usings = """
        using System;
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;

        """;

    [Fact]
    public Task Client_made_in_the_file_gets_the_retrying_handler_with_the_catalogs_quota_and_signals() => Verify.VerifyCodeFixAsync(
        Usings + """
        class Ingest
        {
            private readonly HttpClient _client = new HttpClient { BaseAddress = new Uri("https://api.archiva.app") };
            public Task<HttpResponseMessage> SendAsync(HttpContent content, CancellationToken cancellationToken) =>
                _client.[|PostAsync|]("/api/ingest/event", content, cancellationToken);
        }
        """,
        Usings.TrimEnd('\n') + "\nusing RateLimitAnalyzers.Pacing;\n" + """
        class Ingest
        {
            private static readonly RateLimitPolicy ArchivaPolicy = new RateLimitPolicy(
                "api.archiva.app/api/ingest/event",
                new QuotaWindow(100, TimeSpan.FromSeconds(60)),
                // Evenly spaced within 100 requests per 60 s, never in bursts; change it to pace faster or slower.
                QuotaWindow.MinimumInterval(TimeSpan.FromMilliseconds(600)))
            {
                BaseAddress = "https://api.archiva.app/api/ingest/event",
                ThrottleBodyContains = "\"error\":\"Rate limit exceeded\"",
            };

            private readonly HttpClient _client = new HttpClient(new RateLimitedHandler(ArchivaPolicy)) { BaseAddress = new Uri("https://api.archiva.app") };
            public Task<HttpResponseMessage> SendAsync(HttpContent content, CancellationToken cancellationToken) =>
                _client.PostAsync("/api/ingest/event", content, cancellationToken);
        }
        """);

    [Fact]
    public Task A_handler_the_client_already_had_becomes_the_inner_handler() => Verify.VerifyCodeFixAsync(
        Usings + """
        class Issues
        {
            private readonly HttpClient _client = new(new SocketsHttpHandler(), disposeHandler: true);
            public Task<string> ListAsync() => _client.[|GetStringAsync|]("https://api.github.com/repos/dotnet/runtime/issues");
        }
        """,
        Usings.TrimEnd('\n') + "\nusing RateLimitAnalyzers.Pacing;\n" + """
        class Issues
        {
            private static readonly RateLimitPolicy GitHubPolicy = new RateLimitPolicy(
                "api.github.com/*",
                QuotaWindow.PerHour(5000),
                // Evenly spaced within 5,000 requests per hour, never in bursts; change it to pace faster or slower.
                QuotaWindow.MinimumInterval(TimeSpan.FromMilliseconds(720)))
            {
                BaseAddress = "https://api.github.com/",
                ThrottleStatusCodes = new[] { 403, 429 },
            };

            private readonly HttpClient _client = new(new RateLimitedHandler(new SocketsHttpHandler(), GitHubPolicy), disposeHandler: true);
            public Task<string> ListAsync() => _client.GetStringAsync("https://api.github.com/repos/dotnet/runtime/issues");
        }
        """);

    [Fact]
    public Task A_client_shared_by_two_APIs_gets_one_handler_with_a_policy_for_each() => Verify.VerifyCodeFixAsync(
        Usings + """
        class Shipper
        {
            private static readonly HttpClient s_client = new HttpClient();

            public Task<HttpResponseMessage> SendAsync(HttpContent e) => s_client.[|PostAsync|]("https://api.archiva.app/api/ingest/event", e);

            public Task<string> RepositoryAsync() => s_client.[|GetStringAsync|]("https://api.github.com/repos/o/r");

            public Task<string> QuoteAsync() => s_client.GetStringAsync("https://quotes.example.com/v1/quote/MSFT");
        }
        """,
        Usings.TrimEnd('\n') + "\nusing RateLimitAnalyzers.Pacing;\n" + """
        class Shipper
        {
            private static readonly RateLimitPolicy ArchivaPolicy = new RateLimitPolicy(
                "api.archiva.app/api/ingest/event",
                new QuotaWindow(100, TimeSpan.FromSeconds(60)),
                // Evenly spaced within 100 requests per 60 s, never in bursts; change it to pace faster or slower.
                QuotaWindow.MinimumInterval(TimeSpan.FromMilliseconds(600)))
            {
                BaseAddress = "https://api.archiva.app/api/ingest/event",
                ThrottleBodyContains = "\"error\":\"Rate limit exceeded\"",
            };

            private static readonly RateLimitPolicy GitHubPolicy = new RateLimitPolicy(
                "api.github.com/*",
                QuotaWindow.PerHour(5000),
                // Evenly spaced within 5,000 requests per hour, never in bursts; change it to pace faster or slower.
                QuotaWindow.MinimumInterval(TimeSpan.FromMilliseconds(720)))
            {
                BaseAddress = "https://api.github.com/",
                ThrottleStatusCodes = new[] { 403, 429 },
            };

            private static readonly HttpClient s_client = new HttpClient(new RateLimitedHandler(ArchivaPolicy, GitHubPolicy));

            public Task<HttpResponseMessage> SendAsync(HttpContent e) => s_client.PostAsync("https://api.archiva.app/api/ingest/event", e);

            public Task<string> RepositoryAsync() => s_client.GetStringAsync("https://api.github.com/repos/o/r");

            public Task<string> QuoteAsync() => s_client.GetStringAsync("https://quotes.example.com/v1/quote/MSFT");
        }
        """);

    [Fact]
    public Task A_handler_for_another_API_gets_this_APIs_policy_added() => Verify.VerifyCodeFixAsync(
        Usings + """
        using RateLimitAnalyzers.Pacing;

        class Shipper
        {
            private static readonly RateLimitPolicy ArchivaPolicy = new RateLimitPolicy("api.archiva.app/api/ingest/event", new QuotaWindow(100, TimeSpan.FromSeconds(60)))
            {
                BaseAddress = "https://api.archiva.app/api/ingest/event",
            };

            private static readonly HttpClient s_client = new HttpClient(new RateLimitedHandler(ArchivaPolicy));

            public Task<HttpResponseMessage> SendAsync(HttpContent e) => s_client.PostAsync("https://api.archiva.app/api/ingest/event", e);

            public Task<string> RepositoryAsync() => s_client.[|GetStringAsync|]("https://api.github.com/repos/o/r");
        }
        """,
        Usings + """
        using RateLimitAnalyzers.Pacing;

        class Shipper
        {
            private static readonly RateLimitPolicy ArchivaPolicy = new RateLimitPolicy("api.archiva.app/api/ingest/event", new QuotaWindow(100, TimeSpan.FromSeconds(60)))
            {
                BaseAddress = "https://api.archiva.app/api/ingest/event",
            };

            private static readonly RateLimitPolicy GitHubPolicy = new RateLimitPolicy(
                "api.github.com/*",
                QuotaWindow.PerHour(5000),
                // Evenly spaced within 5,000 requests per hour, never in bursts; change it to pace faster or slower.
                QuotaWindow.MinimumInterval(TimeSpan.FromMilliseconds(720)))
            {
                BaseAddress = "https://api.github.com/",
                ThrottleStatusCodes = new[] { 403, 429 },
            };

            private static readonly HttpClient s_client = new HttpClient(new RateLimitedHandler(ArchivaPolicy, GitHubPolicy));

            public Task<HttpResponseMessage> SendAsync(HttpContent e) => s_client.PostAsync("https://api.archiva.app/api/ingest/event", e);

            public Task<string> RepositoryAsync() => s_client.GetStringAsync("https://api.github.com/repos/o/r");
        }
        """);

    [Fact]
    public Task A_policy_without_a_base_address_on_the_handler_gets_its_APIs_when_another_is_added() => Verify.VerifyCodeFixAsync(
        Usings + """
        using RateLimitAnalyzers.Pacing;

        class Shipper
        {
            private static readonly RateLimitPolicy ArchivaPolicy = new RateLimitPolicy("api.archiva.app/api/ingest/event", new QuotaWindow(100, TimeSpan.FromSeconds(60)));

            private static readonly RateLimitPolicy GitHubPolicy = new RateLimitPolicy("api.github.com/*", QuotaWindow.PerHour(5000))
            {
                BaseAddress = "https://api.github.com/",
            };

            private static readonly HttpClient s_client = new HttpClient(new RateLimitedHandler(ArchivaPolicy, GitHubPolicy));

            public Task<HttpResponseMessage> SendAsync(HttpContent e) => s_client.PostAsync("https://api.archiva.app/api/ingest/event", e);

            public Task<string> CustomerAsync() => s_client.[|GetStringAsync|]("https://api.stripe.com/v1/customers/cus_1");
        }
        """,
        Usings + """
        using RateLimitAnalyzers.Pacing;

        class Shipper
        {
            private static readonly RateLimitPolicy ArchivaPolicy = new RateLimitPolicy("api.archiva.app/api/ingest/event", new QuotaWindow(100, TimeSpan.FromSeconds(60))) { BaseAddress = "https://api.archiva.app/api/ingest/event" };

            private static readonly RateLimitPolicy GitHubPolicy = new RateLimitPolicy("api.github.com/*", QuotaWindow.PerHour(5000))
            {
                BaseAddress = "https://api.github.com/",
            };

            private static readonly RateLimitPolicy StripePolicy = new RateLimitPolicy(
                "api.stripe.com/*",
                QuotaWindow.PerSecond(25),
                // Evenly spaced within 25 requests per second, never in bursts; change it to pace faster or slower.
                QuotaWindow.MinimumInterval(TimeSpan.FromMilliseconds(40)))
            {
                BaseAddress = "https://api.stripe.com/",
            };

            private static readonly HttpClient s_client = new HttpClient(new RateLimitedHandler(ArchivaPolicy, GitHubPolicy, StripePolicy));

            public Task<HttpResponseMessage> SendAsync(HttpContent e) => s_client.PostAsync("https://api.archiva.app/api/ingest/event", e);

            public Task<string> CustomerAsync() => s_client.GetStringAsync("https://api.stripe.com/v1/customers/cus_1");
        }
        """);

    [Fact]
    public Task Call_through_a_registered_typed_client_is_sent_through_the_retrying_helper_with_the_methods_token() => Verify.VerifyCodeFixAsync(
        Usings + """
        using Microsoft.Extensions.DependencyInjection;

        class CallsClient(HttpClient http)
        {
            public async Task<string> ListAsync(CancellationToken stoppingToken)
            {
                using var response = await http.[|GetAsync|]("beta/analytics/call/lists?page_size=100", stoppingToken);
                return await response.Content.ReadAsStringAsync(stoppingToken);
            }
        }
        static class Registration
        {
            public static void Add(IServiceCollection services) =>
                services.AddHttpClient<CallsClient>(c => c.BaseAddress = new Uri("https://api.agora.io/"));
        }
        """,
        Usings + """
        using Microsoft.Extensions.DependencyInjection;
        using RateLimitAnalyzers.Pacing;

        class CallsClient(HttpClient http)
        {
            private static readonly RateLimitPolicy AgoraPolicy = new RateLimitPolicy(
                "api.agora.io/beta/analytics/call/lists",
                QuotaWindow.PerSecond(1),
                QuotaWindow.PerDay(1000))
            {
                BaseAddress = "https://api.agora.io/beta/analytics/call/lists",
                ThrottleBodyContains = "\"code\":300",
            };

            public async Task<string> ListAsync(CancellationToken stoppingToken)
            {
                using var response = await RateLimitedSend.RunAsync(AgoraPolicy, _ => http.GetAsync("beta/analytics/call/lists?page_size=100", stoppingToken), stoppingToken);
                return await response.Content.ReadAsStringAsync(stoppingToken);
            }
        }
        static class Registration
        {
            public static void Add(IServiceCollection services) =>
                services.AddHttpClient<CallsClient>(c => c.BaseAddress = new Uri("https://api.agora.io/"));
        }
        """);

    [Fact]
    public Task Synchronous_call_uses_the_synchronous_helper_and_an_undocumented_quota_gets_a_policy_without_windows() => VerifyStrictAsync(
        Usings + """
        class Artifacts
        {
            public string Get(HttpClient client) =>
                client.[|Send|](new HttpRequestMessage(HttpMethod.Get, "https://api.apps.rancher.io/v1/artifacts")).Content.ReadAsStringAsync().Result;
        }
        """,
        Usings.TrimEnd('\n') + "\nusing RateLimitAnalyzers.Pacing;\n" + """
        class Artifacts
        {
            private static readonly RateLimitPolicy SUSEPolicy = new RateLimitPolicy("api.apps.rancher.io/*")
            {
                BaseAddress = "https://api.apps.rancher.io/",
            };

            public string Get(HttpClient client) =>
                RateLimitedSend.Run(SUSEPolicy, () => client.Send(new HttpRequestMessage(HttpMethod.Get, "https://api.apps.rancher.io/v1/artifacts"))).Content.ReadAsStringAsync().Result;
        }
        """);

    [Fact]
    public Task A_request_built_before_the_call_is_sent_as_a_copy_per_attempt() => VerifyStrictAsync(
        Usings + """
        class Ingest
        {
            public async Task SendAsync(HttpClient client, HttpContent content, CancellationToken cancellationToken)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "https://api.archiva.app/api/ingest/event") { Content = content };
                using var response = await client.[|SendAsync|](request, cancellationToken);
            }
        }
        """,
        Usings.TrimEnd('\n') + "\nusing RateLimitAnalyzers.Pacing;\n" + """
        class Ingest
        {
            private static readonly RateLimitPolicy ArchivaPolicy = new RateLimitPolicy(
                "api.archiva.app/api/ingest/event",
                new QuotaWindow(100, TimeSpan.FromSeconds(60)),
                // Evenly spaced within 100 requests per 60 s, never in bursts; change it to pace faster or slower.
                QuotaWindow.MinimumInterval(TimeSpan.FromMilliseconds(600)))
            {
                BaseAddress = "https://api.archiva.app/api/ingest/event",
                ThrottleBodyContains = "\"error\":\"Rate limit exceeded\"",
            };

            public async Task SendAsync(HttpClient client, HttpContent content, CancellationToken cancellationToken)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "https://api.archiva.app/api/ingest/event") { Content = content };
                using var response = await RateLimitedSend.SendAsync(client, request, ArchivaPolicy, cancellationToken);
            }
        }
        """);

    [Fact]
    public Task A_request_created_in_the_call_is_created_afresh_for_every_attempt_with_the_methods_token() => VerifyStrictAsync(
        Usings + """
        class Applications
        {
            public Task<HttpResponseMessage> ListAsync(HttpClient client, CancellationToken stoppingToken) =>
                client.[|SendAsync|](new HttpRequestMessage(HttpMethod.Get, "https://api.apps.rancher.io/v1/applications"));
        }
        """,
        Usings.TrimEnd('\n') + "\nusing RateLimitAnalyzers.Pacing;\n" + """
        class Applications
        {
            private static readonly RateLimitPolicy SUSEPolicy = new RateLimitPolicy("api.apps.rancher.io/*")
            {
                BaseAddress = "https://api.apps.rancher.io/",
            };

            public Task<HttpResponseMessage> ListAsync(HttpClient client, CancellationToken stoppingToken) =>
                RateLimitedSend.SendAsync(client, () => new HttpRequestMessage(HttpMethod.Get, "https://api.apps.rancher.io/v1/applications"), SUSEPolicy, stoppingToken);
        }
        """);

    [Fact]
    public Task A_call_in_a_loop_the_RL0001_fix_paced_leaves_the_pacing_to_the_retrying_send() => VerifyStrictAsync(
        Usings + """
        using RateLimitAnalyzers.Pacing;

        class Export
        {
            private static readonly RequestPacer AgoraPacer = RequestPacer.Shared(
                "api.agora.io/beta/analytics/call/lists",
                QuotaWindow.PerSecond(1),
                QuotaWindow.PerDay(1000));

            public async Task RunAsync(HttpClient client, CancellationToken cancellationToken)
            {
                for (var page = 1; page <= 10; page++)
                {
                    await AgoraPacer.WaitTurnAsync(cancellationToken);
                    using var response = await client.[|GetAsync|]("https://api.agora.io/beta/analytics/call/lists?page=" + page, cancellationToken);
                }
            }
        }
        """,
        Usings + """
        using RateLimitAnalyzers.Pacing;

        class Export
        {
            private static readonly RateLimitPolicy AgoraPolicy = new RateLimitPolicy(
                "api.agora.io/beta/analytics/call/lists",
                QuotaWindow.PerSecond(1),
                QuotaWindow.PerDay(1000))
            {
                BaseAddress = "https://api.agora.io/beta/analytics/call/lists",
                ThrottleBodyContains = "\"code\":300",
            };

            public async Task RunAsync(HttpClient client, CancellationToken cancellationToken)
            {
                for (var page = 1; page <= 10; page++)
                {
                    using var response = await RateLimitedSend.RunAsync(AgoraPolicy, _ => client.GetAsync("https://api.agora.io/beta/analytics/call/lists?page=" + page, cancellationToken), cancellationToken);
                }
            }
        }
        """);

    /// <summary>The same in top-level statements, where RL0001's fix keeps the pacer in a local: the wait goes, and the local with it.</summary>
    [Fact]
    public Task A_top_level_loop_the_RL0001_fix_paced_leaves_the_pacing_to_the_retrying_send()
    {
        var test = new Verify.Test
        {
            TestCode = Usings + """
                using RateLimitAnalyzers.Pacing;

                var client = Factory.Create(new HttpClientHandler());
                RequestPacer AgoraPacer = RequestPacer.Shared(
                    "api.agora.io/beta/analytics/call/lists",
                    QuotaWindow.PerSecond(1),
                    QuotaWindow.PerDay(1000));
                for (var page = 1; page <= 10; page++)
                {
                    await AgoraPacer.WaitTurnAsync();
                    using var response = await client.[|GetAsync|]("https://api.agora.io/beta/analytics/call/lists?page=" + page);
                }

                static class Factory { public static HttpClient Create(HttpMessageHandler handler) => new HttpClient(handler); }
                """,
            FixedCode = Usings + """
                using RateLimitAnalyzers.Pacing;

                var client = Factory.Create(new HttpClientHandler());
                RateLimitPolicy AgoraPolicy = new RateLimitPolicy(
                    "api.agora.io/beta/analytics/call/lists",
                    QuotaWindow.PerSecond(1),
                    QuotaWindow.PerDay(1000))
                {
                    BaseAddress = "https://api.agora.io/beta/analytics/call/lists",
                    ThrottleBodyContains = "\"code\":300",
                };
                for (var page = 1; page <= 10; page++)
                {
                    using var response = await RateLimitedSend.RunAsync(AgoraPolicy, _ => client.GetAsync("https://api.agora.io/beta/analytics/call/lists?page=" + page));
                }

                static class Factory { public static HttpClient Create(HttpMessageHandler handler) => new HttpClient(handler); }
                """,
        };
        test.TestState.OutputKind = OutputKind.ConsoleApplication;
        test.FixedState.OutputKind = OutputKind.ConsoleApplication;
        ReportUnseenClients(test);
        return test.RunAsync();
    }

    [Fact]
    public Task A_request_built_earlier_and_sent_with_options_the_helper_lacks_is_reported_without_a_fix()
    {
        const string source = Usings + """
            class Ingest
            {
                public async Task SendAsync(HttpClient client, HttpContent content, CancellationToken cancellationToken)
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, "https://api.archiva.app/api/ingest/event") { Content = content };
                    using var response = await client.[|SendAsync|](request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                }
            }
            """;
        return VerifyStrictAsync(source, source);
    }

    [Fact]
    public Task RestSharp_and_Refit_calls_are_reported_without_a_fix()
    {
        const string source = Usings + """
            public interface IArchiva
            {
                [Refit.Post("/api/ingest/event")]
                Task SendAsync([Refit.Body] object e);
            }
            class Ingest
            {
                private readonly IArchiva _api = Refit.RestService.For<IArchiva>("https://api.archiva.app");
                private readonly RestSharp.RestClient _rest = new RestSharp.RestClient("https://api.archiva.app");
                public Task SendAsync(object e) => _api.[|SendAsync|](e);
                public Task<RestSharp.RestResponse> PostAsync() => _rest.[|ExecuteAsync|](new RestSharp.RestRequest("api/ingest/event", RestSharp.Method.Post));
            }
            """;
        return Verify.VerifyCodeFixAsync(source, source);
    }

    [Fact]
    public Task Fix_all_gives_one_client_one_handler_and_wraps_calls_elsewhere()
    {
        const string first = Usings + """
            class Ingest
            {
                private static readonly HttpClient s_client = new HttpClient();
                public Task<HttpResponseMessage> SendAsync(HttpContent e) => s_client.[|PostAsync|]("https://api.archiva.app/api/ingest/event", e);
                public HttpResponseMessage Send(HttpContent e) => s_client.[|Send|](new HttpRequestMessage(HttpMethod.Post, "https://api.archiva.app/api/ingest/event") { Content = e });
            }
            """;
        const string second = Usings + """
            class Search
            {
                public Task<string> CodeAsync(HttpClient client, string q, CancellationToken cancellationToken) =>
                    client.[|GetStringAsync|]("https://api.github.com/search/code?q=" + q, cancellationToken);
            }
            """;
        var firstFixed = Usings.TrimEnd('\n') + "\nusing RateLimitAnalyzers.Pacing;\n" + """
            class Ingest
            {
                private static readonly RateLimitPolicy ArchivaPolicy = new RateLimitPolicy(
                    "api.archiva.app/api/ingest/event",
                    new QuotaWindow(100, TimeSpan.FromSeconds(60)),
                    // Evenly spaced within 100 requests per 60 s, never in bursts; change it to pace faster or slower.
                    QuotaWindow.MinimumInterval(TimeSpan.FromMilliseconds(600)))
                {
                    BaseAddress = "https://api.archiva.app/api/ingest/event",
                    ThrottleBodyContains = "\"error\":\"Rate limit exceeded\"",
                };

                private static readonly HttpClient s_client = new HttpClient(new RateLimitedHandler(ArchivaPolicy));
                public Task<HttpResponseMessage> SendAsync(HttpContent e) => s_client.PostAsync("https://api.archiva.app/api/ingest/event", e);
                public HttpResponseMessage Send(HttpContent e) => s_client.Send(new HttpRequestMessage(HttpMethod.Post, "https://api.archiva.app/api/ingest/event") { Content = e });
            }
            """;
        var secondFixed = Usings.TrimEnd('\n') + "\nusing RateLimitAnalyzers.Pacing;\n" + """
            class Search
            {
                private static readonly RateLimitPolicy GitHubPolicy = new RateLimitPolicy(
                    "api.github.com/search/code",
                    QuotaWindow.PerMinute(10),
                    // Evenly spaced within 10 requests per minute, never in bursts; change it to pace faster or slower.
                    QuotaWindow.MinimumInterval(TimeSpan.FromSeconds(6)))
                {
                    BaseAddress = "https://api.github.com/search/code",
                    ThrottleStatusCodes = new[] { 403, 429 },
                };

                public Task<string> CodeAsync(HttpClient client, string q, CancellationToken cancellationToken) =>
                    RateLimitedSend.RunAsync(GitHubPolicy, _ => client.GetStringAsync("https://api.github.com/search/code?q=" + q, cancellationToken), cancellationToken);
            }
            """;

        var test = new Verify.Test();
        test.TestState.Sources.Add(("/0/Ingest.cs", first));
        test.TestState.Sources.Add(("/0/Search.cs", second));
        test.FixedState.Sources.Add(("/0/Ingest.cs", firstFixed));
        test.FixedState.Sources.Add(("/0/Search.cs", secondFixed));
        ReportUnseenClients(test);
        // Fix All in document fixes one document per pass: two documents, two passes.
        test.NumberOfFixAllInDocumentIterations = 2;
        return test.RunAsync();
    }

    private static Task VerifyStrictAsync(string source, string fixedSource)
    {
        var test = new Verify.Test { TestCode = source, FixedCode = fixedSource };
        ReportUnseenClients(test);
        return test.RunAsync();
    }

    /// <summary>The strict option: calls through clients made out of view, such as parameters, are reported and fixed too.</summary>
    private static void ReportUnseenClients(Verify.Test test)
    {
        var strict = ("/.editorconfig", """
            root = true

            [*.cs]
            rate_limit_analyzers.report_unseen_clients = true
            """);
        test.TestState.AnalyzerConfigFiles.Add(strict);
        test.FixedState.AnalyzerConfigFiles.Add(strict);
    }
}
