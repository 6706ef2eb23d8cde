using RateLimitAnalyzers.Knowledge.Endpoints;

namespace RateLimitAnalyzers.Knowledge;

/// <summary>
/// Where a request goes, as every rule resolves it (<see cref="HttpKnowledge.TargetOf"/>): the URL with a relative path put
/// under its client's base address, the catalog entry it targets, and the client's origin when resolving needed it.
/// </summary>
/// <param name="Send">The request.</param>
/// <param name="Url">The URL as far as the code shows it, absolute when the base address is in view; parts computed at run time appear as <see cref="UrlText.Hole"/>.</param>
/// <param name="Entry">The catalog entry the request targets, if any.</param>
/// <param name="Origin">The client's origin, when the URL was not absolute and it had to be looked up.</param>
internal sealed record RequestTarget(RequestSend Send, string? Url, CatalogEntry? Entry, ClientOrigin? Origin)
{
    /// <summary>The request with its resolved URL, as messages describe it.</summary>
    public RequestSend Resolved => Url == Send.Url ? Send : Send with { Url = Url };
}
