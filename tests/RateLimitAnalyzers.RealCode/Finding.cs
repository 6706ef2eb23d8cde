namespace RateLimitAnalyzers.RealCode;

/// <summary>One diagnostic of ours from a compile's SARIF log. File is absolute, or empty when the diagnostic has no location.</summary>
internal sealed record Finding(string RuleId, string File, int Line, int Column, string Message);
