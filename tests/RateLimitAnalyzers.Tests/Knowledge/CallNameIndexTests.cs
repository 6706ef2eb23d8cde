using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using RateLimitAnalyzers.Knowledge;
using RateLimitAnalyzers.Tests.Rules;
using RateLimitAnalyzers.Tests.Verifiers;
using Xunit;

namespace RateLimitAnalyzers.Tests.Knowledge;

/// <summary>
/// The rules' gate reads a block's text for names (<see cref="CallNameIndex.MayCall"/>): it must pass every block whose
/// call names, read from the syntax, may involve a request, on every case of every rule.
/// </summary>
public class CallNameIndexTests
{
    private static readonly AnalyzerOptions s_options = new(ImmutableArray<AdditionalText>.Empty);

    [Fact]
    public async Task The_text_gate_passes_every_member_the_syntax_gate_passes_in_every_rule_case()
    {
        var references = await TestProject.ReferencesAsync(CancellationToken.None);
        var passed = 0;
        var cases = AllCases();
        foreach (var markup in cases)
        {
            TestFileMarkupParser.GetSpans(markup, out var source, out ImmutableDictionary<string, ImmutableArray<Microsoft.CodeAnalysis.Text.TextSpan>> _);
            var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest));
            var compilation = CSharpCompilation.Create("Gate", new[] { tree }, references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
            var knowledge = HttpKnowledge.For(compilation, s_options, CancellationToken.None)!;
            foreach (var member in tree.GetRoot().DescendantNodes().Where(n => n is MemberDeclarationSyntax and not BaseTypeDeclarationSyntax and not BaseNamespaceDeclarationSyntax))
            {
                if (knowledge.MayInvolveRequestsBySyntax(member, CancellationToken.None))
                {
                    passed++;
                    Assert.True(knowledge.MayInvolveRequests(member, CancellationToken.None), member.ToString());
                }
            }
        }

        // Not vacuous: the cases are full of members that send.
        Assert.True(passed > cases.Count / 2, passed + " members passed");
    }

    [Fact]
    public async Task A_file_is_passed_over_whole_only_when_none_of_its_members_passes_in_every_rule_case()
    {
        var references = await TestProject.ReferencesAsync(CancellationToken.None);
        var skipped = 0;
        var retryHelper = RL0001Cases.Usings + """
            static class Retries
            {
                // A retry helper of the user's: no name of a request, but it runs what its callers give it.
                public static async Task<T> Again<T>(System.Func<Task<T>> attempt)
                {
                    for (var i = 0; ; i++)
                    {
                        try { return await attempt(); } catch when (i < 3) { }
                    }
                }
            }
            """;
        var nothing = RL0001Cases.Usings + "class Text { /* client.SendAsync(request) */ public string Trim(string s) => s.Trim() + \"GetAsync\"; }";
        foreach (var source in AllCases().Select(markup => { TestFileMarkupParser.GetSpans(markup, out var text, out ImmutableDictionary<string, ImmutableArray<Microsoft.CodeAnalysis.Text.TextSpan>> _); return text; }).Append(retryHelper).Append(nothing))
        {
            var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest));
            var compilation = CSharpCompilation.Create("Gate", new[] { tree }, references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
            var knowledge = HttpKnowledge.For(compilation, s_options, CancellationToken.None)!;
            var anyPasses = tree.GetRoot().DescendantNodes().Any(n => n is MemberDeclarationSyntax and not BaseTypeDeclarationSyntax and not BaseNamespaceDeclarationSyntax && knowledge.MayInvolveRequests(n, CancellationToken.None));
            var filePasses = knowledge.MayInvolveRequests(tree, CancellationToken.None);
            Assert.True(filePasses || !anyPasses, source);
            Assert.Equal(source == retryHelper, source == retryHelper && anyPasses);
            skipped += filePasses ? 0 : 1;
        }

        // Not vacuous: the file of a comment and a string is passed over.
        Assert.True(skipped >= 1, skipped + " files passed over");
    }

    [Fact]
    public async Task Every_name_a_body_calls_by_its_syntax_is_read_from_its_text_in_every_rule_case()
    {
        var references = await TestProject.ReferencesAsync(CancellationToken.None);
        var bodies = 0;
        foreach (var markup in AllCases())
        {
            TestFileMarkupParser.GetSpans(markup, out var source, out ImmutableDictionary<string, ImmutableArray<Microsoft.CodeAnalysis.Text.TextSpan>> _);
            var (tree, index) = IndexOf(source, references);
            foreach (var body in tree.GetRoot().DescendantNodes().Where(n => n is BlockSyntax or ArrowExpressionClauseSyntax && n.Parent is BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax or AccessorDeclarationSyntax))
            {
                bodies++;
                var missed = CallNameIndex.CallNames(body).Except(index.CalledNames(body)).ToList();
                Assert.True(missed.Count == 0, "not read from the text: " + string.Join(", ", missed) + " in " + body);
            }
        }

        Assert.True(bodies > 300, bodies + " bodies");
    }

    [Fact]
    public async Task The_calls_by_a_name_found_from_the_text_are_the_calls_the_syntax_has_in_every_rule_case()
    {
        var references = await TestProject.ReferencesAsync(CancellationToken.None);
        var shapes = RL0001Cases.Usings + """
            class Shapes
            {
                private readonly System.Collections.Generic.List<int> _seen = new();
                private Shapes? _next;
                public static Task<T> Run<T>(System.Func<Task<T>> work) => work();
                public static Task Run(System.Func<Task> work) => work();
                public async Task All(HttpClient client)
                {
                    await Run(() => client.GetStringAsync("https://api.github.com/a"));
                    await Shapes.Run<string>(() => client.GetStringAsync("https://api.github.com/b"));
                    await (_next?.Again() ?? Task.CompletedTask);
                    await @Run(() => Task.CompletedTask);
                    var text = $"{await Run(() => client.GetStringAsync("https://api.github.com/c"))}";
                    System.Func<System.Func<Task>, Task> run = Run;
                    await run(() => Task.CompletedTask);
                    // Run(() => nothing) in a comment, and "Run(x)" in a string, are no calls.
                }

                public Task Again() => R\u0075n(() => Task.CompletedTask);
            }
            """;
        var names = 0;
        foreach (var source in AllCases().Select(markup => { TestFileMarkupParser.GetSpans(markup, out var text, out ImmutableDictionary<string, ImmutableArray<Microsoft.CodeAnalysis.Text.TextSpan>> _); return text; }).Append(shapes).Append(shapes.Replace("R\\u0075n(", "Run(")))
        {
            var (tree, index) = IndexOf(source, references);
            var bySyntax = tree.GetRoot().DescendantNodes().OfType<InvocationExpressionSyntax>().ToLookup(Operations.InvokedName);
            foreach (var name in tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().Select(m => m.Identifier.ValueText).Append("GetStringAsync").Distinct())
            {
                names++;
                Assert.Equal(bySyntax[name], index.CallsByName(tree, name, CancellationToken.None).OrderBy(call => call.SpanStart));
                Assert.Equal(bySyntax[name], index.CallsByName(new[] { tree }, name, CancellationToken.None).OrderBy(call => call.SpanStart));
            }
        }

        Assert.True(names > 300, names + " names");
    }

    [Theory]
    [InlineData("// await client.SendAsync(request);\n        return 0;")]
    [InlineData("/* client.GetStringAsync(url) */ return 0;")]
    [InlineData("Log(\"retrying GetStringAsync(url) \\\" later\"); return 0;")]
    [InlineData("Log(@\"GetStringAsync(\"\"url\"\")\"); return 0;")]
    [InlineData("Log(\"\"\"\n            GetStringAsync(\"url\")\n            \"\"\"); return 0;")]
    [InlineData("Log($\"{url} GetStringAsync {{ SendAsync }}\"); return '\"';")]
    [InlineData("/// <see cref=\"HttpClient.SendAsync\"/>\n        return 0;")]
    public async Task A_name_in_a_comment_or_a_literal_lets_nothing_through(string statements)
    {
        var member = await MemberAsync("int Run(HttpClient client, HttpRequestMessage request, string url) { " + statements + " }");
        Assert.False(member.Knowledge.MayInvolveRequests(member.Node, CancellationToken.None), member.Node.ToString());
        Assert.False(member.Knowledge.MayInvolveRequestsBySyntax(member.Node, CancellationToken.None), member.Node.ToString());
    }

    [Theory]
    [InlineData("return await client.@SendAsync(request);")]
    [InlineData("return await client. /* then */ SendAsync /* now */ (request);")]
    [InlineData("return await client.\\u0053endAsync(request);")]
    [InlineData("Log($\"{url}: {await client.GetStringAsync(url)}\"); return null!;")]
    [InlineData("Log($@\"{(url is null ? \"none\" : await client.GetStringAsync(url))}\"); return null!;")]
    [InlineData("Log($$\"\"\"{ {{await client.GetStringAsync(url)}} }\"\"\"); return null!;")]
    [InlineData("Func<Task<string>> send = () => client.GetStringAsync(url); await send(); return null!;")]
    [InlineData("return await Local(); async Task<HttpResponseMessage> Local() => await client.SendAsync(request);")]
    [InlineData("var text = await client.GetFromJsonAsync<List<int /* ids */>>(url); return null!;")]
    [InlineData("\n#if NEVER\n        var open = @\"never closed\n#endif\n        return await client.SendAsync(request);")]
    [InlineData("\n#if NEVER\n        /* never closed\n#endif\n        return await client.SendAsync(request);")]
    [InlineData("\n#if NEVER\n        var open = $$\"\"\"never {{closed}}\n#endif\n        return await client.SendAsync(request);")]
    public async Task A_send_in_any_shape_of_code_lets_its_member_through(string statements)
    {
        var member = await MemberAsync("async Task<HttpResponseMessage> Run(HttpClient client, HttpRequestMessage request, string url) { " + statements + " }");
        Assert.True(member.Knowledge.MayInvolveRequests(member.Node, CancellationToken.None), member.Node.ToString());
    }

    [Theory]
    [InlineData("Task<string> Fetch(string url) => Task.Run(() => _client.GetStringAsync(url));")]
    [InlineData("Task<string> Fetch(string url) { return Get(); Task<string> Get() => _client.GetStringAsync(url); }")]
    [InlineData("Task<List<int>?> Fetch(string url) => _client.GetFromJsonAsync<List<int>> /* ids */ (url);")]
    [InlineData("Task<string> Fetch(string url) => _client.@GetStringAsync(url);")]
    public async Task A_method_that_sends_in_a_lambda_a_local_function_or_a_generic_call_is_worth_following(string method)
    {
        var index = (await MemberAsync(method + " string Other() => \"GetStringAsync(x)\"; // _client.GetStringAsync(x)")).Index;
        Assert.True(index.IsWorthFollowing("Fetch"), method);
        Assert.False(index.IsWorthFollowing("Other"));
    }

    [Theory]
    [InlineData("Log(nameof(url));")]
    [InlineData("var list = new List<int /* ids */> { 1 }; var map = new System.Collections.Generic.Dictionary<string, int>(); var o = new object();")]
    [InlineData("await foreach (var page in Pages()) { } async IAsyncEnumerable<int> Pages() { yield return await Task.FromResult(1); }")]
    [InlineData("var text = $\"{Check(url) + \"}\"}\"; var raw = $$\"\"\"{{Check(url)}}\"\"\"; bool Check(string s) => s.Length > 0;")]
    [InlineData("var c = '\"'; Func<string, bool> f = x => x.@StartsWith(\"a\"); f(url);")]
    public async Task The_names_read_from_a_body_s_text_hold_every_name_its_syntax_calls(string statements)
    {
        var member = await MemberAsync("async Task<HttpResponseMessage> Run(HttpClient client, HttpRequestMessage request, string url) { " + statements + " return null!; }");
        var body = ((MethodDeclarationSyntax)member.Node).Body!;
        var fromSyntax = CallNameIndex.CallNames(body);
        Assert.NotEmpty(fromSyntax);
        Assert.Empty(fromSyntax.Except(member.Index.CalledNames(body)));
    }

    [Fact]
    public async Task A_library_s_own_Run_and_what_calls_it_are_not_followed()
    {
        // A library like octokit.net references no RestSharp; where RestSharp is referenced, x.Get(...) may be its send
        // by name, and the gate passes it (VocabularyTests).
        var references = (await TestProject.ReferencesAsync(CancellationToken.None)).Where(r => r.Display?.Contains("RestSharp") != true);
        var tree = CSharpSyntaxTree.ParseText(RL0001Cases.Usings + """
            class Connection
            {
                public Task<string> Run(string path) => Task.FromResult(path);
                public Task<string> Get(string path) => Run(path);
            }
            class Users
            {
                private readonly Connection _connection = new Connection();
                public Task<string> Find(string id) => _connection.Get("users/" + id);
                public int Count(System.Collections.Generic.List<string> names) { names.Add("x"); return names.Count; }
            }
            """, new CSharpParseOptions(LanguageVersion.Latest));
        var compilation = CSharpCompilation.Create("Library", new[] { tree }, references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var index = HttpKnowledge.For(compilation, s_options, CancellationToken.None)!.CallNamesForTesting(CancellationToken.None);

        // The runtime's Run seeds only through RateLimitedSend: a library's own Run, and what calls it, are not followed.
        Assert.False(index.IsWorthFollowing("Run"));
        Assert.False(index.IsWorthFollowing("Get"));
        Assert.False(index.IsWorthFollowing("Find"));
    }

    private static System.Collections.Generic.List<string> AllCases() =>
        RL0001Cases.All.Concat(RL0002Cases.All).Concat(RL0003Cases.All).Concat(RL0004Cases.All)
            .Concat(RL0005Cases.All).Concat(RL0006Cases.All).Concat(RL0007Cases.All).Concat(RL0008Cases.All).ToList();

    private static (SyntaxTree Tree, CallNameIndex Index) IndexOf(string source, System.Collections.Generic.IEnumerable<MetadataReference> references)
    {
        var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest));
        var compilation = CSharpCompilation.Create("Gate", new[] { tree }, references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        return (tree, HttpKnowledge.For(compilation, s_options, CancellationToken.None)!.CallNamesForTesting(CancellationToken.None));
    }

    // One member, in a class with an HttpClient field and a Log method, and the knowledge and index of its compilation.
    private static async Task<(HttpKnowledge Knowledge, CallNameIndex Index, MemberDeclarationSyntax Node)> MemberAsync(string member)
    {
        var references = await TestProject.ReferencesAsync(CancellationToken.None);
        var tree = CSharpSyntaxTree.ParseText(
            RL0001Cases.Usings + "class Client\n{\n    private readonly HttpClient _client = new HttpClient();\n    static void Log(string text) { }\n    " + member + "\n}\n",
            new CSharpParseOptions(LanguageVersion.Latest));
        var compilation = CSharpCompilation.Create("Gate", new[] { tree }, references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var knowledge = HttpKnowledge.For(compilation, s_options, CancellationToken.None)!;
        var node = tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().First(m => m.Identifier.ValueText is "Run" or "Fetch");
        return (knowledge, knowledge.CallNamesForTesting(CancellationToken.None), node);
    }
}
