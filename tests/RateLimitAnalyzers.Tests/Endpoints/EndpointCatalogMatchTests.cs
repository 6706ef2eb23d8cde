using RateLimitAnalyzers.Knowledge.Endpoints;
using Xunit;
using static RateLimitAnalyzers.Tests.Endpoints.CatalogTestFiles;

namespace RateLimitAnalyzers.Tests.Endpoints;

public class EndpointCatalogMatchTests
{
    private static readonly EndpointCatalog s_builtIns = EndpointCatalog.Default;

    private static string? MatchUrl(string? method, string url) =>
        s_builtIns.TryMatchUrl(method, url, out var entry) ? entry.Key : null;

    private static string? Match(string? method, string? host, string path) =>
        s_builtIns.TryMatch(method, host, path, out var entry) ? entry.Key : null;

    [Theory]
    [InlineData("GET", "https://api.agora.io/beta/analytics/call/lists?start_ts=1&end_ts=2&appid=x&page_size=100", "api.agora.io/beta/analytics/call/lists")]
    [InlineData("POST", "https://api.archiva.app/api/ingest/event", "api.archiva.app/api/ingest/event")]
    [InlineData("GET", "https://api.apps.rancher.io/v1/applications", "api.apps.rancher.io/*")]
    [InlineData("HEAD", "https://api.apps.rancher.io/", "api.apps.rancher.io/*")]
    [InlineData("GET", "https://api.github.com/repos/octocat/Spoon-Knife/issues?per_page=100", "api.github.com/*")]
    [InlineData("GET", "https://api.github.com/search/issues?q=bug", "api.github.com/search/*")]
    [InlineData("GET", "https://api.github.com/search/code?q=x", "api.github.com/search/code")]
    [InlineData("POST", "https://slack.com/api/chat.postMessage", "slack.com/api/chat.postMessage")]
    [InlineData("GET", "https://musicbrainz.org/ws/2/artist?query=x&limit=100", "musicbrainz.org/ws/2/*")]
    public void Seed_and_public_entries_match_by_absolute_url(string method, string url, string expectedKey)
    {
        Assert.Equal(expectedKey, MatchUrl(method, url));
    }

    [Theory]
    [InlineData("api.agora.io", "/beta/analytics/call/lists", "api.agora.io/beta/analytics/call/lists")]
    [InlineData("API.Agora.IO", "/beta/analytics/call/lists", "api.agora.io/beta/analytics/call/lists")]
    [InlineData("api.agora.io:443", "/beta/analytics/call/lists/", "api.agora.io/beta/analytics/call/lists")]
    [InlineData("api.agora.io.", "beta/analytics/call/lists", "api.agora.io/beta/analytics/call/lists")]
    [InlineData("api.archiva.app", "/api/ingest/event", "api.archiva.app/api/ingest/event")]
    [InlineData("api.apps.rancher.io", "/v1/applications/redis", "api.apps.rancher.io/*")]
    public void Seed_entries_match_by_host_and_path(string host, string path, string expectedKey)
    {
        Assert.Equal(expectedKey, Match(null, host, path));
    }

    [Theory]
    [InlineData("GET", "/beta/analytics/call/lists?appid=x", "api.agora.io/beta/analytics/call/lists")]
    [InlineData(null, "beta/analytics/call/lists", "api.agora.io/beta/analytics/call/lists")]
    [InlineData("POST", "/api/ingest/event", "api.archiva.app/api/ingest/event")]
    [InlineData(null, "/api/ingest/event/", "api.archiva.app/api/ingest/event")]
    [InlineData("POST", "/api/chat.postMessage", "slack.com/api/chat.postMessage")]
    public void Distinctive_entries_match_by_relative_path(string? method, string path, string expectedKey)
    {
        Assert.Equal(expectedKey, MatchUrl(method, path));
        Assert.Equal(expectedKey, Match(method, null, path));
    }

    [Theory]
    [InlineData("/v1/applications")]
    [InlineData("/repos/octocat/hello/issues")]
    [InlineData("/search/code")]
    [InlineData("/v1/customers")]
    [InlineData("/ws/2/artist")]
    [InlineData("/search")]
    [InlineData("/v1/chat/completions")]
    [InlineData("/")]
    public void Generic_relative_paths_match_nothing(string path)
    {
        Assert.Null(Match(null, null, path));
    }

    [Theory]
    [InlineData("GET", "https://api.archiva.app/api/ingest/event")]
    [InlineData("DELETE", "https://api.agora.io/beta/analytics/call/lists")]
    [InlineData("GET", "/api/ingest/event")]
    public void A_method_the_entry_does_not_list_does_not_match(string method, string url)
    {
        Assert.Null(MatchUrl(method, url));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("post")]
    [InlineData(" POST ")]
    public void Unknown_or_oddly_cased_methods_still_match(string? method)
    {
        Assert.Equal("api.archiva.app/api/ingest/event", MatchUrl(method, "https://api.archiva.app/api/ingest/event"));
    }

    [Theory]
    [InlineData("https://api.agora.io/beta/analytics/call/lists/extra")]
    [InlineData("https://api.agora.io/beta/analytics/call")]
    [InlineData("https://api.archiva.app/api/ingest/events")]
    [InlineData("https://API.archiva.app/API/ingest/event")]
    [InlineData("https://example.com/api/ingest/event")]
    [InlineData("https://evil-api.github.com.example/repos")]
    [InlineData("https://github.com/octocat")]
    public void Near_misses_do_not_match(string url)
    {
        Assert.Null(MatchUrl(null, url));
    }

    [Theory]
    [InlineData("https://api.archiva.app/api/ingest/event?x=1#frag")]
    [InlineData("https://api.archiva.app/api/ingest/event/")]
    [InlineData("https://api.archiva.app//api//ingest/event")]
    [InlineData("https://key@api.archiva.app/api/ingest/event")]
    [InlineData("//api.archiva.app/api/ingest/event")]
    [InlineData("HTTPS://API.ARCHIVA.APP/api/ingest/event")]
    public void Query_fragment_slashes_userinfo_and_scheme_are_ignored(string url)
    {
        Assert.Equal("api.archiva.app/api/ingest/event", MatchUrl("POST", url));
    }

    [Fact]
    public void An_absolute_url_passed_as_path_is_understood()
    {
        Assert.Equal("api.archiva.app/api/ingest/event", Match("POST", null, "https://api.archiva.app/api/ingest/event"));
    }

    [Fact]
    public void Path_parameters_match_one_segment_and_holes_match_only_parameters()
    {
        var catalog = CatalogWith(
            "GET api.example.com/repos/{owner}/{repo}/issues quota=10/1m\n" +
            "GET api.example.com/repos/{owner}/{repo}/pulls quota=20/1m\n" +
            "GET api.example.com/v1/reports/daily quota=1/1m\n");

        Assert.True(catalog.TryMatchUrl("GET", "https://api.example.com/repos/octocat/hello/issues", out var issues));
        Assert.Equal("api.example.com/repos/{owner}/{repo}/issues", issues.Key);
        Assert.True(catalog.TryMatchUrl("GET", "https://api.example.com/repos/{owner}/{name}/pulls", out var pulls));
        Assert.Equal("api.example.com/repos/{owner}/{repo}/pulls", pulls.Key);
        Assert.False(catalog.TryMatchUrl("GET", "https://api.example.com/repos/octocat/issues", out _));
        Assert.False(catalog.TryMatchUrl("GET", "https://api.example.com/repos/a/b/c/issues", out _));

        // An interpolation hole might be anything: it must not be taken for the literal 'daily'.
        Assert.False(catalog.TryMatchUrl("GET", "https://api.example.com/v1/reports/{period}", out _));
    }

    [Fact]
    public void The_most_specific_entry_wins()
    {
        var catalog = CatalogWith(
            "* api.example.com/* name=all\n" +
            "* api.example.com/v1/* name=v1\n" +
            "* api.example.com/v1/{id} name=param\n" +
            "* api.example.com/v1/items name=literal\n" +
            "GET api.example.com/v1/items name=literal-get\n");

        string Name(string? method, string path) => catalog.TryMatch(method, "api.example.com", path, out var e) ? e.Name : "none";

        Assert.Equal("all", Name("GET", "/other"));
        Assert.Equal("v1", Name("GET", "/v1"));
        Assert.Equal("v1", Name("GET", "/v1/a/b"));
        Assert.Equal("param", Name("GET", "/v1/42"));
        Assert.Equal("literal-get", Name("GET", "/v1/items"));
        Assert.Equal("literal", Name("POST", "/v1/items"));
    }

    [Fact]
    public void Wildcard_hosts_cover_subdomains_but_not_the_bare_domain()
    {
        var catalog = CatalogWith("GET *.myshop.example/admin/* quota=2/1s\nGET api.myshop.example/admin/special quota=1/1s\n");

        Assert.True(catalog.TryMatch("GET", "store1.myshop.example", "/admin/orders", out var wildcard));
        Assert.Equal("*.myshop.example/admin/*", wildcard.Key);
        Assert.True(catalog.TryMatch("GET", "a.b.myshop.example", "/admin/orders", out _));
        Assert.False(catalog.TryMatch("GET", "myshop.example", "/admin/orders", out _));
        Assert.True(catalog.TryMatch("GET", "api.myshop.example", "/admin/special", out var exact));
        Assert.Equal("api.myshop.example/admin/special", exact.Key);
        Assert.True(catalog.TryMatch("GET", "api.myshop.example", "/admin/other", out var fallback));
        Assert.Equal("*.myshop.example/admin/*", fallback.Key);
    }

    [Fact]
    public void A_relative_path_two_distinctive_entries_share_matches_neither()
    {
        var catalog = CatalogWith("POST one.example.com/api/ingest/event distinctive=yes\n");
        Assert.False(catalog.TryMatch("POST", null, "/api/ingest/event", out _));
        Assert.True(catalog.TryMatch("POST", "one.example.com", "/api/ingest/event", out var one));
        Assert.Equal(CatalogEntryOrigin.User, one.Origin);
    }

    [Fact]
    public void An_unresolved_host_is_treated_as_unknown()
    {
        Assert.Equal("api.archiva.app/api/ingest/event", Match("POST", "{host}", "/api/ingest/event"));
        Assert.Null(Match("GET", "{host}", "/repos/a/b/issues"));
    }
}
