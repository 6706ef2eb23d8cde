using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using RateLimitAnalyzers.Knowledge.Endpoints;
using Xunit;
using static RateLimitAnalyzers.Tests.Endpoints.CatalogTestFiles;

namespace RateLimitAnalyzers.Tests.Endpoints;

public class EndpointCatalogFilesTests
{
    [Theory]
    [InlineData("RateLimitEndpoints.txt", true)]
    [InlineData("/repo/src/App/RateLimitEndpoints.txt", true)]
    [InlineData(@"C:\repo\ratelimitendpoints.TXT", true)]
    [InlineData("/repo/Contoso.RateLimitEndpoints.txt", true)]
    [InlineData("/repo/.RateLimitEndpoints.txt", false)]
    [InlineData("/repo/RateLimitEndpoints.txt.bak", false)]
    [InlineData("/repo/MyRateLimitEndpoints.txt", false)]
    [InlineData("/repo/RateLimitEndpoints.json", false)]
    public void Catalog_files_are_recognised_by_name(string path, bool expected)
    {
        Assert.Equal(expected, EndpointCatalogFiles.IsCatalogFile(path));
    }

    [Fact]
    public void Without_catalog_files_the_built_ins_are_used()
    {
        var result = EndpointCatalogFiles.Load(ImmutableArray.Create<AdditionalText>(new InMemoryAdditionalText("/repo/notes.txt", "GET x.example.com/a")), CancellationToken.None);
        Assert.Same(EndpointCatalog.Default, result.Catalog);
        Assert.Empty(result.Errors);
    }

    [Fact]
    public void A_user_entry_with_the_same_method_host_and_path_replaces_the_built_in()
    {
        var catalog = CatalogWith(
            "# We are on Agora's Enterprise plan.\n" +
            "GET api.agora.io/beta/analytics/call/lists name=\"Agora call list (Enterprise)\" quota=10/1s,10000/1d\n");

        var agora = Assert.Single(catalog.Entries, e => e.Key == "api.agora.io/beta/analytics/call/lists");
        Assert.Equal(CatalogEntryOrigin.User, agora.Origin);
        Assert.Equal("10/1s, 10000/1d", QuotaText.Format(agora.Quota));
        Assert.True(catalog.TryMatchUrl("GET", "https://api.agora.io/beta/analytics/call/lists", out var matched));
        Assert.Same(agora, matched);
        Assert.Equal(EndpointCatalog.Default.Entries.Length, catalog.Entries.Length);
    }

    [Fact]
    public void Renaming_path_parameters_still_replaces_the_same_endpoint()
    {
        var builtIns = EndpointCatalogParser.Parse("GET api.example.com/repos/{owner}/{repo} quota=1/1s", "builtin", CatalogEntryOrigin.BuiltIn).Entries;
        var user = ParseUser("GET api.example.com/repos/{o}/{r} quota=2/1s").Entries;
        var entry = Assert.Single(EndpointCatalog.Create(builtIns, user).Entries);
        Assert.Equal(CatalogEntryOrigin.User, entry.Origin);
    }

    [Fact]
    public void A_user_entry_for_other_methods_adds_to_the_built_in_and_wins_for_those_methods()
    {
        var catalog = CatalogWith("GET api.github.com/* name=\"GitHub App (Enterprise Cloud)\" quota=15000/1h\n");

        Assert.Equal(EndpointCatalog.Default.Entries.Length + 1, catalog.Entries.Length);
        Assert.True(catalog.TryMatchUrl("GET", "https://api.github.com/repos/a/b", out var get));
        Assert.Equal("GitHub App (Enterprise Cloud)", get.Name);
        Assert.True(catalog.TryMatchUrl("POST", "https://api.github.com/repos/a/b/issues", out var post));
        Assert.Equal("GitHub REST API", post.Name);
        Assert.True(catalog.TryMatchUrl("GET", "https://api.github.com/search/code", out var search));
        Assert.Equal("GitHub REST API code search", search.Name);
    }

    [Fact]
    public void Later_files_in_path_order_win_and_errors_name_their_file_and_line()
    {
        var files = ImmutableArray.Create<AdditionalText>(
            new InMemoryAdditionalText("/repo/b.RateLimitEndpoints.txt", "GET api.example.com/a name=second\nGET api.example.com/b quota=oops\n"),
            new InMemoryAdditionalText("/repo/a.RateLimitEndpoints.txt", "GET api.example.com/a name=first\n\n\nGET api.example.com/c bogus=1\n"),
            new InMemoryAdditionalText("/repo/RateLimitEndpoints.txt", null));

        var result = EndpointCatalogFiles.Load(files, CancellationToken.None);

        Assert.True(result.Catalog.TryMatch("GET", "api.example.com", "/a", out var a));
        Assert.Equal("second", a.Name);
        Assert.Equal(
            ["/repo/a.RateLimitEndpoints.txt(4,23)", "/repo/b.RateLimitEndpoints.txt(2,23)"],
            result.Errors.Select(e => e.FilePath + "(" + e.Line + "," + e.Column + ")"));
    }

    [Fact]
    public void The_example_in_the_documentation_loads_cleanly()
    {
        const string Example = """
            # RateLimitEndpoints.txt
            # Our Agora account is on the Enterprise plan: replaces the built-in Standard-plan entry.
            GET api.agora.io/beta/analytics/call/lists name="Agora call list (Enterprise)" quota=10/1s,10000/1d window=fixed scope=per-app-id throttle=429 body='"code":300' page-size=page_size distinctive=yes

            # Our own export service: 20 requests per rolling minute per key, 429 + Retry-After.
            POST api.contoso.example/v2/exports/{tenant}/jobs name="Contoso export jobs" quota=20/1m window=rolling scope=per-api-key throttle=429,retry-after source=https://wiki.contoso.example/export-limits

            # Every endpoint of the partner API; limited, but they publish no number.
            * partner.fabrikam.example/* name="Fabrikam partner API" throttle=429 headers=ratelimit-limit,ratelimit-remaining
            """;

        var result = EndpointCatalogFiles.Load(ImmutableArray.Create<AdditionalText>(new InMemoryAdditionalText("/repo/RateLimitEndpoints.txt", Example)), CancellationToken.None);

        Assert.Empty(result.Errors);
        Assert.True(result.Catalog.TryMatchUrl("POST", "https://api.contoso.example/v2/exports/acme/jobs", out var export));
        Assert.Equal("Contoso export jobs allows 20 requests per minute", export.DescribeQuota());
        Assert.True(result.Catalog.TryMatchUrl("GET", "/beta/analytics/call/lists", out var agora));
        Assert.Equal("Agora call list (Enterprise) allows 10 requests per second and 10,000 requests per day", agora.DescribeQuota());
        Assert.True(result.Catalog.TryMatchUrl(null, "https://partner.fabrikam.example/orders", out var partner));
        Assert.Equal("Fabrikam partner API is rate limited; the quota comes from the ratelimit-limit header at run time", partner.DescribeQuota());
    }
}
