using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace RateLimitAnalyzers.Tests.Rules;

/// <summary>
/// Every RL0002 case as source with markup. The positive and negative tests run them through the analyzer,
/// and the robustness test runs every one of them truncated.
/// </summary>
public static class RL0002Cases
{
    public const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Net.Http;
        using System.Net.Http.Json;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.Extensions.DependencyInjection;
        using Polly;
        using RestSharp;

        """;

    // A typed client whose registration gives the base address: reported, and in a variant that only the syntax can read.
    private const string TypedClientRegistered = Usings + """
        class ArchivaClient
        {
            private readonly HttpClient _http;
            public ArchivaClient(HttpClient http) => _http = http;
            public Task<HttpResponseMessage> SendAsync(HttpContent content) => _http.[|PostAsync|]("api/ingest/event", content);
        }
        static class Registration
        {
            public static void Add(IServiceCollection services) =>
                services.AddHttpClient<ArchivaClient>(client => client.BaseAddress = new Uri("https://api.archiva.app/"));
        }
        """;

    /// <summary>Calls to catalogued endpoints with nothing that retries them; the method name is marked.</summary>
    public static readonly IReadOnlyDictionary<string, string> Reported = new Dictionary<string, string>
    {
        ["absolute URL literal through a client made here"] = Usings + """
            class Ingest
            {
                public async Task SendAsync(HttpContent content)
                {
                    var client = new HttpClient();
                    await client.[|PostAsync|]("https://api.archiva.app/api/ingest/event", content);
                }
            }
            """,

        ["constant URL and a static client"] = Usings + """
            class Ingest
            {
                private const string Endpoint = "https://api.archiva.app/api/ingest/event";
                private static readonly HttpClient s_client = new HttpClient();
                public Task<HttpResponseMessage> SendAsync(HttpContent content) => s_client.[|PostAsync|](Endpoint, content);
            }
            """,

        ["interpolated URL with a query"] = Usings + """
            class Calls
            {
                private readonly HttpClient _client = new();
                public Task<string> ListAsync(long start, long end) =>
                    _client.[|GetStringAsync|]($"https://api.agora.io/beta/analytics/call/lists?start_ts={start}&end_ts={end}&page_size=100");
            }
            """,

        ["concatenated URL to GitHub"] = Usings + """
            class Issues
            {
                private readonly HttpClient _client = new();
                public Task<string> ListAsync(string owner, string repo) =>
                    _client.[|GetStringAsync|]("https://api.github.com" + "/repos/" + owner + "/" + repo + "/issues?per_page=100");
            }
            """,

        ["new Uri(base, relative)"] = Usings + """
            class Ingest
            {
                private static readonly Uri s_base = new Uri("https://api.archiva.app/");
                private readonly HttpClient _client = new();
                public Task<HttpResponseMessage> SendAsync(HttpContent content) =>
                    _client.[|PostAsync|](new Uri(new Uri("https://api.archiva.app/"), "api/ingest/event"), content);
            }
            """,

        ["HttpRequestMessage with SendAsync"] = Usings + """
            class Ingest
            {
                private readonly HttpClient _client = new();
                public async Task SendAsync(HttpContent content, CancellationToken cancellationToken)
                {
                    var request = new HttpRequestMessage(HttpMethod.Post, "https://api.archiva.app/api/ingest/event") { Content = content };
                    using var response = await _client.[|SendAsync|](request, cancellationToken);
                }
            }
            """,

        ["synchronous Send"] = Usings + """
            class Ingest
            {
                private readonly HttpClient _client = new();
                public void Send(HttpContent content) =>
                    _client.[|Send|](new HttpRequestMessage(HttpMethod.Post, "https://api.archiva.app/api/ingest/event") { Content = content }).Dispose();
            }
            """,

        ["JSON extension"] = Usings + """
            class Ingest
            {
                private readonly HttpClient _client = new();
                public Task<HttpResponseMessage> SendAsync(object e) => _client.[|PostAsJsonAsync|]("https://api.archiva.app/api/ingest/event", e);
            }
            """,

        ["BaseAddress in an object initializer"] = Usings + """
            class Ingest
            {
                private readonly HttpClient _client = new HttpClient { BaseAddress = new Uri("https://api.archiva.app") };
                public Task<HttpResponseMessage> SendAsync(HttpContent content) => _client.[|PostAsync|]("/api/ingest/event", content);
            }
            """,

        ["BaseAddress set in the constructor"] = Usings + """
            class Calls
            {
                private readonly HttpClient _client;
                public Calls()
                {
                    _client = new HttpClient();
                    _client.BaseAddress = new Uri("https://api.agora.io/beta/analytics/");
                }
                public Task<HttpResponseMessage> ListAsync(CancellationToken cancellationToken) => _client.[|GetAsync|]("call/lists?page_size=100", cancellationToken);
            }
            """,

        ["BaseAddress on a local client"] = Usings + """
            class Calls
            {
                public async Task<string> ListAsync()
                {
                    using var client = new HttpClient(new HttpClientHandler());
                    client.BaseAddress = new Uri("https://api.github.com/");
                    return await client.[|GetStringAsync|]("repos/dotnet/runtime/issues");
                }
            }
            """,

        ["typed client registered with a base address"] = TypedClientRegistered,

        // The registration index finds registrations where the files' text names them; a name its text reader cannot
        // read (a unicode escape) sends the file to the syntax, where the call is still found.
        ["typed client registered under a name written with a unicode escape"] = TypedClientRegistered.Replace("services.AddHttpClient<", "services.AddHttp\\u0043lient<", StringComparison.Ordinal),

        ["typed client used straight from the constructor parameter"] = Usings + """
            class ArchivaClient(HttpClient http)
            {
                public Task<HttpResponseMessage> SendAsync(HttpContent content) => http.[|PostAsync|]("api/ingest/event", content);
            }
            static class Registration
            {
                public static void Add(IServiceCollection services) =>
                    services.AddHttpClient<ArchivaClient>(client => client.BaseAddress = new Uri("https://api.archiva.app/"))
                        .SetHandlerLifetime(TimeSpan.FromMinutes(5));
            }
            """,

        ["named client with its base address in ConfigureHttpClient"] = Usings + """
            class Export
            {
                private readonly IHttpClientFactory _factory;
                public Export(IHttpClientFactory factory) => _factory = factory;
                public Task<string> ListAsync() => _factory.CreateClient("agora").[|GetStringAsync|]("beta/analytics/call/lists?page_size=100");
            }
            static class Registration
            {
                public static void Add(IServiceCollection services) =>
                    services.AddHttpClient("agora").ConfigureHttpClient(c => c.BaseAddress = new Uri("https://api.agora.io/"));
            }
            """,

        ["RestSharp client with a base URL"] = Usings + """
            class Ingest
            {
                private readonly RestSharp.RestClient _client = new RestSharp.RestClient("https://api.archiva.app");
                public Task<RestSharp.RestResponse> SendAsync(object e) =>
                    _client.[|ExecuteAsync|](new RestSharp.RestRequest("api/ingest/event", RestSharp.Method.Post).AddJsonBody(e));
            }
            """,

        ["RestSharp options with a base URL"] = Usings + """
            class Calls
            {
                private readonly RestSharp.RestClient _client = new RestSharp.RestClient(new RestSharp.RestClientOptions("https://api.agora.io"));
                public Task<RestSharp.RestResponse> ListAsync() => _client.[|ExecuteGetAsync|](new RestSharp.RestRequest("/beta/analytics/call/lists"));
            }
            """,

        ["Refit interface made by RestService.For"] = Usings + """
            public interface IArchiva
            {
                [Refit.Post("/api/ingest/event")]
                Task SendAsync([Refit.Body] object e);
            }
            class Ingest
            {
                private readonly IArchiva _api = Refit.RestService.For<IArchiva>("https://api.archiva.app");
                public Task SendAsync(object e) => _api.[|SendAsync|](e);
            }
            """,

        ["Refit client registered with AddRefitClient"] = "using Refit;\n" + Usings + """
            public interface IGitHub
            {
                [Refit.Get("/repos/{owner}/{repo}/issues")]
                Task<string> IssuesAsync(string owner, string repo);
            }
            class Issues(IGitHub github)
            {
                public Task<string> ListAsync() => github.[|IssuesAsync|]("dotnet", "runtime");
            }
            static class Registration
            {
                public static void Add(IServiceCollection services) =>
                    services.AddRefitClient<IGitHub>().ConfigureHttpClient(c => c.BaseAddress = new Uri("https://api.github.com"));
            }
            """,

        ["distinctive relative path on a client made here"] = Usings + """
            class Ingest
            {
                private readonly HttpClient _client;
                public Ingest(Uri baseAddress) => _client = new HttpClient { BaseAddress = baseAddress };
                public Task<HttpResponseMessage> SendAsync(HttpContent content) => _client.[|PostAsync|]("api/ingest/event", content);
            }
            """,

        ["endpoint limited without a documented number"] = Usings + """
            class Artifacts
            {
                private readonly HttpClient _client = new();
                public Task<string> GetAsync(string app) => _client.[|GetStringAsync|]("https://api.apps.rancher.io/v1/applications/" + app);
            }
            """,

        ["a Polly pipeline without a retry"] = Usings + """
            class Ingest
            {
                private readonly HttpClient _client = new();
                private readonly Polly.ResiliencePipeline _pipeline = new Polly.ResiliencePipelineBuilder().AddTimeout(TimeSpan.FromSeconds(10)).Build();
                public async Task SendAsync(HttpContent content) =>
                    await _pipeline.ExecuteAsync(async ct => await _client.[|PostAsync|]("https://api.archiva.app/api/ingest/event", content, ct));
            }
            """,

        ["a platform handler chain does not retry"] = Usings + """
            class Ingest
            {
                private readonly HttpClient _client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) });
                public Task<HttpResponseMessage> SendAsync(HttpContent content) => _client.[|PostAsync|]("https://api.archiva.app/api/ingest/event", content);
            }
            """,

        ["a paging loop is not a retry"] = Usings + """
            class Page { public List<string> Calls { get; set; } = new(); public string? Cursor { get; set; } }
            class Export
            {
                private readonly HttpClient _client = new();
                public async Task RunAsync()
                {
                    string? cursor = null;
                    do
                    {
                        await Task.Delay(1000);
                        var page = await _client.[|GetFromJsonAsync|]<Page>("https://api.agora.io/beta/analytics/call/lists?cursor=" + cursor);
                        cursor = page?.Cursor;
                    }
                    while (cursor != null);
                }
            }
            """,

        // The real-code patterns (realcode-patterns.md F-10, M-4, M-5), in more than one shape.
        ["M-5 sync: WebClient.DownloadString to a catalogued API"] = Usings + """
            class Repos
            {
                public string Get(string name)
                {
                    #pragma warning disable SYSLIB0014
                    using var web = new System.Net.WebClient();
                    #pragma warning restore SYSLIB0014
                    return web.[|DownloadString|]("https://api.github.com/repos/" + name);
                }
            }
            """,

        ["M-5 async: HttpWebRequest.GetResponseAsync to a catalogued API"] = Usings + """
            record Repos(string Name)
            {
                public async Task<System.Net.WebResponse> GetAsync()
                {
                    #pragma warning disable SYSLIB0014
                    var request = System.Net.WebRequest.CreateHttp("https://api.github.com/repos/" + Name);
                    #pragma warning restore SYSLIB0014
                    return await request.[|GetResponseAsync|]();
                }
            }
            """,

        ["F-10: the first request is reported, the ones the project's retry helper repeats are not"] = Usings + """
            static class RetryHelper
            {
                public static async Task Retry(Func<Task> action, int tries, TimeSpan delay, CancellationToken ct)
                {
                    for (var attempt = 1; ; attempt++)
                    {
                        try { await action(); return; }
                        catch (HttpRequestException) when (attempt < tries) { await Task.Delay(delay, ct); }
                    }
                }
            }
            class Release
            {
                private readonly HttpClient http = new();
                public async Task PublishAsync(string[] files, long releaseId)
                {
                    var request = new HttpRequestMessage(HttpMethod.Post, "https://api.github.com/repos/o/r/releases");
                    var response = await http.[|SendAsync|](request);
                    foreach (var file in files)
                        await RetryHelper.Retry(async () =>
                        {
                            request = new HttpRequestMessage(HttpMethod.Post, $"https://api.github.com/repos/o/r/releases/{releaseId}/assets?name={System.IO.Path.GetFileName(file)}");
                            request.Content = new StreamContent(System.IO.File.OpenRead(file));
                            response = await http.SendAsync(request);
                            response.EnsureSuccessStatusCode();
                        }, 3, TimeSpan.FromSeconds(1), CancellationToken.None);
                }
            }
            """,

        ["F-10: a reassigned request is resolved to the assignment that reaches the send"] = Usings + """
            class Release
            {
                private readonly HttpClient _http = new();
                public HttpResponseMessage Publish(string tag)
                {
                    var request = new HttpRequestMessage(HttpMethod.Get, "https://example.com/health");
                    _http.Send(request);
                    request = new HttpRequestMessage(HttpMethod.Post, "https://api.github.com/repos/o/r/releases");
                    request.Content = new StringContent(tag);
                    return _http.[|Send|](request);
                }
            }
            """,

        ["M-4 async: the URL is string.Format of a property's default"] = Usings + """
            class OpenAiLike
            {
                public string ApiUrlFormat { get; set; } = "https://api.openai.com/{0}/{1}";
                readonly HttpClient _client = new();
                public Task<HttpResponseMessage> Complete(HttpContent body) =>
                    _client.[|PostAsync|](string.Format(ApiUrlFormat, "v1", "chat/completions"), body);
            }
            """,

        ["M-4 async: the base address reaches the client through a constructor chain and a factory method"] = Usings + """
            class MbClient
            {
                public const string ServiceBaseAddress = "https://musicbrainz.org/ws/2/";
                readonly HttpClient client;
                public MbClient() : this(ServiceBaseAddress) { }
                public MbClient(string baseAddress) : this(Create(new Uri(baseAddress))) { }
                public MbClient(HttpClient httpClient) { client = httpClient; }
                static HttpClient Create(Uri baseAddress) { var c = new HttpClient(); c.BaseAddress = baseAddress; return c; }
                public Task<string> Artist(string id) => client.[|GetStringAsync|]("artist/" + id + "?fmt=json");
            }
            """,

        ["M-4 sync: the base URL is a field's default in a record"] = Usings + """
            record GitHub
            {
                private readonly string _root = "https://api.github.com/";
                private readonly HttpClient _http = new();
                public HttpResponseMessage Repo(string name) => _http.[|Send|](new HttpRequestMessage(HttpMethod.Get, _root + "repos/" + name));
            }
            """,

        ["a client shared by several APIs with a handler for one of them"] = Usings + """
            using RateLimitAnalyzers.Pacing;
            class Backend
            {
                private static readonly RateLimitPolicy ArchivaPolicy = new RateLimitPolicy("api.archiva.app/api/ingest/event", new QuotaWindow(100, TimeSpan.FromSeconds(60))) { BaseAddress = "https://api.archiva.app/" };
                private static readonly HttpClient s_client = new HttpClient(new RateLimitedHandler(ArchivaPolicy));
                public Task<HttpResponseMessage> IngestAsync(HttpContent content) => s_client.PostAsync("https://api.archiva.app/api/ingest/event", content);
                public Task<string> IssuesAsync(string repo) => s_client.[|GetStringAsync|]("https://api.github.com/repos/" + repo + "/issues");
            }
            """,

        ["a handler whose policy without a base address is keyed for another API, beside one with a base address"] = Usings + """
            using RateLimitAnalyzers.Pacing;
            class Backend
            {
                private static readonly HttpClient s_client = new HttpClient(new RateLimitedHandler(
                    new RateLimitPolicy("api.archiva.app/api/ingest/event", new QuotaWindow(100, TimeSpan.FromSeconds(60))),
                    new RateLimitPolicy("quotes.example.com", QuotaWindow.PerSecond(5)) { BaseAddress = "https://quotes.example.com/" }));
                public Task<string> IssuesAsync(string repo) => s_client.[|GetStringAsync|]($"https://api.github.com/repos/{repo}/issues");
            }
            """,

        ["a typed client's registered handler with a policy for another API"] = Usings + """
            using RateLimitAnalyzers.Pacing;
            class GitHubClient(HttpClient http)
            {
                public Task<string> IssuesAsync(string repo) => http.[|GetStringAsync|]($"repos/{repo}/issues");
            }
            static class Registration
            {
                private static readonly RateLimitPolicy ArchivaPolicy = new RateLimitPolicy("api.archiva.app/api/ingest/event") { BaseAddress = "https://api.archiva.app/" };
                public static void Add(IServiceCollection services) =>
                    services.AddHttpClient<GitHubClient>(c => c.BaseAddress = new Uri("https://api.github.com/"))
                        .AddHttpMessageHandler(() => RateLimitedHandler.ForHttpClientFactory(ArchivaPolicy));
            }
            """,

        ["a handler made in a local, with a policy for another API"] = Usings + """
            using RateLimitAnalyzers.Pacing;
            class Backend
            {
                public async Task<string> IssuesAsync(string repo)
                {
                    var handler = new RateLimitedHandler(new RateLimitPolicy("quotes.example.com", QuotaWindow.PerSecond(5)) { BaseAddress = "https://quotes.example.com/" });
                    using var client = new HttpClient(handler);
                    return await client.[|GetStringAsync|]($"https://api.github.com/repos/{repo}/issues");
                }
            }
            """,
    };

    /// <summary>Calls that are retried, or whose target or client the code does not show.</summary>
    public static readonly IReadOnlyDictionary<string, string> NotReported = new Dictionary<string, string>
    {
        ["an endpoint the catalog does not know"] = Usings + """
            class Client
            {
                private readonly HttpClient _client = new();
                public Task<string> GetAsync() => _client.GetStringAsync("https://api.example.com/v1/items");
            }
            """,

        ["a method the entry does not limit"] = Usings + """
            class Ingest
            {
                private readonly HttpClient _client = new();
                public Task<string> ListAsync() => _client.GetStringAsync("https://api.archiva.app/api/ingest/event");
            }
            """,

        ["Polly's PolicyHttpMessageHandler"] = Usings + """
            class Ingest
            {
                private static readonly Polly.IAsyncPolicy<HttpResponseMessage> s_retry =
                    Polly.Extensions.Http.HttpPolicyExtensions.HandleTransientHttpError().WaitAndRetryAsync(3, n => TimeSpan.FromSeconds(n));
                private readonly HttpClient _client = new HttpClient(new Microsoft.Extensions.Http.PolicyHttpMessageHandler(s_retry) { InnerHandler = new HttpClientHandler() });
                public Task<HttpResponseMessage> SendAsync(HttpContent content) => _client.PostAsync("https://api.archiva.app/api/ingest/event", content);
            }
            """,

        ["a ResilienceHandler"] = Usings + """
            class Ingest
            {
                private readonly HttpClient _client;
                public Ingest(Polly.ResiliencePipeline<HttpResponseMessage> pipeline) =>
                    _client = new HttpClient(new Microsoft.Extensions.Http.Resilience.ResilienceHandler(pipeline) { InnerHandler = new HttpClientHandler() });
                public Task<HttpResponseMessage> SendAsync(HttpContent content) => _client.PostAsync("https://api.archiva.app/api/ingest/event", content);
            }
            """,

        ["a handler of the user's own might retry"] = Usings + """
            class RetryHandler : DelegatingHandler
            {
                public RetryHandler() : base(new HttpClientHandler()) { }
            }
            class Ingest
            {
                private readonly HttpClient _client = new HttpClient(new RetryHandler());
                public Task<HttpResponseMessage> SendAsync(HttpContent content) => _client.PostAsync("https://api.archiva.app/api/ingest/event", content);
            }
            """,

        ["typed client with AddStandardResilienceHandler"] = Usings + """
            class ArchivaClient(HttpClient http)
            {
                public Task<HttpResponseMessage> SendAsync(HttpContent content) => http.PostAsync("api/ingest/event", content);
            }
            static class Registration
            {
                public static void Add(IServiceCollection services) =>
                    services.AddHttpClient<ArchivaClient>(c => c.BaseAddress = new Uri("https://api.archiva.app/")).AddStandardResilienceHandler();
            }
            """,

        ["typed client with AddResilienceHandler holding a retry"] = Usings + """
            class ArchivaClient(HttpClient http)
            {
                public Task<HttpResponseMessage> SendAsync(HttpContent content) => http.PostAsync("api/ingest/event", content);
            }
            static class Registration
            {
                public static void Add(IServiceCollection services)
                {
                    var builder = services.AddHttpClient<ArchivaClient>(c => c.BaseAddress = new Uri("https://api.archiva.app/"));
                    builder.AddResilienceHandler("archiva", pipeline => pipeline.AddRetry(new Microsoft.Extensions.Http.Resilience.HttpRetryStrategyOptions()));
                }
            }
            """,

        ["named client with AddPolicyHandler"] = Usings + """
            class Export(IHttpClientFactory factory)
            {
                public Task<string> ListAsync() => factory.CreateClient("agora").GetStringAsync("beta/analytics/call/lists");
            }
            static class Registration
            {
                public static void Add(IServiceCollection services) =>
                    services.AddHttpClient("agora", c => c.BaseAddress = new Uri("https://api.agora.io/"))
                        .AddPolicyHandler(Polly.Policy<HttpResponseMessage>.HandleResult(r => (int)r.StatusCode == 429).WaitAndRetryAsync(5, n => TimeSpan.FromSeconds(1 << n)));
            }
            """,

        ["named client with AddTransientHttpErrorPolicy"] = Usings + """
            class Export(IHttpClientFactory factory)
            {
                public Task<string> ListAsync() => factory.CreateClient("agora").GetStringAsync("beta/analytics/call/lists");
            }
            static class Registration
            {
                public static void Add(IServiceCollection services) =>
                    services.AddHttpClient("agora", c => c.BaseAddress = new Uri("https://api.agora.io/"))
                        .AddTransientHttpErrorPolicy(p => p.WaitAndRetryAsync(5, n => TimeSpan.FromSeconds(1 << n)));
            }
            """,

        ["every factory client gets a resilience handler by default"] = Usings + """
            class Export(IHttpClientFactory factory)
            {
                public Task<string> ListAsync() => factory.CreateClient("agora").GetStringAsync("beta/analytics/call/lists");
            }
            static class Registration
            {
                public static void Add(IServiceCollection services)
                {
                    services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler());
                    services.AddHttpClient("agora", c => c.BaseAddress = new Uri("https://api.agora.io/"));
                }
            }
            """,

        ["a registration extension of the user's own might retry"] = Usings + """
            static class MyResilience
            {
                public static IHttpClientBuilder AddCompanyResilience(this IHttpClientBuilder builder) => builder;
            }
            class ArchivaClient(HttpClient http)
            {
                public Task<HttpResponseMessage> SendAsync(HttpContent content) => http.PostAsync("api/ingest/event", content);
            }
            static class Registration
            {
                public static void Add(IServiceCollection services) =>
                    services.AddHttpClient<ArchivaClient>(c => c.BaseAddress = new Uri("https://api.archiva.app/")).AddCompanyResilience();
            }
            """,

        ["Polly v8 pipeline with a retry"] = Usings + """
            class Ingest
            {
                private readonly HttpClient _client = new();
                private readonly Polly.ResiliencePipeline _pipeline = new Polly.ResiliencePipelineBuilder()
                    .AddRetry(new Polly.Retry.RetryStrategyOptions { MaxRetryAttempts = 5, BackoffType = Polly.DelayBackoffType.Exponential })
                    .Build();
                public async Task SendAsync(HttpContent content) =>
                    await _pipeline.ExecuteAsync(async ct => await _client.PostAsync("https://api.archiva.app/api/ingest/event", content, ct));
            }
            """,

        ["Polly v7 policy with a retry"] = Usings + """
            class Ingest
            {
                private readonly HttpClient _client = new();
                private readonly Polly.IAsyncPolicy<HttpResponseMessage> _policy = Polly.Policy<HttpResponseMessage>
                    .HandleResult(r => (int)r.StatusCode == 429)
                    .WaitAndRetryAsync(5, n => TimeSpan.FromSeconds(1 << n));
                public Task<HttpResponseMessage> SendAsync(HttpContent content) =>
                    _policy.ExecuteAsync(() => _client.PostAsync("https://api.archiva.app/api/ingest/event", content));
            }
            """,

        ["a pipeline built out of view"] = Usings + """
            class Ingest(HttpClient client, Polly.ResiliencePipeline pipeline)
            {
                private readonly HttpClient _client = new();
                public async Task SendAsync(HttpContent content) =>
                    await pipeline.ExecuteAsync(async ct => await _client.PostAsync("https://api.archiva.app/api/ingest/event", content, ct));
            }
            """,

        ["a retry loop around the call"] = Usings + """
            class Ingest
            {
                private readonly HttpClient _client = new();
                public async Task SendAsync(HttpContent content)
                {
                    for (var attempt = 0; attempt < 5; attempt++)
                    {
                        using var response = await _client.PostAsync("https://api.archiva.app/api/ingest/event", content);
                        if (response.StatusCode != System.Net.HttpStatusCode.TooManyRequests) return;
                        await Task.Delay(TimeSpan.FromSeconds(1 << attempt));
                    }
                }
            }
            """,

        ["the runtime's retrying handler"] = Usings + """
            using RateLimitAnalyzers.Pacing;
            class Ingest
            {
                private static readonly HttpClient s_client = new HttpClient(new RateLimitedHandler(
                    new RateLimitPolicy("api.archiva.app/api/ingest/event", new QuotaWindow(100, TimeSpan.FromSeconds(60)))));
                public Task<HttpResponseMessage> SendAsync(HttpContent content) => s_client.PostAsync("https://api.archiva.app/api/ingest/event", content);
            }
            """,

        ["the runtime's retrying handler in the HttpClient factory"] = Usings + """
            using RateLimitAnalyzers.Pacing;
            class ArchivaClient(HttpClient http)
            {
                public Task<HttpResponseMessage> SendAsync(HttpContent content) => http.PostAsync("api/ingest/event", content);
            }
            static class Registration
            {
                public static void Add(IServiceCollection services) =>
                    services.AddHttpClient<ArchivaClient>(c => c.BaseAddress = new Uri("https://api.archiva.app/"))
                        .AddHttpMessageHandler(() => RateLimitedHandler.ForHttpClientFactory(new RateLimitPolicy("api.archiva.app/api/ingest/event")));
            }
            """,

        ["the runtime's retrying helper"] = Usings + """
            using RateLimitAnalyzers.Pacing;
            class Ingest
            {
                private readonly HttpClient _client = new();
                public Task<HttpResponseMessage> SendAsync(HttpContent content, CancellationToken cancellationToken) =>
                    RateLimitedSend.RunAsync(new RateLimitPolicy("api.archiva.app/api/ingest/event"), ct => _client.PostAsync("https://api.archiva.app/api/ingest/event", content, ct), cancellationToken);
            }
            """,

        ["a client passed in from out of view"] = Usings + """
            class Ingest
            {
                public Task<HttpResponseMessage> SendAsync(HttpClient client, HttpContent content) =>
                    client.PostAsync("https://api.archiva.app/api/ingest/event", content);
            }
            """,

        ["a typed client with no registration in view"] = Usings + """
            class ArchivaClient(HttpClient http)
            {
                public Task<HttpResponseMessage> SendAsync(HttpContent content) => http.PostAsync("https://api.archiva.app/api/ingest/event", content);
            }
            """,

        ["a relative path that is not distinctive"] = Usings + """
            class Repos
            {
                private readonly HttpClient _client;
                public Repos(Uri baseAddress) => _client = new HttpClient { BaseAddress = baseAddress };
                public Task<string> IssuesAsync() => _client.GetStringAsync("repos/dotnet/runtime/issues");
            }
            """,

        // The real-code patterns behind false warnings (realcode-patterns.md F-7, F-10), in more than one shape.
        ["F-7: a best-effort probe whose only caller retries it with backoff"] = Usings + """
            class Probe
            {
                public async Task<bool> IsUpAsync(HttpClient client)
                {
                    for (var attempt = 0; ; attempt++)
                    {
                        try { return await CheckAsync(client); }
                        catch (HttpRequestException) when (attempt < 3) { await Task.Delay(1000 << attempt); }
                    }
                }
                private static async Task<bool> CheckAsync(HttpClient client)
                {
                    try { return (await client.GetAsync("https://api.github.com/rate_limit")).IsSuccessStatusCode; }
                    catch (HttpRequestException e) { Console.WriteLine(e.Message); throw; }
                }
            }
            """,

        ["F-10: a request reassigned to an endpoint the catalog does not know"] = Usings + """
            class Release
            {
                private readonly HttpClient _http = new();
                public async Task UploadAsync(long releaseId, string file)
                {
                    var request = new HttpRequestMessage(HttpMethod.Post, "https://api.github.com/repos/o/r/releases");
                    request = new HttpRequestMessage(HttpMethod.Post, $"https://uploads.github.com/repos/o/r/releases/{releaseId}/assets?name={file}");
                    await _http.SendAsync(request);
                }
            }
            """,

        ["F-10 sync: the project's retry helper in a record repeats the request after a wait"] = Usings + """
            record Retrying
            {
                private readonly HttpClient Http = new();
                static T WithRetries<T>(Func<T> send)
                {
                    var attempt = 0;
                    while (true)
                    {
                        try { return send(); }
                        catch (HttpRequestException) when (++attempt < 4) { Thread.Sleep(1000 * attempt); }
                    }
                }
                public HttpResponseMessage Issues() => WithRetries(() => Http.Send(new HttpRequestMessage(HttpMethod.Get, "https://api.github.com/repos/o/r/issues")));
            }
            """,

        ["a client shared by several APIs whose handler has a policy for each (static readonly fields)"] = Usings + """
            using RateLimitAnalyzers.Pacing;
            class Backend
            {
                private static readonly RateLimitPolicy ArchivaPolicy = new RateLimitPolicy("api.archiva.app/api/ingest/event", new QuotaWindow(100, TimeSpan.FromSeconds(60))) { BaseAddress = "https://api.archiva.app/" };
                private static readonly RateLimitPolicy GitHubPolicy = new RateLimitPolicy("api.github.com", QuotaWindow.PerHour(5000)) { BaseAddress = "https://api.github.com/" };
                private static readonly HttpClient s_client = new HttpClient(new RateLimitedHandler(ArchivaPolicy, GitHubPolicy));
                public Task<HttpResponseMessage> IngestAsync(HttpContent content) => s_client.PostAsync("https://api.archiva.app/api/ingest/event", content);
                public Task<string> IssuesAsync(string repo) => s_client.GetStringAsync("https://api.github.com/repos/" + repo + "/issues");
            }
            """,

        ["a handler's policy without a base address keyed by the catalog's key, beside one with a base address"] = Usings + """
            using RateLimitAnalyzers.Pacing;
            class Backend
            {
                private static readonly HttpClient s_client = new HttpClient(new RateLimitedHandler(
                    new RateLimitPolicy("api.github.com/*", QuotaWindow.PerHour(5000)),
                    new RateLimitPolicy("quotes.example.com", QuotaWindow.PerSecond(5)) { BaseAddress = "https://quotes.example.com/" }));
                public Task<string> IssuesAsync(string repo) => s_client.GetStringAsync($"https://api.github.com/repos/{repo}/issues");
            }
            """,

        ["a typed client's registered handler with policies for several APIs, this one's among them"] = Usings + """
            using RateLimitAnalyzers.Pacing;
            class GitHubClient(HttpClient http)
            {
                public Task<string> IssuesAsync(string repo) => http.GetStringAsync($"repos/{repo}/issues");
            }
            static class Registration
            {
                private static readonly RateLimitPolicy ArchivaPolicy = new RateLimitPolicy("api.archiva.app/api/ingest/event") { BaseAddress = "https://api.archiva.app/" };
                private static readonly RateLimitPolicy GitHubPolicy = new RateLimitPolicy("api.github.com", QuotaWindow.PerHour(5000)) { BaseAddress = "https://api.github.com/" };
                public static void Add(IServiceCollection services) =>
                    services.AddHttpClient<GitHubClient>(c => c.BaseAddress = new Uri("https://api.github.com/"))
                        .AddHttpMessageHandler(() => RateLimitedHandler.ForHttpClientFactory(ArchivaPolicy, GitHubPolicy));
            }
            """,

        ["a handler whose policies come from elsewhere"] = Usings + """
            using RateLimitAnalyzers.Pacing;
            class Backend(RateLimitPolicy[] policies)
            {
                private readonly HttpClient _client = new HttpClient(new RateLimitedHandler(policies));
                public Task<string> IssuesAsync(string repo) => _client.GetStringAsync($"https://api.github.com/repos/{repo}/issues");
            }
            """,

        ["a handler made in a local, with a policy for this API"] = Usings + """
            using RateLimitAnalyzers.Pacing;
            class Backend
            {
                public async Task<string> IssuesAsync(string repo)
                {
                    var handler = new RateLimitedHandler(new RateLimitPolicy("api.github.com", QuotaWindow.PerHour(5000)) { BaseAddress = "https://api.github.com/" });
                    using var client = new HttpClient(handler);
                    return await client.GetStringAsync($"https://api.github.com/repos/{repo}/issues");
                }
            }
            """,
    };

    public static TheoryData<string> ReportedNames => new(Reported.Keys);

    public static TheoryData<string> NotReportedNames => new(NotReported.Keys);

    public static IEnumerable<string> All => Reported.Values.Concat(NotReported.Values);
}
