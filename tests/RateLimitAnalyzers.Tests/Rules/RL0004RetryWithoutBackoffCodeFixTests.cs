using System.Threading.Tasks;
using RateLimitAnalyzers.Tests.Verifiers;
using Xunit;
using Verify = RateLimitAnalyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    RateLimitAnalyzers.Rules.RL0004RetryWithoutBackoffAnalyzer,
    RateLimitAnalyzers.CodeFixes.Rules.RL0004RetryWithoutBackoffCodeFix>;

namespace RateLimitAnalyzers.Tests.Rules;

public class RL0004RetryWithoutBackoffCodeFixTests
{
    private const string FixedUsings = RL0004Cases.Usings + "using RateLimitAnalyzers.Pacing;\n";

    [Fact]
    public Task An_unbounded_retry_gets_a_counter_a_limit_and_a_backoff() => Verify.VerifyCodeFixAsync(
        RL0004Cases.Reported["async: while (true) until success, no wait and no limit"],
        FixedUsings + """
        class Report
        {
            public async Task<HttpResponseMessage> FetchAsync(HttpClient client, CancellationToken cancellationToken)
            {
                var attempt = 0;
                while (true)
                {
                    var response = await client.GetAsync("https://api.example.com/v1/report", cancellationToken);
                    if (response.IsSuccessStatusCode) return response;
                    if (attempt >= 3)
                    {
                        throw new HttpRequestException("Gave up after 3 retries.");
                    }

                    await Backoff.DelayAsync(attempt, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1), cancellationToken);
                    attempt++;
                }
            }
        }
        """);

    [Fact]
    public Task A_sync_unbounded_retry_gets_a_counter_a_limit_and_a_backoff() => Verify.VerifyEditsAsync(
        RL0004Cases.Reported["sync: while (true) until success, no wait and no limit"],
        RL0004Cases.Usings,
        ("        while (true)\n", "        var attempt = 0;\n        while (true)\n"),
        ("            if (response.IsSuccessStatusCode) return response;\n", """
                    if (response.IsSuccessStatusCode) return response;
                    if (attempt >= 3)
                    {
                        throw new HttpRequestException("Gave up after 3 retries.");
                    }

                    Backoff.Delay(attempt, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
                    attempt++;

        """));

    [Fact]
    public Task A_sync_catch_that_tried_again_at_once_backs_off_by_the_loop_counter() => Verify.VerifyCodeFixAsync(
        RL0004Cases.Reported["sync: a for loop that catches and tries again at once"],
        FixedUsings + """
        class Report
        {
            public string Fetch(HttpClient client)
            {
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    try
                    {
                        using var response = client.Send(new HttpRequestMessage(HttpMethod.Get, "https://api.example.com/v1/report"));
                        response.EnsureSuccessStatusCode();
                        return "ok";
                    }
                    catch (HttpRequestException)
                    {
                        Backoff.Delay(attempt, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
                    }
                }

                return "failed";
            }
        }
        """);

    [Fact]
    public Task A_constant_delay_becomes_the_base_of_the_backoff() => Verify.VerifyCodeFixAsync(
        RL0004Cases.Reported["async: the same Task.Delay before every attempt"],
        FixedUsings + """
        class Ingest
        {
            public async Task SendAsync(HttpClient client, HttpContent content, CancellationToken cancellationToken)
            {
                for (var attempt = 0; attempt < 5; attempt++)
                {
                    try
                    {
                        using var response = await client.PostAsync("https://api.example.com/v1/events", content, cancellationToken);
                        response.EnsureSuccessStatusCode();
                        return;
                    }
                    catch (HttpRequestException)
                    {
                        await Backoff.DelayAsync(attempt, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1), cancellationToken);
                    }
                }
            }
        }
        """);

    [Fact]
    public Task A_growing_wait_that_never_stops_gets_a_limit_only() => Verify.VerifyCodeFixAsync(
        RL0004Cases.Reported["async: a doubling wait, but while (true) with no limit or deadline"],
        RL0004Cases.Usings + """
        class Report
        {
            public async Task<string> FetchAsync(HttpClient client)
            {
                var delay = TimeSpan.FromMilliseconds(200);
                var attempt = 0;
                while (true)
                {
                    try
                    {
                        return await client.GetStringAsync("https://api.example.com/v1/report");
                    }
                    catch (HttpRequestException)
                    {
                        if (attempt >= 3)
                        {
                            throw;
                        }

                        await Task.Delay(delay);
                        attempt++;
                        delay *= 2;
                    }
                }
            }
        }
        """);

    [Fact]
    public Task A_retry_by_recursion_backs_off_by_its_attempt_parameter() => Verify.VerifyCodeFixAsync(
        RL0004Cases.Reported["async: a retry by recursion with no wait"],
        FixedUsings + """
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
                    await Backoff.DelayAsync(attempt, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
                    return await FetchAsync(url, attempt + 1);
                }
            }
        }
        """);

    /// <summary>A counter of attempts left bounds the loop, but backing off by it would wait less each time: the fix counts attempts up beside it.</summary>
    [Fact]
    public Task A_loop_counting_down_what_is_left_backs_off_by_a_counter_of_its_own() => Verify.VerifyCodeFixAsync(
        RL0004Cases.Usings + """
        class Report
        {
            public async Task<HttpResponseMessage> FetchAsync(HttpClient client, CancellationToken ct)
            {
                [|for|] (var left = 5; ; left--)
                {
                    var response = await client.GetAsync("https://api.example.com/v1/report", ct);
                    if (response.IsSuccessStatusCode || left == 0) return response;
                }
            }
        }
        """,
        FixedUsings + """
        class Report
        {
            public async Task<HttpResponseMessage> FetchAsync(HttpClient client, CancellationToken ct)
            {
                var attempt = 0;
                for (var left = 5; ; left--)
                {
                    var response = await client.GetAsync("https://api.example.com/v1/report", ct);
                    if (response.IsSuccessStatusCode || left == 0) return response;
                    await Backoff.DelayAsync(attempt, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1), ct);
                    attempt++;
                }
            }
        }
        """);

    /// <summary>A one-line block that goes round again gets the wait before its <c>continue</c>, laid out one statement per line.</summary>
    [Fact]
    public Task A_one_line_block_is_laid_out_over_lines_when_the_wait_goes_in() => Verify.VerifyCodeFixAsync(
        RL0004Cases.Reported["M-3 async: a DelegatingHandler retries 5xx at once through base.SendAsync"],
        FixedUsings + """
        class RetryHandler : DelegatingHandler
        {
            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
            {
                var attempt = 0;
                for (var left = 5; ; left--)
                {
                    var response = await base.SendAsync(request, ct);
                    if ((int)response.StatusCode >= 500 && left > 0)
                    {
                        response.Dispose();
                        await Backoff.DelayAsync(attempt, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1), ct);
                        attempt++;
                        continue;
                    }
                    return response;
                }
            }
        }
        """);

    /// <summary>An <c>if</c> whose only statement goes round again becomes a block: the wait, the count and the <c>continue</c> each on a line.</summary>
    [Fact]
    public Task An_embedded_continue_becomes_a_block_laid_out_over_lines() => Verify.VerifyCodeFixAsync(
        RL0004Cases.Reported["M-1 async: a queued-result poll through an interface, sent by its one implementation"],
        FixedUsings + """
        interface IConnection { Task<HttpResponseMessage> Get(Uri uri); }
        class Connection : IConnection { readonly HttpClient _http = new(); public Task<HttpResponseMessage> Get(Uri uri) => _http.GetAsync(uri); }
        class Stats
        {
            public async Task<string> GetQueued(IConnection connection, Uri uri)
            {
                var attempt = 0;
                while (true)
                {
                    var response = await connection.Get(uri);
                    if (response.StatusCode == HttpStatusCode.Accepted)
                    {
                        if (attempt >= 3)
                        {
                            throw new HttpRequestException("Gave up after 3 retries.");
                        }

                        await Backoff.DelayAsync(attempt, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
                        attempt++;
                        continue;
                    }

                    return await response.Content.ReadAsStringAsync();
                }
            }
        }
        """);

    /// <summary>A recursion that passes on what is left has no attempt number to back off by, and a local would start again at every call: no fix.</summary>
    [Fact]
    public async Task A_recursion_counting_down_what_is_left_gets_no_fix()
    {
        var source = RL0004Cases.Reported["M-2 recursion: the project's own retry helper calls itself to run the delegate again, with no wait"];
        Assert.Contains("left - 1", source);
        Assert.Null(await CodeFixOutput.ApplyAsync<RateLimitAnalyzers.Rules.RL0004RetryWithoutBackoffAnalyzer, RateLimitAnalyzers.CodeFixes.Rules.RL0004RetryWithoutBackoffCodeFix>(source));
    }

    [Fact]
    public Task Polly_v7_retry_waits_with_the_runtime_backoff() => Verify.VerifyCodeFixAsync(
        RL0004Cases.Reported["Polly v7 async: RetryAsync on transient HTTP errors"],
        RL0004Cases.PollyUsings + """
        using Polly.Extensions.Http;
        using RateLimitAnalyzers.Pacing;
        class Resilience
        {
            private readonly IAsyncPolicy<HttpResponseMessage> _policy = HttpPolicyExtensions.HandleTransientHttpError().WaitAndRetryAsync(3, retryAttempt => Backoff.Exponential(retryAttempt - 1, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1)));

            public Task<HttpResponseMessage> FetchAsync(HttpClient client, CancellationToken cancellationToken) =>
                _policy.ExecuteAsync(token => client.GetAsync("https://api.example.com/v1/report", token), cancellationToken);
        }
        """);

    [Fact]
    public Task Polly_v7_retry_forever_becomes_a_bounded_wait_and_retry() => Verify.VerifyEditsAsync(
        RL0004Cases.Reported["Polly v7 sync: RetryForever"],
        RL0004Cases.PollyUsings,
        (".RetryForever()", ".WaitAndRetry(3, retryAttempt => Backoff.Exponential(retryAttempt - 1, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1)))"));

    [Fact]
    public Task Polly_v7_constant_sleep_becomes_the_base_of_the_backoff() => Verify.VerifyCodeFixAsync(
        RL0004Cases.Reported["Polly v7 async: WaitAndRetryAsync with a constant duration"],
        RL0004Cases.PollyUsings + """
        using RateLimitAnalyzers.Pacing;
        class Resilience
        {
            public IAsyncPolicy Build() =>
                Policy.Handle<HttpRequestException>().WaitAndRetryAsync(3, retryAttempt => Backoff.Exponential(retryAttempt - 1, TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(1)));
        }
        """);

    [Fact]
    public Task Polly_v8_zero_delay_becomes_exponential_backoff_with_jitter() => Verify.VerifyCodeFixAsync(
        RL0004Cases.Reported["Polly v8: Delay = TimeSpan.Zero on HTTP work"],
        RL0004Cases.PollyUsings + """
        class Resilience
        {
            public ResiliencePipeline<HttpResponseMessage> Build() =>
                new ResiliencePipelineBuilder<HttpResponseMessage>()
                    .AddRetry(new RetryStrategyOptions<HttpResponseMessage> { MaxRetryAttempts = 3, Delay = TimeSpan.FromSeconds(1), BackoffType = DelayBackoffType.Exponential, UseJitter = true })
                    .Build();
        }
        """);

    [Fact]
    public Task Fix_all_backs_off_every_retry_in_every_document()
    {
        const string loops = RL0004Cases.Usings + """
            class Report
            {
                public string Fetch(HttpClient client)
                {
                    [|for|] (var attempt = 0; attempt < 3; attempt++)
                    {
                        try { return client.Send(new HttpRequestMessage(HttpMethod.Get, "https://api.example.com/v1/report")).StatusCode.ToString(); }
                        catch (HttpRequestException) { Thread.Sleep(250); }
                    }

                    return "failed";
                }

                public async Task<string> FetchAsync(HttpClient client, CancellationToken cancellationToken)
                {
                    [|while|] (true)
                    {
                        try { return await client.GetStringAsync("https://api.example.com/v1/report", cancellationToken); }
                        catch (HttpRequestException) { }
                    }
                }
            }
            """;
        const string policies = RL0004Cases.PollyUsings + """
            class Resilience
            {
                public ISyncPolicy Retry() => Policy.Handle<HttpRequestException>().[|Retry|]();

                public ResiliencePipeline<HttpResponseMessage> Pipeline() =>
                    new ResiliencePipelineBuilder<HttpResponseMessage>().AddRetry([|new RetryStrategyOptions<HttpResponseMessage>|]()).Build();
            }
            """;
        const string loopsFixed = RL0004Cases.Usings + """
            using RateLimitAnalyzers.Pacing;
            class Report
            {
                public string Fetch(HttpClient client)
                {
                    for (var attempt = 0; attempt < 3; attempt++)
                    {
                        try { return client.Send(new HttpRequestMessage(HttpMethod.Get, "https://api.example.com/v1/report")).StatusCode.ToString(); }
                        catch (HttpRequestException) { Backoff.Delay(attempt, TimeSpan.FromMilliseconds(250), TimeSpan.FromMinutes(1)); }
                    }

                    return "failed";
                }

                public async Task<string> FetchAsync(HttpClient client, CancellationToken cancellationToken)
                {
                    var attempt = 0;
                    while (true)
                    {
                        try { return await client.GetStringAsync("https://api.example.com/v1/report", cancellationToken); }
                        catch (HttpRequestException)
                        {
                            if (attempt >= 3)
                            {
                                throw;
                            }

                            await Backoff.DelayAsync(attempt, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1), cancellationToken);
                            attempt++;
                        }
                    }
                }
            }
            """;
        const string policiesFixed = RL0004Cases.PollyUsings + """
            using RateLimitAnalyzers.Pacing;
            class Resilience
            {
                public ISyncPolicy Retry() => Policy.Handle<HttpRequestException>().WaitAndRetry(1, retryAttempt => Backoff.Exponential(retryAttempt - 1, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1)));

                public ResiliencePipeline<HttpResponseMessage> Pipeline() =>
                    new ResiliencePipelineBuilder<HttpResponseMessage>().AddRetry(new RetryStrategyOptions<HttpResponseMessage>() { BackoffType = DelayBackoffType.Exponential, UseJitter = true }).Build();
            }
            """;

        return Verify.VerifyFixAllAsync(("/0/Report.cs", loops, loopsFixed), ("/0/Resilience.cs", policies, policiesFixed));
    }

    [Fact]
    public Task No_fix_is_offered_when_the_runtime_is_not_emitted() => Verify.VerifyNoFixWithoutRuntimeAsync(
        RL0004Cases.Reported["async: the same Task.Delay before every attempt"]);
}
