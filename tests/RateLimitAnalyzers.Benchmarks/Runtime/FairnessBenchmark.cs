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
public sealed record FairnessResult(string Limiter, IReadOnlyList<int> Turns, TimeSpan LongestWait);

/// <summary>
/// Many callers taking turns from one quota as fast as it allows, as the tasks of a parallel export sharing one API
/// key do: does every caller get its share, and how long does the unluckiest wait? Against System.Threading.RateLimiting's
/// sliding window with a queue served oldest first, the fair reference, in the same run.
/// </summary>
public static class FairnessBenchmark
{
    public static async Task<IReadOnlyList<FairnessResult>> RunAsync(FairnessSettings settings)
    {
        var pacer = new RequestPacer(new QuotaWindow(settings.Limit, TimeSpan.FromSeconds(1)));
        var pacerWithoutMargin = new RequestPacer(new QuotaWindow(settings.Limit, TimeSpan.FromSeconds(1))) { ArrivalMargin = TimeSpan.Zero };
        using var limiter = new SlidingWindowRateLimiter(new SlidingWindowRateLimiterOptions
        {
            PermitLimit = settings.Limit,
            Window = TimeSpan.FromSeconds(1),
            SegmentsPerWindow = 4,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });

        return new[]
        {
            await MeasureAsync("RequestPacer (rolling log, default arrival margin)", settings, ct => pacer.WaitTurnAsync(ct)).ConfigureAwait(false),
            await MeasureAsync("RequestPacer (rolling log, ArrivalMargin = 0)", settings, ct => pacerWithoutMargin.WaitTurnAsync(ct)).ConfigureAwait(false),
            await MeasureAsync("SlidingWindowRateLimiter (queued, oldest first)", settings, ct => Limiters.AcquireQueuedAsync(limiter, ct)).ConfigureAwait(false),
        };
    }

    private static async Task<FairnessResult> MeasureAsync(string name, FairnessSettings settings, Func<CancellationToken, Task> waitTurn)
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
        var result = new FairnessResult(name, turns, Stopwatch.GetElapsedTime(0, longest.Max()));
        Console.Error.WriteLine($"[fairness] {name}: {turns.Sum()} turns");
        return result;
    }

    public static void WriteReport(TextWriter o, FairnessSettings settings, IReadOnlyList<FairnessResult> results)
    {
        o.WriteLine($"{settings.Tasks} tasks looping on one quota of {settings.Limit} per rolling second for {settings.Seconds} s, one limiter after the other in the same process.");
        o.WriteLine();
        o.WriteLine("| limiter | turns | turns per task: fewest / median / most | tasks with at most 1 turn | longest single wait |");
        o.WriteLine("| --- | ---: | ---: | ---: | ---: |");
        foreach (var r in results)
        {
            var median = Stats.Median(r.Turns.Select(t => (double)t));
            o.WriteLine(string.Format(
                CultureInfo.InvariantCulture,
                "| {0} | {1} | {2} / {3:0} / {4} | {5} | {6:0.00} s |",
                r.Limiter,
                r.Turns.Sum(),
                r.Turns.Min(),
                median,
                r.Turns.Max(),
                r.Turns.Count(t => t <= 1),
                r.LongestWait.TotalSeconds));
        }
    }
}
