using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace RateLimitAnalyzers.Pacing
{
    /// <summary>
    /// The pacers shared under a key (<see cref="RequestPacer.Shared"/>): one per key for the whole process, even
    /// when several assemblies each compiled their own copy of this runtime.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The generator emits the runtime into every project that uses it, so an application and a library each have
    /// their own <see cref="RequestPacer"/> type, and a static table of either would give one key two quotas. The
    /// table lives instead in an AppDomain data slot and holds BCL types only: for each key, a handle (a dictionary
    /// of delegates, see <see cref="Link"/>) to the pacer of whichever copy asked for the key first. Callers of
    /// other copies take their turns through those delegates, in the same line as everyone else's, and their
    /// Retry-After pauses and learned quotas reach the same pacer. The slot's name carries the version of that
    /// handle; a copy that speaks another version keeps a table of its own.
    /// </para>
    /// <para>
    /// The table holds a key's pacer strongly only while it still holds something back (a turn inside a window, a
    /// pause, a remaining count, a waiter); after that, only as long as some caller holds the pacer. So keys no one
    /// uses any more are released, and a caller that kept its pacer keeps the one every new caller gets.
    /// </para>
    /// </remarks>
    internal static class SharedPacers
    {
        private const string SlotName = "RateLimitAnalyzers.Pacing.SharedPacers/1";

        // Between sweeps for released keys, so that a process that makes policies for ever new keys stays bounded.
        private const int LookupsPerSweep = 256;

        private const string PacerEntry = "Pacer";
        private const string ViewsEntry = "Views";

        private static readonly Tuple<ConcurrentDictionary<string, WeakReference>, ConcurrentDictionary<string, IDictionary<string, object>>> s_table = FindOrCreateTable();
        private static int s_lookups;

        /// <summary>Every key with a handle, held or not.</summary>
        private static ConcurrentDictionary<string, WeakReference> All
        {
            get { return s_table.Item1; }
        }

        /// <summary>The keys whose pacers hold something back, so they stay even when no caller holds them.</summary>
        private static ConcurrentDictionary<string, IDictionary<string, object>> Held
        {
            get { return s_table.Item2; }
        }

        /// <summary>The pacer of <paramref name="key"/>, as this copy of the runtime sees it, with <paramref name="windows"/> added.</summary>
        public static RequestPacer Get(string key, QuotaWindow[] windows)
        {
            if (Interlocked.Increment(ref s_lookups) % LookupsPerSweep == 0)
            {
                Sweep();
            }

            while (true)
            {
                var handle = Find(key);
                if (handle == null)
                {
                    var created = RequestPacer.CreateShared(key, windows);
                    if (All.TryAdd(key, new WeakReference(created.Handle)))
                    {
                        return created;
                    }

                    continue;
                }

                var pacer = handle[PacerEntry] as RequestPacer;
                if (pacer == null)
                {
                    // The key's pacer belongs to another copy of the runtime: this copy's callers reach it through a link.
                    var views = (ConcurrentDictionary<Type, object>)handle[ViewsEntry];
                    pacer = (RequestPacer)views.GetOrAdd(typeof(RequestPacer), _ => RequestPacer.CreateLinked(key, new Link(key, handle)));
                }

                pacer.AddMissingWindows(windows);
                return pacer;
            }
        }

        /// <summary>Whether the table still has <paramref name="key"/>.</summary>
        internal static bool Has(string key)
        {
            return Find(key) != null;
        }

        /// <summary>Lets go of the pacers that hold nothing back, and forgets the keys whose pacers no one holds.</summary>
        internal static void Sweep()
        {
            foreach (var held in Held)
            {
                ((Action)held.Value["LetGoIfIdle"])();
            }

            foreach (var entry in All)
            {
                if (!entry.Value.IsAlive)
                {
                    ((ICollection<KeyValuePair<string, WeakReference>>)All).Remove(entry);
                }
            }
        }

        /// <summary>The handle other copies of the runtime reach <paramref name="pacer"/> by: BCL types only.</summary>
        internal static IDictionary<string, object> CreateHandle(RequestPacer pacer)
        {
            Func<TimeSpan?> tryTakeTurn = () =>
            {
                TimeSpan retryAfter;
                return pacer.TryTakeTurn(out retryAfter) ? (TimeSpan?)null : retryAfter;
            };
            Func<TimeSpan, CancellationToken, Task<Tuple<TimeSpan, TimeSpan>>> waitTurnAsync = async (maxWait, cancellationToken) =>
            {
                try
                {
                    await pacer.WaitTurnAsync(maxWait, cancellationToken).ConfigureAwait(false);
                    return null;
                }
                catch (PacingDeadlineExceededException exception)
                {
                    return Tuple.Create(exception.RequiredWait, exception.MaxWait);
                }
            };
            Action<KeyValuePair<int, TimeSpan>[], int?, TimeSpan?, TimeSpan> learn = (windows, remaining, reset, longestHold) =>
                pacer.Learn(FromPairs(windows), remaining, reset, longestHold);
            Action<TimeSpan, TimeSpan> holdUntil = (grantedAgo, respondedAgo) =>
            {
                var now = pacer.Now;
                pacer.HoldUntil(now - grantedAgo, now - respondedAgo);
            };
            Func<KeyValuePair<int, TimeSpan>[]> windowsOf = () => ToPairs(pacer.Windows);
            Action<KeyValuePair<int, TimeSpan>[]> addWindows = windows => pacer.AddMissingWindows(FromPairs(windows));
            Func<TimeSpan?> arrivalMargin = () => pacer.ArrivalMargin;
            Action<TimeSpan?> setArrivalMargin = margin => pacer.ArrivalMargin = margin;
            Action letGoIfIdle = pacer.LetGoIfIdle;
            Action<TimeSpan> pauseFor = pacer.PauseFor;
            return new Dictionary<string, object>(StringComparer.Ordinal)
            {
                { PacerEntry, pacer },
                { ViewsEntry, new ConcurrentDictionary<Type, object>() },
                { "TryTakeTurn", tryTakeTurn },
                { "WaitTurnAsync", waitTurnAsync },
                { "PauseFor", pauseFor },
                { "Learn", learn },
                { "HoldUntil", holdUntil },
                { "Windows", windowsOf },
                { "AddWindows", addWindows },
                { "ArrivalMargin", arrivalMargin },
                { "SetArrivalMargin", setArrivalMargin },
                { "LetGoIfIdle", letGoIfIdle },
            };
        }

        /// <summary>Under the pacer's gate: it holds something back, so the table keeps it even when no caller does.</summary>
        internal static void Hold(string key, IDictionary<string, object> handle)
        {
            Held[key] = handle;
        }

        /// <summary>Under the pacer's gate: it holds nothing back, so only its callers keep it.</summary>
        internal static void LetGo(string key, IDictionary<string, object> handle)
        {
            ((ICollection<KeyValuePair<string, IDictionary<string, object>>>)Held).Remove(new KeyValuePair<string, IDictionary<string, object>>(key, handle));
        }

        private static Tuple<ConcurrentDictionary<string, WeakReference>, ConcurrentDictionary<string, IDictionary<string, object>>> FindOrCreateTable()
        {
            var domain = AppDomain.CurrentDomain;

            // Every copy of the runtime locks this same object, so only one of them creates the table.
            lock (domain)
            {
                var table = domain.GetData(SlotName) as Tuple<ConcurrentDictionary<string, WeakReference>, ConcurrentDictionary<string, IDictionary<string, object>>>;
                if (table == null)
                {
                    table = Tuple.Create(
                        new ConcurrentDictionary<string, WeakReference>(StringComparer.Ordinal),
                        new ConcurrentDictionary<string, IDictionary<string, object>>(StringComparer.Ordinal));
                    domain.SetData(SlotName, table);
                }

                return table;
            }
        }

        private static IDictionary<string, object> Find(string key)
        {
            WeakReference entry;
            if (!All.TryGetValue(key, out entry))
            {
                return null;
            }

            var handle = entry.Target as IDictionary<string, object>;
            if (handle == null)
            {
                ((ICollection<KeyValuePair<string, WeakReference>>)All).Remove(new KeyValuePair<string, WeakReference>(key, entry));
            }

            return handle;
        }

        private static KeyValuePair<int, TimeSpan>[] ToPairs(IReadOnlyList<QuotaWindow> windows)
        {
            var pairs = new KeyValuePair<int, TimeSpan>[windows.Count];
            for (var i = 0; i < pairs.Length; i++)
            {
                pairs[i] = new KeyValuePair<int, TimeSpan>(windows[i].Limit, windows[i].Window);
            }

            return pairs;
        }

        private static QuotaWindow[] FromPairs(KeyValuePair<int, TimeSpan>[] pairs)
        {
            var windows = new QuotaWindow[pairs.Length];
            for (var i = 0; i < pairs.Length; i++)
            {
                windows[i] = new QuotaWindow(pairs[i].Key, pairs[i].Value);
            }

            return windows;
        }

        /// <summary>
        /// A key's pacer as another copy of the runtime holds it: every turn is taken from that pacer, and pauses,
        /// learned quotas and held turns reach it.
        /// </summary>
        internal sealed class Link : ExternalQuota
        {
            private readonly string _key;
            private readonly IDictionary<string, object> _handle;

            public Link(string key, IDictionary<string, object> handle)
            {
                _key = key;
                _handle = handle;
            }

            public IReadOnlyList<QuotaWindow> Windows
            {
                get { return FromPairs(Entry<Func<KeyValuePair<int, TimeSpan>[]>>("Windows")()); }
            }

            public TimeSpan? ArrivalMargin
            {
                get { return Entry<Func<TimeSpan?>>("ArrivalMargin")(); }
                set { Entry<Action<TimeSpan?>>("SetArrivalMargin")(value); }
            }

            public override bool TryTakeTurn(out TimeSpan retryAfter)
            {
                var refused = Entry<Func<TimeSpan?>>("TryTakeTurn")();
                retryAfter = refused ?? TimeSpan.Zero;
                return !refused.HasValue;
            }

            public override async Task<TimeSpan?> TakeTurnAsync(TimeSpan maxWait, CancellationToken cancellationToken)
            {
                var tooLate = await Entry<Func<TimeSpan, CancellationToken, Task<Tuple<TimeSpan, TimeSpan>>>>("WaitTurnAsync")(maxWait, cancellationToken).ConfigureAwait(false);
                if (tooLate == null)
                {
                    return null;
                }

                // The bound may be the one on learned waits rather than the caller's: say which.
                throw new PacingDeadlineExceededException(_key, tooLate.Item1, tooLate.Item2);
            }

            public void PauseFor(TimeSpan duration)
            {
                Entry<Action<TimeSpan>>("PauseFor")(duration);
            }

            public void Learn(IReadOnlyList<QuotaWindow> windows, int? remaining, TimeSpan? reset, TimeSpan longestHold)
            {
                Entry<Action<KeyValuePair<int, TimeSpan>[], int?, TimeSpan?, TimeSpan>>("Learn")(ToPairs(windows), remaining, reset, longestHold);
            }

            /// <summary>Times go as durations before now: each copy's clock has an origin of its own.</summary>
            public void HoldUntil(TimeSpan grantedAgo, TimeSpan respondedAgo)
            {
                Entry<Action<TimeSpan, TimeSpan>>("HoldUntil")(grantedAgo, respondedAgo);
            }

            public void AddWindows(QuotaWindow[] windows)
            {
                Entry<Action<KeyValuePair<int, TimeSpan>[]>>("AddWindows")(ToPairs(windows));
            }

            private T Entry<T>(string name)
                where T : class
            {
                return (T)_handle[name];
            }
        }
    }
}
