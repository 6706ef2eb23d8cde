using System;
using System.Threading;
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
        // One step from the compilation and the build's options to a plan, and one output from the plan. Every value
        // the pipeline carries is a reference type: Roslyn's incremental nodes are generic, and each instantiation of
        // them over a value type of ours (a bool, a record struct, a tuple of them) is compiled by the JIT in every
        // build that loads the package (about 25 ms of a build of octokit.net, tests/benchmarks.md). The plan has
        // value equality, so typing in the editor (a new compilation per keystroke) re-emits nothing unless a fact
        // of it changes; which trees name the runtime is remembered per tree (RuntimeUse.NamesRuntimeNamespace).
        var plan = context.CompilationProvider
            .Combine(context.AnalyzerConfigOptionsProvider)
            .Select(static (input, cancellationToken) => EmissionPlan.Of(input.Left, input.Right, cancellationToken))
            .WithTrackingName(TrackingNames.EmissionPlan);

        context.RegisterSourceOutput(plan, static (output, plan) =>
        {
            if (plan.InvalidSetting is not null)
            {
                output.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.InvalidConfigurationValue,
                    Location.None,
                    "MSBuild property",
                    EmitPropertyName,
                    plan.InvalidSetting,
                    "expected 'true' or 'false'; the pacing runtime is emitted as if it were 'true'"));
            }

            if (!plan.Emits)
            {
                return;
            }

            if (plan.EmbeddedAttribute)
            {
                output.AddSource(PacingRuntimeSources.EmbeddedAttributeHintName, PacingRuntimeSources.EmbeddedAttributeSource);
            }

            foreach (var file in PacingRuntimeSources.Files)
            {
                if (!file.NeedsRateLimiter || plan.RateLimiting)
                {
                    output.AddSource(file.HintName, file.TextFor(plan.NullableAnnotations));
                }
            }
        });
    }

    internal static class TrackingNames
    {
        public const string EmissionPlan = nameof(EmissionPlan);
    }

    /// <summary>What the generator emits into one compilation, and what it reports.</summary>
    /// <param name="Emits">Whether the runtime is emitted at all.</param>
    /// <param name="EmbeddedAttribute">Whether <c>Microsoft.CodeAnalysis.EmbeddedAttribute</c> is emitted with it (the code does not declare its own).</param>
    /// <param name="RateLimiting">Whether the parts built on System.Threading.RateLimiting are emitted (it is referenced).</param>
    /// <param name="NullableAnnotations">Whether the runtime keeps its nullable annotations: C# 8 and later can read them, C# 7.3 cannot.</param>
    /// <param name="InvalidSetting">The value of the MSBuild property when it is neither true nor false, to report.</param>
    internal sealed record EmissionPlan(bool Emits, bool EmbeddedAttribute, bool RateLimiting, bool NullableAnnotations, string? InvalidSetting)
    {
        public static EmissionPlan Of(Compilation compilation, AnalyzerConfigOptionsProvider options, CancellationToken cancellationToken)
        {
            options.GlobalOptions.TryGetValue("build_property." + EmitPropertyName, out var value);
            var setting = EmitSetting.Parse(value);
            var needs = setting.Emit && Uses(compilation, cancellationToken) ? RuntimeNeeds.Of(compilation) : default;
            return new EmissionPlan(
                needs.Used && needs.ReferencesHttp && !needs.RuntimeAlreadyVisible,
                !needs.EmbeddedAttributeDeclaredInSource,
                needs.ReferencesRateLimiting,
                compilation is CSharpCompilation { LanguageVersion: >= LanguageVersion.CSharp8 },
                setting.InvalidValue);
        }

        // Whether any tree names the runtime's namespace, remembered per tree: an edit replaces one tree, and the
        // others are not read again.
        private static bool Uses(Compilation compilation, CancellationToken cancellationToken)
        {
            foreach (var tree in compilation.SyntaxTrees)
            {
                if (RuntimeUse.NamesRuntimeNamespace(tree, cancellationToken))
                {
                    return true;
                }
            }

            return false;
        }
    }

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
