using Microsoft.CodeAnalysis;

namespace RateLimitAnalyzers.Generator;

internal static class GeneratorDiagnostics
{
    public static readonly DiagnosticDescriptor InvalidEmitProperty = new(
        id: "RL9001",
        title: "Invalid configuration value",
        messageFormat: "MSBuild property '{0}' has the value '{1}', which is neither 'true' nor 'false'; the pacing runtime is emitted as if it were 'true'",
        category: "Configuration",
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        helpLinkUri: "https://github.com/RateLimitAnalyzers/RateLimitAnalyzers/blob/main/rules.md#rl9001-invalid-configuration-value");
}
