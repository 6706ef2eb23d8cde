using System;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;

namespace RateLimitAnalyzers.Knowledge.Endpoints;

/// <summary>Where an entry came from. User entries replace built-ins with the same method, host and path.</summary>
internal enum CatalogEntryOrigin
{
    BuiltIn,
    User,
}

/// <summary>How the vendor counts a window; it decides whether a burst at a window's edge is safe.</summary>
internal enum QuotaWindowKind
{
    /// <summary>The vendor does not say.</summary>
    Unspecified,

    /// <summary>Counted over the last N seconds at every moment (Archiva, SUSE): no fresh budget at a clock boundary.</summary>
    Rolling,

    /// <summary>Reset at fixed times (GitHub's hourly reset, Agora's UTC day).</summary>
    Fixed,
}

/// <summary>One quota-limited endpoint (or family of endpoints) and what its vendor documents about the limit.</summary>
internal sealed class CatalogEntry
{
    // Headers that state a quota with its window (ratelimit-limit: 50;w=21600), which the runtime's pacer adds.
    private static readonly ImmutableHashSet<string> s_headersTheRuntimePacesBy = ImmutableHashSet.Create(StringComparer.Ordinal, "ratelimit-limit", "ratelimit-policy");

    internal CatalogEntry(string host, PathPattern path)
    {
        Host = host;
        Path = path;
        Name = host + path.Text;
    }

    /// <summary>Upper-case methods; empty means any method.</summary>
    internal ImmutableArray<string> Methods { get; init; } = ImmutableArray<string>.Empty;

    /// <summary>Lower-case host, or <c>*.example.com</c> for any subdomain of example.com.</summary>
    internal string Host { get; }

    internal PathPattern Path { get; }

    /// <summary>What messages call the endpoint: "Archiva POST /api/ingest/event".</summary>
    internal string Name { get; init; }

    /// <summary>
    /// The short stable string the pacer keys on: host and path pattern as written,
    /// <c>api.archiva.app/api/ingest/event</c>. Entries that share it share one pacer.
    /// </summary>
    internal string Key => Host + Path.Text;

    /// <summary>The windows to pace by; empty when the vendor documents that the endpoint is limited but gives no number.</summary>
    internal ImmutableArray<QuotaWindowInfo> Quota { get; init; } = ImmutableArray<QuotaWindowInfo>.Empty;

    /// <summary>Who the quota is for when the vendor has several ("authenticated"); shown in parentheses after the quota.</summary>
    internal string? QuotaNote { get; init; }

    internal QuotaWindowKind WindowKind { get; init; }

    /// <summary>The window length when the vendor documents one but no count (SUSE: rolling 24 hours).</summary>
    internal TimeSpan? WindowWithoutQuota { get; init; }

    internal string? WindowWithoutQuotaText { get; init; }

    /// <summary>What one quota is counted against: "per-api-key", "per-app-id", "per-ip"...</summary>
    internal string? Scope { get; init; }

    /// <summary>Status codes that mean "throttled".</summary>
    internal ImmutableArray<int> ThrottleStatusCodes { get; init; } = ImmutableArray<int>.Empty;

    /// <summary>Whether throttled responses carry <c>Retry-After</c>.</summary>
    internal bool SendsRetryAfter { get; init; }

    /// <summary>Lower-case names of the response headers that report the limit (<c>x-ratelimit-remaining</c>, <c>ratelimit-limit</c>).</summary>
    internal ImmutableArray<string> RateLimitHeaders { get; init; } = ImmutableArray<string>.Empty;

    /// <summary>Text in a response body that means "throttled", for vendors that answer 200 or 300 with an error body (Agora's <c>"code":300</c>).</summary>
    internal string? ThrottleBodyPattern { get; init; }

    internal string? PageSizeParameter { get; init; }

    internal int? MaxPageSize { get; init; }

    /// <summary>The page size the API uses when the request names none, where the vendor documents it (GitHub's <c>per_page</c>: 30).</summary>
    internal int? DefaultPageSize { get; init; }

    /// <summary>
    /// Whether a relative path alone (host unknown, as with <c>HttpClient.BaseAddress</c> set elsewhere) is
    /// enough to recognise the endpoint. Only paths no other API plausibly uses are distinctive.
    /// </summary>
    internal bool IsDistinctive { get; init; }

    /// <summary>Vendor documentation the entry's facts come from.</summary>
    internal ImmutableArray<string> Sources { get; init; } = ImmutableArray<string>.Empty;

    internal string? Notes { get; init; }

    /// <summary>The day someone last compared the entry with its sources (<c>checked=2026-12-04</c>); vendors change their limits.</summary>
    internal DateTime? CheckedOn { get; init; }

    internal CatalogEntryOrigin Origin { get; init; }

    /// <summary>The catalog file the entry was read from (the resource name for built-ins).</summary>
    internal string FilePath { get; init; } = string.Empty;

    /// <summary>1-based line in <see cref="FilePath"/>.</summary>
    internal int Line { get; init; }

    internal bool HasQuota => !Quota.IsDefaultOrEmpty;

    internal bool AllowsAnyMethod => Methods.IsDefaultOrEmpty;

    /// <summary>Method set, host and path shape: two entries with the same identity describe the same endpoint, and a user entry replaces a built-in one.</summary>
    internal string Identity => (AllowsAnyMethod ? "*" : string.Join(",", Methods.OrderBy(m => m, StringComparer.Ordinal))) + " " + Host + Path.Shape;

    /// <summary>
    /// The sentence messages use: "Archiva POST /api/ingest/event allows 100 requests per 60 s",
    /// "GitHub REST API allows 5,000 requests per hour (authenticated)", or, without a documented number,
    /// "SUSE Application Collection API is rate limited per rolling 24 h window; the quota comes from the ratelimit-limit header at run time".
    /// That last claim is made only for headers whose quota the runtime's retrying send paces by (the IETF drafts'
    /// <c>RateLimit-Limit</c> and <c>RateLimit-Policy</c>, which state their window); of any other header the message
    /// says only that it reports the limit: "OpenAI API is rate limited; its vendor documents no fixed quota; the
    /// x-ratelimit-limit-requests header reports the current limit".
    /// </summary>
    internal string DescribeQuota()
    {
        if (HasQuota)
        {
            var text = Name + " allows " + QuotaText.Describe(Quota);
            return QuotaNote is null ? text : text + " (" + QuotaNote + ")";
        }

        var limited = Name + " is rate limited";
        if (WindowWithoutQuota is not null && WindowWithoutQuotaText is not null)
        {
            limited += " per " + (WindowKind == QuotaWindowKind.Rolling ? "rolling " : WindowKind == QuotaWindowKind.Fixed ? "fixed " : string.Empty) + WindowWithoutQuotaText + " window";
        }

        if (RateLimitHeaders.IsDefaultOrEmpty)
        {
            return limited + "; its vendor documents no fixed quota";
        }

        var learned = RateLimitHeaders.FirstOrDefault(h => s_headersTheRuntimePacesBy.Contains(h));
        if (learned is not null)
        {
            return limited + "; the quota comes from the " + learned + " header at run time";
        }

        // Only a header that carries the limit itself is called that; a reset time or a remaining count is not the limit.
        var limit = RateLimitHeaders.FirstOrDefault(IsLimitHeader);
        return limit is not null
            ? limited + "; its vendor documents no fixed quota; the " + limit + " header reports the current limit"
            : limited + "; its vendor documents no fixed quota; the " + string.Join(", ", RateLimitHeaders) + (RateLimitHeaders.Length == 1 ? " header reports" : " headers report") + " it at run time";
    }

    private static bool IsLimitHeader(string header) =>
        header.IndexOf("limit", StringComparison.OrdinalIgnoreCase) >= 0
        && header.IndexOf("remaining", StringComparison.OrdinalIgnoreCase) < 0
        && header.IndexOf("reset", StringComparison.OrdinalIgnoreCase) < 0
        && header.IndexOf("used", StringComparison.OrdinalIgnoreCase) < 0
        && header.IndexOf("near", StringComparison.OrdinalIgnoreCase) < 0;

    /// <summary>How the API says "slow down", one phrase per signal: "429 with Retry-After", "body containing \"code\":300", "headers x-ratelimit-remaining, x-ratelimit-reset".</summary>
    internal ImmutableArray<string> ThrottleSignals
    {
        get
        {
            var signals = ImmutableArray.CreateBuilder<string>();
            if (!ThrottleStatusCodes.IsDefaultOrEmpty)
            {
                var codes = string.Join(" or ", ThrottleStatusCodes.Select(c => c.ToString(CultureInfo.InvariantCulture)));
                signals.Add(SendsRetryAfter ? codes + " with Retry-After" : codes);
            }
            else if (SendsRetryAfter)
            {
                signals.Add("Retry-After");
            }

            if (ThrottleBodyPattern is not null)
            {
                signals.Add("body containing " + ThrottleBodyPattern);
            }

            if (!RateLimitHeaders.IsDefaultOrEmpty)
            {
                signals.Add((RateLimitHeaders.Length == 1 ? "header " : "headers ") + string.Join(", ", RateLimitHeaders));
            }

            return signals.ToImmutable();
        }
    }

    /// <summary>The throttle signals as one phrase for a message: "429 with Retry-After; body containing ...".</summary>
    internal string DescribeThrottleSignals() => string.Join("; ", ThrottleSignals);

    public override string ToString() => (AllowsAnyMethod ? "*" : string.Join(",", Methods)) + " " + Key;
}
