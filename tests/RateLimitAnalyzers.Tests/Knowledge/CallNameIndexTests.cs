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
        var cases = RL0001Cases.All.Concat(RL0002Cases.All).Concat(RL0003Cases.All).Concat(RL0004Cases.All).ToList();
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
}
