using System;
using System.Collections.Concurrent;
using System.Collections.Generic;

namespace RateLimitAnalyzers.Knowledge;

/// <summary>
/// The calls being followed on this thread, outermost first: what lets a method's summary be composed from its
/// callees' summaries, each computed once per compilation, however deep the chain and whatever the recursion.
/// </summary>
/// <remarks>
/// <para>A method met again while its own summary is being computed (recursion, mutual recursion) counts as doing
/// nothing there: a chain that comes back to where it started adds nothing the first pass does not see. A summary
/// computed under that assumption is kept only once it is known to be right: when the method the chain came back to
/// is finished and does nothing after all (a recursive tree walk that sends nothing); otherwise it is computed again
/// when next asked, as the start of its own chain. Within one question, a caller that asks again gets the answer it
/// was given the first time, the chain above being the same. Every kept summary is therefore the same whichever method was
/// asked about first.</para>
/// <para>The depth bound is a safety net for pathological code, not the model: a chain cut there keeps nothing, so a
/// later question asked from closer by is answered in full. Only beyond the bound can an answer depend on what was asked
/// before: a chain longer than the bound may be seen whole once a summary near its end has been kept.</para>
/// </remarks>
internal sealed class CallChain
{
    [ThreadStatic]
    private static CallChain? t_current;

    private readonly List<Frame> _frames = new();

    // Summaries computed under the assumption that a method still on the chain does nothing, waiting to be kept or dropped.
    private readonly List<Action> _pending = new();
    private int _depth;

    /// <summary>
    /// The memoised result for <paramref name="key"/>, computed now if need be. <paramref name="nothing"/> is the answer
    /// for a key already on the chain or past <paramref name="maxDepth"/> calls. A frame that does not
    /// <paramref name="counts"/> as a call (an interface method standing for its implementations) is free.
    /// </summary>
    public static TResult Follow<TKey, TResult>(
        ConcurrentDictionary<TKey, TResult> memo, TKey key, bool counts, int maxDepth, TResult nothing, Func<TKey, TResult> compute)
    {
        if (memo.TryGetValue(key, out var known))
        {
            return known;
        }

        var chain = t_current ??= new CallChain();
        var onChain = chain.IndexOf(memo, key);
        if (onChain >= 0)
        {
            chain.DependsOn(onChain);
            return nothing;
        }

        if (counts && chain._depth >= maxDepth)
        {
            chain.DependsOn(-1);
            return nothing;
        }

        return chain.Reuse(memo, key, out TResult computed) ? computed : chain.Compute(memo, key, counts, nothing, compute);
    }

    // A result not kept yet, asked again by the same caller (a method that calls another twice): the chain above is the
    // same, so is the answer. Without this, each call of a chain that is cut or comes back to itself was computed anew
    // per call site, and a chain of methods each calling the next twice took 2^depth summaries (octokit.net: 2,304 for
    // 35 methods, tests/benchmarks.md).
    private bool Reuse<TKey, TResult>(ConcurrentDictionary<TKey, TResult> memo, TKey key, out TResult result)
    {
        if (_frames.Count > 0 && _frames[_frames.Count - 1].Computed is { } computed)
        {
            foreach (var known in computed)
            {
                if (IsCall(known.Memo, known.Key, memo, key))
                {
                    DependsOn(known.DependsOn);
                    result = (TResult)known.Result!;
                    return true;
                }
            }
        }

        result = default!;
        return false;
    }

    private TResult Compute<TKey, TResult>(ConcurrentDictionary<TKey, TResult> memo, TKey key, bool counts, TResult nothing, Func<TKey, TResult> compute)
    {
        var index = _frames.Count;
        var pendingStart = _pending.Count;
        _frames.Add(new Frame(memo, key!));
        _depth += counts ? 1 : 0;
        TResult result;
        int dependsOn;
        try
        {
            result = compute(key);
        }
        catch
        {
            _pending.RemoveRange(pendingStart, _pending.Count - pendingStart);
            throw;
        }
        finally
        {
            dependsOn = _frames[index].DependsOn;
            _frames.RemoveAt(index);
            _depth -= counts ? 1 : 0;
        }

        var doesNothing = EqualityComparer<TResult>.Default.Equals(result, nothing);
        if (dependsOn >= index)
        {
            // Right whatever the chain above: the summaries computed on the assumption that this one does nothing are
            // right too when it indeed does nothing.
            if (doesNothing)
            {
                for (var i = pendingStart; i < _pending.Count; i++)
                {
                    _pending[i]();
                }
            }

            _pending.RemoveRange(pendingStart, _pending.Count - pendingStart);
            memo.TryAdd(key, result);
        }
        else if (index > 0)
        {
            // Computed on the assumption that a method further up does nothing: kept if that holds. What was computed
            // inside on the assumption that this one does nothing is wrong if it does something.
            if (!doesNothing)
            {
                _pending.RemoveRange(pendingStart, _pending.Count - pendingStart);
            }

            _pending.Add(() => memo.TryAdd(key, result));
            (_frames[index - 1].Computed ??= new List<Answer>()).Add(new Answer(memo, key!, result, dependsOn));
            DependsOn(dependsOn);
        }
        else
        {
            // Cut at the depth bound: nothing computed on the way is kept.
            _pending.Clear();
        }

        return result;
    }

    private int IndexOf<TKey, TResult>(ConcurrentDictionary<TKey, TResult> memo, TKey key)
    {
        for (var i = _frames.Count - 1; i >= 0; i--)
        {
            if (IsCall(_frames[i].Memo, _frames[i].Key, memo, key))
            {
                return i;
            }
        }

        return -1;
    }

    // Whether a frame or a kept-back answer is the call of this key in this memo.
    private static bool IsCall<TKey>(object memo, object key, object wantedMemo, TKey wantedKey) =>
        ReferenceEquals(memo, wantedMemo) && key is TKey same && EqualityComparer<TKey>.Default.Equals(same, wantedKey);

    // The innermost frame's result rests on the frame at this index (-1: on the depth bound) doing nothing.
    private void DependsOn(int index)
    {
        if (_frames.Count > 0)
        {
            var top = _frames[_frames.Count - 1];
            top.DependsOn = Math.Min(top.DependsOn, index);
        }
    }

    // Frame and Answer are classes: a generic collection of a value type of ours is compiled by the JIT in every build
    // that loads the package.
    private sealed class Frame(object memo, object key)
    {
        public object Memo { get; } = memo;

        public object Key { get; } = key;

        /// <summary>The outermost frame the result rests on doing nothing (-1: the depth bound); none yet: <see cref="int.MaxValue"/>.</summary>
        public int DependsOn { get; set; } = int.MaxValue;

        /// <summary>What the frame's own calls gave that could not be kept yet, with the frame each rests on.</summary>
        public List<Answer>? Computed { get; set; }
    }

    // A method has few calls whose answers cannot be kept yet, so a list of them is searched.
    private sealed record Answer(object Memo, object Key, object? Result, int DependsOn);
}
