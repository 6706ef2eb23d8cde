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

/// <param name="Turns">Each caller's turns.</param>
/// <param name="LongestWait">The longest any one caller waited for one turn, or until the end of the run for a turn it never got.</param>
/// <param name="Occupies">How long one turn keeps its place in the quota: the window, plus the pacer's arrival margin.</param>
public sealed record FairnessResult(string Limiter, IReadOnlyList<int> Turns, TimeSpan LongestWait, TimeSpan Occupies);

/// <summary>
/// Many callers taking turns from one quota as fast as it allows, as the tasks of a parallel export sharing one API
/// key do: does every caller get its share, and how long does the unluckiest wait? Against System.Threading.RateLimiting's
/// sliding window with a queue served oldest first, the fair reference, in the same run.
/// </summary>
public static class FairnessBenchmark
{
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
        var margin = RequestPacer.DefaultArrivalMargin(window);
        var pacer = new RequestPacer(new QuotaWindow(settings.Limit, window));
        var pacerWithoutMargin = new RequestPacer(new QuotaWindow(settings.Limit, window)) { ArrivalMargin = TimeSpan.Zero };
        using var limiter = SlidingWindow(settings, window);

        // Like with like: the pacer keeps each turn for the window plus its arrival margin, so that requests reach
        // a server counting arrivals a window apart; the queued limiter given that same span as its window.
        using var limiterWithMargin = SlidingWindow(settings, window + margin);

        return new[]
        {
            await MeasureAsync("RequestPacer (rolling log, default arrival margin)", settings, pass, window + margin, ct => pacer.WaitTurnAsync(ct)).ConfigureAwait(false),
            await MeasureAsync("RequestPacer (rolling log, ArrivalMargin = 0)", settings, pass, window, ct => pacerWithoutMargin.WaitTurnAsync(ct)).ConfigureAwait(false),
            await MeasureAsync("SlidingWindowRateLimiter (queued, oldest first)", settings, pass, window, ct => Limiters.AcquireQueuedAsync(limiter, ct)).ConfigureAwait(false),
            await MeasureAsync($"SlidingWindowRateLimiter (queued, oldest first, window {(window + margin).TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture)} s)", settings, pass, window + margin, ct => Limiters.AcquireQueuedAsync(limiterWithMargin, ct)).ConfigureAwait(false),
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

    private static async Task<FairnessResult> MeasureAsync(string name, FairnessSettings settings, string pass, TimeSpan occupies, Func<CancellationToken, Task> waitTurn)
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
        var result = new FairnessResult(name, turns, Stopwatch.GetElapsedTime(0, longest.Max()), occupies);
        Console.Error.WriteLine($"[fairness, {pass}] {name}: {turns.Sum()} turns, longest wait {result.LongestWait.TotalSeconds:0.000} s");
        return result;
    }

    public static void WriteReport(TextWriter o, FairnessSettings settings, IReadOnlyList<FairnessResult> results)
    {
        o.WriteLine($"{settings.Tasks} tasks looping on one quota of {settings.Limit} per rolling second for {settings.Seconds} s, one limiter after the other in the same process.");
        o.WriteLine();
        o.WriteLine("| limiter | a turn occupies | turns | turns per task: fewest / median / most | tasks with at most 1 turn | longest single wait | longest wait past the span a turn occupies |");
        o.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in results)
        {
            var median = Stats.Median(r.Turns.Select(t => (double)t));
            o.WriteLine(string.Format(
                CultureInfo.InvariantCulture,
                "| {0} | {7:0.00} s | {1} | {2} / {3:0} / {4} | {5} | {6:0.000} s | {8:+0;-0} ms |",
                r.Limiter,
                r.Turns.Sum(),
                r.Turns.Min(),
                median,
                r.Turns.Max(),
                r.Turns.Count(t => t <= 1),
                r.LongestWait.TotalSeconds,
                r.Occupies.TotalSeconds,
                (long)Math.Round((r.LongestWait - r.Occupies).TotalMilliseconds)));
        }
    }
}
