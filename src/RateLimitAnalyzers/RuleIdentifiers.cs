using System.Linq;
using System.Text;

namespace RateLimitAnalyzers;

/// <summary>Every rule ID, and where its documentation lives.</summary>
internal static class RuleIdentifiers
{
    public const string PagingLoopWithoutPacing = "RL0001";
    public const string RateLimitedEndpointWithoutRetry = "RL0002";
    public const string RetryAfterIgnored = "RL0003";
    public const string RetryWithoutBackoff = "RL0004";
    public const string InvalidConfigurationValue = "RL9001";
    public const string MalformedCatalogEntry = "RL9002";

    private const string RulesDocument = "https://github.com/RateLimitAnalyzers/RateLimitAnalyzers/blob/main/rules.md";

    /// <summary>The rules.md section for a rule: its heading is "## ID: Title", and GitHub derives the anchor from it.</summary>
    public static string GetHelpUri(string id, string title) => RulesDocument + "#" + Slug(id + ": " + title);

    internal static string Slug(string heading)
    {
        var slug = new StringBuilder(heading.Length);
        foreach (var c in heading.Trim().ToLowerInvariant())
        {
            if (char.IsLetterOrDigit(c) || c == '-' || c == '_')
            {
                slug.Append(c);
            }
            else if (c == ' ')
            {
                slug.Append('-');
            }
        }

        return slug.ToString();
    }
}

internal static class RuleCategories
{
    public const string Reliability = "Reliability";
    public const string Configuration = "Configuration";
}
