using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.RateLimiting;
using System.Threading.Tasks;
using RateLimitAnalyzers.Pacing;

namespace RateLimitAnalyzers.Benchmarks.Runtime;

/// <param name="Tasks">Callers looping on one key at once.</param>
/// <param name="Seconds">How long they loop.</param>
/// <param name="Limit">The quota: <c>Limit</c> turns in any rolling second.</param>
public sealed record FairnessSettings(int Tasks = 64, int Seconds = 5, int Limit = 200);

/// <param name="Comparison">The pair the row belongs to: <see cref="FairnessBenchmark.LikeForLike"/> or <see cref="FairnessBenchmark.AsShipped"/>.</param>
/// <param name="Turns">Each caller's turns.</param>
/// <param name="LongestWait">The longest any one caller waited for one turn, or until the end of the run for a turn it never got.</param>
/// <param name="Occupies">How long one turn keeps its place in the quota: the window, plus the pacer's arrival margin.</param>
public sealed record FairnessResult(string Limiter, string Comparison, IReadOnlyList<int> Turns, TimeSpan LongestWait, TimeSpan Occupies);

/// <summary>
/// Many callers taking turns from one quota as fast as it allows, as the tasks of a parallel export sharing one API
/// key do: does every caller get its share, and how long does the unluckiest wait? Against System.Threading.RateLimiting's
/// sliding window with a queue served oldest first, the fair reference, in the same run.
/// </summary>
/// <remarks>
/// The benchmark measures queue order, so the pacer is compared like for like: with <c>ArrivalMargin = 0</c>, a turn
/// occupies the window alone, as a permit of the queued limiter does. The pacer as shipped, whose default margin (50 ms
/// on a 1 s window) keeps requests a window apart at a server that counts arrivals, is reported beside it, against the
/// queued limiter given the same span. The margin is the whole difference between the two pacer rows.
/// </remarks>
public static class FairnessBenchmark
{
    /// <summary>The pacer without its arrival margin against the queued limiter: a turn occupies the window in both.</summary>
    public const string LikeForLike = "like for like";

    /// <summary>The pacer with its default arrival margin, against the queued limiter given the window plus that margin.</summary>
    public const string AsShipped = "as shipped";

    public static async Task<IReadOnlyList<FairnessResult>> RunAsync(FairnessSettings settings)
    {
        // The first limiter measured in a process also pays for compiling its code and for the thread pool's growth
        // (10 to 20 ms on its longest wait in trials, whichever limiter goes first): each runs once on instances of
        // its own, and that run is discarded.
        await MeasureAllAsync(settings with { Seconds = Math.Min(2, settings.Seconds) }, "warm-up").ConfigureAwait(false);
        return await MeasureAllAsync(settings, "measured").ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<FairnessResult>> MeasureAllAsync(FairnessSettings settings, string pass)
    {
        var window = TimeSpan.FromSeconds(1);
        var likeForLike = new RequestPacer(new QuotaWindow(settings.Limit, window)) { ArrivalMargin = TimeSpan.Zero };
        var asShipped = new RequestPacer(new QuotaWindow(settings.Limit, window));
        TimeSpan Occupies(RequestPacer pacer) => window + (pacer.ArrivalMargin ?? RequestPacer.DefaultArrivalMargin(window));
        using var limiter = SlidingWindow(settings, window);
        using var limiterWithMargin = SlidingWindow(settings, Occupies(asShipped));
        var padded = Occupies(asShipped).TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture);

        return new[]
        {
            await MeasureAsync("RequestPacer (rolling log, ArrivalMargin = 0)", LikeForLike, settings, pass, Occupies(likeForLike), ct => likeForLike.WaitTurnAsync(ct)).ConfigureAwait(false),
            await MeasureAsync("SlidingWindowRateLimiter (queued, oldest first)", LikeForLike, settings, pass, window, ct => Limiters.AcquireQueuedAsync(limiter, ct)).ConfigureAwait(false),
            await MeasureAsync("RequestPacer (rolling log, default arrival margin)", AsShipped, settings, pass, Occupies(asShipped), ct => asShipped.WaitTurnAsync(ct)).ConfigureAwait(false),
            await MeasureAsync($"SlidingWindowRateLimiter (queued, oldest first, window {padded} s)", AsShipped, settings, pass, Occupies(asShipped), ct => Limiters.AcquireQueuedAsync(limiterWithMargin, ct)).ConfigureAwait(false),
        };
    }

    private static SlidingWindowRateLimiter SlidingWindow(FairnessSettings settings, TimeSpan window) => new(new SlidingWindowRateLimiterOptions
    {
        PermitLimit = settings.Limit,
        Window = window,
        SegmentsPerWindow = 4,
        QueueLimit = int.MaxValue,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    });

    private static async Task<FairnessResult> MeasureAsync(string name, string comparison, FairnessSettings settings, string pass, TimeSpan occupies, Func<CancellationToken, Task> waitTurn)
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(settings.Seconds));
        var turns = new int[settings.Tasks];
        var longest = new long[settings.Tasks];
        var callers = Enumerable.Range(0, settings.Tasks).Select(i => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var started = Stopwatch.GetTimestamp();
                var served = true;
                try
                {
                    await waitTurn(stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // A wait the end of the run cut short counts too: a caller never served waited the whole run.
                    served = false;
                }

                longest[i] = Math.Max(longest[i], Stopwatch.GetTimestamp() - started);
                if (!served)
                {
                    break;
                }

                turns[i]++;
            }
        })).ToArray();
        await Task.WhenAll(callers).ConfigureAwait(false);
        var result = new FairnessResult(name, comparison, turns, Stopwatch.GetElapsedTime(0, longest.Max()), occupies);
        Console.Error.WriteLine($"[fairness, {pass}] {name}: {turns.Sum()} turns, longest wait {result.LongestWait.TotalSeconds:0.000} s");
        return result;
    }

    public static void WriteReport(TextWriter o, FairnessSettings settings, IReadOnlyList<FairnessResult> results)
    {
        o.WriteLine($"{settings.Tasks} tasks looping on one quota of {settings.Limit} per rolling second for {settings.Seconds} s, one limiter after the other in the same process.");
        o.WriteLine();
        o.WriteLine("| compared | limiter | a turn occupies | turns | turns per task: fewest / median / most | tasks with at most 1 turn | longest single wait | longest wait past the span a turn occupies |");
        o.WriteLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in results)
        {
            var median = Stats.Median(r.Turns.Select(t => (double)t));
            o.WriteLine(string.Format(
                CultureInfo.InvariantCulture,
                "| {9} | {0} | {7:0.00} s | {1} | {2} / {3:0} / {4} | {5} | {6:0.000} s | {8:+0;-0} ms |",
                r.Limiter,
                r.Turns.Sum(),
                r.Turns.Min(),
                median,
                r.Turns.Max(),
                r.Turns.Count(t => t <= 1),
                r.LongestWait.TotalSeconds,
                r.Occupies.TotalSeconds,
                (long)Math.Round((r.LongestWait - r.Occupies).TotalMilliseconds),
                r.Comparison));
        }

        o.WriteLine();
        foreach (var pair in results.GroupBy(r => r.Comparison))
        {
            var ours = pair.First(r => r.Limiter.StartsWith("RequestPacer", StringComparison.Ordinal));
            var theirs = pair.First(r => !r.Limiter.StartsWith("RequestPacer", StringComparison.Ordinal));
            o.WriteLine(string.Format(
                CultureInfo.InvariantCulture,
                "{0}, a turn occupying {1:0.00} s: the pacer's longest wait {2:0.000} s, the queued limiter's {3:0.000} s ({4:+0;-0} ms).",
                char.ToUpperInvariant(pair.Key[0]) + pair.Key.Substring(1),
                ours.Occupies.TotalSeconds,
                ours.LongestWait.TotalSeconds,
                theirs.LongestWait.TotalSeconds,
                (long)Math.Round((ours.LongestWait - theirs.LongestWait).TotalMilliseconds)));
        }
    }
}
