using System;
using RateLimitAnalyzers.Knowledge.Endpoints;
using Xunit;

namespace RateLimitAnalyzers.Tests.Endpoints;

public class QuotaTextTests
{
    [Theory]
    [InlineData("100/60s", "100/60s")]
    [InlineData("3/1s, 2000/1d", "3/1s, 2000/1d")]
    [InlineData("3/1s,2000/1d", "3/1s, 2000/1d")]
    [InlineData("  1/1s ,  1000/1d  ", "1/1s, 1000/1d")]
    [InlineData("1000/d", "1000/1d")]
    [InlineData("5000/1h", "5000/1h")]
    [InlineData("10/1m", "10/1m")]
    [InlineData("10/1M", "10/1m")]
    [InlineData("2147483647/1s", "2147483647/1s")]
    [InlineData("1/366d", "1/366d")]
    public void Valid_quotas_parse_and_format_canonically(string text, string canonical)
    {
        Assert.True(QuotaText.TryParse(text, out var windows, out var error), error);
        Assert.Equal(string.Empty, error);
        Assert.Equal(canonical, QuotaText.Format(windows));
    }

    [Fact]
    public void Windows_keep_limit_count_unit_and_period()
    {
        Assert.True(QuotaText.TryParse("100/60s, 1000/1d", out var windows, out _));
        Assert.Equal(2, windows.Length);
        Assert.Equal(100, windows[0].Limit);
        Assert.Equal(60, windows[0].PeriodCount);
        Assert.Equal(QuotaPeriodUnit.Second, windows[0].Unit);
        Assert.Equal(TimeSpan.FromSeconds(60), windows[0].Period);
        Assert.Equal(TimeSpan.FromDays(1), windows[1].Period);
    }

    [Theory]
    [InlineData(null, "empty")]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("garbage", "not a quota window")]
    [InlineData("100", "not a quota window")]
    [InlineData("100/", "period is missing")]
    [InlineData("/60s", "limit is missing")]
    [InlineData("0/1s", "zero")]
    [InlineData("10/0s", "zero")]
    [InlineData("-5/1s", "negative")]
    [InlineData("5/-1s", "negative")]
    [InlineData("1.5/1s", "not a whole number")]
    [InlineData("abc/1s", "not a whole number")]
    [InlineData("99999999999/1s", "too large")]
    [InlineData("1/99999999999s", "too large")]
    [InlineData("1/2147483647d", "longer than 366 days")]
    [InlineData("1/367d", "longer than 366 days")]
    [InlineData("100/60", "must end in a unit")]
    [InlineData("100/60ms", "not a whole number")]
    [InlineData("100/60w", "must end in a unit")]
    [InlineData("1/1s,", "empty window")]
    [InlineData(",1/1s", "empty window")]
    [InlineData("1,000/1d", "thousands separators")]
    [InlineData("1/1s, 2/1s", "same window")]
    [InlineData("60/1m, 1/60s", "same window")]
    [InlineData("１/1s", "not a whole number")]
    public void Invalid_quotas_fail_with_a_message(string? text, string expectedFragment)
    {
        Assert.False(QuotaText.TryParse(text, out var windows, out var error));
        Assert.True(windows.IsEmpty);
        Assert.Contains(expectedFragment, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1/1s", "1 request per second")]
    [InlineData("100/60s", "100 requests per 60 s")]
    [InlineData("5000/1h", "5,000 requests per hour")]
    [InlineData("1/1s, 1000/1d", "1 request per second and 1,000 requests per day")]
    [InlineData("3/1s, 90/1m, 2000/1d", "3 requests per second, 90 requests per minute and 2,000 requests per day")]
    [InlineData("50/24h", "50 requests per 24 h")]
    [InlineData("10/15m", "10 requests per 15 min")]
    [InlineData("10/7d", "10 requests per 7 days")]
    public void Describe_reads_like_a_sentence(string text, string expected)
    {
        Assert.True(QuotaText.TryParse(text, out var windows, out _));
        Assert.Equal(expected, QuotaText.Describe(windows));
    }
}
