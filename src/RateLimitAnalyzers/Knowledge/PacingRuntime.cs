namespace RateLimitAnalyzers.Knowledge;

/// <summary>Full names of the pacing runtime's types, which the analyzers recognise and the fixes insert.</summary>
internal static class PacingRuntime
{
    public const string Namespace = "RateLimitAnalyzers.Pacing";
    public const string RequestPacer = Namespace + ".RequestPacer";
    public const string QuotaWindow = Namespace + ".QuotaWindow";
    public const string RateLimitedSendName = "RateLimitedSend";
    public const string RateLimitedSend = Namespace + "." + RateLimitedSendName;
    public const string RateLimitedHandler = Namespace + ".RateLimitedHandler";
    public const string RateLimitPolicy = Namespace + ".RateLimitPolicy";
}

/// <summary>Names of the pacing runtime's retry helpers, which the analyzers recognise and the fixes insert.</summary>
internal static class RetryRuntime
{
    public const string RetryAfterName = "RetryAfter";
    public const string BackoffName = "Backoff";
    public const string RateLimitHeadersName = "RateLimitHeaders";
    public const string RetryAfter = PacingRuntime.Namespace + "." + RetryAfterName;
    public const string Backoff = PacingRuntime.Namespace + "." + BackoffName;
}
