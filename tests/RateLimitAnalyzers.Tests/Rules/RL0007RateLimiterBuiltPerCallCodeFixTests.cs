using System.Threading.Tasks;
using Xunit;
using Verify = RateLimitAnalyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    RateLimitAnalyzers.Rules.RL0007RateLimiterBuiltPerCallAnalyzer,
    RateLimitAnalyzers.CodeFixes.Rules.RL0007RateLimiterBuiltPerCallCodeFix>;

namespace RateLimitAnalyzers.Tests.Rules;

public class RL0007RateLimiterBuiltPerCallCodeFixTests
{
    [Fact]
    public Task Limiter_moves_to_a_static_readonly_field_and_its_using_goes() => Verify.VerifyCodeFixAsync(
        RL0007Cases.Reported["a TokenBucketRateLimiter made in the method"],
        RL0007Cases.Usings + """
        using System.Threading.RateLimiting;
        class Client
        {
            private readonly HttpClient _client = new();
            private static readonly TokenBucketRateLimiter s_limiter = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions { TokenLimit = 1, TokensPerPeriod = 1, ReplenishmentPeriod = TimeSpan.FromSeconds(1), QueueLimit = 10 });

            public async Task<string> GetCallsAsync(string day, CancellationToken cancellationToken)
            {
                using var lease = await s_limiter.AcquireAsync(1, cancellationToken);
                return await _client.GetStringAsync("https://api.agora.io/beta/analytics/call/lists?day=" + day, cancellationToken);
            }
        }
        """);

    [Fact]
    public Task Limiter_made_per_iteration_moves_out_of_the_loop() => Verify.VerifyCodeFixAsync(
        RL0007Cases.Reported["a limiter made inside the loop body, once per iteration"],
        RL0007Cases.Usings + """
        using System.Threading.RateLimiting;
        class Client
        {
            private static readonly FixedWindowRateLimiter s_limiter = new FixedWindowRateLimiter(new FixedWindowRateLimiterOptions { PermitLimit = 1, Window = TimeSpan.FromSeconds(1), QueueLimit = 1 });

            public async Task SendAllAsync(HttpClient client, IEnumerable<HttpContent> events)
            {
                foreach (var e in events)
                {
                    using var lease = s_limiter.AttemptAcquire();
                    await client.PostAsync("https://slack.com/api/chat.postMessage", e);
                }
            }
        }
        """);

    [Fact]
    public Task Polly_policy_moves_to_a_field_of_its_own_type() => Verify.VerifyCodeFixAsync(
        RL0007Cases.Reported["a Polly v7 rate-limit policy made in the method"],
        RL0007Cases.Usings + """
        using Polly;
        class Client
        {
            private static readonly Polly.RateLimit.AsyncRateLimitPolicy s_policy = Policy.RateLimitAsync(100, TimeSpan.FromSeconds(60));

            public async Task<HttpResponseMessage> PostAsync(HttpClient client, HttpContent body)
            {
                return await s_policy.ExecuteAsync(() => client.PostAsync("https://api.archiva.app/api/ingest/event", body));
            }
        }
        """);

    [Fact]
    public Task RequestPacer_becomes_the_shared_pacer_under_the_endpoints_key()
    {
        var source = RL0007Cases.Reported["the package's RequestPacer made in the method"];
        return Verify.VerifyCodeFixAsync(
            source,
            source.Replace("[|new RequestPacer(QuotaWindow.PerSecond(25))|]", "RequestPacer.Shared(\"api.stripe.com/*\", QuotaWindow.PerSecond(25))"));
    }

    [Fact]
    public Task No_fix_when_the_limiter_reads_the_call()
    {
        var source = RL0007Cases.Usings + """
            using System.Threading.RateLimiting;
            class Client
            {
                public async Task<string> GetAsync(HttpClient client, int perSecond)
                {
                    using var limiter = [|new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions { TokenLimit = perSecond, TokensPerPeriod = perSecond, ReplenishmentPeriod = TimeSpan.FromSeconds(1), QueueLimit = 10 })|];
                    using var lease = await limiter.AcquireAsync();
                    return await client.GetStringAsync("https://api.example.com/v1/items");
                }
            }
            """;
        return Verify.VerifyCodeFixAsync(source, source);
    }
}
