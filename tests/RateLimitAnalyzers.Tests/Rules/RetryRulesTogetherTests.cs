using System.Threading.Tasks;
using RateLimitAnalyzers.CodeFixes.Rules;
using RateLimitAnalyzers.Rules;
using RateLimitAnalyzers.Tests.Verifiers;
using Xunit;
using All = RateLimitAnalyzers.Tests.Verifiers.CSharpRulesVerifier;

namespace RateLimitAnalyzers.Tests.Rules;

/// <summary>
/// One finding per root cause, with every analyzer of the package running: a retry that ignores Retry-After is RL0003's
/// alone (its fix brings the backoff too), a paging loop is never RL0004's, a retry loop never RL0001's.
/// </summary>
public class RetryRulesTogetherTests
{
    [Theory]
    [MemberData(nameof(RL0003Cases.ReportedNames), MemberType = typeof(RL0003Cases))]
    public Task Every_RL0003_case_gets_RL0003_and_nothing_else(string name) =>
        All.VerifyAsync(All.ForRule(RL0003Cases.Reported[name], RuleIdentifiers.RetryAfterIgnored));

    [Theory]
    [MemberData(nameof(RL0004Cases.ReportedNames), MemberType = typeof(RL0004Cases))]
    public Task Every_RL0004_case_gets_RL0004_and_nothing_else(string name) =>
        All.VerifyAsync(All.ForRule(RL0004Cases.Reported[name], RuleIdentifiers.RetryWithoutBackoff));

    /// <summary>
    /// RL0003's fix handles the hint and the fallback backoff together: what it leaves draws no rule, RL0004 included
    /// (a fixed loop that still waits a constant fallback forever would). Cases the fix offers nothing for have no output.
    /// </summary>
    [Theory]
    [MemberData(nameof(RL0003Cases.ReportedNames), MemberType = typeof(RL0003Cases))]
    public async Task Every_RL0003_fix_output_draws_no_rule(string name)
    {
        if (await CodeFixOutput.ApplyAsync<RL0003RetryAfterIgnoredAnalyzer, RL0003RetryAfterIgnoredCodeFix>(RL0003Cases.Reported[name]) is { } fixedSource)
        {
            await All.VerifyAsync(fixedSource);
        }
    }

    /// <summary>RL0004's fix backs off and bounds the retry: what it leaves draws no rule, RL0003 included.</summary>
    [Theory]
    [MemberData(nameof(RL0004Cases.ReportedNames), MemberType = typeof(RL0004Cases))]
    public async Task Every_RL0004_fix_output_draws_no_rule(string name)
    {
        if (await CodeFixOutput.ApplyAsync<RL0004RetryWithoutBackoffAnalyzer, RL0004RetryWithoutBackoffCodeFix>(RL0004Cases.Reported[name]) is { } fixedSource)
        {
            await All.VerifyAsync(fixedSource);
        }
    }

    [Fact]
    public async Task The_fix_outputs_are_the_fixed_code_and_none_where_no_fix_is_offered()
    {
        var fixedLoop = await CodeFixOutput.ApplyAsync<RL0003RetryAfterIgnoredAnalyzer, RL0003RetryAfterIgnoredCodeFix>(
            RL0003Cases.Reported["sync: Thread.Sleep after (int)StatusCode == 429 in a while (true)"]);
        Assert.Contains("RetryAfter.GetDelayOrDefault(response, Backoff.Exponential(attempt,", fixedLoop);
        Assert.Null(await CodeFixOutput.ApplyAsync<RL0003RetryAfterIgnoredAnalyzer, RL0003RetryAfterIgnoredCodeFix>(
            RL0003Cases.Reported["async: catch (HttpRequestException) when 429 around GetStringAsync"]));
    }

    [Theory]
    [MemberData(nameof(RL0001Cases.ReportedNames), MemberType = typeof(RL0001Cases))]
    public Task Every_paging_loop_gets_RL0001_and_never_RL0004(string name)
    {
        var source = All.ForRule(RL0001Cases.Reported[name], RuleIdentifiers.PagingLoopWithoutPacing);

        // The pipeline this paging loop runs through retries on Polly's default constant 2 s: a finding of its own, on the options.
        source = source.Replace("AddRetry(new RetryStrategyOptions())", "AddRetry({|RL0004:new RetryStrategyOptions|}())");
        return All.VerifyAsync(source);
    }

    [Fact]
    public Task A_throttle_observing_retry_with_a_fixed_sleep_gets_RL0003_only() => All.VerifyAsync(
        RL0003Cases.Usings + """
        class Ingest
        {
            public void Send(HttpClient client, HttpContent content)
            {
                while (true)
                {
                    var response = client.Send(new HttpRequestMessage(HttpMethod.Post, "https://api.archiva.app/api/ingest/event") { Content = content });
                    if ({|RL0003:response.StatusCode == HttpStatusCode.TooManyRequests|})
                    {
                        Thread.Sleep(1000);
                        continue;
                    }

                    response.EnsureSuccessStatusCode();
                    return;
                }
            }
        }
        """);

    [Fact]
    public Task A_paging_loop_that_waits_a_fixed_time_after_a_failure_gets_RL0001_never_RL0004() => All.VerifyAsync(
        RL0003Cases.Usings + """
        class Page { public List<string> Items { get; set; } = new(); public string? Next { get; set; } }
        class Export
        {
            public async Task RunAsync(HttpClient client, List<string> all)
            {
                string? cursor = null;
                {|RL0001:while|} (true)
                {
                    Page? page;
                    try
                    {
                        page = await client.GetFromJsonAsync<Page>("https://api.example.com/v1/items?cursor=" + cursor);
                    }
                    catch (HttpRequestException)
                    {
                        await Task.Delay(1000);
                        continue;
                    }

                    all.AddRange(page!.Items);
                    if (page.Next is null) break;
                    cursor = page.Next;
                }
            }
        }
        """);

    [Fact]
    public Task A_paging_loop_that_waits_a_fixed_time_after_429_gets_RL0001_and_RL0003() => All.VerifyAsync(
        RL0003Cases.Usings + """
        class Page { public List<string> Items { get; set; } = new(); public string? Next { get; set; } }
        class Export
        {
            public async Task RunAsync(HttpClient client, List<string> all)
            {
                string? cursor = null;
                {|RL0001:do|}
                {
                    using var response = await client.GetAsync("https://api.example.com/v1/items?cursor=" + cursor);
                    if ({|RL0003:response.StatusCode == HttpStatusCode.TooManyRequests|})
                    {
                        await Task.Delay(5000);
                        continue;
                    }

                    var page = await response.Content.ReadFromJsonAsync<Page>();
                    all.AddRange(page!.Items);
                    cursor = page.Next;
                }
                while (cursor != null);
            }
        }
        """);

    [Fact]
    public Task A_retry_loop_against_a_catalogued_endpoint_gets_RL0004_never_RL0001() => All.VerifyAsync(
        RL0003Cases.Usings + """
        class Calls
        {
            public async Task<string> FetchAsync(HttpClient client)
            {
                {|RL0004:for|} (var attempt = 0; attempt < 3; attempt++)
                {
                    try
                    {
                        return await client.GetStringAsync("https://api.agora.io/beta/analytics/call/lists?page_size=100");
                    }
                    catch (HttpRequestException)
                    {
                        await Task.Delay(500);
                    }
                }

                return string.Empty;
            }
        }
        """);
}
