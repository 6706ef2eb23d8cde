using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace RateLimitAnalyzers.Generator;

/// <summary>
/// Emits the pacing runtime (src/RateLimitAnalyzers.Pacing) into the user's compilation as internal,
/// embedded types. A development-dependency package gets no compile assets from NuGet, so the code
/// fixes' calls to <c>RequestPacer</c> can only compile if the runtime arrives as source. It arrives only
/// where the code names its namespace (<see cref="RuntimeUse"/>), which every fix's edit does: a project
/// that never applied a fix compiles none of it.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class PacingRuntimeGenerator : IIncrementalGenerator
{
    internal const string EmitPropertyName = "RateLimitAnalyzersEmitPacingRuntime";

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // One answer per tree, kept for the trees an edit did not replace (the same tree object), read from the tree's
        // text first: a syntax provider would visit every node of the compilation on every build. Reduced to one bool,
        // so an edit that neither adds nor removes the last mention re-runs nothing downstream.
        var used = context.CompilationProvider
            .SelectMany(static (compilation, _) => compilation.SyntaxTrees)
            .Select(static (tree, cancellationToken) => RuntimeUse.NamesRuntimeNamespace(tree, cancellationToken))
            .Where(static names => names)
            .Collect()
            .Select(static (mentions, _) => !mentions.IsEmpty)
            .WithTrackingName(TrackingNames.RuntimeUsed);

        // Reduced to plain values right away, so that typing in the editor (a new compilation per
        // keystroke) re-runs nothing downstream unless one of these facts actually changes. A compilation
        // that does not use the runtime is not even asked.
        var needs = used.Combine(context.CompilationProvider)
            .Select(static (input, _) => input.Left ? RuntimeNeeds.Of(input.Right) : default)
            .WithTrackingName(TrackingNames.RuntimeNeeds);

        var setting = context.AnalyzerConfigOptionsProvider.Select(static (options, _) =>
        {
            options.GlobalOptions.TryGetValue("build_property." + EmitPropertyName, out var value);
            return EmitSetting.Parse(value);
        }).WithTrackingName(TrackingNames.EmitSetting);

        // C# 8 and later get the runtime with its nullable annotations; C# 7.3 cannot read them.
        var annotations = context.ParseOptionsProvider
            .Select(static (options, _) => options is CSharpParseOptions { LanguageVersion: >= LanguageVersion.CSharp8 })
            .WithTrackingName(TrackingNames.NullableAnnotations);

        context.RegisterSourceOutput(needs.Combine(setting).Combine(annotations), static (output, input) =>
        {
            var ((needs, setting), annotations) = input;
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

            if (!setting.Emit || !needs.Used || !needs.ReferencesHttp || needs.RuntimeAlreadyVisible)
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
                    output.AddSource(file.HintName, file.TextFor(annotations));
                }
            }
        });
    }

    internal static class TrackingNames
    {
        public const string RuntimeUsed = nameof(RuntimeUsed);
        public const string RuntimeNeeds = nameof(RuntimeNeeds);
        public const string EmitSetting = nameof(EmitSetting);
        public const string NullableAnnotations = nameof(NullableAnnotations);
    }

    /// <summary>What decides the emission in a compilation whose code uses the runtime; <c>default</c> where it does not.</summary>
    internal readonly record struct RuntimeNeeds(bool Used, bool ReferencesHttp, bool RuntimeAlreadyVisible, bool EmbeddedAttributeDeclaredInSource, bool ReferencesRateLimiting)
    {
        public static RuntimeNeeds Of(Compilation compilation)
        {
            // The runtime is built on HttpClient: without it, emitting would only add errors to the user's own.
            var referencesHttp = compilation.GetTypeByMetadataName("System.Net.Http.HttpClient") is not null;
            if (!referencesHttp)
            {
                return new RuntimeNeeds(true, false, false, false, false);
            }

            // Already visible: the user's own copy, or one reached through InternalsVisibleTo from a
            // project that did not mark it embedded (embedded copies are never imported from metadata).
            var runtime = compilation.GetTypeByMetadataName(PacingRuntimeSources.MarkerTypeName);
            var visible = runtime is not null && compilation.IsSymbolAccessibleWithin(runtime, compilation.Assembly);

            var embedded = compilation.GetTypeByMetadataName("Microsoft.CodeAnalysis.EmbeddedAttribute");
            var embeddedInSource = embedded is not null && SymbolEqualityComparer.Default.Equals(embedded.ContainingAssembly, compilation.Assembly);

            var rateLimiting = compilation.GetTypeByMetadataName(PacingRuntimeSources.RateLimiterTypeName) is not null;

            return new RuntimeNeeds(true, true, visible, embeddedInSource, rateLimiting);
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
