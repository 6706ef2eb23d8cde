using System.Threading.Tasks;
using RateLimitAnalyzers.Tests.Verifiers;
using Xunit;
using Verify = RateLimitAnalyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    RateLimitAnalyzers.Rules.RL0003RetryAfterIgnoredAnalyzer,
    RateLimitAnalyzers.CodeFixes.Rules.RL0003RetryAfterIgnoredCodeFix>;

namespace RateLimitAnalyzers.Tests.Rules;

public class RL0003RetryAfterIgnoredCodeFixTests
{
    private const string FixedUsings = RL0003Cases.Usings + "using RateLimitAnalyzers.Pacing;\n";

    [Fact]
    public Task Async_fixed_wait_becomes_retry_after_with_backoff_by_the_attempt_counter() => Verify.VerifyCodeFixAsync(
        RL0003Cases.Reported["async: a fixed Task.Delay after 429, then the same POST again"],
        FixedUsings + """
        class Ingest
        {
            public async Task<HttpResponseMessage> SendAsync(HttpClient client, string json, CancellationToken cancellationToken)
            {
                for (var attempt = 0; attempt < 5; attempt++)
                {
                    var response = await client.PostAsync("https://api.example.com/v1/events", new StringContent(json), cancellationToken);
                    if (response.StatusCode == HttpStatusCode.TooManyRequests)
                    {
                        await RetryAfter.DelayAsync(response, Backoff.Exponential(attempt, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(1)), cancellationToken);
                        continue;
                    }

                    return response;
                }

                throw new HttpRequestException("Still throttled.");
            }
        }
        """);

    [Fact]
    public Task Sync_while_true_without_a_counter_gets_one_backs_off_by_it_and_gives_up() => Verify.VerifyEditsAsync(
        RL0003Cases.Reported["sync: Thread.Sleep after (int)StatusCode == 429 in a while (true)"],
        RL0003Cases.Usings,
        ("        while (true)\n", "        var attempt = 0;\n        while (true)\n"),
        ("                Thread.Sleep(1000);\n", """
                        if (attempt >= 3)
                        {
                            throw new HttpRequestException("Gave up after 3 retries.");
                        }

                        Thread.Sleep(RetryAfter.GetDelayOrDefault(response, Backoff.Exponential(attempt, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1))));
                        attempt++;

        """));

    [Fact]
    public Task An_instant_retry_waits_before_it_goes_round() => Verify.VerifyCodeFixAsync(
        RL0003Cases.Reported["async: 503 by pattern, retried at once"],
        FixedUsings + """
        class Report
        {
            public async Task<string> FetchAsync(HttpClient client)
            {
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    using var response = await client.GetAsync("https://api.example.com/v1/report");
                    if (response.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests)
                    {
                        await RetryAfter.DelayAsync(response, Backoff.Exponential(attempt, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1)));
                        continue;
                    }

                    return await response.Content.ReadAsStringAsync();
                }

                return string.Empty;
            }
        }
        """);

    [Fact]
    public Task Ensure_success_status_code_gets_a_status_check_before_it() => Verify.VerifyCodeFixAsync(
        RL0003Cases.Reported["async: EnsureSuccessStatusCode, then a retry on the 429 it threw"],
        FixedUsings + """
        class Ingest
        {
            public async Task SendAsync(HttpClient client, HttpContent content, CancellationToken cancellationToken)
            {
                for (var attempt = 0; attempt < 5; attempt++)
                {
                    try
                    {
                        using var response = await client.PostAsync("https://api.archiva.app/api/ingest/event", content, cancellationToken);
                        if (response.StatusCode == HttpStatusCode.TooManyRequests)
                        {
                            await RetryAfter.DelayAsync(response, Backoff.Exponential(attempt, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(80)), cancellationToken);
                            continue;
                        }

                        response.EnsureSuccessStatusCode();
                        return;
                    }
                    catch (HttpRequestException e) when (e.StatusCode == HttpStatusCode.TooManyRequests)
                    {
                        await Task.Delay(TimeSpan.FromSeconds(10), cancellationToken);
                    }
                }
            }
        }
        """);

    [Fact]
    public Task A_retry_by_recursion_waits_for_retry_after() => Verify.VerifyCodeFixAsync(
        RL0003Cases.Reported["async: a retry by recursion after a fixed wait"],
        FixedUsings + """
        class Report
        {
            private readonly HttpClient _client = new();

            public async Task<string> FetchAsync(string url, int attempt = 0)
            {
                var response = await _client.GetAsync(url);
                if (response.StatusCode == HttpStatusCode.TooManyRequests && attempt < 3)
                {
                    await RetryAfter.DelayAsync(response, Backoff.Exponential(attempt, TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(1)));
                    return await FetchAsync(url, attempt + 1);
                }

                return await response.Content.ReadAsStringAsync();
            }
        }
        """);

    [Fact]
    public Task A_switch_case_for_429_waits_for_retry_after() => Verify.VerifyEditsAsync(
        RL0003Cases.Reported["async: a switch on the status with a fixed wait for 429"],
        RL0003Cases.Usings,
        ("await Task.Delay(2000, cancellationToken);", "await RetryAfter.DelayAsync(response, Backoff.Exponential(attempt, TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(1)), cancellationToken);"));

    [Fact]
    public Task Archiva_throttle_body_waits_for_the_retry_after_of_the_response_it_was_read_from() => Verify.VerifyEditsAsync(
        RL0003Cases.Reported["async: Archiva's throttle body, then a fixed wait"],
        RL0003Cases.Usings,
        ("await Task.Delay(60_000);", "await RetryAfter.DelayAsync(response, Backoff.Exponential(attempt, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(8)));"));

    [Fact]
    public Task Polly_v8_options_get_a_delay_generator_and_exponential_backoff() => Verify.VerifyCodeFixAsync(
        RL0003Cases.Reported["Polly v8: RetryStrategyOptions handling 429 without a DelayGenerator"],
        RL0003Cases.PollyUsings + """
        using RateLimitAnalyzers.Pacing;
        class Resilience
        {
            public ResiliencePipeline<HttpResponseMessage> Build() =>
                new ResiliencePipelineBuilder<HttpResponseMessage>()
                    .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
                    {
                        ShouldHandle = new PredicateBuilder<HttpResponseMessage>().HandleResult(r => r.StatusCode == HttpStatusCode.TooManyRequests),
                        MaxRetryAttempts = 4,
                        Delay = TimeSpan.FromSeconds(1),
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                        DelayGenerator = args => new ValueTask<TimeSpan?>(args.Outcome.Result != null && RetryAfter.TryGetDelay(args.Outcome.Result, DateTimeOffset.UtcNow, out var delay) ? delay : (TimeSpan?)null),
                    })
                    .Build();
        }
        """);

    [Fact]
    public Task Http_retry_strategy_options_honour_retry_after_again() => Verify.VerifyCodeFixAsync(
        RL0003Cases.Reported["Microsoft.Extensions.Http.Resilience: ShouldRetryAfterHeader = false"],
        RL0003Cases.PollyUsings + """
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.Extensions.Http.Resilience;
        class Startup
        {
            public void Configure(IServiceCollection services) =>
                services.AddHttpClient("archiva")
                    .AddResilienceHandler("retry", builder => builder.AddRetry(new HttpRetryStrategyOptions
                    {
                        ShouldRetryAfterHeader = true,
                        MaxRetryAttempts = 5,
                    }));
        }
        """);

    [Fact]
    public Task No_fix_where_the_exception_is_all_there_is()
    {
        var source = RL0003Cases.Reported["async: catch (HttpRequestException) when 429 around GetStringAsync"];
        return Verify.VerifyCodeFixAsync(source, source);
    }

    [Fact]
    public Task Fix_all_handles_every_kind_in_every_document()
    {
        const string loops = RL0003Cases.Usings + """
            class Ingest
            {
                public async Task<HttpResponseMessage> SendAsync(HttpClient client, CancellationToken cancellationToken)
                {
                    for (var attempt = 0; attempt < 5; attempt++)
                    {
                        var response = await client.GetAsync("https://api.example.com/v1/report", cancellationToken);
                        if ([|response.StatusCode == HttpStatusCode.TooManyRequests|])
                        {
                            await Task.Delay(2000, cancellationToken);
                            continue;
                        }

                        return response;
                    }

                    throw new HttpRequestException("Still throttled.");
                }

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
            """;
        const string options = RL0003Cases.PollyUsings + """
            class Resilience
            {
                public RetryStrategyOptions<HttpResponseMessage> Options() => [|new RetryStrategyOptions<HttpResponseMessage>|]
                {
                    ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result?.StatusCode == HttpStatusCode.TooManyRequests),
                };
            }
            """;
        const string loopsFixed = RL0003Cases.Usings + """
            using RateLimitAnalyzers.Pacing;
            class Ingest
            {
                public async Task<HttpResponseMessage> SendAsync(HttpClient client, CancellationToken cancellationToken)
                {
                    for (var attempt = 0; attempt < 5; attempt++)
                    {
                        var response = await client.GetAsync("https://api.example.com/v1/report", cancellationToken);
                        if (response.StatusCode == HttpStatusCode.TooManyRequests)
                        {
                            await RetryAfter.DelayAsync(response, Backoff.Exponential(attempt, TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(1)), cancellationToken);
                            continue;
                        }

                        return response;
                    }

                    throw new HttpRequestException("Still throttled.");
                }

                public void Send(HttpClient client)
                {
                    var attempts = 0;
                    while (attempts++ < 3)
                    {
                        try
                        {
                            var response = client.Send(new HttpRequestMessage(HttpMethod.Post, "https://api.example.com/v1/jobs"));
                            if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                            {
                                Thread.Sleep(RetryAfter.GetDelayOrDefault(response, Backoff.Exponential(attempts, TimeSpan.FromMilliseconds(500), TimeSpan.FromMinutes(1))));
                                continue;
                            }

                            response.EnsureSuccessStatusCode();
                            break;
                        }
                        catch (HttpRequestException e) when (e.StatusCode == HttpStatusCode.ServiceUnavailable)
                        {
                            Thread.Sleep(500);
                        }
                    }
                }
            }
            """;
        const string optionsFixed = RL0003Cases.PollyUsings + """
            using RateLimitAnalyzers.Pacing;
            class Resilience
            {
                public RetryStrategyOptions<HttpResponseMessage> Options() => new RetryStrategyOptions<HttpResponseMessage>
                {
                    ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result?.StatusCode == HttpStatusCode.TooManyRequests),
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    DelayGenerator = args => new ValueTask<TimeSpan?>(args.Outcome.Result != null && RetryAfter.TryGetDelay(args.Outcome.Result, DateTimeOffset.UtcNow, out var delay) ? delay : (TimeSpan?)null),
                };
            }
            """;

        return Verify.VerifyFixAllAsync(("/0/Ingest.cs", loops, loopsFixed), ("/0/Resilience.cs", options, optionsFixed));
    }

    [Fact]
    public Task Fix_all_declares_the_counter_once_for_two_throttle_checks_in_one_loop()
    {
        // The loop, with what runs before it and for each status left open.
        static string Loop(string before, string onTooMany, string onUnavailable) => """
            class Report
            {
                public HttpResponseMessage Fetch(HttpClient client)
                {
            """ + Lines(before) + """
                    while (true)
                    {
                        var response = client.Send(new HttpRequestMessage(HttpMethod.Get, "https://api.example.com/v1/report"));
                        if (TOO_MANY)
                        {
            """ + Lines(onTooMany) + """
                            continue;
                        }

                        if (UNAVAILABLE)
                        {
            """ + Lines(onUnavailable) + """
                            continue;
                        }

                        return response;
                    }
                }
            }
            """;
        // A raw string ends without its last line break: it gets it back, and a piece its own, unless it is empty.
        static string Lines(string text) => "\n" + (text.Length == 0 ? string.Empty : text + "\n");
        static string Fixed(string seconds) => """
                            if (attempt >= 3)
                            {
                                throw new HttpRequestException("Gave up after 3 retries.");
                            }

                            Thread.Sleep(RetryAfter.GetDelayOrDefault(response, Backoff.Exponential(attempt, TimeSpan.FromSeconds(SECONDS), TimeSpan.FromMinutes(1))));
                            attempt++;
            """.Replace("SECONDS", seconds);
        const string tooMany = "response.StatusCode == HttpStatusCode.TooManyRequests";
        const string unavailable = "response.StatusCode == HttpStatusCode.ServiceUnavailable";
        const string declare = "        var attempt = 0;";
        const string sleepFive = "                Thread.Sleep(5000);";
        var source = RL0003Cases.Usings + Loop(string.Empty, "                Thread.Sleep(1000);", sleepFive)
            .Replace("TOO_MANY", "[|" + tooMany + "|]").Replace("UNAVAILABLE", "[|" + unavailable + "|]");
        string Checks(string text) => FixedUsings + text.Replace("TOO_MANY", tooMany).Replace("UNAVAILABLE", unavailable);

        // One fix at a time, the first makes the loop read Retry-After, and the 503 check is no longer reported.
        var test = new Verify.Test
        {
            TestCode = source,
            FixedCode = Checks(Loop(declare, Fixed("1"), sleepFive)),
            BatchFixedCode = Checks(Loop(declare, Fixed("1"), Fixed("5"))),
        };
        return test.RunAsync();
    }

    [Fact]
    public Task No_fix_is_offered_when_the_runtime_is_not_emitted() => Verify.VerifyNoFixWithoutRuntimeAsync(
        RL0003Cases.Reported["async: a fixed Task.Delay after 429, then the same POST again"]);
}
