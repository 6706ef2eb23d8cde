using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using RateLimitAnalyzers.Generator;
using Xunit;

namespace RateLimitAnalyzers.Tests.Generator;

public sealed class PacingRuntimeGeneratorTests
{
    private const string UsesRuntime = """
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;
        using RateLimitAnalyzers.Pacing;

        namespace Consumer
        {
            public class Exporter
            {
                public async Task<string> FetchAsync(HttpClient client, CancellationToken cancellationToken)
                {
                    await RequestPacer.Shared("api.example.com/items", QuotaWindow.PerSecond(1)).WaitTurnAsync(cancellationToken);
                    return await client.GetStringAsync("https://api.example.com/items");
                }
            }
        }
        """;

    // What the code fixes insert for retries: the handler, the helpers, Retry-After and backoff.
    private const string UsesRetryingSend = """
        using System;
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;
        using RateLimitAnalyzers.Pacing;

        namespace Consumer
        {
            public class Ingest
            {
                private static readonly RateLimitPolicy Policy = new RateLimitPolicy("api.archiva.app/api/ingest/event", new QuotaWindow(100, TimeSpan.FromSeconds(60)))
                {
                    ThrottleBodyContains = "\"error\":\"Rate limit exceeded\"",
                    Classifier = (response, body) => body.Length == 0,
                };

                public async Task<string> SendAsync(CancellationToken cancellationToken)
                {
                    using (var client = new HttpClient(new RateLimitedHandler(Policy)))
                    using (var response = await RateLimitedSend.SendAsync(client, () => new HttpRequestMessage(HttpMethod.Post, "https://api.archiva.app/api/ingest/event"), Policy, cancellationToken))
                    {
                        if ((int)response.StatusCode == 429)
                        {
                            await RetryAfter.DelayAsync(response, TimeSpan.FromSeconds(60), cancellationToken);
                            await Task.Delay(RetryAfter.GetDelayOrDefault(response, TimeSpan.FromSeconds(60)), cancellationToken);
                        }

                        var limits = RateLimitHeaders.Parse(response, DateTimeOffset.UtcNow);
                        await Backoff.DelayAsync(limits.Remaining ?? 0, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), cancellationToken);
                        return await RateLimitedSend.RunAsync(Policy, ct => client.GetStringAsync("https://api.archiva.app/api/events", ct), cancellationToken);
                    }
                }

                public int Count(Func<int> send)
                {
                    try
                    {
                        Backoff.Delay(0, TimeSpan.Zero, TimeSpan.Zero);
                        return RateLimitedSend.Run(Policy, send);
                    }
                    catch (RateLimitExceededException e)
                    {
                        return e.Attempts + (e.RetryAfter.HasValue ? 1 : 0);
                    }
                }
            }
        }
        """;

    // A quota kept outside the process, through the RateLimiter adapter emitted with System.Threading.RateLimiting.
    private const string UsesRateLimiter = """
        using System.Net.Http;
        using System.Threading;
        using System.Threading.RateLimiting;
        using System.Threading.Tasks;
        using RateLimitAnalyzers.Pacing;

        namespace Consumer
        {
            public class SharedQuota
            {
                public async Task<string> FetchAsync(RateLimiter limiter, CancellationToken cancellationToken)
                {
                    var policy = new RateLimitPolicy("api.archiva.app/api/ingest/event") { ThrottleBodyContains = "\"error\"" }.UseRateLimiter(limiter);
                    await limiter.ToRequestPacer().WaitTurnAsync(cancellationToken);
                    using (var client = new HttpClient(new RateLimitedHandler(policy)))
                    {
                        return await client.GetStringAsync("https://api.archiva.app/api/ingest/event");
                    }
                }
            }
        }
        """;

    // Calls HTTP and reads Retry-After, as most projects do, without ever naming the runtime.
    private const string UsesHttpOnly = """
        using System;
        using System.Net.Http;
        using System.Threading.Tasks;

        namespace Consumer
        {
            public class RequestPacer { }

            public static class Pacing { public static int Backoff = 1; }

            public class Exporter
            {
                // RateLimitAnalyzers.Pacing is not named by a comment or a string.
                private const string Name = "RateLimitAnalyzers.Pacing";

                public async Task<TimeSpan?> FetchAsync(HttpClient client)
                {
                    using (var response = await client.GetAsync("https://api.example.com/items"))
                    {
                        return response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(Pacing.Backoff);
                    }
                }
            }
        }
        """;

    private const string NoHttp = """
        namespace Consumer
        {
            public static class Arithmetic
            {
                public static int Add(int a, int b) { return a + b; }
            }
        }
        """;

    [Fact]
    public void Runtime_is_emitted_when_the_compilation_references_System_Net_Http()
    {
        var (output, result) = GeneratorTestCompilation.Run(GeneratorTestCompilation.Create(UsesRuntime, GeneratorTestCompilation.WithHttp));

        var hintNames = result.GeneratedTrees.Select(t => System.IO.Path.GetFileName(t.FilePath)).ToArray();
        Assert.Contains("RateLimitAnalyzers.Pacing.RequestPacer.g.cs", hintNames);
        Assert.Contains(PacingRuntimeSources.EmbeddedAttributeHintName, hintNames);
        Assert.Empty(output.GetDiagnostics());
    }

    [Fact]
    public void RateLimiter_adapter_is_emitted_only_when_the_compilation_references_System_Threading_RateLimiting()
    {
        var (_, without) = GeneratorTestCompilation.Run(GeneratorTestCompilation.Create(UsesRuntime, GeneratorTestCompilation.WithHttp));
        var (output, with) = GeneratorTestCompilation.Run(GeneratorTestCompilation.Create(UsesRateLimiter, GeneratorTestCompilation.WithHttpAndRateLimiting));

        const string adapter = "RateLimitAnalyzers.Pacing.RateLimiterPacing.g.cs";
        Assert.DoesNotContain(adapter, without.GeneratedTrees.Select(t => System.IO.Path.GetFileName(t.FilePath)));
        Assert.Contains("RateLimitAnalyzers.Pacing.ExternalQuota.g.cs", without.GeneratedTrees.Select(t => System.IO.Path.GetFileName(t.FilePath)));
        Assert.Contains(adapter, with.GeneratedTrees.Select(t => System.IO.Path.GetFileName(t.FilePath)));
        Assert.Empty(output.GetDiagnostics());
    }

    [Fact]
    public void Nothing_is_emitted_into_a_project_whose_code_never_names_the_runtime()
    {
        var (output, result) = GeneratorTestCompilation.Run(GeneratorTestCompilation.Create(UsesHttpOnly, GeneratorTestCompilation.WithHttpAndRateLimiting));

        Assert.Empty(result.GeneratedTrees);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(output.GetDiagnostics());
    }

    [Theory]
    [InlineData("using RateLimitAnalyzers.Pacing;", "class C { QuotaWindow W = QuotaWindow.PerSecond(1); }")]
    [InlineData("global using RateLimitAnalyzers.Pacing;", "class C { QuotaWindow W = QuotaWindow.PerSecond(1); }")]
    [InlineData("using static RateLimitAnalyzers.Pacing.QuotaWindow;", "class C { object W = PerSecond(1); }")]
    [InlineData("using Window = RateLimitAnalyzers.Pacing.QuotaWindow;", "class C { Window W = Window.PerSecond(1); }")]
    [InlineData("", "class C { RateLimitAnalyzers.Pacing.QuotaWindow W => default; }")]
    [InlineData("", "class C { object W = RateLimitAnalyzers.Pacing.QuotaWindow.PerSecond(1); }")]
    [InlineData("", "class C { global::RateLimitAnalyzers.Pacing.QuotaWindow W = global::RateLimitAnalyzers.Pacing.QuotaWindow.PerSecond(1); }")]
    [InlineData("", "class C { object W = global::RateLimitAnalyzers.Pacing.QuotaWindow.PerSecond(1); }")]
    [InlineData("", "namespace RateLimitAnalyzers.Pacing.Extensions { class C { QuotaWindow W => default; } }")]
    public void Runtime_is_emitted_once_the_code_names_its_namespace(string usings, string code)
    {
        var (output, result) = GeneratorTestCompilation.Run(GeneratorTestCompilation.Create(usings + "\n" + code, GeneratorTestCompilation.WithHttp));

        Assert.Contains("RateLimitAnalyzers.Pacing.QuotaWindow.g.cs", result.GeneratedTrees.Select(t => System.IO.Path.GetFileName(t.FilePath)));
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }

    [Fact]
    public void An_edit_that_applies_a_fix_brings_the_runtime_in_and_undoing_it_takes_it_out()
    {
        // The IDE's fix preview and the fixed project: the same driver, one tree edited at a time.
        var compilation = GeneratorTestCompilation.Create(UsesHttpOnly, GeneratorTestCompilation.WithHttp);
        var driver = GeneratorTestCompilation.CreateDriver(compilation).RunGenerators(compilation);
        Assert.Empty(driver.GetRunResult().GeneratedTrees);

        var options = (CSharpParseOptions)compilation.SyntaxTrees.First().Options;
        var fixedCompilation = compilation.ReplaceSyntaxTree(compilation.SyntaxTrees.First(), CSharpSyntaxTree.ParseText(UsesRuntime, options, path: "Consumer.cs"));
        driver = driver.RunGeneratorsAndUpdateCompilation(fixedCompilation, out var output, out _);
        Assert.NotEmpty(driver.GetRunResult().GeneratedTrees);
        Assert.Empty(output.GetDiagnostics());

        driver = driver.RunGenerators(compilation);
        Assert.Empty(driver.GetRunResult().GeneratedTrees);
    }

    [Fact]
    public void Nothing_is_emitted_without_System_Net_Http()
    {
        var (output, result) = GeneratorTestCompilation.Run(GeneratorTestCompilation.Create("using RateLimitAnalyzers.Pacing;\n" + NoHttp, GeneratorTestCompilation.WithoutHttp));

        Assert.Empty(result.GeneratedTrees);
        // The user's own error stays the only one: the namespace they named does not exist here.
        Assert.Equal("CS0246", Assert.Single(output.GetDiagnostics(), d => d.Severity == DiagnosticSeverity.Error).Id);
    }

    [Theory]
    [InlineData(LanguageVersion.CSharp7_3, NullableContextOptions.Disable)]
    [InlineData(LanguageVersion.Latest, NullableContextOptions.Enable)]
    [InlineData(LanguageVersion.Latest, NullableContextOptions.Disable)]
    [InlineData(LanguageVersion.Latest, NullableContextOptions.Annotations)]
    [InlineData(LanguageVersion.Latest, NullableContextOptions.Warnings)]
    public void Emitted_runtime_compiles_without_a_single_warning(LanguageVersion languageVersion, NullableContextOptions nullable)
    {
        AssertCompilesWithoutAWarning(GeneratorTestCompilation.Create(UsesRuntime, GeneratorTestCompilation.WithHttp, languageVersion, nullable));
        AssertCompilesWithoutAWarning(GeneratorTestCompilation.Create(UsesRetryingSend, GeneratorTestCompilation.WithHttp, languageVersion, nullable));
        AssertCompilesWithoutAWarning(GeneratorTestCompilation.Create(UsesRateLimiter, GeneratorTestCompilation.WithHttpAndRateLimiting, languageVersion, nullable));
    }

    [Theory]
    [InlineData(LanguageVersion.CSharp7_3)]
    [InlineData(LanguageVersion.Latest)]
    public void Emitted_runtime_compiles_with_the_symbols_of_a_modern_target_framework(LanguageVersion languageVersion)
    {
        // The runtime takes APIs that only newer frameworks have (HttpRequestException.StatusCode, the
        // synchronous Send) under #if; a consumer targeting net10.0 compiles those branches.
        var symbols = new[] { "NET", "NET10_0", "NETCOREAPP", "NET5_0_OR_GREATER", "NET6_0_OR_GREATER", "NET8_0_OR_GREATER", "NET9_0_OR_GREATER", "NET10_0_OR_GREATER" };
        AssertCompilesWithoutAWarning(GeneratorTestCompilation.Create(UsesRetryingSend, GeneratorTestCompilation.WithHttp, languageVersion, preprocessorSymbols: symbols));
        AssertCompilesWithoutAWarning(GeneratorTestCompilation.Create(UsesRateLimiter, GeneratorTestCompilation.WithHttpAndRateLimiting, languageVersion, preprocessorSymbols: symbols));
    }

    [Fact]
    public void A_nullable_enabled_consumer_sees_what_may_be_null_and_what_may_not()
    {
        var source = """
            using RateLimitAnalyzers.Pacing;

            namespace Consumer
            {
                internal static class Uses
                {
                    // Null is a documented value of these: no warning.
                    public static void Clear(RateLimitPolicy policy)
                    {
                        policy.ThrottleBodyContains = null;
                        policy.Classifier = null;
                        policy.Pacer = null;
                    }

                    public static bool NotAWindow(QuotaWindow window) => window.Equals(null);

                    // These may be null: a warning where they are read without a check.
                    public static int BodyLength(RateLimitPolicy policy) => policy.ThrottleBodyContains.Length;

                    public static int KeyLength(RequestPacer pacer) => pacer.Key.Length;

                    // Never null: no warning.
                    public static int PolicyKeyLength(RateLimitPolicy policy) => policy.Key.Length;
                }
            }
            """;

        var (output, result) = GeneratorTestCompilation.Run(GeneratorTestCompilation.Create(source, GeneratorTestCompilation.WithHttp, LanguageVersion.Latest, NullableContextOptions.Enable));

        Assert.All(result.GeneratedTrees.Where(t => !t.FilePath.EndsWith(PacingRuntimeSources.EmbeddedAttributeHintName, System.StringComparison.Ordinal)), t => Assert.Contains("#nullable enable", t.ToString()));
        var warnings = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning || d.IsWarningAsError).ToList();
        Assert.Equal(new[] { ("CS8602", 18), ("CS8602", 20) }, warnings.Select(w => (w.Id, w.Location.GetLineSpan().StartLinePosition.Line + 1)).OrderBy(w => w.Item2));
    }

    [Fact]
    public void A_CSharp_7_3_consumer_gets_the_annotations_as_comments()
    {
        var (_, result) = GeneratorTestCompilation.Run(GeneratorTestCompilation.Create(UsesRuntime, GeneratorTestCompilation.WithHttp, LanguageVersion.CSharp7_3));

        var policy = result.GeneratedTrees.Single(t => t.FilePath.EndsWith("RateLimitAnalyzers.Pacing.RateLimitPolicy.g.cs", System.StringComparison.Ordinal)).ToString();
        Assert.DoesNotContain("#nullable", policy);
        Assert.Contains("string" + PacingRuntimeSources.NullableMarker + " ThrottleBodyContains", policy);
    }

    [Fact]
    public void Implementation_helpers_are_hidden_from_IntelliSense_and_the_pacing_API_is_not()
    {
        var (output, _) = GeneratorTestCompilation.Run(GeneratorTestCompilation.Create(UsesRetryingSend, GeneratorTestCompilation.WithHttp));

        bool Hidden(string name)
        {
            var type = output.GetTypeByMetadataName("RateLimitAnalyzers.Pacing." + name);
            Assert.True(type is not null, name + " is not a runtime type");
            return type!.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == "System.ComponentModel.EditorBrowsableAttribute"
                && a.ConstructorArguments.Single().Value is (int)System.ComponentModel.EditorBrowsableState.Never);
        }

        Assert.NotEmpty(PacingRuntimeSources.ImplementationHelpers);
        Assert.All(PacingRuntimeSources.ImplementationHelpers, name => Assert.True(Hidden(name), name));
        Assert.All(new[] { "RequestPacer", "QuotaWindow", "RateLimitPolicy", "RateLimitedHandler", "RateLimitedSend", "RetryAfter", "Backoff" }, name => Assert.False(Hidden(name), name));

        // The members the runtime keeps internal are its own plumbing: hidden too, and the public ones are not.
        var members = output.GetTypeByMetadataName("RateLimitAnalyzers.Pacing.RequestPacer")!.GetMembers().Where(m => !m.IsImplicitlyDeclared && m is not IMethodSymbol { AssociatedSymbol: not null }).ToList();
        Assert.Contains(members, m => m.DeclaredAccessibility == Accessibility.Internal);
        Assert.All(members, m => Assert.Equal(
            m.DeclaredAccessibility == Accessibility.Internal,
            m.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == "System.ComponentModel.EditorBrowsableAttribute")));
    }

    [Fact]
    public void Every_emitted_file_is_marked_auto_generated_and_every_top_level_type_embedded()
    {
        foreach (var file in PacingRuntimeSources.Files)
        {
            Assert.StartsWith("// <auto-generated/>", file.Text);
            var root = CSharpSyntaxTree.ParseText(file.Text).GetRoot();
            var topLevelTypes = root.DescendantNodes(n => n is Microsoft.CodeAnalysis.CSharp.Syntax.CompilationUnitSyntax or Microsoft.CodeAnalysis.CSharp.Syntax.BaseNamespaceDeclarationSyntax)
                .OfType<Microsoft.CodeAnalysis.CSharp.Syntax.MemberDeclarationSyntax>()
                .Where(m => m is Microsoft.CodeAnalysis.CSharp.Syntax.BaseTypeDeclarationSyntax or Microsoft.CodeAnalysis.CSharp.Syntax.DelegateDeclarationSyntax);
            foreach (var type in topLevelTypes)
            {
                Assert.Contains(type.AttributeLists.SelectMany(l => l.Attributes), a => a.Name.ToString() == "global::Microsoft.CodeAnalysis.Embedded");
                Assert.DoesNotContain(type.Modifiers, m => m.IsKind(SyntaxKind.PublicKeyword));
            }
        }

        Assert.NotEmpty(PacingRuntimeSources.Files);
    }

    [Theory]
    [InlineData("false")]
    [InlineData("False")]
    [InlineData(" false ")]
    public void Opt_out_property_stops_the_emission(string value)
    {
        var (_, result) = GeneratorTestCompilation.Run(GeneratorTestCompilation.Create(UsesRuntime, GeneratorTestCompilation.WithHttp), value);

        Assert.Empty(result.GeneratedTrees);
        Assert.Empty(result.Diagnostics);
    }

    [Theory]
    [InlineData("ture")]
    [InlineData("0")]
    [InlineData("no thanks")]
    public void Unreadable_opt_out_property_reports_RL9001_and_still_emits(string value)
    {
        var (_, result) = GeneratorTestCompilation.Run(GeneratorTestCompilation.Create(UsesRuntime, GeneratorTestCompilation.WithHttp), value);

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("RL9001", diagnostic.Id);
        Assert.Contains(PacingRuntimeGenerator.EmitPropertyName, diagnostic.GetMessage());
        Assert.Contains(value, diagnostic.GetMessage());
        Assert.NotEmpty(result.GeneratedTrees);
    }

    [Fact]
    public void Runtime_the_compilation_already_declares_is_not_emitted_again()
    {
        var ownCopy = """
            namespace RateLimitAnalyzers.Pacing
            {
                internal sealed class RequestPacer { }
            }
            """;

        var (output, result) = GeneratorTestCompilation.Run(GeneratorTestCompilation.Create(ownCopy, GeneratorTestCompilation.WithHttp));

        Assert.Empty(result.GeneratedTrees);
        Assert.Empty(output.GetDiagnostics());
    }

    [Fact]
    public void Runtime_a_referenced_project_shares_through_InternalsVisibleTo_is_not_emitted_again()
    {
        // Library keeps its own copy of the runtime, not marked embedded, and grants its internals to Consumer:
        // Consumer already sees RequestPacer, and a second copy would collide with it (CS0436).
        var library = GeneratorTestCompilation.Create(
            """
            [assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Consumer")]
            namespace RateLimitAnalyzers.Pacing
            {
                internal sealed class RequestPacer { }
            }
            """,
            GeneratorTestCompilation.WithHttp,
            assemblyName: "Library");
        Assert.Empty(library.GetDiagnostics());

        var consumer = GeneratorTestCompilation.Create(
            """
            namespace Consumer
            {
                public static class Export
                {
                    internal static System.Type Pacer => typeof(RateLimitAnalyzers.Pacing.RequestPacer);
                }
            }
            """,
            GeneratorTestCompilation.WithHttp.Add(library.ToMetadataReference()));
        var (consumerOutput, result) = GeneratorTestCompilation.Run(consumer);

        Assert.Empty(result.GeneratedTrees);
        Assert.Empty(consumerOutput.GetDiagnostics());
    }

    [Fact]
    public void Two_projects_that_see_each_others_internals_each_get_a_copy_without_collisions()
    {
        // Library emits the runtime and grants its internals to Consumer, which emits its own copy too.
        // [Embedded] keeps the library's copy out of Consumer's view, so there is no CS0436/CS0433.
        var library = GeneratorTestCompilation.Create(
            "[assembly: System.Runtime.CompilerServices.InternalsVisibleTo(\"Consumer\")]\nnamespace Library { internal static class Marker { internal static readonly object Window = RateLimitAnalyzers.Pacing.QuotaWindow.PerSecond(1); } }",
            GeneratorTestCompilation.WithHttp,
            assemblyName: "Library");
        var (libraryOutput, libraryResult) = GeneratorTestCompilation.Run(library);
        Assert.NotEmpty(libraryResult.GeneratedTrees);
        Assert.Empty(libraryOutput.GetDiagnostics());
        var libraryReference = libraryOutput.ToMetadataReference();

        var consumer = GeneratorTestCompilation.Create(
            UsesRuntime,
            GeneratorTestCompilation.WithHttp.Add(libraryReference));
        var (consumerOutput, result) = GeneratorTestCompilation.Run(consumer);

        Assert.NotEmpty(result.GeneratedTrees);
        Assert.Empty(consumerOutput.GetDiagnostics());
    }

    [Fact]
    public void An_edit_that_changes_nothing_relevant_reuses_the_previous_output()
    {
        var compilation = GeneratorTestCompilation.Create(UsesRuntime, GeneratorTestCompilation.WithHttp);
        var driver = GeneratorTestCompilation.CreateDriver(compilation).RunGenerators(compilation);

        var edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace Consumer { class Added { } }", (CSharpParseOptions)compilation.SyntaxTrees.First().Options));
        driver = driver.RunGenerators(edited);

        var run = driver.GetRunResult().Results.Single();
        var planSteps = run.TrackedSteps[PacingRuntimeGenerator.TrackingNames.EmissionPlan];
        Assert.All(planSteps.SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Unchanged, o.Reason));
        Assert.All(run.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    [Fact]
    public void An_edit_that_adds_the_first_use_emits_the_runtime()
    {
        var compilation = GeneratorTestCompilation.Create("namespace Consumer { class Plain { } }", GeneratorTestCompilation.WithHttp);
        var driver = GeneratorTestCompilation.CreateDriver(compilation).RunGenerators(compilation);
        Assert.Empty(driver.GetRunResult().GeneratedTrees);

        var edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText(UsesRuntime, (CSharpParseOptions)compilation.SyntaxTrees.First().Options));
        driver = driver.RunGenerators(edited);

        var run = driver.GetRunResult().Results.Single();
        Assert.NotEmpty(run.GeneratedSources);
        Assert.All(run.TrackedSteps[PacingRuntimeGenerator.TrackingNames.EmissionPlan].SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Modified, o.Reason));
    }

    /// <summary>
    /// Every warning is an error here, at the highest warning level: a user who builds with
    /// -warnaserror must never be broken by code they did not write.
    /// </summary>
    private static void AssertCompilesWithoutAWarning(CSharpCompilation compilation)
    {
        var (output, result) = GeneratorTestCompilation.Run(compilation);

        Assert.Empty(result.Diagnostics);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning || d.IsWarningAsError));
    }
}
