using System;
using System.Linq;
using Microsoft.CodeAnalysis.Text;
using RateLimitAnalyzers.Knowledge.Endpoints;
using Xunit;
using static RateLimitAnalyzers.Tests.Endpoints.CatalogTestFiles;

namespace RateLimitAnalyzers.Tests.Endpoints;

public class EndpointCatalogParserTests
{
    [Fact]
    public void A_full_entry_carries_every_field()
    {
        var result = ParseUser(
            "POST api.example.com/v1/orders/{id}/items name=\"Example order items\" quota=\"3/1s, 2000/1d\" quota-note=authenticated " +
            "window=rolling scope=per-api-key throttle=429,503,retry-after headers=X-RateLimit-Remaining,x-ratelimit-reset " +
            "body='\"error\":\"slow down\"' page-size=per_page<=100 distinctive=yes source=https://docs.example.com/limits " +
            "source=https://docs.example.com/paging#size notes=\"Says \\\"why\\\" here\"");

        Assert.Empty(result.Errors);
        var entry = Assert.Single(result.Entries);
        Assert.Equal(["POST"], entry.Methods.ToArray());
        Assert.Equal("api.example.com", entry.Host);
        Assert.Equal("/v1/orders/{id}/items", entry.Path.Text);
        Assert.Equal("api.example.com/v1/orders/{id}/items", entry.Key);
        Assert.Equal("Example order items", entry.Name);
        Assert.Equal("3/1s, 2000/1d", QuotaText.Format(entry.Quota));
        Assert.Equal("authenticated", entry.QuotaNote);
        Assert.Equal(QuotaWindowKind.Rolling, entry.WindowKind);
        Assert.Equal("per-api-key", entry.Scope);
        Assert.Equal([429, 503], entry.ThrottleStatusCodes.ToArray());
        Assert.True(entry.SendsRetryAfter);
        Assert.Equal(["x-ratelimit-remaining", "x-ratelimit-reset"], entry.RateLimitHeaders.ToArray());
        Assert.Equal("\"error\":\"slow down\"", entry.ThrottleBodyPattern);
        Assert.Equal("per_page", entry.PageSizeParameter);
        Assert.Equal(100, entry.MaxPageSize);
        Assert.True(entry.IsDistinctive);
        Assert.Equal(["https://docs.example.com/limits", "https://docs.example.com/paging#size"], entry.Sources.ToArray());
        Assert.Equal("Says \"why\" here", entry.Notes);
        Assert.Equal(CatalogEntryOrigin.User, entry.Origin);
        Assert.Equal(UserFile, entry.FilePath);
        Assert.Equal(1, entry.Line);
    }

    [Fact]
    public void Minimal_entry_defaults_to_any_method_and_no_quota()
    {
        var entry = Assert.Single(ParseUser("api.example.com/export").Entries);
        Assert.True(entry.AllowsAnyMethod);
        Assert.False(entry.HasQuota);
        Assert.False(entry.IsDistinctive);
        Assert.Equal("api.example.com/export", entry.Name);
        Assert.Equal("api.example.com/export is rate limited; its vendor documents no fixed quota", entry.DescribeQuota());
    }

    [Theory]
    [InlineData("* api.example.com/a")]
    [InlineData("GET,POST api.example.com/a")]
    [InlineData("get api.example.com/a")]
    [InlineData("https://api.example.com/a")]
    [InlineData("GET HTTPS://API.Example.COM/a/")]
    [InlineData("   GET    api.example.com/a     # trailing comment")]
    [InlineData("\tGET\tapi.example.com/a\t")]
    public void Whitespace_case_scheme_and_comments_are_forgiven(string line)
    {
        var result = ParseUser(line);
        Assert.Empty(result.Errors);
        var entry = Assert.Single(result.Entries);
        Assert.Equal("api.example.com", entry.Host);
        Assert.Equal("/a", entry.Path.Text);
    }

    [Fact]
    public void Comments_and_blank_lines_are_skipped_and_line_numbers_stay_natural()
    {
        var result = ParseUser("# header\n\n   \nGET api.example.com/a\r\n# more\r\nPOST api.example.com/b # why\n");
        Assert.Empty(result.Errors);
        Assert.Equal([4, 6], result.Entries.Select(e => e.Line));
    }

    [Fact]
    public void A_hash_inside_a_token_is_not_a_comment()
    {
        var entry = Assert.Single(ParseUser("GET api.example.com/a source=https://docs.example.com/page#rate-limits").Entries);
        Assert.Equal("https://docs.example.com/page#rate-limits", Assert.Single(entry.Sources));
    }

    [Fact]
    public void Window_length_without_quota_is_kept_for_the_description()
    {
        var entry = Assert.Single(ParseUser("* api.example.com/* name=\"Example API\" window=rolling/24h headers=ratelimit-limit").Entries);
        Assert.Equal(TimeSpan.FromHours(24), entry.WindowWithoutQuota);
        Assert.Equal("Example API is rate limited per rolling 24 h window; the quota comes from the ratelimit-limit header at run time", entry.DescribeQuota());
    }

    [Fact]
    public void Empty_file_has_no_entries_and_no_errors()
    {
        var result = ParseUser(string.Empty);
        Assert.Empty(result.Entries);
        Assert.Empty(result.Errors);
    }

    [Theory]
    [InlineData("GET api.example.com/a colour=blue", "unknown key 'colour'", "colour=blue")]
    [InlineData("GET api.example.com/a quota=abc", "not a quota window", "quota=abc")]
    [InlineData("GET api.example.com/a quota=0/1s", "zero", "quota=0/1s")]
    [InlineData("GET api.example.com/a quota=-1/1s", "negative", "quota=-1/1s")]
    [InlineData("GET api.example.com/a quota=99999999999/1s", "too large", "quota=99999999999/1s")]
    [InlineData("GET api.example.com/a quota=1/1s quota=2/1s", "appears twice", "quota=2/1s")]
    [InlineData("GET /api/only/a/path quota=1/1s", "has no host", "/api/only/a/path")]
    [InlineData("GET api.example.com quota=1/1s", "has no path", "api.example.com")]
    [InlineData("GET quota=1/1s", "no host/path before", "quota=1/1s")]
    [InlineData("GET", "no host/path after", "GET")]
    [InlineData("quota=1/1s", "has no target", "quota=1/1s")]
    [InlineData("FETCH api.example.com/a", "unknown HTTP method 'FETCH'", "FETCH")]
    [InlineData("GET,PUSH api.example.com/a", "unknown HTTP method 'PUSH'", "GET,PUSH")]
    [InlineData("GET,* api.example.com/a", "cannot be combined", "GET,*")]
    [InlineData("this is not an entry", "unknown HTTP method 'this'", "this")]
    [InlineData("GET api.example.com/a oops", "expected key=value", "oops")]
    [InlineData("GET api.example.com/a name=\"unterminated", "no closing", "name=\"unterminated")]
    [InlineData("GET api.example.com/a name=\"x\"y", "after the closing quote", "name=\"x\"y")]
    [InlineData("GET api.example.com/a name=", "has no value", "name=")]
    [InlineData("GET api.example.com/a throttle=429,slow", "'slow' is neither", "throttle=429,slow")]
    [InlineData("GET api.example.com/a throttle=99", "'99' is neither", "throttle=99")]
    [InlineData("GET api.example.com/a headers=x-rate;limit", "not a header name", "headers=x-rate;limit")]
    [InlineData("GET api.example.com/a page-size=per_page<=0", "at least 1", "page-size=per_page<=0")]
    [InlineData("GET api.example.com/a page-size=<=10", "query parameter's name", "page-size=<=10")]
    [InlineData("GET api.example.com/a distinctive=maybe", "yes or no", "distinctive=maybe")]
    [InlineData("GET api.example.com/a source=docs.example.com", "http:// or https://", "source=docs.example.com")]
    [InlineData("GET api.example.com/a window=sliding", "rolling or fixed", "window=sliding")]
    [InlineData("GET api.example.com/a quota=1/1s window=rolling/24h", "only to entries without a quota", "window=rolling/24h")]
    [InlineData("GET api.example.com/* distinctive=yes", "cannot be distinctive", "distinctive=yes")]
    [InlineData("GET api.example.com/a?x=1", "query or fragment", "api.example.com/a?x=1")]
    [InlineData("GET api.example.com/a//b", "empty segment", "api.example.com/a//b")]
    [InlineData("GET api.example.com/*/b", "last segment", "api.example.com/*/b")]
    [InlineData("GET api.example.com/v1*", "whole segment", "api.example.com/v1*")]
    [InlineData("GET api.example.com/a/{id", "whole parameter", "api.example.com/a/{id")]
    [InlineData("GET api.example.com/a/x{id}", "whole parameter", "api.example.com/a/x{id}")]
    [InlineData("GET api.example.com/a/{}", "needs a name", "api.example.com/a/{}")]
    [InlineData("GET api.example.com:8443/a", "includes a port", "api.example.com:8443/a")]
    [InlineData("GET api..example.com/a", "not a host name", "api..example.com/a")]
    [InlineData("GET -api.example.com/a", "not a host name", "-api.example.com/a")]
    [InlineData("GET api.bücher.example/a", "not ASCII", "api.bücher.example/a")]
    [InlineData("GET api.example.com/a nöm=1", "unknown key 'nöm'", "nöm=1")]
    public void A_malformed_line_yields_one_error_on_its_token_and_the_other_lines_still_load(string badLine, string expectedMessage, string expectedToken)
    {
        var text = "# catalog\nGET api.example.com/before quota=1/1s\n" + badLine + "\nPOST api.example.com/after quota=2/1s\n";
        var result = ParseUser(text);

        var error = Assert.Single(result.Errors);
        Assert.Contains(expectedMessage, error.Message, StringComparison.Ordinal);
        Assert.Equal(3, error.Line);
        Assert.Equal(UserFile, error.FilePath);
        Assert.Equal(expectedToken, SourceText.From(text).ToString(error.Span));
        Assert.Equal(error.LineSpan, SourceText.From(text).Lines.GetLinePositionSpan(error.Span));
        Assert.Equal(badLine.IndexOf(expectedToken, StringComparison.Ordinal) + 1, error.Column);
        Assert.Equal(["/before", "/after"], result.Entries.Select(e => e.Path.Text));

        var location = error.ToLocation();
        Assert.Equal(UserFile, location.GetLineSpan().Path);
        Assert.Equal(2, location.GetLineSpan().StartLinePosition.Line);
    }

    [Fact]
    public void Several_bad_lines_each_get_their_own_error()
    {
        var result = ParseUser("GET a.example.com/1 bogus=1\nGET b.example.com/2\nGET c.example.com/3 quota=x\nGET d.example.com/4\n");
        Assert.Equal([1, 3], result.Errors.Select(e => e.Line));
        Assert.Equal(["b.example.com", "d.example.com"], result.Entries.Select(e => e.Host));
    }

    [Fact]
    public void A_huge_line_is_refused_without_stopping_the_file()
    {
        var huge = "GET api.example.com/a notes=\"" + new string('x', 100_000) + "\"";
        var result = ParseUser("GET api.example.com/before\n" + huge + "\nGET api.example.com/after\n");

        var error = Assert.Single(result.Errors);
        Assert.Equal(2, error.Line);
        Assert.Contains("at most 4,096", error.Message, StringComparison.Ordinal);
        Assert.Equal(huge.Length, error.Span.Length);
        Assert.Equal(2, result.Entries.Length);
    }

    [Fact]
    public void A_long_but_legal_line_loads()
    {
        var line = "GET api.example.com/a notes=\"" + new string('x', EndpointCatalogParser.MaxLineLength - 40) + "\"";
        Assert.True(line.Length <= EndpointCatalogParser.MaxLineLength);
        Assert.Empty(ParseUser(line).Errors);
    }

    [Fact]
    public void Unicode_in_names_and_notes_is_kept()
    {
        var entry = Assert.Single(ParseUser("GET api.example.com/café name=\"Café API ☕\" notes='日本語のメモ'").Entries);
        Assert.Equal("Café API ☕", entry.Name);
        Assert.Equal("日本語のメモ", entry.Notes);
        Assert.Equal("/café", entry.Path.Text);
    }

    [Fact]
    public void A_wildcard_host_is_accepted()
    {
        var entry = Assert.Single(ParseUser("GET *.myshop.example/admin/* quota=2/1s").Entries);
        Assert.Equal("*.myshop.example", entry.Host);
    }

    [Fact]
    public void A_byte_order_mark_does_not_break_the_first_line()
    {
        var result = ParseUser("\uFEFFGET api.example.com/a quota=1/1s\n");
        Assert.Empty(result.Errors);
        Assert.Single(result.Entries);
    }
}
