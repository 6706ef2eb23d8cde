using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using RateLimitAnalyzers.Knowledge;
using RateLimitAnalyzers.Rules;
using RateLimitAnalyzers.Tests.Rules;
using RateLimitAnalyzers.Tests.Verifiers;
using Xunit;

namespace RateLimitAnalyzers.Tests.Knowledge;

/// <summary>
/// The IDE analyses each file against its own clone of the compilation (same trees, same references): the client
/// registrations are indexed once for all the clones, and an edited file makes them indexed afresh.
/// </summary>
public class SnapshotCacheTests
{
    private const string Client = RL0002Cases.Usings + """
        class ArchivaClient
        {
            private readonly HttpClient _http;
            public ArchivaClient(HttpClient http) => _http = http;
            public Task<HttpResponseMessage> SendAsync(HttpContent content) => _http.PostAsync("api/ingest/event", content);
        }
        """;

    private static string Registration(string baseAddress) => RL0002Cases.Usings + $$"""
        static class Registration
        {
            public static void Add(IServiceCollection services) =>
                services.AddHttpClient<ArchivaClient>(client => client.BaseAddress = new Uri("{{baseAddress}}"));
        }
        """;

    private static readonly AnalyzerOptions s_options = new(ImmutableArray<AdditionalText>.Empty);

    [Fact]
    public async Task Clones_of_a_compilation_share_the_registrations_and_an_edited_file_gets_its_own()
    {
        var original = await CompilationAsync(Registration("https://api.archiva.app/"));
        var clone = original.WithOptions(original.Options);
        var recreated = CSharpCompilation.Create(original.AssemblyName, original.SyntaxTrees, original.References, (CSharpCompilationOptions)original.Options);
        var edited = original.ReplaceSyntaxTree(original.SyntaxTrees.Last(), Parse(Registration("https://example.org/")));

        var shared = RegistrationsOf(original);
        Assert.Same(shared, RegistrationsOf(clone));
        Assert.Same(shared, RegistrationsOf(recreated));
        Assert.NotSame(shared, RegistrationsOf(edited));

        // Each compilation gets its own file's registration: the typed client's base address is the rate-limited API's, or not.
        Assert.Single(await RL0002InClientFileAsync(original));
        Assert.Empty(await RL0002InClientFileAsync(edited));
        Assert.Single(await RL0002InClientFileAsync(clone));
    }

    [Fact]
    public async Task An_edit_to_a_client_file_does_not_reuse_the_registrations_of_the_original()
    {
        var original = await CompilationAsync(Registration("https://example.org/"));
        Assert.Empty(await RL0002InClientFileAsync(original));

        // The registration file is the same tree, only the first file is new: a new snapshot all the same.
        var edited = original.ReplaceSyntaxTree(original.SyntaxTrees.First(), Parse(Client + "\n// edited\n"));
        var registrationEdited = edited.ReplaceSyntaxTree(edited.SyntaxTrees.Last(), Parse(Registration("https://api.archiva.app/")));
        Assert.NotSame(RegistrationsOf(original), RegistrationsOf(edited));
        Assert.Single(await RL0002InClientFileAsync(registrationEdited));
    }

    [Fact]
    public async Task Clones_of_a_compilation_share_the_call_name_index_and_an_edited_file_gets_its_own()
    {
        var original = await CompilationAsync(Registration("https://api.archiva.app/"));
        var clone = original.WithOptions(original.Options);
        var helper = RL0002Cases.Usings + """
            static class Helper
            {
                public static Task<string> FetchAsync(HttpClient client) => client.GetStringAsync("https://api.archiva.app/api/items");
            }
            """;
        var edited = original.ReplaceSyntaxTree(original.SyntaxTrees.Last(), Parse(helper));

        var shared = CallNamesOf(original);
        Assert.Same(shared, CallNamesOf(clone));
        Assert.False(shared.IsWorthFollowing("FetchAsync"));
        Assert.NotSame(shared, CallNamesOf(edited));
        Assert.True(CallNamesOf(edited).IsWorthFollowing("FetchAsync"));
    }

    private static CallNameIndex CallNamesOf(Compilation compilation) =>
        HttpKnowledge.For(compilation, s_options, CancellationToken.None)!.CallNamesForTesting(CancellationToken.None);

    private static object RegistrationsOf(Compilation compilation) =>
        HttpKnowledge.For(compilation, s_options, CancellationToken.None)!.Origins.RegistrationsForTesting(CancellationToken.None);

    private static async Task<Compilation> CompilationAsync(string registration)
    {
        var references = await TestProject.ReferencesAsync(CancellationToken.None);
        return CSharpCompilation.Create(
            "Snapshot",
            new[] { Parse(Client), Parse(registration) },
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
    }

    private static SyntaxTree Parse(string source) => CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest));

    /// <summary>RL0002 in the client's file alone, as the IDE asks for one file.</summary>
    private static async Task<ImmutableArray<Diagnostic>> RL0002InClientFileAsync(Compilation compilation)
    {
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(new RL0002RateLimitedEndpointWithoutRetryAnalyzer());
        var withAnalyzers = compilation.WithAnalyzers(analyzers, s_options);
        var model = compilation.GetSemanticModel(compilation.SyntaxTrees.First());
        var diagnostics = await withAnalyzers.GetAnalyzerSemanticDiagnosticsAsync(model, filterSpan: null, CancellationToken.None);
        return diagnostics.Where(d => d.Id == "RL0002").ToImmutableArray();
    }
}
