using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;

namespace RateLimitAnalyzers.Tests.Verifiers;

/// <summary>
/// What the consumer's code sent, and every turn its pacing took and under which key, in the order it happened.
/// </summary>
internal sealed class RequestRecord
{
    /// <summary>Stands for the end of the record in <see cref="Requests"/>, when turns were taken after the last request.</summary>
    public const string NoRequest = "(no request)";

    private readonly object _gate = new();
    private readonly List<(string? TurnKey, string? Request)> _events = new();

    public void Turn(string key)
    {
        lock (_gate)
        {
            _events.Add((key, null));
        }
    }

    public void Request(string methodAndUrl)
    {
        lock (_gate)
        {
            _events.Add((null, methodAndUrl));
        }
    }

    /// <summary>Each request with the turns taken since the request before it, in order.</summary>
    public IReadOnlyList<(string Request, IReadOnlyList<string> TurnsBefore)> Requests()
    {
        lock (_gate)
        {
            var requests = new List<(string, IReadOnlyList<string>)>();
            var turns = new List<string>();
            foreach (var (turnKey, request) in _events)
            {
                if (turnKey is not null)
                {
                    turns.Add(turnKey);
                    continue;
                }

                requests.Add((request!, turns));
                turns = new List<string>();
            }

            if (turns.Count > 0)
            {
                requests.Add((NoRequest, turns));
            }

            return requests;
        }
    }

    public IReadOnlyList<string> Turns()
    {
        lock (_gate)
        {
            return _events.Where(e => e.TurnKey is not null).Select(e => e.TurnKey!).ToList();
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _events.Clear();
        }
    }
}

/// <summary>
/// Stands in, for the keys given, for the pacers every copy of the emitted runtime shares in the process: the runtime
/// keeps them in an AppDomain slot of handles made of BCL delegates (<c>SharedPacers</c>), so that a copy compiled
/// into another assembly takes its turns through the handle of the copy that asked for the key first. Registering a
/// handle here first makes the consumer's copy take every turn of that key through it: the turn is granted at once
/// and recorded with its key, so a run neither waits nor depends on the machine's speed. Keys the consumer's code
/// asks for that were not expected get a pacer of the consumer's own runtime, which <see cref="UnexpectedKeys"/> lists.
/// </summary>
internal sealed class RecordedPacers : IDisposable
{
    private readonly ConcurrentDictionary<string, WeakReference> _all;
    private readonly HashSet<string> _keysBefore;
    private readonly Dictionary<string, IDictionary<string, object>> _handles = new(StringComparer.Ordinal);

    /// <param name="runtime">An assembly the emitted runtime is compiled into; its own copy names the slot.</param>
    public RecordedPacers(Assembly runtime, RequestRecord record, IEnumerable<string> keys)
    {
        var sharedPacers = runtime.GetType("RateLimitAnalyzers.Pacing.SharedPacers", throwOnError: true)!;
        var slot = (string)sharedPacers.GetField("SlotName", BindingFlags.NonPublic | BindingFlags.Static)!.GetRawConstantValue()!;
        var domain = AppDomain.CurrentDomain;
        Tuple<ConcurrentDictionary<string, WeakReference>, ConcurrentDictionary<string, IDictionary<string, object>>> table;

        // The runtime locks the domain around the same look-up, so the two never create two tables.
        lock (domain)
        {
            table = domain.GetData(slot) as Tuple<ConcurrentDictionary<string, WeakReference>, ConcurrentDictionary<string, IDictionary<string, object>>>
                ?? Tuple.Create(new ConcurrentDictionary<string, WeakReference>(StringComparer.Ordinal), new ConcurrentDictionary<string, IDictionary<string, object>>(StringComparer.Ordinal));
            domain.SetData(slot, table);
        }

        _all = table.Item1;
        _keysBefore = _all.Keys.ToHashSet(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            var handle = Handle(key, record);
            if (!_all.TryAdd(key, new WeakReference(handle)))
            {
                throw new InvalidOperationException("Another pacer already has the key " + key + " in this process.");
            }

            _handles.Add(key, handle);
        }
    }

    /// <summary>The windows the consumer's code declared for <paramref name="key"/>, as (limit, window) pairs.</summary>
    public IReadOnlyList<KeyValuePair<int, TimeSpan>> WindowsOf(string key) =>
        ((Func<KeyValuePair<int, TimeSpan>[]>)_handles[key]["Windows"])();

    /// <summary>Keys the run created a pacer for that were not expected.</summary>
    public IReadOnlyList<string> UnexpectedKeys() =>
        _all.Keys.Where(k => !_keysBefore.Contains(k) && !_handles.ContainsKey(k)).OrderBy(k => k, StringComparer.Ordinal).ToList();

    public void Dispose()
    {
        foreach (var key in _all.Keys.Where(k => !_keysBefore.Contains(k)).ToList())
        {
            _all.TryRemove(key, out _);
        }
    }

    private static IDictionary<string, object> Handle(string key, RequestRecord record)
    {
        var gate = new object();
        var windows = new List<KeyValuePair<int, TimeSpan>>();
        Func<TimeSpan?> tryTakeTurn = () =>
        {
            record.Turn(key);
            return null;
        };
        Func<TimeSpan, CancellationToken, Task<Tuple<TimeSpan, TimeSpan>?>> waitTurnAsync = (_, _) =>
        {
            record.Turn(key);
            return Task.FromResult<Tuple<TimeSpan, TimeSpan>?>(null);
        };
        Action<KeyValuePair<int, TimeSpan>[]> addWindows = added =>
        {
            lock (gate)
            {
                windows.AddRange(added.Where(w => !windows.Contains(w)));
            }
        };
        Func<KeyValuePair<int, TimeSpan>[]> windowsOf = () =>
        {
            lock (gate)
            {
                return windows.ToArray();
            }
        };
        TimeSpan? margin = null;
        return new Dictionary<string, object>(StringComparer.Ordinal)
        {
            // Not the consumer runtime's RequestPacer: its copy reaches this key through the delegates below.
            ["Pacer"] = new object(),
            ["Views"] = new ConcurrentDictionary<Type, object>(),
            ["TryTakeTurn"] = tryTakeTurn,
            ["WaitTurnAsync"] = waitTurnAsync,
            ["PauseFor"] = (Action<TimeSpan>)(_ => { }),
            ["Learn"] = (Action<KeyValuePair<int, TimeSpan>[], int?, TimeSpan?, TimeSpan>)((_, _, _, _) => { }),
            ["HoldUntil"] = (Action<TimeSpan, TimeSpan>)((_, _) => { }),
            ["Windows"] = windowsOf,
            ["AddWindows"] = addWindows,
            ["ArrivalMargin"] = (Func<TimeSpan?>)(() => margin),
            ["SetArrivalMargin"] = (Action<TimeSpan?>)(value => margin = value),
            ["LetGoIfIdle"] = (Action)(() => { }),
        };
    }
}
