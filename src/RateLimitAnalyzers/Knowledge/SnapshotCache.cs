using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace RateLimitAnalyzers.Knowledge;

/// <summary>
/// Compilation-wide results that outlive one <see cref="Compilation"/> object: kept for as long as later compilations
/// have the very same syntax trees, references and options.
/// </summary>
/// <remarks>
/// When analysis runs file by file (the IDE, and <c>CompilationWithAnalyzers.GetAnalyzerSemanticDiagnosticsAsync(model, ...)</c>),
/// Roslyn hands each request a fresh clone of the compilation with the same tree and reference objects. A cache keyed
/// on the Compilation object would then redo its work for every file. Any edit makes a new tree object, so an entry
/// whose trees are compared by reference can never serve a stale result. What is stored must not hold anything
/// bound to one compilation (no ISymbol, IOperation or SemanticModel): syntax nodes and strings only.
/// At most <see cref="EntriesPerFirstTree"/> snapshots are kept per first tree (the current one and the one before an
/// edit elsewhere), and they go with that tree.
/// </remarks>
internal sealed class SnapshotCache<T>
    where T : class
{
    private const int EntriesPerFirstTree = 2;

    private readonly ConditionalWeakTable<SyntaxTree, Slots> _byFirstTree = new();

    /// <summary>
    /// The value for the compilation's snapshot, made by <paramref name="create"/> when none is kept. A value
    /// <paramref name="create"/> does not return (it was cancelled) is not kept. Concurrent callers for one snapshot wait
    /// for the first one's result rather than make it again; callers for other snapshots never wait for it (the lock
    /// that finds the entry is not held while a value is made).
    /// </summary>
    /// <param name="extra">Anything else the value depends on, compared by reference (the analyzer options).</param>
    public T GetOrCreate(Compilation compilation, object? extra, Func<T> create)
    {
        var trees = compilation.SyntaxTrees.ToImmutableArray();
        if (trees.IsEmpty)
        {
            return create();
        }

        var key = new Snapshot(trees, compilation.References.ToImmutableArray(), compilation.Options, extra);
        var slots = _byFirstTree.GetValue(trees[0], _ => new Slots());
        Entry? entry = null;
        lock (slots)
        {
            foreach (var candidate in slots.Entries)
            {
                if (candidate.Snapshot.SameAs(key))
                {
                    entry = candidate;
                    break;
                }
            }

            if (entry is null)
            {
                if (slots.Entries.Count == EntriesPerFirstTree)
                {
                    slots.Entries.RemoveAt(0);
                }

                entry = new Entry(key);
                slots.Entries.Add(entry);
            }
        }

        return entry.Value(create);
    }

    private sealed class Slots
    {
        public List<Entry> Entries { get; } = new();
    }

    private sealed class Entry(Snapshot snapshot)
    {
        private T? _value;

        public Snapshot Snapshot { get; } = snapshot;

        public T Value(Func<T> create)
        {
            if (Volatile.Read(ref _value) is { } made)
            {
                return made;
            }

            lock (this)
            {
                if (_value is null)
                {
                    Volatile.Write(ref _value, create());
                }

                return _value!;
            }
        }
    }

    private sealed class Snapshot(ImmutableArray<SyntaxTree> trees, ImmutableArray<MetadataReference> references, CompilationOptions options, object? extra)
    {
        public bool SameAs(Snapshot other) =>
            ReferenceEquals(options, other.Options)
            && ReferenceEquals(extra, other.Extra)
            && SameItems(trees, other.Trees)
            && SameItems(references, other.References);

        private ImmutableArray<SyntaxTree> Trees => trees;

        private ImmutableArray<MetadataReference> References => references;

        private CompilationOptions Options => options;

        private object? Extra => extra;

        private static bool SameItems<TItem>(ImmutableArray<TItem> a, ImmutableArray<TItem> b)
            where TItem : class
        {
            if (a.Length != b.Length)
            {
                return false;
            }

            for (var i = 0; i < a.Length; i++)
            {
                if (!ReferenceEquals(a[i], b[i]))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
