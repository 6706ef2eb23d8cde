using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using RateLimitAnalyzers.Knowledge;
using RateLimitAnalyzers.Tests.Verifiers;
using Xunit;

namespace RateLimitAnalyzers.Tests.Knowledge;

/// <summary>
/// How deep the summaries follow calls into the user's methods (realcode-patterns.md M-6): as deep as real SDKs layer
/// them, once per method whatever the order questions come in, through recursion, and no deeper than the bound.
/// The rules' view of the same chains is in the M-6 cases of RL0001Cases.
/// </summary>
public class CallDepthTests
{
    // Each probe calls one method of a chain; the chain ends in a send, or, in a cycle, somewhere in it.
    private const string Cycles = """
        using System.Net.Http;
        using System.Threading.Tasks;
        class Api
        {
            private readonly HttpClient _client = new();
            // R -> J -> M -> J: the send is in J, which the chain comes back to.
            public Task<string> RAsync(int n) => JAsync(n);
            internal async Task<string> JAsync(int n) => n > 0 ? await MAsync(n - 1) : await _client.GetStringAsync("https://api.example.com/v1/items");
            internal Task<string> MAsync(int n) => JAsync(n);
            // A <-> B with the send at the end of a tail from B.
            public Task<string> AAsync(int n) => n > 0 ? BAsync(n - 1) : Task.FromResult("");
            internal Task<string> BAsync(int n) => n % 2 == 0 ? AAsync(n) : TailAsync();
            private Task<string> TailAsync() => _client.GetStringAsync("https://api.example.com/v1/tail");
            // C <-> D that never sends, though its names lead to one that does (TailAsync).
            public string C(int n) => n > 0 ? D(n - 1) : "";
            internal string D(int n) => n > 5 ? C(n) : nameof(TailAsync);
        }
        class Probes
        {
            void R(Api a) => a.RAsync(1);
            void J(Api a) => a.JAsync(1);
            void M(Api a) => a.MAsync(1);
            void A(Api a) => a.AAsync(1);
            void B(Api a) => a.BAsync(1);
            void C(Api a) => a.C(1);
            void D(Api a) => a.D(1);
        }
        """;

    public static TheoryData<string> Orders => new()
    {
        "R J M A B C D",
        "M J R B A D C",
        "J M R D C B A",
    };

    [Theory]
    [MemberData(nameof(Orders))]
    public async Task A_summary_is_the_same_whichever_method_of_a_cycle_is_asked_first(string order)
    {
        var (knowledge, calls) = await ProbesAsync(Cycles);
        var sends = order.Split(' ').ToDictionary(probe => probe, probe => knowledge.AsSend(calls[probe], CancellationToken.None) is not null);

        Assert.Equal(
            new Dictionary<string, bool> { ["R"] = true, ["J"] = true, ["M"] = true, ["A"] = true, ["B"] = true, ["C"] = false, ["D"] = false },
            sends);
    }

    [Fact]
    public async Task A_summary_computed_on_a_wrong_assumption_inside_a_cycle_is_not_kept()
    {
        // R -> J -> M, and M -> J, M -> R. J waits on every path, so M, which calls J on every path, paces too; R does
        // not (it may skip J). Asked from R first, M is computed while J is assumed to do nothing, which J disproves.
        var (knowledge, calls) = await ProbesAsync("""
            using System.Threading.Tasks;
            class Pacer
            {
                public async Task R(bool b) { if (b) await J(1); }
                internal async Task J(int n) { await Task.Delay(100); if (n > 0) await M(n - 1); }
                internal async Task M(int n) { await J(n); await R(false); }
            }
            class Probes
            {
                void R(Pacer p) => p.R(true);
                void M(Pacer p) => p.M(1);
                void J(Pacer p) => p.J(1);
            }
            """);

        Assert.False(knowledge.IsPacing(calls["R"], CancellationToken.None));
        Assert.True(knowledge.IsPacing(calls["M"], CancellationToken.None));
        Assert.True(knowledge.IsPacing(calls["J"], CancellationToken.None));
    }

    // A chain of eight methods of the user's ends in a send; Level9 calls the top of it, one more than the bound. A
    // method of another class that shares a name in the chain and sends lets the name index pass the whole chain, so
    // that the summaries' own bound is what cuts it.
    private static string Chain()
    {
        var levels = new List<string>();
        for (var level = 1; level <= 9; level++)
        {
            var next = level == 1 ? "_client.GetStringAsync(\"https://api.example.com/v1/items\")" : $"Level{level - 1}()";
            levels.Add($"    public Task<string> Level{level}() => {next};");
        }

        return $$"""
            using System.Net.Http;
            using System.Threading.Tasks;
            class Api
            {
                private readonly HttpClient _client = new();
            {{string.Join("\n", levels)}}
            }
            class Decoy
            {
                private readonly HttpClient _client = new();
                public Task<string> Level2() => _client.GetStringAsync("https://api.example.com/v1/decoy");
            }
            class Probes
            {
                void Nine(Api a) => a.Level9();
                void Eight(Api a) => a.Level8();
                void Four(Api a) => a.Level4();
                string Once(Api a) => a.Level5().Result;
                void Paging(Api a) { for (var page = 0; page < 3; page++) _ = a.Level5().Result; }
                string Near(Api a) => a.Level3().Result;
            }
            """;
    }

    [Fact]
    public async Task A_send_is_followed_as_deep_as_the_bound_and_no_deeper_and_a_cut_chain_keeps_nothing()
    {
        Assert.Equal(8, HttpKnowledge.MaxCallDepth);
        var (knowledge, calls) = await ProbesAsync(Chain());

        // Asked from nine calls up first, the chain is cut before its last method; what was computed on the way must
        // not be kept, or the questions from eight and four calls up would be answered from it.
        Assert.Null(knowledge.AsSend(calls["Nine"], CancellationToken.None));
        Assert.NotNull(knowledge.AsSend(calls["Eight"], CancellationToken.None));
        Assert.NotNull(knowledge.AsSend(calls["Four"], CancellationToken.None));
    }

    [Fact]
    public async Task Only_code_that_repeats_requests_passes_the_gate_on_a_send_deeper_than_three_calls()
    {
        var (knowledge, calls) = await ProbesAsync(Chain());
        bool Passes(string probe) => knowledge.MayInvolveRequests(calls[probe].Syntax.FirstAncestorOrSelf<MethodDeclarationSyntax>()!, CancellationToken.None);

        // An HTTP library reaches a send seven calls down from almost every method: only loops and fan-outs need that depth.
        Assert.False(Passes("Once"));
        Assert.True(Passes("Paging"));
        Assert.True(Passes("Near"));
    }

    private static async Task<(HttpKnowledge Knowledge, Dictionary<string, IInvocationOperation> Calls)> ProbesAsync(string source)
    {
        var (compilation, knowledge) = await TestProject.KnowledgeAsync(source);
        var tree = compilation.SyntaxTrees.Single();
        var model = compilation.GetSemanticModel(tree);
        var calls = tree.GetRoot().DescendantNodes().OfType<ClassDeclarationSyntax>().Single(c => c.Identifier.ValueText == "Probes")
            .Members.OfType<MethodDeclarationSyntax>()
            .ToDictionary(m => m.Identifier.ValueText, m => (IInvocationOperation)model.GetOperation(m.DescendantNodes().OfType<InvocationExpressionSyntax>().Single())!);
        return (knowledge, calls);
    }
}
