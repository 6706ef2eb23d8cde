using RateLimitAnalyzers.Knowledge;
using RateLimitAnalyzers.Knowledge.Endpoints;

namespace RateLimitAnalyzers.Rules;

/// <summary>The phrases several rules' messages share, so that they name endpoints the same way.</summary>
internal static class RuleText
{
    /// <summary>The catalog's name for the endpoint, else its method and URL with the API called, else the API alone.</summary>
    public static string DescribeEndpoint(RequestSend send, CatalogEntry? target)
    {
        if (target is not null)
        {
            return target.Name;
        }

        if (send.Url is { } url && StripQuery(url) is { Length: > 0 } path && path != UrlText.Hole)
        {
            return (send.HttpMethod is null ? string.Empty : send.HttpMethod + " ") + ShowComputedParts(path) + " (" + send.Api + ")";
        }

        return send.Api;
    }

    /// <summary>
    /// A URL as a message shows it: each part computed at run time as <c>…</c> (<c>api.github.com/orgs/…/repos</c>), never
    /// the <c>{0}</c> placeholder the catalog matches by.
    /// </summary>
    public static string ShowComputedParts(string url) => url.Replace(UrlText.Hole, ComputedPart);

    /// <summary>How messages show a part of a URL computed at run time.</summary>
    public const string ComputedPart = "…";

    public static string StripQuery(string url)
    {
        var end = url.IndexOfAny(['?', '#']);
        return end < 0 ? url : url.Substring(0, end);
    }
}
