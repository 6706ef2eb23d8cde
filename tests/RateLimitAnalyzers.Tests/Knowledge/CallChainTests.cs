using System.Collections.Concurrent;
using System.Collections.Generic;
using RateLimitAnalyzers.Knowledge;
using Xunit;

namespace RateLimitAnalyzers.Tests.Knowledge;

/// <summary>
/// The chain of calls being followed (<see cref="CallChain"/>), on call graphs given as data: each method's answer is
/// computed once per question, however often the methods above it call it, also where nothing can be kept yet (a chain
/// cut at the depth bound, or one that comes back to where it started). The summaries' view of real chains is in
/// <see cref="CallDepthTests"/>.
/// </summary>
public class CallChainTests
{
    private const int Bound = 8;

    // Method i calls method i + 1 twice (two call sites), as octokit.net's transport and JSON layers do; the last method
    // of the graph sends, or calls the first again.
    private sealed class Graph
    {
        private readonly int _methods;
        private readonly bool _cycle;

        public Graph(int methods, bool cycle)
        {
            _methods = methods;
            _cycle = cycle;
        }

        public ConcurrentDictionary<int, bool> Memo { get; } = new();

        public Dictionary<int, int> Computed { get; } = new();

        public bool Sends(int method) => CallChain.Follow(Memo, method, counts: true, Bound, false, Compute);

        private bool Compute(int method)
        {
            Computed[method] = Computed.TryGetValue(method, out var times) ? times + 1 : 1;
            if (method == _methods - 1)
            {
                return !_cycle || Sends(0);
            }

            var first = Sends(method + 1);
            var second = Sends(method + 1);
            return first || second;
        }
    }

    [Fact]
    public void A_chain_cut_at_the_bound_computes_each_method_once_per_question()
    {
        var graph = new Graph(methods: 12, cycle: false);

        Assert.False(graph.Sends(0));

        // Methods 0 to 7 are reached (the eighth call is past the bound), each once: 2^8 - 1 computations without the
        // reuse of what a caller already asked.
        Assert.Equal(Bound, graph.Computed.Count);
        Assert.All(graph.Computed.Values, times => Assert.Equal(1, times));

        // Nothing of a cut chain is kept: asked from closer by, the send is found.
        Assert.True(graph.Sends(6));
    }

    [Fact]
    public void A_chain_that_comes_back_to_its_start_computes_each_method_once_and_keeps_every_answer()
    {
        var graph = new Graph(methods: 6, cycle: true);

        Assert.False(graph.Sends(0));
        Assert.Equal(6, graph.Computed.Count);
        Assert.All(graph.Computed.Values, times => Assert.Equal(1, times));

        // The cycle does nothing, so every answer computed on that assumption was kept.
        Assert.Equal(6, graph.Memo.Count);
        Assert.False(graph.Sends(3));
        Assert.All(graph.Computed.Values, times => Assert.Equal(1, times));
    }
}
