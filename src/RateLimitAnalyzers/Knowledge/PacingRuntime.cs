namespace RateLimitAnalyzers.Knowledge;

/// <summary>Full names of the pacing runtime's types, which the analyzers recognise and the fixes insert.</summary>
internal static class PacingRuntime
{
    public const string Namespace = "RateLimitAnalyzers.Pacing";
    public const string RequestPacer = Namespace + ".RequestPacer";
    public const string QuotaWindow = Namespace + ".QuotaWindow";
    public const string RateLimitedSend = Namespace + ".RateLimitedSend";
    public const string RateLimitedHandler = Namespace + ".RateLimitedHandler";
    public const string RateLimitPolicy = Namespace + ".RateLimitPolicy";
}
