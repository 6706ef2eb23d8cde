namespace RateLimitAnalyzers;

/// <summary>Every rule ID, and where its documentation lives.</summary>
internal static class RuleIdentifiers
{
    public const string PagingLoopWithoutPacing = "RL0001";
    public const string RateLimitedEndpointWithoutRetry = "RL0002";
    public const string RetryAfterIgnored = "RL0003";
    public const string RetryWithoutBackoff = "RL0004";
    public const string RequestFanOutWithoutPacing = "RL0005";
    public const string PagingWastesRequests = "RL0006";
    public const string RateLimiterBuiltPerCall = "RL0007";
    public const string WaitShorterThanQuota = "RL0008";
    public const string InvalidConfigurationValue = "RL9001";
    public const string MalformedCatalogEntry = "RL9002";

    private const string RulesDocument = RepositoryInfo.Url + "/blob/main/rules.md";

    /// <summary>
    /// The rule's rules.md section, by the explicit <c>&lt;a id="rl0001"&gt;</c> anchor above its heading: an anchor
    /// GitHub derives from the heading would move whenever a title is reworded, and break every link already out.
    /// </summary>
    public static string GetHelpUri(string id) => RulesDocument + "#" + Anchor(id);

    public static string Anchor(string id) => id.ToLowerInvariant();
}

/// <summary>
/// One category for every rule, ours alone, so that <c>dotnet_analyzer_diagnostic.category-RateLimiting.severity</c>
/// sets all of them and touches no other package's rules (a shared category such as Reliability would).
/// </summary>
internal static class RuleCategories
{
    public const string RateLimiting = "RateLimiting";
}
