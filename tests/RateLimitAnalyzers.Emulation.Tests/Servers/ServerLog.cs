using System;
using System.Collections.Generic;
using System.Linq;

namespace RateLimitAnalyzers.Emulation.Tests.Servers;

/// <summary>One request as the server saw it.</summary>
/// <param name="At">When it arrived, on <see cref="ServerClock"/>.</param>
/// <param name="Caller">The API key or account the quota is counted against.</param>
/// <param name="Client">The client that sent it (its User-Agent): a retry is early only against what that client was told.</param>
/// <param name="Operation">The quota the request counted against, for APIs that limit each operation on its own.</param>
/// <param name="Throttled">Whether the server refused it for its rate limit.</param>
/// <param name="ToldToWait">The wait the response asked for (Retry-After, or a used-up quota's reset), if any.</param>
/// <param name="Sent">When the client's transport sent it, on <see cref="ServerClock"/>, if the client said.</param>
internal sealed record Arrival(TimeSpan At, string Caller, string Client, string Operation, bool Throttled, TimeSpan? ToldToWait, TimeSpan? Sent);

/// <summary>The server's own record of every request, the ground truth the scenarios compare clients with.</summary>
internal sealed class ServerLog
{
    private readonly List<Arrival> _arrivals = new();

    public IReadOnlyList<Arrival> Arrivals
    {
        get { lock (_arrivals) { return _arrivals.ToArray(); } }
    }

    public void Add(Arrival arrival)
    {
        lock (_arrivals)
        {
            _arrivals.Add(arrival);
        }
    }

    /// <summary>The requests of one client, or of every client when null.</summary>
    public IReadOnlyList<Arrival> Of(string? client) => Arrivals.Where(a => client is null || a.Client == client).ToArray();

    /// <summary>
    /// How much sooner than asked a request may arrive and still count as honouring the wait. Task.Delay runs on the
    /// system's coarse tick (Environment.TickCount64: CLOCK_MONOTONIC_COARSE on Linux, 4 ms steps on the test machine;
    /// about 15.6 ms on Windows) and can end up to a tick short of the wait on the fine monotonic clock the servers
    /// measure with: a client that waits exactly what it was told, the RL0003 fix's RetryAfter.DelayAsync, was seen
    /// arriving 0.3 ms early, and in loaded runs a few ms. Somewhat more than the coarsest tick, so that such a
    /// client is never counted early, while one that cuts a wait short by a real amount (Polly's own schedule:
    /// hundreds of ms) is.
    /// </summary>
    public static readonly TimeSpan TimerTolerance = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// Requests that arrived before a wait the server had asked the same client for (on the same quota) was over:
    /// the server's Retry-After, or a reset it reported for a used-up quota, not honoured (by more than
    /// <see cref="TimerTolerance"/>). With <paramref name="afterRefusalsOnly"/>, only the waits refusals asked for
    /// count: the retries that came back too soon, leaving out requests sent past a success that reported the quota
    /// used up (which a client that does not read the headers cannot know about, and which the server refuses).
    /// </summary>
    public IReadOnlyList<Arrival> EarlyArrivals(string? client, bool afterRefusalsOnly = false)
    {
        var early = new List<Arrival>();
        foreach (var scope in Of(client).GroupBy(a => (a.Caller, a.Client, a.Operation)))
        {
            var waitUntil = TimeSpan.Zero;
            foreach (var arrival in scope.OrderBy(a => a.At))
            {
                if (arrival.At < waitUntil - TimerTolerance)
                {
                    early.Add(arrival);
                }

                if (arrival.ToldToWait is { } wait && (arrival.Throttled || !afterRefusalsOnly) && arrival.At + wait > waitUntil)
                {
                    waitUntil = arrival.At + wait;
                }
            }
        }

        return early;
    }

    /// <summary>
    /// The requests of <paramref name="client"/> that the server would have refused had each arrived at the moment
    /// it was sent: replayed in the order they were sent through a fresh quota from <paramref name="newQuota"/> per
    /// caller and operation, counted as the server counts. This is what a pacer answers for. The server counts
    /// arrivals, and a loaded machine can hold a request between its client and the server for longer than a
    /// pacer's arrival margin (tens of ms on a two-core CI machine, once 250 ms; the emulated windows are compressed
    /// to a fraction of a second, the stalls are not), so that it arrives in the same window as the next ones and is
    /// refused though it left in time. Null when some of the client's requests do not say when they were sent.
    /// </summary>
    public IReadOnlyList<Arrival>? OverQuotaAsSent(string client, Func<Func<TimeSpan, bool>> newQuota)
    {
        var arrivals = Of(client);
        if (arrivals.Any(a => a.Sent is null))
        {
            return null;
        }

        var over = new List<Arrival>();
        foreach (var scope in arrivals.GroupBy(a => (a.Caller, a.Operation)))
        {
            var admit = newQuota();
            foreach (var arrival in scope.OrderBy(a => a.Sent))
            {
                if (!admit(arrival.Sent!.Value))
                {
                    over.Add(arrival);
                }
            }
        }

        return over;
    }
}
