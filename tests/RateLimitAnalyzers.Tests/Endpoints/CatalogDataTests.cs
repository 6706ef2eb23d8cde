using System;
using System.Linq;
using RateLimitAnalyzers.Knowledge.Endpoints;
using Xunit;

namespace RateLimitAnalyzers.Tests.Endpoints;

/// <summary>The shipped catalog as data: every entry cited, dated and well formed, and enough APIs to matter on real code.</summary>
public class CatalogDataTests
{
    [Fact]
    public void Every_built_in_entry_parses_cites_its_sources_and_says_when_it_was_checked()
    {
        var result = BuiltInEndpoints.ParseResult;
        Assert.True(result.Errors.IsEmpty, string.Join(Environment.NewLine, result.Errors));
        Assert.All(result.Entries, e =>
        {
            Assert.False(e.Sources.IsDefaultOrEmpty, e.Key + " has no source=");
            Assert.True(e.CheckedOn is not null, e.Key + " has no checked=");

            // A day in the future is a typo, and would make the entry look fresher than it is.
            Assert.True(e.CheckedOn <= DateTime.UtcNow.Date.AddDays(1), e.Key + " was checked on " + e.CheckedOn);
        });
    }

    [Fact]
    public void Every_built_in_quota_is_well_formed_and_reads_back_the_same()
    {
        Assert.All(BuiltInEndpoints.Entries.Where(e => e.HasQuota), e =>
        {
            Assert.All(e.Quota, w => Assert.True(w.Limit >= 1 && w.Period > TimeSpan.Zero, e.Key + ": " + w));
            Assert.True(QuotaText.TryParse(QuotaText.Format(e.Quota), out var again, out var error), e.Key + ": " + error);
            Assert.Equal(e.Quota.ToArray(), again.ToArray());
        });
    }

    [Fact]
    public void Every_documented_page_size_default_is_within_its_maximum()
    {
        Assert.All(BuiltInEndpoints.Entries.Where(e => e.DefaultPageSize is not null), e =>
        {
            Assert.NotNull(e.PageSizeParameter);
            Assert.True(e.MaxPageSize is null || e.DefaultPageSize <= e.MaxPageSize, e.Key);
        });
    }

    [Fact]
    public void The_catalog_covers_at_least_25_apis()
    {
        // One host is one API here: Shopify's REST and GraphQL entries, or GitHub's three, count once.
        var apis = BuiltInEndpoints.Entries.Select(e => e.Host).Distinct(StringComparer.Ordinal).ToList();
        Assert.True(apis.Count >= 25, apis.Count + " APIs: " + string.Join(", ", apis));
    }

    [Theory]
    [InlineData("api.github.com/*", "per_page", 100, 30)]
    [InlineData("api.stripe.com/*", "limit", 100, 10)]
    [InlineData("gitlab.com/api/v4/*", "per_page", 100, 20)]
    [InlineData("api.airtable.com/v0/*", "pageSize", 100, 100)]
    public void Page_size_maximum_and_default_come_from_the_vendor_documentation(string key, string parameter, int max, int defaultSize)
    {
        var entry = Assert.Single(BuiltInEndpoints.Entries, e => e.Key == key);
        Assert.Equal(parameter, entry.PageSizeParameter);
        Assert.Equal(max, entry.MaxPageSize);
        Assert.Equal(defaultSize, entry.DefaultPageSize);
    }

    [Theory]
    [InlineData("x-ratelimit-reset,x-ratelimit-nearlimit", "; its vendor documents no fixed quota; the x-ratelimit-reset, x-ratelimit-nearlimit headers report it at run time")]
    [InlineData("x-ratelimit-remaining", "; its vendor documents no fixed quota; the x-ratelimit-remaining header reports it at run time")]
    [InlineData("x-ratelimit-reset,x-ratelimit-limit", "; its vendor documents no fixed quota; the x-ratelimit-limit header reports the current limit")]
    public void Only_a_header_that_carries_the_limit_is_said_to_report_it(string headers, string expectedEnd)
    {
        var entry = Assert.Single(EndpointCatalogParser.Parse("* api.example.com/* name=\"Example API\" headers=" + headers, "user", CatalogEntryOrigin.User).Entries);
        Assert.Equal("Example API is rate limited" + expectedEnd, entry.DescribeQuota());
    }

    [Fact]
    public void Salesforce_says_slow_down_with_a_403_and_its_error_code_and_writes_no_invented_quota()
    {
        var salesforce = Assert.Single(BuiltInEndpoints.Entries, e => e.Host == "*.salesforce.com");
        Assert.False(salesforce.HasQuota);
        Assert.Equal([403], salesforce.ThrottleStatusCodes.ToArray());
        Assert.Equal("REQUEST_LIMIT_EXCEEDED", salesforce.ThrottleBodyPattern);
        Assert.Equal("Salesforce Platform REST API is rate limited per rolling 24 h window; its vendor documents no fixed quota; the sforce-limit-info header reports the current limit", salesforce.DescribeQuota());
    }

    [Fact]
    public void Shopify_graphql_is_recognised_by_its_throttled_body_and_wins_over_the_rest_family_on_its_path()
    {
        var catalog = EndpointCatalog.Create(BuiltInEndpoints.Entries, []);
        Assert.True(catalog.TryMatchUrl("POST", "https://example.myshopify.com/admin/api/2026-10/graphql.json", out var graphql));
        Assert.Equal("Shopify Admin GraphQL API", graphql!.Name);
        Assert.False(graphql.HasQuota);
        Assert.Equal("\"message\":\"Throttled\"", graphql.ThrottleBodyPattern);

        Assert.True(catalog.TryMatchUrl("GET", "https://example.myshopify.com/admin/api/2026-10/products.json", out var rest));
        Assert.Equal("Shopify Admin REST API allows 2 requests per second (Standard plan; Advanced 4 per second, Shopify Plus 20 per second)", rest!.DescribeQuota());
    }
}
