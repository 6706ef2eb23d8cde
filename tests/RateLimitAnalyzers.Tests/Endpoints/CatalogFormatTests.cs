using System;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using static RateLimitAnalyzers.Tests.Endpoints.CatalogTestFiles;
using All = RateLimitAnalyzers.Tests.Verifiers.CSharpRulesVerifier;

namespace RateLimitAnalyzers.Tests.Endpoints;

/// <summary>The catalog format's <c>checked=</c> day and the page size's documented default.</summary>
public class CatalogFormatTests
{
    [Fact]
    public void Checked_day_and_page_size_default_are_read()
    {
        var result = ParseUser("GET api.example.com/v1/items page-size=per_page<=100,default=30 checked=2026-12-04 source=https://docs.example.com/limits");

        Assert.Empty(result.Errors);
        var entry = Assert.Single(result.Entries);
        Assert.Equal(new DateTime(2026, 12, 4), entry.CheckedOn);
        Assert.Equal("per_page", entry.PageSizeParameter);
        Assert.Equal(100, entry.MaxPageSize);
        Assert.Equal(30, entry.DefaultPageSize);
    }

    [Fact]
    public void A_page_size_default_may_come_without_a_maximum()
    {
        var entry = Assert.Single(ParseUser("GET api.example.com/v1/items page-size=limit,default=25").Entries);
        Assert.Equal("limit", entry.PageSizeParameter);
        Assert.Null(entry.MaxPageSize);
        Assert.Equal(25, entry.DefaultPageSize);
    }

    [Theory]
    [InlineData("checked=04.12.2026", "checked is the day the entry was last compared with its sources, written yyyy-MM-dd (checked=2026-12-04), not '04.12.2026'")]
    [InlineData("checked=2026-13-01", "checked is the day the entry was last compared with its sources, written yyyy-MM-dd (checked=2026-12-04), not '2026-13-01'")]
    [InlineData("page-size=per_page<=100,default=200", "the page-size default 200 is larger than its maximum 100")]
    [InlineData("page-size=per_page<=100,default=0", "the page-size default '0' must be a whole number of at least 1")]
    [InlineData("page-size=per_page<=100,max=30", "after the page-size parameter comes only its default, once (per_page<=100,default=30); 'max=30' is not")]
    [InlineData("page-size=per_page<=100,default=30,default=40", "after the page-size parameter comes only its default, once (per_page<=100,default=30); 'default=40' is not")]
    [InlineData("page-size=per_page<=x", "the page-size maximum 'x' must be a whole number of at least 1")]
    public void A_malformed_checked_day_or_page_size_is_an_error(string field, string message)
    {
        var result = ParseUser("GET api.example.com/v1/items " + field);

        Assert.Empty(result.Entries);
        Assert.Equal(message, Assert.Single(result.Errors).Message);
    }

    [Fact]
    public Task RL9002_reports_a_malformed_checked_day_in_a_user_catalog()
    {
        const string path = "/src/RateLimitEndpoints.txt";
        var test = new All.Test { TestCode = RateLimitAnalyzers.Tests.Rules.RL0002Cases.Usings + "class Nothing { }" };
        test.TestState.AdditionalFiles.Add((path, "GET partner.example/api/stock quota=5/1s checked=yesterday\n"));
        test.ExpectedDiagnostics.Add(new DiagnosticResult(RuleIdentifiers.MalformedCatalogEntry, DiagnosticSeverity.Warning)
            .WithSpan(path, 1, 42, 1, 59)
            .WithArguments("checked is the day the entry was last compared with its sources, written yyyy-MM-dd (checked=2026-12-04), not 'yesterday'"));
        return test.RunAsync();
    }
}
