using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace RateLimitAnalyzers.Tests.Rules;

/// <summary>
/// Every RL0003 case as source with markup on the place that sees the throttled response. The positive and negative
/// tests run them through the analyzer, the root-cause tests through every analyzer, and the robustness test truncated.
/// </summary>
public static class RL0003Cases
{
    public const string Usings = RL0001Cases.Usings + "using System.Net;\n";

    public const string PollyUsings = Usings + "using Polly;\nusing Polly.Retry;\n";

    /// <summary>For code that already calls the runtime the package emits into the project.</summary>
    public const string RuntimeUsings = Usings + "using RateLimitAnalyzers.Pacing;\n";

    /// <summary>
    /// contentful.net's retry: a 429 waits what the vendor's reset header says (<c>X-Contentful-RateLimit-Reset</c>), read
    /// into an exception's property in another class's object initializer. RL0003 and RL0004 both leave it alone.
    /// </summary>
    public const string VendorResetHeaderThroughAnException = Usings + """
        class RateLimited : Exception
        {
            public RateLimited(string message) : base(message) { }
            public int SecondsUntilNextRequest { get; set; }
        }
        class Delivery
        {
            private readonly HttpClient _client = new();
            public async Task<HttpResponseMessage> EnsureAsync(HttpResponseMessage response)
            {
                if (response.IsSuccessStatusCode) return response;
                var request = response.RequestMessage!;
                if ((int)response.StatusCode == 429)
                {
                    for (var i = 0; i < 5; i++)
                    {
                        try
                        {
                            ThrowFor(response);
                        }
                        catch (RateLimited ex)
                        {
                            await Task.Delay(ex.SecondsUntilNextRequest * 1000);
                        }

                        using var again = new HttpRequestMessage(request.Method, request.RequestUri);
                        response = await _client.SendAsync(again);
                        if (response.IsSuccessStatusCode) return response;
                    }
                }

                return response;
            }
            private static void ThrowFor(HttpResponseMessage response)
            {
                if ((int)response.StatusCode == 429 && response.Headers.TryGetValues("X-Contentful-RateLimit-Reset", out var values))
                {
                    throw new RateLimited("slow down") { SecondsUntilNextRequest = int.TryParse(values.FirstOrDefault(), out var seconds) ? seconds : 0 };
                }
            }
        }
        """;

    /// <summary>Code that handles 429 or 503 and then waits or retries with nothing reading Retry-After.</summary>
    public static readonly IReadOnlyDictionary<string, string> Reported = new Dictionary<string, string>
    {
        ["async: a fixed Task.Delay after 429, then the same POST again"] = Usings + """
            class Ingest
            {
                public async Task<HttpResponseMessage> SendAsync(HttpClient client, string json, CancellationToken cancellationToken)
                {
                    for (var attempt = 0; attempt < 5; attempt++)
                    {
                        var response = await client.PostAsync("https://api.example.com/v1/events", new StringContent(json), cancellationToken);
                        if ([|response.StatusCode == HttpStatusCode.TooManyRequests|])
                        {
                            await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);
                            continue;
                        }

                        return response;
                    }

                    throw new HttpRequestException("Still throttled.");
                }
            }
            """,

        ["sync: Thread.Sleep after (int)StatusCode == 429 in a while (true)"] = Usings + """
            class Ingest
            {
                public HttpResponseMessage Send(HttpClient client)
                {
                    while (true)
                    {
                        var response = client.Send(new HttpRequestMessage(HttpMethod.Get, "https://api.example.com/v1/report"));
                        if ([|(int)response.StatusCode == 429|])
                        {
                            Thread.Sleep(1000);
                            continue;
                        }

                        return response;
                    }
                }
            }
            """,

        ["async: a fixed Task.Delay after (int)StatusCode == 429"] =
            AsyncRetry(Usings, "[|(int)response.StatusCode == 429|]", "await Task.Delay(1500, cancellationToken);"),

        ["async: 503 by pattern, retried at once"] = Usings + """
            class Report
            {
                public async Task<string> FetchAsync(HttpClient client)
                {
                    for (var attempt = 0; attempt < 3; attempt++)
                    {
                        using var response = await client.GetAsync("https://api.example.com/v1/report");
                        if ([|response.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests|]) continue;
                        return await response.Content.ReadAsStringAsync();
                    }

                    return string.Empty;
                }
            }
            """,

        ["async: a switch on the status with a fixed wait for 429"] = Usings + """
            class Report
            {
                public async Task<string?> FetchAsync(HttpClient client, CancellationToken cancellationToken)
                {
                    for (var attempt = 0; attempt < 4; attempt++)
                    {
                        using var response = await client.GetAsync("https://api.example.com/v1/report", cancellationToken);
                        switch (response.StatusCode)
                        {
                            [|case HttpStatusCode.TooManyRequests:|]
                                await Task.Delay(2000, cancellationToken);
                                continue;
                            case HttpStatusCode.OK:
                                return await response.Content.ReadAsStringAsync(cancellationToken);
                            default:
                                return null;
                        }
                    }

                    return null;
                }
            }
            """,

        ["async: catch (HttpRequestException) when 429 around GetStringAsync"] = Usings + """
            class Report
            {
                public async Task<string> FetchAsync(HttpClient client)
                {
                    for (var attempt = 0; ; attempt++)
                    {
                        try
                        {
                            return await client.GetStringAsync("https://api.example.com/v1/report");
                        }
                        catch (HttpRequestException e) when ([|e.StatusCode == HttpStatusCode.TooManyRequests && attempt < 3|])
                        {
                            await Task.Delay(1000);
                        }
                    }
                }
            }
            """,

        ["async: EnsureSuccessStatusCode, then a retry on the 429 it threw"] = Usings + """
            class Ingest
            {
                public async Task SendAsync(HttpClient client, HttpContent content, CancellationToken cancellationToken)
                {
                    for (var attempt = 0; attempt < 5; attempt++)
                    {
                        try
                        {
                            using var response = await client.PostAsync("https://api.archiva.app/api/ingest/event", content, cancellationToken);
                            response.EnsureSuccessStatusCode();
                            return;
                        }
                        catch (HttpRequestException e) when ([|e.StatusCode == HttpStatusCode.TooManyRequests|])
                        {
                            await Task.Delay(TimeSpan.FromSeconds(10), cancellationToken);
                        }
                    }
                }
            }
            """,

        ["sync: EnsureSuccessStatusCode in a retry loop catching 503"] = Usings + """
            class Ingest
            {
                public void Send(HttpClient client)
                {
                    var attempts = 0;
                    while (attempts++ < 3)
                    {
                        try
                        {
                            var response = client.Send(new HttpRequestMessage(HttpMethod.Post, "https://api.example.com/v1/jobs"));
                            response.EnsureSuccessStatusCode();
                            break;
                        }
                        catch (HttpRequestException e) when ([|e.StatusCode == HttpStatusCode.ServiceUnavailable|])
                        {
                            Thread.Sleep(500);
                        }
                    }
                }
            }
            """,

        ["async: Archiva's throttle body, then a fixed wait"] = Usings + """
            class Ingest
            {
                public async Task SendAsync(HttpClient client, string json)
                {
                    for (var attempt = 0; attempt < 3; attempt++)
                    {
                        var response = await client.PostAsync("https://api.archiva.app/api/ingest/event", new StringContent(json));
                        var body = await response.Content.ReadAsStringAsync();
                        if ([|body.Contains("Rate limit exceeded")|])
                        {
                            await Task.Delay(60_000);
                            continue;
                        }

                        return;
                    }
                }
            }
            """,

        ["async: Archiva's throttle body outside any loop, a fixed wait, then one more POST"] = Usings + """
            class Ingest
            {
                public async Task<HttpResponseMessage> SendAsync(HttpClient client, string json)
                {
                    var response = await client.PostAsync("https://api.archiva.app/api/ingest/event", new StringContent(json));
                    var body = await response.Content.ReadAsStringAsync();
                    if ([|body.Contains("Rate limit exceeded")|])
                    {
                        await Task.Delay(30_000);
                        response = await client.PostAsync("https://api.archiva.app/api/ingest/event", new StringContent(json));
                    }

                    return response;
                }
            }
            """,

        ["sync: a 429 outside any loop, a fixed sleep, then one more GET"] = Usings + """
            class Report
            {
                public HttpResponseMessage Fetch(HttpClient client)
                {
                    var response = client.Send(new HttpRequestMessage(HttpMethod.Get, "https://api.example.com/v1/report"));
                    if ([|(int)response.StatusCode == 429|])
                    {
                        Thread.Sleep(5000);
                        response = client.Send(new HttpRequestMessage(HttpMethod.Get, "https://api.example.com/v1/report"));
                    }

                    return response;
                }
            }
            """,

        ["async: returns unless throttled, then waits a fixed time"] = Usings + """
            class Report
            {
                public async Task<HttpResponseMessage?> FetchAsync(HttpClient client)
                {
                    for (var attempt = 0; attempt < 3; attempt++)
                    {
                        var response = await client.GetAsync("https://api.example.com/v1/report");
                        if ([|response.StatusCode != HttpStatusCode.TooManyRequests|]) return response;
                        await Task.Delay(3000);
                    }

                    return null;
                }
            }
            """,

        ["async: a retry by recursion after a fixed wait"] = Usings + """
            class Report
            {
                private readonly HttpClient _client = new();

                public async Task<string> FetchAsync(string url, int attempt = 0)
                {
                    var response = await _client.GetAsync(url);
                    if ([|response.StatusCode == HttpStatusCode.TooManyRequests && attempt < 3|])
                    {
                        await Task.Delay(2000);
                        return await FetchAsync(url, attempt + 1);
                    }

                    return await response.Content.ReadAsStringAsync();
                }
            }
            """,

        ["sync: waits a fixed time after 429 and hands the response back"] = Usings + """
            class Report
            {
                public HttpResponseMessage Fetch(HttpClient client)
                {
                    var response = client.Send(new HttpRequestMessage(HttpMethod.Get, "https://api.example.com/v1/report"));
                    if ([|response.StatusCode == HttpStatusCode.TooManyRequests|])
                    {
                        Thread.Sleep(TimeSpan.FromSeconds(30));
                    }

                    return response;
                }
            }
            """,

        ["async: do-while that repeats while the answer is 429"] = Usings + """
            class Report
            {
                public async Task<HttpResponseMessage> FetchAsync(HttpClient client)
                {
                    HttpResponseMessage response;
                    var attempt = 0;
                    do
                    {
                        if (attempt++ > 0) await Task.Delay(1000);
                        response = await client.GetAsync("https://api.example.com/v1/report");
                    }
                    while ([|response.StatusCode == HttpStatusCode.TooManyRequests && attempt < 5|]);
                    return response;
                }
            }
            """,

        ["sync: RestSharp response checked for 429, then a fixed sleep"] = Usings + """
            using RestSharp;
            class Report
            {
                public RestResponse Fetch(RestClient client)
                {
                    for (var attempt = 0; attempt < 3; attempt++)
                    {
                        var response = client.Execute(new RestRequest("https://api.example.com/v1/report"));
                        if ([|response.StatusCode == HttpStatusCode.TooManyRequests|])
                        {
                            Thread.Sleep(2000);
                            continue;
                        }

                        return response;
                    }

                    throw new InvalidOperationException();
                }
            }
            """,

        ["sync: a switch on the status that retries 429 after a fixed sleep"] = Usings + """
            class Report
            {
                public string? Fetch(HttpClient client)
                {
                    for (var attempt = 0; attempt < 4; attempt++)
                    {
                        using var response = client.Send(new HttpRequestMessage(HttpMethod.Get, "https://api.example.com/v1/report"));
                        switch ((int)response.StatusCode)
                        {
                            [|case 429:|]
                                Thread.Sleep(1500);
                                break;
                            case 200:
                                return "ok";
                            default:
                                return null;
                        }
                    }

                    return null;
                }
            }
            """,

        ["sync: Archiva's throttle body read from the stream, then a fixed sleep"] = Usings + """
            using System.IO;
            class Ingest
            {
                public void Send(HttpClient client, string json)
                {
                    for (var attempt = 0; attempt < 3; attempt++)
                    {
                        var response = client.Send(new HttpRequestMessage(HttpMethod.Post, "https://api.archiva.app/api/ingest/event") { Content = new StringContent(json) });
                        var body = new StreamReader(response.Content.ReadAsStream()).ReadToEnd();
                        if ([|body.Contains("\"error\":\"Rate limit exceeded\"")|])
                        {
                            Thread.Sleep(60_000);
                            continue;
                        }

                        return;
                    }
                }
            }
            """,

        ["Polly v8: RetryStrategyOptions handling 429 without a DelayGenerator"] = PollyUsings + """
            class Resilience
            {
                public ResiliencePipeline<HttpResponseMessage> Build() =>
                    new ResiliencePipelineBuilder<HttpResponseMessage>()
                        .AddRetry([|new RetryStrategyOptions<HttpResponseMessage>|]
                        {
                            ShouldHandle = new PredicateBuilder<HttpResponseMessage>().HandleResult(r => r.StatusCode == HttpStatusCode.TooManyRequests),
                            MaxRetryAttempts = 4,
                            Delay = TimeSpan.FromSeconds(1),
                        })
                        .Build();
            }
            """,

        ["Polly v8: a DelayGenerator that ignores the response"] = PollyUsings + """
            class Resilience
            {
                public ResiliencePipeline<HttpResponseMessage> Build() =>
                    new ResiliencePipelineBuilder<HttpResponseMessage>()
                        .AddRetry([|new RetryStrategyOptions<HttpResponseMessage>|]
                        {
                            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result?.StatusCode == HttpStatusCode.TooManyRequests),
                            DelayGenerator = args => new ValueTask<TimeSpan?>(TimeSpan.FromSeconds(args.AttemptNumber + 1)),
                        })
                        .Build();
            }
            """,

        ["Microsoft.Extensions.Http.Resilience: ShouldRetryAfterHeader = false"] = PollyUsings + """
            using Microsoft.Extensions.DependencyInjection;
            using Microsoft.Extensions.Http.Resilience;
            class Startup
            {
                public void Configure(IServiceCollection services) =>
                    services.AddHttpClient("archiva")
                        .AddResilienceHandler("retry", builder => builder.AddRetry([|new HttpRetryStrategyOptions|]
                        {
                            ShouldRetryAfterHeader = false,
                            MaxRetryAttempts = 5,
                        }));
            }
            """,

        ["Polly v7 async: WaitAndRetryAsync on 429 with a sleep that ignores the outcome"] = PollyUsings + """
            class Resilience
            {
                public IAsyncPolicy<HttpResponseMessage> Build() =>
                    Policy.HandleResult<HttpResponseMessage>(r => r.StatusCode == HttpStatusCode.TooManyRequests)
                        .[|WaitAndRetryAsync|](3, attempt => TimeSpan.FromSeconds(Math.Pow(2, attempt)));
            }
            """,

        ["Polly v7 sync: WaitAndRetry on (int)StatusCode == 429 with a constant sleep"] = PollyUsings + """
            class Resilience
            {
                public ISyncPolicy<HttpResponseMessage> Build() =>
                    Policy.HandleResult<HttpResponseMessage>(r => (int)r.StatusCode == 429)
                        .[|WaitAndRetry|](3, _ => TimeSpan.FromSeconds(1));
            }
            """,

        ["Polly v7 async: a 429 caught as HttpRequestException"] = PollyUsings + """
            class Resilience
            {
                public IAsyncPolicy Build() =>
                    Policy.Handle<HttpRequestException>(e => e.StatusCode == HttpStatusCode.TooManyRequests)
                        .[|WaitAndRetryAsync|](3, attempt => TimeSpan.FromSeconds(attempt));
            }
            """,

        // Anthropic.SDK's retry interceptor: the 429 test is in a predicate of the user's, handed the status; the lambda
        // that sends is passed through an interface.
        ["async: a predicate of the user's tests the status it is handed, in an interceptor behind an interface"] = Usings + """
            interface IRequestInterceptor
            {
                Task<HttpResponseMessage> InvokeAsync(HttpRequestMessage request, Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> next, CancellationToken ct);
            }
            class RetryInterceptor : IRequestInterceptor
            {
                private readonly int _maxRetries = 3;
                public async Task<HttpResponseMessage> InvokeAsync(HttpRequestMessage request, Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> next, CancellationToken ct)
                {
                    var attempt = 0;
                    while (attempt <= _maxRetries)
                    {
                        var response = await next(request, ct);
                        if ([|ShouldRetry(response.StatusCode, attempt)|])
                        {
                            await Task.Delay(TimeSpan.FromSeconds(Math.Pow(2, attempt)), ct);
                            attempt++;
                            continue;
                        }

                        return response;
                    }

                    throw new HttpRequestException("Retries exhausted.");
                }

                private bool ShouldRetry(HttpStatusCode statusCode, int attempt)
                {
                    if (attempt >= _maxRetries) return false;
                    return statusCode == HttpStatusCode.RequestTimeout || statusCode == (HttpStatusCode)429 || statusCode == HttpStatusCode.BadGateway;
                }
            }
            class Endpoint(HttpClient http, IRequestInterceptor interceptor)
            {
                public Task<HttpResponseMessage> SendAsync(HttpRequestMessage message, CancellationToken ct) =>
                    interceptor.InvokeAsync(message, (request, token) => http.SendAsync(request, token), ct);
            }
            """,

        ["sync: a predicate of the user's tests the status it is handed, in a record"] = Usings + """
            record Ingest(HttpClient Client)
            {
                static bool IsThrottled(HttpStatusCode status) => status is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable;

                public HttpResponseMessage Send()
                {
                    for (var attempt = 0; attempt < 5; attempt++)
                    {
                        var response = Client.Send(new HttpRequestMessage(HttpMethod.Get, "https://api.example.com/v1/report"));
                        if ([|!IsThrottled(response.StatusCode)|])
                        {
                            return response;
                        }

                        Thread.Sleep(2000);
                    }

                    throw new HttpRequestException("Still throttled.");
                }
            }
            """,
    };

    /// <summary>Code that reads the hint, stops on 429, or is not about HTTP.</summary>
    public static readonly IReadOnlyDictionary<string, string> NotReported = new Dictionary<string, string>
    {
        ["async: waits the Retry-After the server sent"] = Usings + """
            class Ingest
            {
                public async Task<HttpResponseMessage> SendAsync(HttpClient client, string json, CancellationToken cancellationToken)
                {
                    for (var attempt = 0; attempt < 5; attempt++)
                    {
                        var response = await client.PostAsync("https://api.archiva.app/api/ingest/event", new StringContent(json), cancellationToken);
                        if (response.StatusCode == HttpStatusCode.TooManyRequests)
                        {
                            var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(Math.Pow(2, attempt));
                            await Task.Delay(wait, cancellationToken);
                            continue;
                        }

                        return response;
                    }

                    throw new HttpRequestException("Still throttled.");
                }
            }
            """,

        ["sync: reads the Retry-After header by name"] = Usings + """
            class Ingest
            {
                public HttpResponseMessage Send(HttpClient client)
                {
                    for (var attempt = 0; attempt < 5; attempt++)
                    {
                        var response = client.Send(new HttpRequestMessage(HttpMethod.Get, "https://api.example.com/v1/report"));
                        if ((int)response.StatusCode == 429 && response.Headers.TryGetValues("Retry-After", out var values))
                        {
                            Thread.Sleep(TimeSpan.FromSeconds(int.Parse(values.First())));
                            continue;
                        }

                        return response;
                    }

                    throw new HttpRequestException("Still throttled.");
                }
            }
            """,

        ["async: reads GitHub's x-ratelimit-reset"] = Usings + """
            class Search
            {
                public async Task<string> FetchAsync(HttpClient client)
                {
                    while (true)
                    {
                        using var response = await client.GetAsync("https://api.github.com/search/code?q=x");
                        if (response.StatusCode == HttpStatusCode.TooManyRequests && response.Headers.TryGetValues("x-ratelimit-reset", out var reset))
                        {
                            var until = DateTimeOffset.FromUnixTimeSeconds(long.Parse(reset.First()));
                            await Task.Delay(until - DateTimeOffset.UtcNow);
                            continue;
                        }

                        return await response.Content.ReadAsStringAsync();
                    }
                }
            }
            """,

        ["sync: sleeps the Retry-After the server sent"] = SyncRetry(
            Usings,
            "response.StatusCode == HttpStatusCode.TooManyRequests",
            "Thread.Sleep(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(Math.Pow(2, attempt)));"),

        ["async: reads the Retry-After header by name"] = AsyncRetry(
            Usings,
            "(int)response.StatusCode == 429 && response.Headers.TryGetValues(\"Retry-After\", out var values)",
            "await Task.Delay(TimeSpan.FromSeconds(int.Parse(values.First())), cancellationToken);"),

        ["sync: reads GitHub's x-ratelimit-reset"] = SyncRetry(
            Usings,
            "response.StatusCode == HttpStatusCode.TooManyRequests && response.Headers.TryGetValues(\"x-ratelimit-reset\", out var reset)",
            "Thread.Sleep(DateTimeOffset.FromUnixTimeSeconds(long.Parse(reset.First())) - DateTimeOffset.UtcNow);"),

        ["async: reads the RateLimit-Reset header"] = AsyncRetry(
            Usings,
            "response.StatusCode == HttpStatusCode.TooManyRequests && response.Headers.TryGetValues(\"RateLimit-Reset\", out var reset)",
            "await Task.Delay(TimeSpan.FromSeconds(int.Parse(reset.First())), cancellationToken);"),

        ["sync: sleeps what the runtime's RetryAfter.GetDelayOrDefault says"] = SyncRetry(
            RuntimeUsings,
            "response.StatusCode == HttpStatusCode.TooManyRequests",
            "Thread.Sleep(RetryAfter.GetDelayOrDefault(response, TimeSpan.FromSeconds(2)));"),

        ["async: waits with the runtime's RetryAfter.DelayAsync"] = AsyncRetry(
            RuntimeUsings,
            "(int)response.StatusCode == 429",
            "await RetryAfter.DelayAsync(response, TimeSpan.FromSeconds(2), cancellationToken);"),

        ["async: asks the runtime's RetryAfter.TryGetDelay"] = AsyncRetry(
            RuntimeUsings,
            "response.StatusCode == HttpStatusCode.TooManyRequests && RetryAfter.TryGetDelay(response, DateTimeOffset.UtcNow, out var hint)",
            "await Task.Delay(hint, cancellationToken);"),

        ["sync: sleeps until the reset the runtime's RateLimitHeaders reads"] = SyncRetry(
            RuntimeUsings,
            "response.StatusCode == HttpStatusCode.TooManyRequests",
            "Thread.Sleep(RateLimitHeaders.Parse(response, DateTimeOffset.UtcNow).Reset ?? TimeSpan.FromSeconds(1));"),

        ["async: waits until the reset the runtime's RateLimitHeaders reads"] = AsyncRetry(
            RuntimeUsings,
            "response.StatusCode == HttpStatusCode.ServiceUnavailable",
            "await Task.Delay(RateLimitHeaders.Parse(response, DateTimeOffset.UtcNow).ExhaustedFor ?? TimeSpan.FromSeconds(1), cancellationToken);"),

        ["async: a helper in the same file reads Retry-After"] = Usings + """
            class Ingest
            {
                public async Task<HttpResponseMessage> SendAsync(HttpClient client)
                {
                    for (var attempt = 0; attempt < 5; attempt++)
                    {
                        var response = await client.GetAsync("https://api.example.com/v1/report");
                        if (response.StatusCode == HttpStatusCode.TooManyRequests)
                        {
                            await Task.Delay(HintOf(response));
                            continue;
                        }

                        return response;
                    }

                    throw new HttpRequestException("Still throttled.");
                }

                private static TimeSpan HintOf(HttpResponseMessage response) => response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);
            }
            """,

        ["async: stops on 429 by throwing"] = Usings + """
            class Report
            {
                public async Task<string> FetchAsync(HttpClient client)
                {
                    for (var attempt = 0; attempt < 3; attempt++)
                    {
                        using var response = await client.GetAsync("https://api.example.com/v1/report");
                        if (response.StatusCode == HttpStatusCode.TooManyRequests)
                        {
                            throw new InvalidOperationException("Throttled; try again later.");
                        }

                        if (response.IsSuccessStatusCode) return await response.Content.ReadAsStringAsync();
                    }

                    return string.Empty;
                }
            }
            """,

        ["sync: stops on 429 by throwing"] = Usings + """
            class Report
            {
                public string Fetch(HttpClient client)
                {
                    for (var attempt = 0; attempt < 3; attempt++)
                    {
                        using var response = client.Send(new HttpRequestMessage(HttpMethod.Get, "https://api.example.com/v1/report"));
                        if ((int)response.StatusCode == 429)
                        {
                            throw new InvalidOperationException("Throttled; try again later.");
                        }

                        if (response.IsSuccessStatusCode) return "ok";
                    }

                    return string.Empty;
                }
            }
            """,

        ["sync: logs and gives up on 429"] = Usings + """
            class Report
            {
                public string? Fetch(HttpClient client, List<string> log)
                {
                    string? result = null;
                    for (var attempt = 0; attempt < 3; attempt++)
                    {
                        var response = client.Send(new HttpRequestMessage(HttpMethod.Get, "https://api.example.com/v1/report"));
                        if (response.StatusCode == HttpStatusCode.TooManyRequests)
                        {
                            log.Add("throttled, giving up");
                            break;
                        }

                        if (response.IsSuccessStatusCode) { result = "ok"; break; }
                    }

                    return result;
                }
            }
            """,

        ["async: 429 switch case returns"] = Usings + """
            class Report
            {
                public async Task<string?> FetchAsync(HttpClient client)
                {
                    using var response = await client.GetAsync("https://api.example.com/v1/report");
                    switch (response.StatusCode)
                    {
                        case HttpStatusCode.TooManyRequests:
                            return null;
                        default:
                            return await response.Content.ReadAsStringAsync();
                    }
                }
            }
            """,

        ["sync: a switch case for 429 that returns"] = Usings + """
            class Report
            {
                public string? Fetch(HttpClient client)
                {
                    for (var attempt = 0; attempt < 3; attempt++)
                    {
                        using var response = client.Send(new HttpRequestMessage(HttpMethod.Get, "https://api.example.com/v1/report"));
                        switch (response.StatusCode)
                        {
                            case HttpStatusCode.TooManyRequests:
                            case HttpStatusCode.ServiceUnavailable:
                                return null;
                            case HttpStatusCode.OK:
                                return "ok";
                        }
                    }

                    return null;
                }
            }
            """,

        ["async: logs and gives up on 503"] = Usings + """
            class Report
            {
                public async Task<string?> FetchAsync(HttpClient client, List<string> log)
                {
                    while (true)
                    {
                        using var response = await client.GetAsync("https://api.example.com/v1/report");
                        if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                        {
                            log.Add("unavailable, giving up");
                            return null;
                        }

                        if (response.IsSuccessStatusCode) return await response.Content.ReadAsStringAsync();
                    }
                }
            }
            """,

        ["async: a catch for 429 that rethrows"] = Usings + """
            class Report
            {
                public async Task<string> FetchAsync(HttpClient client, List<string> log)
                {
                    for (var attempt = 0; ; attempt++)
                    {
                        try
                        {
                            using var response = await client.GetAsync("https://api.example.com/v1/report");
                            response.EnsureSuccessStatusCode();
                            return await response.Content.ReadAsStringAsync();
                        }
                        catch (HttpRequestException e) when (e.StatusCode == HttpStatusCode.TooManyRequests)
                        {
                            log.Add("throttled");
                            throw;
                        }
                    }
                }
            }
            """,

        ["sync: EnsureSuccessStatusCode, and a catch for 429 that rethrows"] = Usings + """
            class Report
            {
                public string Fetch(HttpClient client, List<string> log)
                {
                    for (var attempt = 0; ; attempt++)
                    {
                        try
                        {
                            using var response = client.Send(new HttpRequestMessage(HttpMethod.Get, "https://api.example.com/v1/report"));
                            response.EnsureSuccessStatusCode();
                            return "ok";
                        }
                        catch (HttpRequestException e) when (e.StatusCode == HttpStatusCode.TooManyRequests)
                        {
                            log.Add("throttled");
                            throw;
                        }
                    }
                }
            }
            """,

        ["async: Agora sends no Retry-After: its body signal is RL0004's business"] = Usings + """
            class Calls
            {
                public async Task<string> FetchAsync(HttpClient client)
                {
                    for (var attempt = 0; attempt < 5; attempt++)
                    {
                        var json = await client.GetStringAsync("https://api.agora.io/beta/analytics/call/lists?page_size=100");
                        if (json.Contains("\"code\":300"))
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

        ["sync: 429 in code that sends no request"] = Usings + """
            class Classifier
            {
                public string Describe(int status)
                {
                    while (true)
                    {
                        if (status == 429)
                        {
                            Thread.Sleep(1000);
                            status = 200;
                            continue;
                        }

                        return status.ToString();
                    }
                }
            }
            """,

        ["Microsoft.Extensions.Http.Resilience: HttpRetryStrategyOptions honours Retry-After by default"] = PollyUsings + """
            using Microsoft.Extensions.DependencyInjection;
            using Microsoft.Extensions.Http.Resilience;
            class Startup
            {
                public void Configure(IServiceCollection services) =>
                    services.AddHttpClient("archiva")
                        .AddResilienceHandler("retry", builder => builder.AddRetry(new HttpRetryStrategyOptions { MaxRetryAttempts = 5 }));
            }
            """,

        ["Polly v8: a DelayGenerator that reads Retry-After"] = PollyUsings + """
            class Resilience
            {
                public ResiliencePipeline<HttpResponseMessage> Build() =>
                    new ResiliencePipelineBuilder<HttpResponseMessage>()
                        .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
                        {
                            ShouldHandle = new PredicateBuilder<HttpResponseMessage>().HandleResult(r => r.StatusCode == HttpStatusCode.TooManyRequests),
                            DelayGenerator = args => new ValueTask<TimeSpan?>(args.Outcome.Result?.Headers.RetryAfter?.Delta),
                            BackoffType = DelayBackoffType.Exponential,
                            UseJitter = true,
                        })
                        .Build();
            }
            """,

        ["Polly v8: handles exceptions only, not 429"] = PollyUsings + """
            class Resilience
            {
                public ResiliencePipeline<HttpResponseMessage> Build() =>
                    new ResiliencePipelineBuilder<HttpResponseMessage>()
                        .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
                        {
                            ShouldHandle = new PredicateBuilder<HttpResponseMessage>().Handle<HttpRequestException>(),
                            BackoffType = DelayBackoffType.Exponential,
                            UseJitter = true,
                        })
                        .Build();
            }
            """,

        ["Polly v7: the sleep duration provider reads the outcome's Retry-After"] = PollyUsings + """
            class Resilience
            {
                public IAsyncPolicy<HttpResponseMessage> Build() =>
                    Policy.HandleResult<HttpResponseMessage>(r => r.StatusCode == HttpStatusCode.TooManyRequests)
                        .WaitAndRetryAsync(
                            3,
                            (attempt, outcome, context) => outcome.Result?.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(Math.Pow(2, attempt)),
                            (outcome, wait, attempt, context) => Task.CompletedTask);
            }
            """,

        ["Polly v7 sync: the sleep duration provider reads the outcome's Retry-After"] = PollyUsings + """
            class Resilience
            {
                public ISyncPolicy<HttpResponseMessage> Build() =>
                    Policy.HandleResult<HttpResponseMessage>(r => (int)r.StatusCode == 429)
                        .WaitAndRetry(
                            3,
                            (attempt, outcome, context) => outcome.Result?.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(Math.Pow(2, attempt)),
                            (outcome, wait, attempt, context) => { });
            }
            """,

        // Predicates of the user's that say nothing certain about a throttled response.
        ["async: a predicate that returns true outright for 429, and more, is not read as a throttle test"] = Usings + """
            class Ingest(HttpClient client)
            {
                static bool IsRetryable(HttpStatusCode status)
                {
                    if (status == (HttpStatusCode)429) return true;
                    return (int)status >= 500;
                }

                public async Task<HttpResponseMessage> SendAsync(CancellationToken ct)
                {
                    for (var attempt = 0; ; attempt++)
                    {
                        var response = await client.GetAsync("https://api.example.com/v1/report", ct);
                        if (!IsRetryable(response.StatusCode) || attempt >= 4) return response;
                        await Task.Delay(TimeSpan.FromSeconds(Math.Pow(2, attempt)), ct);
                    }
                }
            }
            """,

        // gh-gei's GithubClient: the handler that waits reads Retry-After from the response's headers copied to an array.
        ["async: a predicate names 429, and the recursion's handler waits what Retry-After says in headers copied to an array"] = Usings + """
            using System.Collections.Generic;
            using System.Linq;
            class GithubClient(HttpClient http)
            {
                public async Task<string> SendAsync(string url, int retryCount = 0)
                {
                    using var response = await http.GetAsync(url);
                    var content = await response.Content.ReadAsStringAsync();
                    var headers = response.Headers.ToArray();
                    if (IsSecondaryRateLimit(response.StatusCode, content))
                    {
                        return await HandleSecondaryRateLimit(url, headers, retryCount);
                    }

                    response.EnsureSuccessStatusCode();
                    return content;
                }

                private static bool IsSecondaryRateLimit(HttpStatusCode statusCode, string content)
                {
                    if (statusCode is not HttpStatusCode.Forbidden and not HttpStatusCode.TooManyRequests) return false;
                    return content.Contains("secondary rate limit") || statusCode == HttpStatusCode.TooManyRequests;
                }

                private async Task<string> HandleSecondaryRateLimit(string url, KeyValuePair<string, IEnumerable<string>>[] headers, int retryCount)
                {
                    if (retryCount >= 3) throw new HttpRequestException("Secondary rate limit exceeded.");
                    await Task.Delay(DelaySeconds(headers, retryCount) * 1000);
                    return await SendAsync(url, retryCount + 1);
                }

                private static int DelaySeconds(IEnumerable<KeyValuePair<string, IEnumerable<string>>> headers, int retryCount)
                {
                    var retryAfter = headers.SingleOrDefault(h => h.Key.Equals("Retry-After", StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault();
                    return int.TryParse(retryAfter, out var seconds) ? seconds : 60 * (int)Math.Pow(2, retryCount);
                }
            }
            """,

        ["sync: a predicate of the user's tests the status, and the loop waits what Retry-After says"] = Usings + """
            record Ingest(HttpClient Client)
            {
                static bool IsThrottled(HttpStatusCode status) => status == HttpStatusCode.TooManyRequests;

                public HttpResponseMessage Send()
                {
                    for (var attempt = 0; attempt < 5; attempt++)
                    {
                        var response = Client.Send(new HttpRequestMessage(HttpMethod.Get, "https://api.example.com/v1/report"));
                        if (!IsThrottled(response.StatusCode)) return response;
                        Thread.Sleep(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(Math.Pow(2, attempt)));
                    }

                    throw new HttpRequestException("Still throttled.");
                }
            }
            """,
        ["a 429 waits what a vendor's reset header says, read into an exception's property in another class"] = VendorResetHeaderThroughAnException,
    };

    public static TheoryData<string> ReportedNames => new(Reported.Keys);

    public static TheoryData<string> NotReportedNames => new(NotReported.Keys);

    public static IEnumerable<string> All => Reported.Values.Concat(NotReported.Values);

    /// <summary>
    /// The synchronous retry loop many cases share: up to five attempts, and when <paramref name="check"/> sees a
    /// throttled response, <paramref name="onThrottle"/> and round again. The cases differ only in those two.
    /// </summary>
    private static string SyncRetry(string usings, string check, string onThrottle) => usings + $$"""
        class Ingest
        {
            public HttpResponseMessage Send(HttpClient client)
            {
                for (var attempt = 0; attempt < 5; attempt++)
                {
                    var response = client.Send(new HttpRequestMessage(HttpMethod.Get, "https://api.example.com/v1/report"));
                    if ({{check}})
                    {
                        {{onThrottle}}
                        continue;
                    }

                    return response;
                }

                throw new HttpRequestException("Still throttled.");
            }
        }
        """;

    /// <summary>The asynchronous twin of <see cref="SyncRetry"/>, with the caller's token.</summary>
    private static string AsyncRetry(string usings, string check, string onThrottle) => usings + $$"""
        class Ingest
        {
            public async Task<HttpResponseMessage> SendAsync(HttpClient client, CancellationToken cancellationToken)
            {
                for (var attempt = 0; attempt < 5; attempt++)
                {
                    var response = await client.GetAsync("https://api.example.com/v1/report", cancellationToken);
                    if ({{check}})
                    {
                        {{onThrottle}}
                        continue;
                    }

                    return response;
                }

                throw new HttpRequestException("Still throttled.");
            }
        }
        """;
}
