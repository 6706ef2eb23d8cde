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
            return (send.HttpMethod is null ? string.Empty : send.HttpMethod + " ") + path + " (" + send.Api + ")";
        }

        return send.Api;
    }

    public static string StripQuery(string url)
    {
        var end = url.IndexOfAny(['?', '#']);
        return end < 0 ? url : url.Substring(0, end);
    }
}
