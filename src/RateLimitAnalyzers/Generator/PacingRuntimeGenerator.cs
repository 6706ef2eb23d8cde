using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace RateLimitAnalyzers.Generator;

/// <summary>
/// Emits the pacing runtime (src/RateLimitAnalyzers.Pacing) into the user's compilation as internal,
/// embedded types. A development-dependency package gets no compile assets from NuGet, so the code
/// fixes' calls to <c>RequestPacer</c> can only compile if the runtime arrives as source.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class PacingRuntimeGenerator : IIncrementalGenerator
{
    internal const string EmitPropertyName = "RateLimitAnalyzersEmitPacingRuntime";

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // Reduced to plain values right away, so that typing in the editor (a new compilation per
        // keystroke) re-runs nothing downstream unless one of these facts actually changes.
        var needs = context.CompilationProvider
            .Select(static (compilation, _) => RuntimeNeeds.Of(compilation))
            .WithTrackingName(TrackingNames.RuntimeNeeds);

        var setting = context.AnalyzerConfigOptionsProvider.Select(static (options, _) =>
        {
            options.GlobalOptions.TryGetValue("build_property." + EmitPropertyName, out var value);
            return EmitSetting.Parse(value);
        }).WithTrackingName(TrackingNames.EmitSetting);

        context.RegisterSourceOutput(needs.Combine(setting), static (output, input) =>
        {
            var (needs, setting) = input;
            if (setting.InvalidValue is not null)
            {
                output.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.InvalidConfigurationValue,
                    Location.None,
                    "MSBuild property",
                    EmitPropertyName,
                    setting.InvalidValue,
                    "expected 'true' or 'false'; the pacing runtime is emitted as if it were 'true'"));
            }

            if (!setting.Emit || !needs.ReferencesHttp || needs.RuntimeAlreadyVisible)
            {
                return;
            }

            if (!needs.EmbeddedAttributeDeclaredInSource)
            {
                output.AddSource(PacingRuntimeSources.EmbeddedAttributeHintName, PacingRuntimeSources.EmbeddedAttributeSource);
            }

            foreach (var file in PacingRuntimeSources.Files)
            {
                if (!file.NeedsRateLimiter || needs.ReferencesRateLimiting)
                {
                    output.AddSource(file.HintName, file.Text);
                }
            }
        });
    }

    internal static class TrackingNames
    {
        public const string RuntimeNeeds = nameof(RuntimeNeeds);
        public const string EmitSetting = nameof(EmitSetting);
    }

    internal readonly record struct RuntimeNeeds(bool ReferencesHttp, bool RuntimeAlreadyVisible, bool EmbeddedAttributeDeclaredInSource, bool ReferencesRateLimiting)
    {
        public static RuntimeNeeds Of(Compilation compilation)
        {
            var referencesHttp = compilation.GetTypeByMetadataName("System.Net.Http.HttpClient") is not null;
            if (!referencesHttp)
            {
                return default;
            }

            // Already visible: the user's own copy, or one reached through InternalsVisibleTo from a
            // project that did not mark it embedded (embedded copies are never imported from metadata).
            var runtime = compilation.GetTypeByMetadataName(PacingRuntimeSources.MarkerTypeName);
            var visible = runtime is not null && compilation.IsSymbolAccessibleWithin(runtime, compilation.Assembly);

            var embedded = compilation.GetTypeByMetadataName("Microsoft.CodeAnalysis.EmbeddedAttribute");
            var embeddedInSource = embedded is not null && SymbolEqualityComparer.Default.Equals(embedded.ContainingAssembly, compilation.Assembly);

            var rateLimiting = compilation.GetTypeByMetadataName(PacingRuntimeSources.RateLimiterTypeName) is not null;

            return new RuntimeNeeds(true, visible, embeddedInSource, rateLimiting);
        }
    }

    internal readonly record struct EmitSetting(bool Emit, string? InvalidValue)
    {
        public static EmitSetting Parse(string? value)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                return new EmitSetting(true, null);
            }

            if (bool.TryParse(value!.Trim(), out var emit))
            {
                return new EmitSetting(emit, null);
            }

            // An unreadable opt-out must not silently drop the runtime the code fixes depend on.
            return new EmitSetting(true, value);
        }
    }
}
