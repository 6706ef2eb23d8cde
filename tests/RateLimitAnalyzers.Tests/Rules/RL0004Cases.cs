using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace RateLimitAnalyzers.Tests.Rules;

/// <summary>
/// Every RL0004 case as source with markup: the loop keyword, the recursive call, the Polly options or retry call. The
/// positive and negative tests run them through the analyzer, the root-cause tests through every analyzer, and the
/// robustness test truncated.
/// </summary>
public static class RL0004Cases
{
    public const string Usings = RL0003Cases.Usings;

    public const string PollyUsings = RL0003Cases.PollyUsings;

    /// <summary>An SDK whose responses wrap the HTTP response (octokit.net's <c>IApiResponse&lt;T&gt;.HttpResponse</c>), sending through an interface.</summary>
    private const string WrappingSdk = """
        using System.Net;
        public interface IResponse { HttpStatusCode StatusCode { get; } }
        public interface IApiResponse<T> { T Body { get; } IResponse HttpResponse { get; } }
        public interface IConnection { Task<IApiResponse<T>> Get<T>(Uri uri, CancellationToken cancellationToken); }
        class Connection(HttpClient http) : IConnection
        {
            public async Task<IApiResponse<T>> Get<T>(Uri uri, CancellationToken cancellationToken) =>
                Wrap<T>(await http.GetAsync(uri, cancellationToken));

            private static IApiResponse<T> Wrap<T>(HttpResponseMessage message) => throw new NotImplementedException();
        }

        """;

    /// <summary>Retries of HTTP work with no wait, a constant wait, or no bound.</summary>
    public static readonly IReadOnlyDictionary<string, string> Reported = new Dictionary<string, string>
    {
        ["async: while (true) until success, no wait and no limit"] = Usings + """
            class Report
            {
                public async Task<HttpResponseMessage> FetchAsync(HttpClient client, CancellationToken cancellationToken)
                {
                    [|while|] (true)
                    {
                        var response = await client.GetAsync("https://api.example.com/v1/report", cancellationToken);
                        if (response.IsSuccessStatusCode) return response;
                    }
                }
            }
            """,

        ["sync: while (true) until success, no wait and no limit"] = Usings + """
            class Report
            {
                public HttpResponseMessage Fetch(HttpClient client)
                {
                    [|while|] (true)
                    {
                        var response = client.Send(new HttpRequestMessage(HttpMethod.Get, "https://api.example.com/v1/report"));
                        if (response.IsSuccessStatusCode) return response;
                    }
                }
            }
            """,

        ["sync: a for loop that catches and tries again at once"] = Usings + """
            class Report
            {
                public string Fetch(HttpClient client)
                {
                    [|for|] (var attempt = 0; attempt < 3; attempt++)
                    {
                        try
                        {
                            using var response = client.Send(new HttpRequestMessage(HttpMethod.Get, "https://api.example.com/v1/report"));
                            response.EnsureSuccessStatusCode();
                            return "ok";
                        }
                        catch (HttpRequestException)
                        {
                        }
                    }

                    return "failed";
                }
            }
            """,

        ["async: the same Task.Delay before every attempt"] = Usings + """
            class Ingest
            {
                public async Task SendAsync(HttpClient client, HttpContent content, CancellationToken cancellationToken)
                {
                    [|for|] (var attempt = 0; attempt < 5; attempt++)
                    {
                        try
                        {
                            using var response = await client.PostAsync("https://api.example.com/v1/events", content, cancellationToken);
                            response.EnsureSuccessStatusCode();
                            return;
                        }
                        catch (HttpRequestException)
                        {
                            await Task.Delay(1000, cancellationToken);
                        }
                    }
                }
            }
            """,

        ["sync: a constant Thread.Sleep while the response is not a success"] = Usings + """
            class Report
            {
                public HttpResponseMessage Fetch(HttpClient client)
                {
                    HttpResponseMessage response;
                    var attempts = 0;
                    [|do|]
                    {
                        response = client.Send(new HttpRequestMessage(HttpMethod.Get, "https://api.example.com/v1/report"));
                        if (response.IsSuccessStatusCode) break;
                        Thread.Sleep(TimeSpan.FromSeconds(2));
                    }
                    while (++attempts < 4);
                    return response;
                }
            }
            """,

        // A foreach over fallbacks (FeedCord tries the user agents a site's robots.txt names) repeats the same GET at once
        // until one succeeds: no backoff, but the collection bounds it, so not "forever".
        ["async: a foreach over fallback user agents sends the same GET again at once until one succeeds"] = Usings + """
            class Feed
            {
                public async Task<HttpResponseMessage?> FetchAsync(HttpClient client, List<string> agents)
                {
                    [|foreach|] (var agent in agents)
                    {
                        var request = new HttpRequestMessage(HttpMethod.Get, "https://api.example.com/v1/feed");
                        request.Headers.UserAgent.ParseAdd(agent);
                        var response = await client.SendAsync(request);
                        if (response.IsSuccessStatusCode) return response;
                    }
                    return null;
                }
            }
            """,

        ["async: a doubling wait, but while (true) with no limit or deadline"] = Usings + """
            class Report
            {
                public async Task<string> FetchAsync(HttpClient client)
                {
                    var delay = TimeSpan.FromMilliseconds(200);
                    [|while|] (true)
                    {
                        try
                        {
                            return await client.GetStringAsync("https://api.example.com/v1/report");
                        }
                        catch (HttpRequestException)
                        {
                            await Task.Delay(delay);
                            delay *= 2;
                        }
                    }
                }
            }
            """,

        ["sync: a growing wait, but while (true) with no limit or deadline"] = Usings + """
            class Report
            {
                public HttpResponseMessage Fetch(HttpClient client)
                {
                    var attempt = 0;
                    [|while|] (true)
                    {
                        var response = client.Send(new HttpRequestMessage(HttpMethod.Get, "https://api.example.com/v1/report"));
                        if (response.IsSuccessStatusCode) return response;
                        Thread.Sleep(TimeSpan.FromMilliseconds(100 * Math.Pow(2, attempt++)));
                    }
                }
            }
            """,

        ["async: a retry by recursion with no wait"] = Usings + """
            class Report
            {
                private readonly HttpClient _client = new();

                public async Task<string> FetchAsync(string url, int attempt = 0)
                {
                    try
                    {
                        return await _client.GetStringAsync(url);
                    }
                    catch (HttpRequestException) when (attempt < 3)
                    {
                        return await [|FetchAsync|](url, attempt + 1);
                    }
                }
            }
            """,

        ["sync: a retry by recursion after a constant sleep"] = Usings + """
            class Report
            {
                private readonly HttpClient _client = new();

                public HttpResponseMessage Fetch(string url, int retries)
                {
                    var response = _client.Send(new HttpRequestMessage(HttpMethod.Get, url));
                    if (!response.IsSuccessStatusCode && retries > 0)
                    {
                        Thread.Sleep(500);
                        return [|Fetch|](url, retries - 1);
                    }

                    return response;
                }
            }
            """,

        ["async: Agora's throttle body answered with a fixed wait"] = Usings + """
            class Calls
            {
                public async Task<string> FetchAsync(HttpClient client)
                {
                    [|for|] (var attempt = 0; attempt < 5; attempt++)
                    {
                        using var response = await client.GetAsync("https://api.agora.io/beta/analytics/call/lists?page_size=100");
                        var json = await response.Content.ReadAsStringAsync();
                        if (!response.IsSuccessStatusCode || json.Contains("\"code\":300"))
                        {
                            await Task.Delay(1000);
                            continue;
                        }

                        return json;
                    }

                    return string.Empty;
                }
            }
            """,

        ["sync: a RestSharp request retried at once"] = Usings + """
            using RestSharp;
            class Report
            {
                public RestResponse Fetch(RestClient client)
                {
                    RestResponse response = null!;
                    [|for|] (var attempt = 0; attempt < 3; attempt++)
                    {
                        response = client.Execute(new RestRequest("https://api.example.com/v1/report"));
                        if (response.IsSuccessful) break;
                    }

                    return response;
                }
            }
            """,

        ["Polly v7 async: RetryAsync on transient HTTP errors"] = PollyUsings + """
            using Polly.Extensions.Http;
            class Resilience
            {
                private readonly IAsyncPolicy<HttpResponseMessage> _policy = HttpPolicyExtensions.HandleTransientHttpError().[|RetryAsync|](3);

                public Task<HttpResponseMessage> FetchAsync(HttpClient client, CancellationToken cancellationToken) =>
                    _policy.ExecuteAsync(token => client.GetAsync("https://api.example.com/v1/report", token), cancellationToken);
            }
            """,

        ["Polly v7 sync: Retry on HttpRequestException"] = PollyUsings + """
            class Resilience
            {
                private readonly ISyncPolicy _policy = Policy.Handle<HttpRequestException>().[|Retry|](3);

                public HttpResponseMessage Fetch(HttpClient client) =>
                    _policy.Execute(() => client.Send(new HttpRequestMessage(HttpMethod.Get, "https://api.example.com/v1/report")));
            }
            """,

        ["Polly v7 async: RetryForeverAsync"] = PollyUsings + """
            class Resilience
            {
                public IAsyncPolicy<HttpResponseMessage> Build() =>
                    Policy.HandleResult<HttpResponseMessage>(r => !r.IsSuccessStatusCode).[|RetryForeverAsync|]();
            }
            """,

        ["Polly v7 sync: RetryForever"] = PollyUsings + """
            class Resilience
            {
                private readonly ISyncPolicy _policy = Policy.Handle<HttpRequestException>().[|RetryForever|]();

                public HttpResponseMessage Fetch(HttpClient client) =>
                    _policy.Execute(() => client.Send(new HttpRequestMessage(HttpMethod.Get, "https://api.example.com/v1/report")));
            }
            """,

        ["Polly v7 async: WaitAndRetryAsync with a constant duration"] = PollyUsings + """
            class Resilience
            {
                public IAsyncPolicy Build() =>
                    Policy.Handle<HttpRequestException>().[|WaitAndRetryAsync|](3, _ => TimeSpan.FromSeconds(2));
            }
            """,

        ["Polly v7 sync: WaitAndRetry with a list of equal durations"] = PollyUsings + """
            class Resilience
            {
                public ISyncPolicy<HttpResponseMessage> Build() =>
                    Policy.HandleResult<HttpResponseMessage>(r => !r.IsSuccessStatusCode)
                        .[|WaitAndRetry|](new[] { TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1) });
            }
            """,

        ["Polly v7: AddTransientHttpErrorPolicy with a constant wait"] = PollyUsings + """
            using Microsoft.Extensions.DependencyInjection;
            class Startup
            {
                public void Configure(IServiceCollection services) =>
                    services.AddHttpClient("reports")
                        .AddTransientHttpErrorPolicy(p => p.[|WaitAndRetryAsync|](3, _ => TimeSpan.FromMilliseconds(600)));
            }
            """,

        ["Polly v8: Delay = TimeSpan.Zero on HTTP work"] = PollyUsings + """
            class Resilience
            {
                public ResiliencePipeline<HttpResponseMessage> Build() =>
                    new ResiliencePipelineBuilder<HttpResponseMessage>()
                        .AddRetry([|new RetryStrategyOptions<HttpResponseMessage>|] { MaxRetryAttempts = 3, Delay = TimeSpan.Zero })
                        .Build();
            }
            """,

        ["Polly v8: the default constant backoff on HTTP work"] = PollyUsings + """
            class Resilience
            {
                public ResiliencePipeline<HttpResponseMessage> Build() =>
                    new ResiliencePipelineBuilder<HttpResponseMessage>()
                        .AddRetry([|new RetryStrategyOptions<HttpResponseMessage>|] { MaxRetryAttempts = 5 })
                        .Build();
            }
            """,

        ["Polly v8: non-generic options in a pipeline that sends requests"] = PollyUsings + """
            class Report
            {
                private readonly ResiliencePipeline _pipeline = new ResiliencePipelineBuilder()
                    .AddRetry([|new RetryStrategyOptions|] { BackoffType = DelayBackoffType.Constant, Delay = TimeSpan.FromSeconds(1) })
                    .Build();

                public async Task<string> FetchAsync(HttpClient client, CancellationToken cancellationToken) =>
                    await _pipeline.ExecuteAsync(async token => await client.GetStringAsync("https://api.example.com/v1/report", token), cancellationToken);
            }
            """,

        // The real-code patterns behind misses (realcode-patterns.md M-1 to M-3), in more than one shape.
        ["M-1 async: a queued-result poll through an interface, sent by its one implementation"] = Usings + """
            interface IConnection { Task<HttpResponseMessage> Get(Uri uri); }
            class Connection : IConnection { readonly HttpClient _http = new(); public Task<HttpResponseMessage> Get(Uri uri) => _http.GetAsync(uri); }
            class Stats
            {
                public async Task<string> GetQueued(IConnection connection, Uri uri)
                {
                    [|while|] (true)
                    {
                        var response = await connection.Get(uri);
                        if (response.StatusCode == HttpStatusCode.Accepted) continue;
                        return await response.Content.ReadAsStringAsync();
                    }
                }
            }
            """,

        ["M-1 sync: a retry through an abstract method, sent by its override in a record"] = Usings + """
            abstract record Transport { public abstract HttpResponseMessage Send(string path); }
            record HttpTransport(HttpClient Http) : Transport
            {
                public override HttpResponseMessage Send(string path) => Http.Send(new HttpRequestMessage(HttpMethod.Get, "https://api.example.com/" + path));
            }
            class Reports
            {
                public HttpResponseMessage Fetch(Transport transport)
                {
                    [|while|] (true)
                    {
                        var response = transport.Send("v1/report");
                        if (response.IsSuccessStatusCode) return response;
                    }
                }
            }
            """,

        ["M-2 async: the project's own retry helper repeats the delegate its callers pass, after a fixed wait, forever"] = Usings + """
            class RateLimitedException : Exception { }
            static class Shop
            {
                private static readonly HttpClient Http = new();
                static async Task<T> Run<T>(Func<Task<T>> send, CancellationToken ct)
                {
                    [|while|] (true)
                    {
                        try { return await send(); }
                        catch (RateLimitedException) { await Task.Delay(500, ct); }
                    }
                }
                public static Task<string> Use(CancellationToken ct) => Run(() => Http.GetStringAsync("https://shop.example.com/admin/api/orders.json"), ct);
            }
            """,

        ["M-2 sync: a retry helper in a record repeats the delegate its callers pass, with no wait"] = Usings + """
            record Retrying(HttpClient Http)
            {
                static T Again<T>(Func<T> action, int times)
                {
                    [|for|] (var i = 0; ; i++)
                    {
                        try { return action(); }
                        catch (HttpRequestException) when (i < times) { }
                    }
                }
                public string Orders() => Again(() => Http.Send(new HttpRequestMessage(HttpMethod.Get, "https://shop.example.com/admin/api/orders.json")), 3).Content.ReadAsStream().ToString()!;
            }
            """,

        ["M-2 recursion: the project's own retry helper calls itself to run the delegate again, with no wait"] = Usings + """
            static class Shop
            {
                private static readonly HttpClient Http = new();
                static async Task<T> Run<T>(Func<Task<T>> send, int left)
                {
                    try { return await send(); }
                    catch (HttpRequestException) when (left > 0) { return await [|Run|](send, left - 1); }
                }
                public static Task<string> Orders() => Run(() => Http.GetStringAsync("https://shop.example.com/admin/api/orders.json"), 3);
            }
            """,

        // M-2 behind M-1 (Anthropic.SDK's interceptor): the lambda is passed to an interface method, and the loop that
        // repeats it is in the implementation, on the delegate parameter.
        ["M-2 through an interface, async: the implementation repeats the delegate the interface call passes, after a fixed wait"] = Usings + """
            interface IRequestInterceptor
            {
                Task<HttpResponseMessage> InvokeAsync(HttpRequestMessage request, Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> next, CancellationToken ct);
            }
            class FixedRetry : IRequestInterceptor
            {
                public async Task<HttpResponseMessage> InvokeAsync(HttpRequestMessage request, Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> next, CancellationToken ct)
                {
                    var attempt = 0;
                    [|while|] (true)
                    {
                        var response = await next(request, ct);
                        if ((int)response.StatusCode < 500 || ++attempt > 5) return response;
                        await Task.Delay(200, ct);
                    }
                }
            }
            class Client(HttpClient http, IRequestInterceptor interceptor)
            {
                public Task<HttpResponseMessage> GetAsync(CancellationToken ct) =>
                    interceptor.InvokeAsync(new HttpRequestMessage(HttpMethod.Get, "https://api.example.com/v1/items"), (request, token) => http.SendAsync(request, token), ct);
            }
            """,

        // SpotifyAPI-NET's retry handler: a named delegate type, handed from the interface method to a private helper
        // that calls itself.
        ["M-2 through an interface and a helper, recursion: a named delegate handed on to the method that repeats it, with no wait"] = Usings + """
            public delegate Task<HttpResponseMessage> RetryFunc(HttpRequestMessage request);
            public interface IRetryHandler { Task<HttpResponseMessage> HandleRetry(HttpRequestMessage request, HttpResponseMessage response, RetryFunc retry); }
            public class SimpleRetryHandler : IRetryHandler
            {
                public Task<HttpResponseMessage> HandleRetry(HttpRequestMessage request, HttpResponseMessage response, RetryFunc retry) =>
                    HandleRetryInternally(request, response, retry, 10);

                private async Task<HttpResponseMessage> HandleRetryInternally(HttpRequestMessage request, HttpResponseMessage response, RetryFunc retry, int triesLeft)
                {
                    if ((int)response.StatusCode >= 500 && triesLeft > 0)
                    {
                        response = await retry(request);
                        return await [|HandleRetryInternally|](request, response, retry, triesLeft - 1);
                    }

                    return response;
                }
            }
            public class Connector(HttpClient http, IRetryHandler retryHandler)
            {
                public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
                {
                    var response = await http.SendAsync(request);
                    return await retryHandler.HandleRetry(request, response, next => http.SendAsync(next));
                }
            }
            """,

        ["M-2 through an abstract method and a helper, sync: the override hands the delegate on to a loop that repeats it at once"] = Usings + """
            abstract class Resend { public abstract HttpResponseMessage Run(Func<HttpResponseMessage> send); }
            sealed class ResendAtOnce : Resend
            {
                public override HttpResponseMessage Run(Func<HttpResponseMessage> send) => Repeat(send, 3);

                private static HttpResponseMessage Repeat(Func<HttpResponseMessage> send, int times)
                {
                    [|for|] (var i = 0; ; i++)
                    {
                        var response = send();
                        if (response.IsSuccessStatusCode || i >= times) return response;
                    }
                }
            }
            class Client(HttpClient http, Resend resend)
            {
                public HttpResponseMessage Get() => resend.Run(() => http.Send(new HttpRequestMessage(HttpMethod.Get, "https://api.example.com/v1/items")));
            }
            """,

        // octokit.net's GetQueuedOperation: asks again at once, forever, while the API answers 202 Accepted; the status is
        // read from the HTTP response its SDK's wrapper holds.
        ["async: a poll on 202 asks again at once, forever, reading the status the SDK's response wrapper holds"] = Usings + WrappingSdk + """
            class ApiConnection(IConnection connection)
            {
                public async Task<IReadOnlyList<T>> GetQueuedOperation<T>(Uri uri, CancellationToken cancellationToken)
                {
                    [|while|] (true)
                    {
                        var response = await connection.Get<IReadOnlyList<T>>(uri, cancellationToken);
                        switch (response.HttpResponse.StatusCode)
                        {
                            case HttpStatusCode.Accepted:
                                continue;
                            case HttpStatusCode.OK:
                                return response.Body;
                        }

                        throw new InvalidOperationException("Expected 202 or 200.");
                    }
                }
            }
            """,

        ["sync: a poll on 202 in a record asks again at once, reading the status through the response wrapper"] = Usings + """
            using System.Net;
            record Reply(HttpResponseMessage Http, string Body);
            record Statistics(HttpClient Client)
            {
                Reply Fetch(string url)
                {
                    var message = Client.Send(new HttpRequestMessage(HttpMethod.Get, url));
                    return new Reply(message, message.Content.ReadAsStringAsync().Result);
                }

                public string Contributors(string repository)
                {
                    var attempt = 0;
                    [|do|]
                    {
                        var reply = Fetch("https://api.github.com/repos/" + repository + "/stats/contributors");
                        if (reply.Http.StatusCode != HttpStatusCode.Accepted) return reply.Body;
                    }
                    while (++attempt < 10);

                    throw new TimeoutException("Statistics not ready.");
                }
            }
            """,

        ["M-3 async: a DelegatingHandler retries 5xx at once through base.SendAsync"] = Usings + """
            class RetryHandler : DelegatingHandler
            {
                protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
                {
                    [|for|] (var left = 5; ; left--)
                    {
                        var response = await base.SendAsync(request, ct);
                        if ((int)response.StatusCode >= 500 && left > 0) { response.Dispose(); continue; }
                        return response;
                    }
                }
            }
            """,

        ["M-3 sync: a DelegatingHandler retries failures at once through base.Send"] = Usings + """
            class RetryHandler : DelegatingHandler
            {
                protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken ct)
                {
                    var attempt = 0;
                    [|while|] (true)
                    {
                        var response = base.Send(request, ct);
                        if (response.IsSuccessStatusCode || ++attempt > 3) return response;
                    }
                }
            }
            """,
        // The counter handed to a policy object that never bounds it: still a retry forever (not silenced by the call alone).
        ["policy object: the attempt passed to an interface whose one implementation never stops, async"] = Usings + """
            interface IRetryPolicy { bool ShouldRetry(HttpResponseMessage response, int attempt); TimeSpan GetDelay(int attempt); }
            class AlwaysRetry : IRetryPolicy
            {
                public bool ShouldRetry(HttpResponseMessage response, int attempt) => (int)response.StatusCode >= 500;
                public TimeSpan GetDelay(int attempt) => TimeSpan.FromSeconds(Math.Pow(2, attempt));
            }
            class Api
            {
                private readonly HttpClient _http = new();
                private readonly IRetryPolicy _retryPolicy = new AlwaysRetry();
                public async Task<HttpResponseMessage> SendAsync(string url, CancellationToken cancellationToken)
                {
                    [|for|] (var attempt = 0; ; attempt++)
                    {
                        var response = await _http.GetAsync(url, cancellationToken);
                        if (response.IsSuccessStatusCode) return response;
                        if (!_retryPolicy.ShouldRetry(response, attempt)) throw new HttpRequestException(response.ReasonPhrase);
                        await Task.Delay(_retryPolicy.GetDelay(attempt), cancellationToken);
                    }
                }
            }
            """,
    };

    /// <summary>Retries that back off, and loops and policies that are not retries of HTTP work.</summary>
    public static readonly IReadOnlyDictionary<string, string> NotReported = new Dictionary<string, string>
    {
        // The same fallbacks with a doubling wait: the collection bounds the attempts, so the backoff is all it needs.
        ["async: a foreach over fallback user agents with a doubling wait between attempts"] = Usings + """
            class Feed
            {
                public async Task<HttpResponseMessage?> FetchAsync(HttpClient client, List<string> agents)
                {
                    var delay = TimeSpan.FromMilliseconds(200);
                    foreach (var agent in agents)
                    {
                        var request = new HttpRequestMessage(HttpMethod.Get, "https://api.example.com/v1/feed");
                        request.Headers.UserAgent.ParseAdd(agent);
                        var response = await client.SendAsync(request);
                        if (response.IsSuccessStatusCode) return response;
                        await Task.Delay(delay);
                        delay *= 2;
                    }
                    return null;
                }
            }
            """,

        // The API says the conversation is too long; the code drops its oldest message and asks again (OpenAI-API-dotnet's
        // Conversation): each call sends a shorter request, which is no retry of the last one.
        ["recursion: the request's messages shortened before asking again, async"] = Usings + """
            class Chat
            {
                private readonly HttpClient _client = new();
                private readonly List<string> _messages = new();

                public async Task<string> ReplyAsync()
                {
                    try
                    {
                        var request = new HttpRequestMessage(HttpMethod.Post, "https://api.example.com/v1/chat");
                        request.Content = new StringContent(string.Join("\n", _messages));
                        var response = await _client.SendAsync(request);
                        response.EnsureSuccessStatusCode();
                        return await response.Content.ReadAsStringAsync();
                    }
                    catch (HttpRequestException e) when (e.Message.Contains("context_length_exceeded") && _messages.Count > 1)
                    {
                        _messages.RemoveAt(0);
                        return await ReplyAsync();
                    }
                }
            }
            """,

        ["recursion: the request's page size halved before asking again, sync"] = Usings + """
            using System.IO;
            class Export
            {
                private readonly HttpClient _client = new();
                private int _pageSize = 1000;

                public string Fetch()
                {
                    var response = _client.Send(new HttpRequestMessage(HttpMethod.Get, "https://api.example.com/v1/rows?limit=" + _pageSize));
                    if (response.StatusCode == HttpStatusCode.RequestEntityTooLarge && _pageSize > 10)
                    {
                        _pageSize /= 2;
                        return Fetch();
                    }

                    return new StreamReader(response.Content.ReadAsStream()).ReadToEnd();
                }
            }
            """,

        // A retry policy object decides both whether to go again and how long to wait (notion-sdk-net's IRetryPolicy):
        // the loop is given its counter, and the implementation in the compilation compares it with a limit.
        // M-2 behind M-1, the other way: the same interceptor shape backing off, and one whose callers pass no request.
        ["M-2 through an interface: the implementation backs off exponentially with a limit, async"] = Usings + """
            interface IRequestInterceptor
            {
                Task<HttpResponseMessage> InvokeAsync(HttpRequestMessage request, Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> next, CancellationToken ct);
            }
            class BackoffRetry : IRequestInterceptor
            {
                public async Task<HttpResponseMessage> InvokeAsync(HttpRequestMessage request, Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> next, CancellationToken ct)
                {
                    for (var attempt = 0; ; attempt++)
                    {
                        var response = await next(request, ct);
                        if ((int)response.StatusCode < 500 || attempt >= 5) return response;
                        await Task.Delay(TimeSpan.FromSeconds(Math.Pow(2, attempt)), ct);
                    }
                }
            }
            class Client(HttpClient http, IRequestInterceptor interceptor)
            {
                public Task<HttpResponseMessage> GetAsync(CancellationToken ct) =>
                    interceptor.InvokeAsync(new HttpRequestMessage(HttpMethod.Get, "https://api.example.com/v1/items"), (request, token) => http.SendAsync(request, token), ct);
            }
            """,

        ["M-2 through an interface: the delegate the interface call passes sends nothing, sync"] = Usings + """
            delegate int Attempt(int left);
            interface IRepeater { int Run(Attempt attempt); }
            class Repeater : IRepeater
            {
                public int Run(Attempt attempt) => Again(attempt, 3);

                private static int Again(Attempt attempt, int left)
                {
                    var result = attempt(left);
                    return result < 0 && left > 0 ? Again(attempt, left - 1) : result;
                }
            }
            class Parser(IRepeater repeater)
            {
                public int Parse(string text) => repeater.Run(left => int.TryParse(text, out var value) ? value : -left);
            }
            """,

        ["async: a poll on 202 through the SDK's response wrapper that waits longer each time, and gives up"] = Usings + WrappingSdk + """
            class ApiConnection(IConnection connection)
            {
                public async Task<T> GetQueuedOperation<T>(Uri uri, CancellationToken cancellationToken)
                {
                    for (var attempt = 0; attempt < 6; attempt++)
                    {
                        var response = await connection.Get<T>(uri, cancellationToken);
                        if (response.HttpResponse.StatusCode != HttpStatusCode.Accepted) return response.Body;
                        await Task.Delay(TimeSpan.FromSeconds(Math.Pow(2, attempt)), cancellationToken);
                    }

                    throw new TimeoutException("Still computing.");
                }
            }
            """,

        ["policy object: the attempt limit behind an interface, with the loop's counter passed in, async"] = Usings + """
            interface IRetryPolicy { bool ShouldRetry(HttpResponseMessage response, HttpMethod method, int attempt); TimeSpan GetDelay(HttpResponseMessage response, int attempt); }
            class DefaultRetryPolicy : IRetryPolicy
            {
                public int MaxRetries { get; } = 3;
                public virtual bool ShouldRetry(HttpResponseMessage response, HttpMethod method, int attempt)
                {
                    if (attempt >= MaxRetries) return false;
                    return (int)response.StatusCode is 429 or 500 or 503;
                }
                public virtual TimeSpan GetDelay(HttpResponseMessage response, int attempt) =>
                    response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(Math.Pow(2, attempt));
            }
            class RestClient
            {
                private readonly HttpClient _httpClient = new();
                private readonly IRetryPolicy _retryPolicy = new DefaultRetryPolicy();
                public async Task<HttpResponseMessage> SendAsync(string requestUri, HttpMethod httpMethod, CancellationToken cancellationToken)
                {
                    for (var attempt = 0; ; attempt++)
                    {
                        using var httpRequest = new HttpRequestMessage(httpMethod, requestUri);
                        var response = await _httpClient.SendAsync(httpRequest, cancellationToken);
                        if (response.IsSuccessStatusCode) return response;
                        if (_retryPolicy == null || !_retryPolicy.ShouldRetry(response, httpMethod, attempt))
                        {
                            throw new HttpRequestException(response.ReasonPhrase);
                        }
                        var delay = _retryPolicy.GetDelay(response, attempt);
                        response.Dispose();
                        await Task.Delay(delay, cancellationToken);
                    }
                }
            }
            """,

        ["policy object: the attempt limit in an abstract class's override, a field, sync"] = Usings + """
            abstract class RetryDecider { public abstract bool Again(int attempt); public abstract int WaitMilliseconds(int attempt); }
            sealed class Limited : RetryDecider
            {
                private readonly int _max = 4;
                public override bool Again(int attempt) => attempt < _max;
                public override int WaitMilliseconds(int attempt) => 200 << attempt;
            }
            class Reports
            {
                private readonly RetryDecider _decider = new Limited();
                public HttpResponseMessage Fetch(HttpClient client)
                {
                    var attempt = 0;
                    while (true)
                    {
                        var response = client.Send(new HttpRequestMessage(HttpMethod.Get, "https://api.example.com/v1/report"));
                        if (response.IsSuccessStatusCode) return response;
                        attempt++;
                        if (!_decider.Again(attempt)) return response;
                        Thread.Sleep(_decider.WaitMilliseconds(attempt));
                    }
                }
            }
            """,

        ["policy object: the attempt limit in a record's method, the counter passed through a helper of its own, async"] = Usings + """
            interface IRetryBudget { bool Allows(int attempt); }
            record FixedBudget(int Attempts) : IRetryBudget
            {
                public bool Allows(int attempt) => Within(attempt);
                private bool Within(int tries) => tries is >= 0 and < 5 && tries < Attempts;
            }
            class Uploads
            {
                public async Task<HttpResponseMessage> PutAsync(HttpClient client, IRetryBudget budget, byte[] chunk)
                {
                    for (var attempt = 1; ; attempt++)
                    {
                        var response = await client.PutAsync("https://files.example.com/chunk", new ByteArrayContent(chunk));
                        if (response.IsSuccessStatusCode || !budget.Allows(attempt)) return response;
                        await Task.Delay(TimeSpan.FromSeconds(attempt * attempt));
                    }
                }
            }
            """,

        ["async: Math.Pow(2, attempt)"] = Usings + """
            class Report
            {
                public async Task<string> FetchAsync(HttpClient client, CancellationToken cancellationToken)
                {
                    for (var attempt = 0; ; attempt++)
                    {
                        try
                        {
                            return await client.GetStringAsync("https://api.example.com/v1/report", cancellationToken);
                        }
                        catch (HttpRequestException) when (attempt < 4)
                        {
                            await Task.Delay(TimeSpan.FromSeconds(Math.Pow(2, attempt)), cancellationToken);
                        }
                    }
                }
            }
            """,

        ["sync: Math.Pow(2, attempt) with Thread.Sleep"] = Usings + """
            class Report
            {
                public HttpResponseMessage Fetch(HttpClient client)
                {
                    for (var attempt = 0; attempt < 4; attempt++)
                    {
                        try { return client.Send(new HttpRequestMessage(HttpMethod.Get, "https://api.example.com/v1/report")); }
                        catch (HttpRequestException) { Thread.Sleep(TimeSpan.FromSeconds(Math.Pow(2, attempt))); }
                    }

                    throw new HttpRequestException("gave up");
                }
            }
            """,

        ["sync: delay *= 2 with an attempt limit"] = Usings + """
            class Report
            {
                public HttpResponseMessage Fetch(HttpClient client)
                {
                    var delay = 250;
                    for (var attempt = 0; attempt < 5; attempt++)
                    {
                        var response = client.Send(new HttpRequestMessage(HttpMethod.Get, "https://api.example.com/v1/report"));
                        if (response.IsSuccessStatusCode) return response;
                        Thread.Sleep(delay);
                        delay *= 2;
                    }

                    throw new HttpRequestException("gave up");
                }
            }
            """,

        ["async: delay += delay"] = Usings + """
            class Report
            {
                public async Task<HttpResponseMessage> FetchAsync(HttpClient client)
                {
                    var delay = TimeSpan.FromMilliseconds(100);
                    for (var attempt = 0; attempt < 5; attempt++)
                    {
                        var response = await client.GetAsync("https://api.example.com/v1/report");
                        if (response.IsSuccessStatusCode) return response;
                        await Task.Delay(delay);
                        delay += delay;
                    }

                    throw new HttpRequestException("gave up");
                }
            }
            """,

        ["sync: delay += delay"] = Usings + """
            class Report
            {
                public HttpResponseMessage Fetch(HttpClient client)
                {
                    var delay = TimeSpan.FromMilliseconds(100);
                    for (var attempt = 0; attempt < 5; attempt++)
                    {
                        var response = client.Send(new HttpRequestMessage(HttpMethod.Get, "https://api.example.com/v1/report"));
                        if (response.IsSuccessStatusCode) return response;
                        Thread.Sleep(delay);
                        delay += delay;
                    }

                    throw new HttpRequestException("gave up");
                }
            }
            """,

        ["async: a retry by recursion after Math.Pow(2, attempt)"] = Usings + """
            class Report
            {
                private readonly HttpClient _client = new();

                public async Task<string> FetchAsync(string url, int attempt = 0)
                {
                    try
                    {
                        return await _client.GetStringAsync(url);
                    }
                    catch (HttpRequestException) when (attempt < 4)
                    {
                        await Task.Delay(TimeSpan.FromSeconds(Math.Pow(2, attempt)));
                        return await FetchAsync(url, attempt + 1);
                    }
                }
            }
            """,

        ["sync: a retry by recursion after Math.Pow(2, attempt)"] = Usings + """
            class Report
            {
                private readonly HttpClient _client = new();

                public HttpResponseMessage Fetch(string url, int attempt = 0)
                {
                    var response = _client.Send(new HttpRequestMessage(HttpMethod.Get, url));
                    if (!response.IsSuccessStatusCode && attempt < 4)
                    {
                        Thread.Sleep(TimeSpan.FromSeconds(Math.Pow(2, attempt)));
                        return Fetch(url, attempt + 1);
                    }

                    return response;
                }
            }
            """,

        ["async: while (true) with if (++attempt > 5) throw"] = Usings + """
            class Report
            {
                public async Task<string> FetchAsync(HttpClient client, CancellationToken cancellationToken)
                {
                    var attempt = 0;
                    while (true)
                    {
                        try
                        {
                            return await client.GetStringAsync("https://api.example.com/v1/report", cancellationToken);
                        }
                        catch (HttpRequestException)
                        {
                            if (++attempt > 5) throw;
                            await Task.Delay(TimeSpan.FromSeconds(Math.Pow(2, attempt)), cancellationToken);
                        }
                    }
                }
            }
            """,

        ["sync: while (true) with if (++attempt > 5) throw"] = Usings + """
            class Report
            {
                public HttpResponseMessage Fetch(HttpClient client)
                {
                    var attempt = 0;
                    while (true)
                    {
                        var response = client.Send(new HttpRequestMessage(HttpMethod.Get, "https://api.example.com/v1/report"));
                        if (response.IsSuccessStatusCode) return response;
                        if (++attempt > 5) throw new HttpRequestException("gave up");
                        Thread.Sleep(TimeSpan.FromMilliseconds(200 * Math.Pow(2, attempt)));
                    }
                }
            }
            """,

        ["sync: while (true) bounded by a stopwatch deadline"] = Usings + """
            using System.Diagnostics;
            class Report
            {
                public HttpResponseMessage Fetch(HttpClient client)
                {
                    var clock = Stopwatch.StartNew();
                    var delay = 100;
                    while (true)
                    {
                        try { return client.Send(new HttpRequestMessage(HttpMethod.Get, "https://api.example.com/v1/report")); }
                        catch (HttpRequestException) when (clock.ElapsedMilliseconds < 60_000)
                        {
                            Thread.Sleep(delay);
                            delay *= 2;
                        }
                    }
                }
            }
            """,

        ["sync: jittered backoff"] = Usings + """
            class Report
            {
                public HttpResponseMessage Fetch(HttpClient client)
                {
                    for (var attempt = 0; attempt < 5; attempt++)
                    {
                        var response = client.Send(new HttpRequestMessage(HttpMethod.Get, "https://api.example.com/v1/report"));
                        if (response.IsSuccessStatusCode) return response;
                        Thread.Sleep(Random.Shared.Next(100, 1000));
                    }

                    throw new HttpRequestException("gave up");
                }
            }
            """,

        ["async: jittered backoff"] = Usings + """
            class Report
            {
                private static readonly Random s_random = new();

                public async Task<string> FetchAsync(HttpClient client)
                {
                    for (var attempt = 0; attempt < 5; attempt++)
                    {
                        try { return await client.GetStringAsync("https://api.example.com/v1/report"); }
                        catch (HttpRequestException) { await Task.Delay(s_random.Next(200, 2000)); }
                    }

                    return string.Empty;
                }
            }
            """,

        ["async: retrying a delegate that is not HTTP work"] = Usings + """
            class Jobs
            {
                public async Task<int> RunAsync(Func<Task<int>> work)
                {
                    while (true)
                    {
                        try { return await work(); }
                        catch (InvalidOperationException) { await Task.Delay(100); }
                    }
                }
            }
            """,

        ["async: a paging loop with a constant wait after a failure is RL0001's business"] = Usings + """
            class Page { public List<string> Items { get; set; } = new(); public string? Next { get; set; } }
            class Export
            {
                public async Task RunAsync(HttpClient client, List<string> all)
                {
                    string? cursor = null;
                    do
                    {
                        try
                        {
                            var page = await client.GetFromJsonAsync<Page>("https://api.example.com/v1/items?cursor=" + cursor);
                            all.AddRange(page!.Items);
                            cursor = page.Next;
                        }
                        catch (HttpRequestException)
                        {
                            await Task.Delay(1000);
                        }
                    }
                    while (cursor != null);
                }
            }
            """,

        ["sync: a paging loop with a constant wait after a failure is RL0001's business"] = Usings + """
            class Page { public List<string> Items { get; set; } = new(); public string? Next { get; set; } }
            class Export
            {
                public void Run(HttpClient client, List<string> all)
                {
                    string? cursor = null;
                    do
                    {
                        try
                        {
                            using var response = client.Send(new HttpRequestMessage(HttpMethod.Get, "https://api.example.com/v1/items?cursor=" + cursor));
                            response.EnsureSuccessStatusCode();
                            var page = JsonSerializer.Deserialize<Page>(response.Content.ReadAsStream());
                            all.AddRange(page!.Items);
                            cursor = page.Next;
                        }
                        catch (HttpRequestException)
                        {
                            Thread.Sleep(1000);
                        }
                    }
                    while (cursor != null);
                }
            }
            """,

        ["sync: fan-out over ids with a catch and a constant wait sends different requests"] = Usings + """
            class Sync
            {
                public void Run(HttpClient client, string[] ids)
                {
                    foreach (var id in ids)
                    {
                        try { client.Send(new HttpRequestMessage(HttpMethod.Delete, "https://api.example.com/v1/items/" + id)).EnsureSuccessStatusCode(); }
                        catch (HttpRequestException) { Thread.Sleep(100); }
                    }
                }
            }
            """,

        ["sync: retrying a file read, not HTTP work"] = Usings + """
            using System.IO;
            class Config
            {
                public string Read(string path)
                {
                    for (var attempt = 0; attempt < 3; attempt++)
                    {
                        try { return File.ReadAllText(path); }
                        catch (IOException) { Thread.Sleep(100); }
                    }

                    return string.Empty;
                }
            }
            """,

        ["async: fan-out over ids with a catch sends different requests"] = Usings + """
            class Sync
            {
                public async Task RunAsync(HttpClient client, string[] ids)
                {
                    foreach (var id in ids)
                    {
                        try { await client.DeleteAsync("https://api.example.com/v1/items/" + id); }
                        catch (HttpRequestException) { await Task.Delay(100); }
                    }
                }
            }
            """,

        ["async: a heartbeat that logs failures is not a retry"] = Usings + """
            class Heartbeat
            {
                public async Task RunAsync(HttpClient client, List<string> log, CancellationToken cancellationToken)
                {
                    while (!cancellationToken.IsCancellationRequested)
                    {
                        try { await client.PostAsync("https://api.example.com/v1/heartbeat", null, cancellationToken); }
                        catch (HttpRequestException e) { log.Add(e.Message); }
                        await Task.Delay(30_000, cancellationToken);
                    }
                }
            }
            """,

        ["async: polling until a job is done is not a retry"] = Usings + """
            class Job { public bool Done { get; set; } }
            class Poll
            {
                public async Task WaitAsync(HttpClient client)
                {
                    while (true)
                    {
                        using var response = await client.GetAsync("https://api.example.com/v1/jobs/42");
                        response.EnsureSuccessStatusCode();
                        var job = await response.Content.ReadFromJsonAsync<Job>();
                        if (job!.Done) break;
                        await Task.Delay(5000);
                    }
                }
            }
            """,

        ["async: a retry that waits what Retry-After says"] = Usings + """
            class Report
            {
                public async Task<HttpResponseMessage> FetchAsync(HttpClient client)
                {
                    for (var attempt = 0; attempt < 5; attempt++)
                    {
                        var response = await client.GetAsync("https://api.example.com/v1/report");
                        if (response.IsSuccessStatusCode) return response;
                        await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1));
                    }

                    throw new HttpRequestException("gave up");
                }
            }
            """,

        ["async: while (true) bounded by a stopwatch deadline"] = Usings + """
            using System.Diagnostics;
            class Report
            {
                public async Task<string> FetchAsync(HttpClient client)
                {
                    var clock = Stopwatch.StartNew();
                    var delay = 100;
                    while (true)
                    {
                        try { return await client.GetStringAsync("https://api.example.com/v1/report"); }
                        catch (HttpRequestException) when (clock.Elapsed < TimeSpan.FromMinutes(1))
                        {
                            await Task.Delay(delay);
                            delay *= 2;
                        }
                    }
                }
            }
            """,

        ["async: a retry that ignores Retry-After is RL0003's alone"] = Usings + """
            class Ingest
            {
                public async Task<HttpResponseMessage> SendAsync(HttpClient client)
                {
                    for (var attempt = 0; attempt < 5; attempt++)
                    {
                        var response = await client.GetAsync("https://api.archiva.app/api/ingest/event");
                        if (response.StatusCode == HttpStatusCode.TooManyRequests)
                        {
                            await Task.Delay(1000);
                            continue;
                        }

                        return response;
                    }

                    throw new HttpRequestException("Still throttled.");
                }
            }
            """,

        ["Polly v7: exponential WaitAndRetryAsync"] = PollyUsings + """
            class Resilience
            {
                public IAsyncPolicy Build() =>
                    Policy.Handle<HttpRequestException>().WaitAndRetryAsync(4, attempt => TimeSpan.FromSeconds(Math.Pow(2, attempt)));
            }
            """,

        ["Polly v7 sync: exponential WaitAndRetry"] = PollyUsings + """
            class Resilience
            {
                public ISyncPolicy Build() =>
                    Policy.Handle<HttpRequestException>().WaitAndRetry(4, a => TimeSpan.FromSeconds(Math.Pow(2, a)));
            }
            """,

        ["Polly v7: a retry of IO work"] = PollyUsings + """
            using System.IO;
            class Resilience
            {
                private readonly ISyncPolicy _policy = Policy.Handle<IOException>().Retry(3);

                public string Read(string path) => _policy.Execute(() => File.ReadAllText(path));
            }
            """,

        ["Polly v8: exponential backoff with jitter"] = PollyUsings + """
            class Resilience
            {
                public ResiliencePipeline<HttpResponseMessage> Build() =>
                    new ResiliencePipelineBuilder<HttpResponseMessage>()
                        .AddRetry(new RetryStrategyOptions<HttpResponseMessage> { BackoffType = DelayBackoffType.Exponential, UseJitter = true })
                        .Build();
            }
            """,

        ["Polly v8: HttpRetryStrategyOptions' defaults"] = PollyUsings + """
            using Microsoft.Extensions.DependencyInjection;
            using Microsoft.Extensions.Http.Resilience;
            class Startup
            {
                public void Configure(IServiceCollection services) =>
                    services.AddHttpClient("reports").AddResilienceHandler("retry", builder => builder.AddRetry(new HttpRetryStrategyOptions()));
            }
            """,

        ["Polly v8: non-generic options around database work"] = PollyUsings + """
            class Store
            {
                private readonly ResiliencePipeline _pipeline = new ResiliencePipelineBuilder()
                    .AddRetry(new RetryStrategyOptions { Delay = TimeSpan.FromSeconds(1) })
                    .Build();

                public int Save(Func<int> write) => _pipeline.Execute(write);
            }
            """,

        // The real-code patterns behind false warnings (realcode-patterns.md F-5, F-6), in more than one shape.
        ["F-5 async: re-sending once after a 401 with a refreshed token, guarded by a flag"] = Usings + """
            class Api
            {
                private readonly HttpClient _http = new();
                private string _token = "";
                private async Task<string> SendAsync(string url)
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, url);
                    request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _token);
                    var response = await _http.SendAsync(request);
                    response.EnsureSuccessStatusCode();
                    return await response.Content.ReadAsStringAsync();
                }
                private async Task RefreshTokenAsync() => _token = await _http.GetStringAsync("https://auth.example.com/token");
                public async Task<string> GetAsync(string url)
                {
                    var triedLogin = false;
                    while (true)
                    {
                        try { return await SendAsync(url); }
                        catch (HttpRequestException e) when (e.StatusCode == HttpStatusCode.Unauthorized)
                        {
                            if (triedLogin) throw;
                            triedLogin = true;
                            await RefreshTokenAsync();
                        }
                    }
                }
            }
            """,

        ["F-5 sync: re-sending once after a 407 with fresh proxy credentials, in a record"] = Usings + """
            record Api(HttpClient Http)
            {
                private string _credentials = "";
                private void Login() => _credentials = Http.GetStringAsync("https://auth.example.com/proxy-token").Result;
                public HttpResponseMessage Get(string url)
                {
                    var reauthenticated = false;
                    while (true)
                    {
                        var request = new HttpRequestMessage(HttpMethod.Get, url);
                        request.Headers.ProxyAuthorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", _credentials);
                        var response = Http.Send(request);
                        if (response.StatusCode != HttpStatusCode.ProxyAuthenticationRequired || reauthenticated) return response;
                        reauthenticated = true;
                        Login();
                    }
                }
            }
            """,

        ["F-5 recursion: calling itself once more after a 401 with a refreshed token"] = Usings + """
            class Api
            {
                private readonly HttpClient _http = new();
                private string _token = "";
                private async Task RefreshTokenAsync() => _token = await _http.GetStringAsync("https://auth.example.com/token");
                public async Task<string> GetAsync(string url, bool refreshed = false)
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, url);
                    request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _token);
                    var response = await _http.SendAsync(request);
                    if (response.StatusCode == HttpStatusCode.Unauthorized && !refreshed)
                    {
                        await RefreshTokenAsync();
                        return await GetAsync(url, refreshed: true);
                    }
                    return await response.Content.ReadAsStringAsync();
                }
            }
            """,

        // octokit.net's GetOrCreateApplicationAuthentication, seen once its send seven calls down was followed (M-6).
        ["F-5 recursion: sending again after a two-factor challenge the caller answers"] = Usings + """
            class AuthorizationException : HttpRequestException { }
            class TwoFactorRequiredException : AuthorizationException { }
            record ChallengeResult(bool ResendCodeRequested, string Code);
            class Authorizations
            {
                private readonly HttpClient _http = new();
                public async Task<string> CreateAsync(string clientId, string? code)
                {
                    using var response = await _http.PostAsync("https://api.example.com/authorizations?client=" + clientId + "&otp=" + code, null);
                    if (response.StatusCode == HttpStatusCode.Unauthorized) throw new TwoFactorRequiredException();
                    return await response.Content.ReadAsStringAsync();
                }
                public async Task<string> CreateAsync(string clientId, Func<TwoFactorRequiredException, Task<ChallengeResult>> challenge)
                {
                    TwoFactorRequiredException? required = null;
                    try { return await CreateAsync(clientId, (string?)null); }
                    catch (TwoFactorRequiredException exception) { required = exception; }
                    var result = await challenge(required);
                    return await (result.ResendCodeRequested ? CreateAsync(clientId, challenge) : CreateAsync(clientId, result.Code));
                }
            }
            """,

        ["F-6 async: a readiness poll with a deadline"] = Usings + """
            class Readiness
            {
                public async Task<bool> WaitUntilReadyAsync(HttpClient http, string url)
                {
                    var clock = System.Diagnostics.Stopwatch.StartNew();
                    while (clock.Elapsed < TimeSpan.FromMinutes(5))
                    {
                        try { await http.GetStringAsync(url); return true; }
                        catch { }
                        await Task.Delay(1000);
                    }
                    return false;
                }
            }
            """,

        ["F-6 sync: a readiness poll until a deadline, in a record"] = Usings + """
            record Readiness(HttpClient Http)
            {
                public bool WaitUntilReady(Uri health)
                {
                    var deadline = DateTime.UtcNow.AddMinutes(2);
                    while (DateTime.UtcNow < deadline)
                    {
                        try
                        {
                            if (Http.Send(new HttpRequestMessage(HttpMethod.Get, health)).IsSuccessStatusCode) return true;
                        }
                        catch (HttpRequestException) { }
                        Thread.Sleep(2000);
                    }
                    return false;
                }
            }
            """,
        ["a 429 waits what a vendor's reset header says, read into an exception's property in another class"] = RL0003Cases.VendorResetHeaderThroughAnException,
    };

    public static TheoryData<string> ReportedNames => new(Reported.Keys);

    public static TheoryData<string> NotReportedNames => new(NotReported.Keys);

    public static IEnumerable<string> All => Reported.Values.Concat(NotReported.Values);
}
