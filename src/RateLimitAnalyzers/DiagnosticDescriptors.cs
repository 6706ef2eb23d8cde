using Microsoft.CodeAnalysis;

namespace RateLimitAnalyzers;

/// <summary>All descriptors, created through one helper so that IDs, help links and categories stay consistent.</summary>
internal static class DiagnosticDescriptors
{
    public static readonly DiagnosticDescriptor PagingLoopWithoutPacing = Create(
        RuleIdentifiers.PagingLoopWithoutPacing,
        "Paging loop sends requests back to back",
        "{0} sends requests to {1} back to back; {2}",
        "A loop that fetches page after page as fast as the network allows spends a rate-limited API's quota in seconds. Wait for a turn under the quota before each request.");

    public static readonly DiagnosticDescriptor RateLimitedEndpointWithoutRetry = Create(
        RuleIdentifiers.RateLimitedEndpointWithoutRetry,
        "Rate-limited endpoint called without retry or backoff",
        "{0}; nothing here retries on {1}",
        "A call to an endpoint its vendor documents as rate limited will be throttled on a busy day. Without a retry that waits (for Retry-After, or with exponential backoff), the throttled request's work is lost.");

    public static readonly DiagnosticDescriptor RetryAfterIgnored = Create(
        RuleIdentifiers.RetryAfterIgnored,
        "Throttling response handled without reading Retry-After",
        "{0} {1} without reading Retry-After; {2}",
        "A server that answers 429 or 503 says in Retry-After how long its window needs. A fixed sleep or an instant retry comes back too early, gets rejected again, and turns one rejection into many. Wait as long as the server asks, and back off when it sends no hint.");

    public static readonly DiagnosticDescriptor RetryWithoutBackoff = Create(
        RuleIdentifiers.RetryWithoutBackoff,
        "Retry without backoff",
        "{0} {1}; {2}",
        "Retrying at once, or after the same wait every time, keeps a throttled gateway's counter full. Back off exponentially with jitter between attempts, and bound the attempts.");

    public static readonly DiagnosticDescriptor RequestFanOutWithoutPacing = Create(
        RuleIdentifiers.RequestFanOutWithoutPacing,
        "Requests fanned out with nothing that paces them",
        "{0} starts requests to {1} all at once; {2}",
        "Task.WhenAll over a task per item, tasks started in a loop, or Parallel.ForEach send every request the moment its item comes up. A SemaphoreSlim or a degree of parallelism bounds how many run at once, not how many start per second: against a rate-limited API each request still has to wait for its turn under the quota.");

    public static readonly DiagnosticDescriptor PagingWastesRequests = Create(
        RuleIdentifiers.PagingWastesRequests,
        "Paging loop asks for smaller pages than the API allows",
        "This paging loop over {0} {1}; {2}",
        "Every page is one request counted against the quota. A paging loop that leaves the page size at the API's default, or sets it below the maximum the API documents, needs several times the requests for the same items; one that counts to a fixed number of pages spends a request on every page past the last. Ask for the largest page the API allows, and stop on an empty page.");

    public static readonly DiagnosticDescriptor RateLimiterBuiltPerCall = Create(
        RuleIdentifiers.RateLimiterBuiltPerCall,
        "Rate limiter built for every call",
        "{0} on every call starts with a full budget and is dropped after it, so requests to {1} are never paced{2}; keep one limiter for the process: a static field, one from DI, or RequestPacer.Shared",
        "A rate limiter counts the requests it has let through. One made inside a method, used there once and dropped, is new on every call: it always has its whole budget, grants at once, and never makes a request wait. Keep the limiter for as long as the quota it stands for: a static field, a singleton from DI, or the runtime's shared pacer under the endpoint's key.");

    public static readonly DiagnosticDescriptor WaitShorterThanQuota = Create(
        RuleIdentifiers.WaitShorterThanQuota,
        "Wait shorter than the quota allows",
        "This loop waits {0} between requests to {1}, which allows {2}: one request every {3}; wait for a turn on the endpoint's pacer instead",
        "A loop that waits a fixed time between requests still spends the quota when the wait is shorter than the window divided by its limit: the throttling only comes later. Wait for a turn under the quota, whose pace follows the endpoint's documented windows.");

    public static readonly DiagnosticDescriptor InvalidConfigurationValue = Create(
        RuleIdentifiers.InvalidConfigurationValue,
        "Invalid configuration value",
        "{0} '{1}' has the value '{2}', which cannot be read: {3}",
        "A configuration value the package cannot read is ignored and its default applies; the message says what was expected.");

    public static readonly DiagnosticDescriptor MalformedCatalogEntry = Create(
        RuleIdentifiers.MalformedCatalogEntry,
        "Malformed endpoint catalog entry",
        "{0}",
        "A line of a RateLimitEndpoints.txt file cannot be read; it is skipped and the rest of the catalog still loads.");

    private static DiagnosticDescriptor Create(string id, string title, string messageFormat, string description) =>
        new(
            id,
            title,
            messageFormat,
            RuleCategories.RateLimiting,
            DiagnosticSeverity.Warning,
            isEnabledByDefault: true,
            description: description,
            helpLinkUri: RuleIdentifiers.GetHelpUri(id));
}
