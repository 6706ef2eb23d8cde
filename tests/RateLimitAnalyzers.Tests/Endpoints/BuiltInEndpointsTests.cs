using System;
using System.Linq;
using RateLimitAnalyzers.Knowledge.Endpoints;
using Xunit;

namespace RateLimitAnalyzers.Tests.Endpoints;

public class BuiltInEndpointsTests
{
    private static CatalogEntry Entry(string key) =>
        Assert.Single(BuiltInEndpoints.Entries, e => e.Key == key);

    [Fact]
    public void The_shipped_catalog_parses_with_zero_errors()
    {
        var result = BuiltInEndpoints.ParseResult;
        Assert.True(result.Errors.IsEmpty, string.Join(Environment.NewLine, result.Errors));
        Assert.NotEmpty(result.Entries);
        Assert.All(result.Entries, e => Assert.Equal(CatalogEntryOrigin.BuiltIn, e.Origin));
    }

    [Fact]
    public void Every_built_in_entry_cites_vendor_documentation_and_has_a_name()
    {
        Assert.All(BuiltInEndpoints.Entries, e =>
        {
            Assert.NotEmpty(e.Sources);
            Assert.All(e.Sources, s => Assert.StartsWith("https://", s, StringComparison.Ordinal));
            Assert.NotEqual(e.Key, e.Name);
        });
    }

    [Fact]
    public void Every_built_in_entry_says_how_the_api_signals_throttling_or_why_not()
    {
        Assert.All(BuiltInEndpoints.Entries, e => Assert.True(!e.ThrottleSignals.IsEmpty || (e.Notes ?? string.Empty).Contains("does not document the throttled response"), e.Key));
    }

    [Fact]
    public void Built_in_identities_and_keys_are_unique()
    {
        Assert.Equal(BuiltInEndpoints.Entries.Length, BuiltInEndpoints.Entries.Select(e => e.Identity).Distinct().Count());
        Assert.Equal(BuiltInEndpoints.Entries.Length, BuiltInEndpoints.Entries.Select(e => e.Key).Distinct().Count());
    }

    [Fact]
    public void Agora_call_lists_carries_the_seed_facts()
    {
        var agora = Entry("api.agora.io/beta/analytics/call/lists");
        Assert.Equal(["GET"], agora.Methods.ToArray());
        Assert.Equal("1/1s, 1000/1d", QuotaText.Format(agora.Quota));
        Assert.Equal("per-app-id", agora.Scope);
        Assert.Contains(429, agora.ThrottleStatusCodes);
        Assert.Equal("\"code\":300", agora.ThrottleBodyPattern);
        Assert.Equal("page_size", agora.PageSizeParameter);
        Assert.True(agora.IsDistinctive);
        Assert.Contains("Premium: 3/s and 2,000/day", agora.Notes, StringComparison.Ordinal);
        Assert.Contains("Enterprise: 10/s and 10,000/day", agora.Notes, StringComparison.Ordinal);
        Assert.Contains("UTC", agora.Notes, StringComparison.Ordinal);
        Assert.Equal("Agora Analytics GET /beta/analytics/call/lists allows 1 request per second and 1,000 requests per day", agora.DescribeQuota());
        Assert.Equal(["429", "body containing \"code\":300"], agora.ThrottleSignals.ToArray());
    }

    [Fact]
    public void Archiva_ingest_carries_the_seed_facts()
    {
        var archiva = Entry("api.archiva.app/api/ingest/event");
        Assert.Equal(["POST"], archiva.Methods.ToArray());
        Assert.Equal("100/60s", QuotaText.Format(archiva.Quota));
        Assert.Equal(QuotaWindowKind.Rolling, archiva.WindowKind);
        Assert.Equal("per-api-key", archiva.Scope);
        Assert.Equal([429], archiva.ThrottleStatusCodes.ToArray());
        Assert.True(archiva.SendsRetryAfter);
        Assert.Empty(archiva.RateLimitHeaders);
        Assert.True(archiva.IsDistinctive);
        Assert.Equal("Archiva POST /api/ingest/event allows 100 requests per 60 s", archiva.DescribeQuota());
        Assert.Equal("429 with Retry-After", archiva.ThrottleSignals[0]);
    }

    [Fact]
    public void Suse_application_collection_carries_the_seed_facts_and_no_invented_quota()
    {
        var suse = Entry("api.apps.rancher.io/*");
        Assert.False(suse.HasQuota);
        Assert.Equal(QuotaWindowKind.Rolling, suse.WindowKind);
        Assert.Equal(TimeSpan.FromHours(24), suse.WindowWithoutQuota);
        Assert.Equal(["ratelimit-limit", "ratelimit-remaining"], suse.RateLimitHeaders.ToArray());
        Assert.Contains(429, suse.ThrottleStatusCodes);
        Assert.Contains("50;w=21600", suse.Notes, StringComparison.Ordinal);
        Assert.False(suse.IsDistinctive);
        Assert.Equal("SUSE Application Collection API is rate limited per rolling 24 h window; the quota comes from the ratelimit-limit header at run time", suse.DescribeQuota());
    }

    [Fact]
    public void GitHub_rest_api_describes_its_authenticated_quota()
    {
        var github = Entry("api.github.com/*");
        Assert.Equal("GitHub REST API allows 5,000 requests per hour (authenticated)", github.DescribeQuota());
        Assert.Equal("per_page", github.PageSizeParameter);
        Assert.Equal(100, github.MaxPageSize);
        Assert.False(github.IsDistinctive);
        Assert.Equal("403 or 429 with Retry-After", github.ThrottleSignals[0]);
    }

    [Fact]
    public void Entries_without_a_documented_number_carry_no_quota()
    {
        var openAi = Entry("api.openai.com/v1/*");
        Assert.False(openAi.HasQuota);
        Assert.Equal("OpenAI API is rate limited; its vendor documents no fixed quota; the x-ratelimit-limit-requests header reports the current limit", openAi.DescribeQuota());
    }

    [Fact]
    public void Only_paths_no_other_api_uses_are_distinctive()
    {
        var distinctive = BuiltInEndpoints.Entries.Where(e => e.IsDistinctive).Select(e => e.Key).OrderBy(k => k, StringComparer.Ordinal);
        Assert.Equal(
            [
                "api.agora.io/beta/analytics/call/lists",
                "api.agora.io/beta/analytics/call/metrics",
                "api.agora.io/beta/analytics/call/sessions",
                "api.archiva.app/api/ingest/event",
                "slack.com/api/chat.postMessage",
            ],
            distinctive);
    }
}
