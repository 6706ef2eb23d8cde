using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace RateLimitAnalyzers.Tests.Rules;

/// <summary>
/// Every RL0007 case as source with markup. The positive and negative tests run them through the analyzer,
/// and the robustness test runs every one of them truncated.
/// </summary>
public static class RL0007Cases
{
    public const string Usings = RL0001Cases.Usings;

    /// <summary>Limiters made on every call, used once and dropped; what makes the limiter is marked.</summary>
    public static readonly IReadOnlyDictionary<string, string> Reported = new Dictionary<string, string>
    {
        ["a TokenBucketRateLimiter made in the method"] = Usings + """
            using System.Threading.RateLimiting;
            class Client
            {
                private readonly HttpClient _client = new();
                public async Task<string> GetCallsAsync(string day, CancellationToken cancellationToken)
                {
                    using var limiter = [|new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions { TokenLimit = 1, TokensPerPeriod = 1, ReplenishmentPeriod = TimeSpan.FromSeconds(1), QueueLimit = 10 })|];
                    using var lease = await limiter.AcquireAsync(1, cancellationToken);
                    return await _client.GetStringAsync("https://api.agora.io/beta/analytics/call/lists?day=" + day, cancellationToken);
                }
            }
            """,

        ["a limiter made in the method before a relative URL under a catalogued base address"] = Usings + """
            using System.Threading.RateLimiting;
            class Client
            {
                private readonly HttpClient _client = new() { BaseAddress = new Uri("https://api.stripe.com/") };
                public async Task<string> GetCustomerAsync(string id, CancellationToken cancellationToken)
                {
                    using var limiter = [|new FixedWindowRateLimiter(new FixedWindowRateLimiterOptions { PermitLimit = 25, Window = TimeSpan.FromSeconds(1) })|];
                    using var lease = await limiter.AcquireAsync(1, cancellationToken);
                    return await _client.GetStringAsync("v1/customers/" + id, cancellationToken);
                }
            }
            """,

        ["the package's RequestPacer made in the method"] = Usings + """
            using RateLimitAnalyzers.Pacing;
            class Client
            {
                public async Task<string> GetAsync(HttpClient client, string id, CancellationToken cancellationToken)
                {
                    var pacer = [|new RequestPacer(QuotaWindow.PerSecond(25))|];
                    await pacer.WaitTurnAsync(cancellationToken);
                    return await client.GetStringAsync("https://api.stripe.com/v1/customers/" + id, cancellationToken);
                }
            }
            """,

        ["a Polly pipeline with a rate limiter built in the method"] = Usings + """
            using Polly;
            using System.Threading.RateLimiting;
            class Client
            {
                public async Task<string> GetAsync(HttpClient client, string id, CancellationToken cancellationToken)
                {
                    var pipeline = [|new ResiliencePipelineBuilder()
                        .AddRateLimiter(new SlidingWindowRateLimiter(new SlidingWindowRateLimiterOptions { PermitLimit = 100, Window = TimeSpan.FromSeconds(60), SegmentsPerWindow = 6, QueueLimit = 100 }))
                        .Build()|];
                    return await pipeline.ExecuteAsync(async ct => await client.GetStringAsync("https://api.example.com/v1/items/" + id, ct), cancellationToken);
                }
            }
            """,

        ["a Polly v7 rate-limit policy made in the method"] = Usings + """
            using Polly;
            class Client
            {
                public async Task<HttpResponseMessage> PostAsync(HttpClient client, HttpContent body)
                {
                    var policy = [|Policy.RateLimitAsync(100, TimeSpan.FromSeconds(60))|];
                    return await policy.ExecuteAsync(() => client.PostAsync("https://api.archiva.app/api/ingest/event", body));
                }
            }
            """,

        ["a limiter made inside the loop body, once per iteration"] = Usings + """
            using System.Threading.RateLimiting;
            class Client
            {
                public async Task SendAllAsync(HttpClient client, IEnumerable<HttpContent> events)
                {
                    foreach (var e in events)
                    {
                        var limiter = [|new FixedWindowRateLimiter(new FixedWindowRateLimiterOptions { PermitLimit = 1, Window = TimeSpan.FromSeconds(1), QueueLimit = 1 })|];
                        using var lease = limiter.AttemptAcquire();
                        await client.PostAsync("https://slack.com/api/chat.postMessage", e);
                    }
                }
            }
            """,
    };

    /// <summary>Limiters kept for the process, or kept for a loop or a fan-out in the method.</summary>
    public static readonly IReadOnlyDictionary<string, string> NotReported = new Dictionary<string, string>
    {
        ["a limiter in a static field"] = Usings + """
            using System.Threading.RateLimiting;
            class Client
            {
                private static readonly RateLimiter s_limiter = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions { TokenLimit = 1, TokensPerPeriod = 1, ReplenishmentPeriod = TimeSpan.FromSeconds(1), QueueLimit = 10 });
                public async Task<string> GetAsync(HttpClient client, string day, CancellationToken cancellationToken)
                {
                    using var lease = await s_limiter.AcquireAsync(1, cancellationToken);
                    return await client.GetStringAsync("https://api.agora.io/beta/analytics/call/lists?day=" + day, cancellationToken);
                }
            }
            """,

        ["a limiter from DI"] = Usings + """
            using System.Threading.RateLimiting;
            class Client(HttpClient client, RateLimiter limiter)
            {
                public async Task<string> GetAsync(string day, CancellationToken cancellationToken)
                {
                    using var lease = await limiter.AcquireAsync(1, cancellationToken);
                    return await client.GetStringAsync("https://api.agora.io/beta/analytics/call/lists?day=" + day, cancellationToken);
                }
            }
            """,

        ["the shared pacer"] = Usings + """
            using RateLimitAnalyzers.Pacing;
            class Client
            {
                public async Task<string> GetAsync(HttpClient client, string id, CancellationToken cancellationToken)
                {
                    var pacer = RequestPacer.Shared("api.stripe.com/*", QuotaWindow.PerSecond(25));
                    await pacer.WaitTurnAsync(cancellationToken);
                    return await client.GetStringAsync("https://api.stripe.com/v1/customers/" + id, cancellationToken);
                }
            }
            """,

        ["a limiter made for a loop that it paces"] = Usings + """
            using System.Threading.RateLimiting;
            class Export
            {
                public async Task RunAsync(HttpClient client, IEnumerable<string> days, CancellationToken cancellationToken)
                {
                    using var limiter = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions { TokenLimit = 1, TokensPerPeriod = 1, ReplenishmentPeriod = TimeSpan.FromSeconds(1), QueueLimit = 1000 });
                    foreach (var day in days)
                    {
                        using var lease = await limiter.AcquireAsync(1, cancellationToken);
                        await client.GetStringAsync("https://api.agora.io/beta/analytics/call/lists?day=" + day, cancellationToken);
                    }
                }
            }
            """,

        ["a limiter made for a fan-out that it paces"] = Usings + """
            using System.Threading.RateLimiting;
            class Export
            {
                public async Task RunAsync(HttpClient client, IEnumerable<string> ids)
                {
                    using var limiter = new SlidingWindowRateLimiter(new SlidingWindowRateLimiterOptions { PermitLimit = 25, Window = TimeSpan.FromSeconds(1), SegmentsPerWindow = 5, QueueLimit = 10000 });
                    await Task.WhenAll(ids.Select(async id =>
                    {
                        using var lease = await limiter.AcquireAsync();
                        return await client.GetStringAsync("https://api.stripe.com/v1/customers/" + id);
                    }));
                }
            }
            """,

        ["a limiter made here and handed on"] = Usings + """
            using System.Threading.RateLimiting;
            class Client
            {
                private readonly Dictionary<string, RateLimiter> _limiters = new();
                public async Task<string> GetAsync(HttpClient client, string day)
                {
                    var limiter = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions { TokenLimit = 1, TokensPerPeriod = 1, ReplenishmentPeriod = TimeSpan.FromSeconds(1), QueueLimit = 10 });
                    _limiters[day] = limiter;
                    using var lease = await limiter.AcquireAsync();
                    return await client.GetStringAsync("https://api.agora.io/beta/analytics/call/lists?day=" + day);
                }
            }
            """,

        ["a pipeline built per call around a limiter kept in a field"] = Usings + """
            using Polly;
            using System.Threading.RateLimiting;
            class Client
            {
                private static readonly RateLimiter s_limiter = new SlidingWindowRateLimiter(new SlidingWindowRateLimiterOptions { PermitLimit = 100, Window = TimeSpan.FromSeconds(60), SegmentsPerWindow = 6, QueueLimit = 100 });
                public async Task<string> GetAsync(HttpClient client, string id, CancellationToken cancellationToken)
                {
                    var pipeline = new ResiliencePipelineBuilder().AddRateLimiter(s_limiter).Build();
                    return await pipeline.ExecuteAsync(async ct => await client.GetStringAsync("https://api.example.com/v1/items/" + id, ct), cancellationToken);
                }
            }
            """,

        ["a limiter made in a method that sends nothing"] = Usings + """
            using System.Threading.RateLimiting;
            class Worker
            {
                public async Task<bool> TryAsync(CancellationToken cancellationToken)
                {
                    using var limiter = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions { TokenLimit = 1, TokensPerPeriod = 1, ReplenishmentPeriod = TimeSpan.FromSeconds(1), QueueLimit = 10 });
                    using var lease = await limiter.AcquireAsync(1, cancellationToken);
                    return lease.IsAcquired;
                }
                public Task Ping(HttpClient client) => client.GetAsync("https://api.example.com/v1/ping");
            }
            """,
    };

    public static TheoryData<string> ReportedNames => new(Reported.Keys);

    public static TheoryData<string> NotReportedNames => new(NotReported.Keys);

    public static IEnumerable<string> All => Reported.Values.Concat(NotReported.Values);
}
